"""The README documents every setting and the two set-up commands CI relies on."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.config import Settings

PROJECT = Path(__file__).resolve().parent.parent
README = (PROJECT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("field", sorted(Settings.model_fields))
def test_every_setting_is_in_the_readme(field: str) -> None:
    assert f"`REHEARSE_{field.upper()}`" in README


def test_ci_runs_the_readme_test_command() -> None:
    assert "make test " in README
    assert "make run " in README
    assert "\nmake test\n" in (PROJECT / ".ci/run").read_text(encoding="utf-8")
