"""CSV and JSON exports read back to what was written; the PDF renders with its text."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from app.reports.export import read_csv, read_json, to_csv, to_json
from app.reports.model import Report
from app.reports.render import PdfUnavailable, load_styles, render_pdf


@pytest.mark.parametrize("name", ["person_centred", "paternalistic"])
def test_csv_round_trip(name: str, request: pytest.FixtureRequest) -> None:
    report: Report = request.getfixturevalue(name)
    text = to_csv(report.card)
    assert text.splitlines()[0].startswith("index,speaker,text,codes,evidence")
    assert read_csv(text) == report.card.turns


def test_json_round_trip(person_centred: Report) -> None:
    assert read_json(to_json(person_centred.card)) == person_centred.card


def test_csv_of_something_else_is_refused() -> None:
    with pytest.raises(ValueError, match="columns"):
        read_csv("id,text\n1,hello\n")


def test_pdf_renders_with_extractable_criteria_titles(paternalistic: Report) -> None:
    pypdf = pytest.importorskip("pypdf")
    try:
        data = render_pdf(paternalistic)
    except PdfUnavailable as exc:  # pragma: no cover - CI installs pango
        pytest.skip(str(exc))
    assert data.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) > 0
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    for criterion in paternalistic.criteria:
        assert criterion.title in text
    assert "Missed moments" in text


def test_printed_report_is_compact_with_no_empty_page(person_centred: Report) -> None:
    """With the print styles, the 32-turn consultation fits in 9 A4 pages (19 before the
    print CSS was tightened); a blank page would mean a forced break with nothing after it."""
    pypdf = pytest.importorskip("pypdf")
    styles = load_styles(Path(__file__).resolve().parents[2] / "static")
    assert "@media print" in styles
    try:
        data = render_pdf(person_centred, styles=styles)
    except PdfUnavailable as exc:  # pragma: no cover - CI installs pango
        pytest.skip(str(exc))
    pages = pypdf.PdfReader(io.BytesIO(data)).pages
    assert 0 < len(pages) <= 11
    for number, page in enumerate(pages, start=1):
        assert len((page.extract_text() or "").strip()) > 100, f"page {number} is nearly empty"
