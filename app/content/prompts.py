"""Every LLM prompt is a Jinja2 template in ``prompts/``; this loads and renders them.

``StrictUndefined`` turns a missing variable into an error instead of an empty string, so
a prompt can never silently lose the persona or the facts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined


class PromptLibrary:
    """Renders the templates of one prompts folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._env = Environment(
            loader=FileSystemLoader(folder),
            undefined=StrictUndefined,
            autoescape=False,  # plain-text prompts, not HTML
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
        )

    def render(self, name: str, **variables: Any) -> str:
        """Render ``prompts/<name>.j2`` with ``variables``."""
        return self._env.get_template(f"{name}.j2").render(**variables).strip()

    def names(self) -> list[str]:
        """The prompt names available."""
        return sorted(path.stem for path in self.folder.glob("*.j2"))
