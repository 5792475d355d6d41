"""``rehearse score-transcript --format html|pdf`` writes the same report from a file."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from typer.testing import CliRunner

from app.cli import cli

TRANSCRIPTS = Path(__file__).resolve().parents[1] / "fixtures" / "transcripts"
PROJECT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _content(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SCENARIOS", "RUBRICS", "STATIC", "PROMPTS"):
        monkeypatch.setenv(f"REHEARSE_{name}_DIR", str(PROJECT / name.lower()))


def test_html_report_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = CliRunner().invoke(
        cli,
        [
            "score-transcript",
            str(TRANSCRIPTS / "paternalistic.json"),
            "--format",
            "html",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    soup = BeautifulSoup(out.read_text(encoding="utf-8"), "html.parser")
    assert soup.select_one("#criteria article.criterion") is not None
    assert soup.select_one("#person .provenance") is not None  # replayed from the scenario
    assert soup.find("style").get_text().strip()


def test_pdf_report_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    result = CliRunner().invoke(
        cli,
        [
            "score-transcript",
            str(TRANSCRIPTS / "paternalistic.json"),
            "--format",
            "pdf",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")
