"""The report's HTML structure, checked with BeautifulSoup (no string snapshots)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from app.reports.build import build_report
from app.reports.model import Report
from app.reports.render import Links, render_body, render_document

SECTIONS = ["opening", "criteria", "missed", "person", "figures", "transcript", "reflection"]


NO_LINKS = Links()


def page(report: Report, links: Links = NO_LINKS, code: str | None = None) -> BeautifulSoup:
    return BeautifulSoup(str(render_body(report, links, code=code)), "html.parser")


@pytest.mark.parametrize("name", ["person_centred", "paternalistic"])
def test_sections_each_have_a_heading_in_order(name: str, request: pytest.FixtureRequest) -> None:
    report: Report = request.getfixturevalue(name)
    soup = page(report)
    assert soup.find("h1") is not None
    sections = soup.select("article.report > section.report-section")
    assert [s["id"] for s in sections] == SECTIONS
    for section in sections:
        heading = section.find("h2")
        assert heading is not None
        assert section["aria-labelledby"] == heading["id"]


def test_every_turn_link_has_its_target(person_centred: Report) -> None:
    soup = page(person_centred)
    targets = {tag["id"] for tag in soup.select("[id]")}
    links = [a["href"] for a in soup.select("a[href^='#turn-']")]
    assert len(links) > 20
    assert {href[1:] for href in links} <= targets


def test_each_criterion_shows_level_descriptor_and_evidence(person_centred: Report) -> None:
    soup = page(person_centred)
    articles = soup.select("#criteria article.criterion")
    assert len(articles) == len(person_centred.criteria)
    first = articles[0]
    assert first.select_one(".level-badge").get_text() == "Exemplary"
    assert first.select_one(".descriptor").get_text(strip=True)
    item = first.select_one(".evidence-item")
    assert item.select_one("a.turn-link")["href"] == "#turn-1"
    assert item.select_one("q").get_text()
    assert item.select_one(".reaction a")["href"] == "#turn-2"


def test_charts_are_svg_with_a_data_table(person_centred: Report) -> None:
    soup = page(person_centred)
    figures = soup.select("figure.chart-figure")
    assert len(figures) == 1 + len(person_centred.figures)
    for figure in figures:
        svg = figure.find("svg")
        assert svg["role"] == "img"
        assert figure.find("figcaption")["id"] == svg["aria-labelledby"]
        assert figure.select("table tbody tr")
    trust_rows = soup.select("#trust-chart table tbody tr")
    assert len(trust_rows) == len(person_centred.person.points) + 1


def test_the_rephrasing_source_is_stated(paternalistic: Report) -> None:
    note = page(paternalistic).select_one("#missed .rephrasing-source")
    assert note["data-source"] == "template"
    assert "templates" in note.get_text()


def test_the_two_reports_differ_where_expected(
    person_centred: Report, paternalistic: Report
) -> None:
    strong, weak = page(person_centred), page(paternalistic)
    assert strong.select("ul.went-well li")
    assert not weak.select("ul.went-well li")
    assert weak.select_one(".went-well-none") is not None
    assert len(weak.select(".missed-moment")) > len(strong.select(".missed-moment"))
    assert len(weak.select(".level-badge.level-not_yet")) > len(
        strong.select(".level-badge.level-not_yet")
    )


def test_without_records_the_person_section_says_so(paternalistic: Report) -> None:
    report = build_report(paternalistic.card.model_copy(update={"scenario": None}), title="x")
    soup = page(report)
    assert soup.select_one("#person .person-none") is not None
    assert soup.select_one("#trust-chart") is None


def test_filter_links_in_the_app_and_an_index_in_a_file(paternalistic: Report) -> None:
    app = page(paternalistic, Links(filter_url="/conversations/1/report"), code="closed_question")
    filters = app.select(".code-filter a")
    assert filters[0]["href"] == "/conversations/1/report#transcript"
    assert any(a.get("hx-get", "").endswith("?code=closed_question") for a in filters)
    assert len(app.select(".coded-turns > li")) == 7
    file = page(paternalistic)
    assert file.select_one(".code-filter") is None
    assert file.select(".code-index a[href^='#turn-']")
    assert len(file.select(".coded-turns > li")) == len(paternalistic.card.turns)


def test_document_is_standalone_with_inlined_styles(person_centred: Report) -> None:
    soup = BeautifulSoup(render_document(person_centred, styles="body{}"), "html.parser")
    assert soup.html["lang"] == "en-GB"
    assert soup.find("style").get_text() == "body{}"
    assert not soup.select("link[rel=stylesheet], script[src]")


def test_the_scoring_methods_and_each_quotes_outcome_are_stated(paternalistic: Report) -> None:
    soup = page(paternalistic)
    scoring = soup.select_one("header #scoring")
    assert scoring["data-requested"] == "rules"
    assert scoring.get("hx-get") is None  # nothing to wait for with the rules
    assert scoring.select_one(".codes-by").get_text() == "the rule coder"
    assert scoring.select_one(".levels-by").get_text() == "the rubric's rules"
    labels = {
        item["class"][1]: item.select_one(".kind").get_text()
        for item in soup.select("#criteria .evidence-item")
    }
    assert labels == {"kind-missed": "a chance missed", "kind-slip": "one to change"}
