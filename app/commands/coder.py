"""``rehearse code-utterances`` and ``rehearse eval-coder`` (DESIGN.md section 9)."""

from __future__ import annotations

import typer


def register(cli: typer.Typer) -> None:
    """Add the coder commands to ``cli``."""
