"""A scenarios folder holding one small scenario, and a runtime on both databases."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.config import Settings
from app.services.runtime import Runtime, build_runtime
from tests.content.test_scenarios import edited

SLUG = "sample"


@pytest.fixture
def settings(settings: Settings, tmp_path: Path) -> Settings:
    """The shared test settings, with scenarios/ holding only ``sample.yaml``."""
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / f"{SLUG}.yaml").write_text(edited(), encoding="utf-8")
    return settings.model_copy(update={"scenarios_dir": folder})


@pytest.fixture
def runtime(settings: Settings) -> Iterator[Runtime]:
    """A running Rehearse on this test's database and scenarios folder."""
    running = build_runtime(settings)
    yield running
    running.close()
