"""CSV and JSON exports read back to what was written; the PDF renders with its text."""

from __future__ import annotations

import io

import pytest

from app.reports.export import read_csv, read_json, to_csv, to_json
from app.reports.model import Report
from app.reports.render import PdfUnavailable, render_pdf


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
