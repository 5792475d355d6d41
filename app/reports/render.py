"""Render a report: the HTML body (shared by the app page, the file and the PDF), a
standalone HTML document with its CSS inlined, and a PDF through WeasyPrint.

WeasyPrint was chosen by measurement: it renders the same HTML and SVG charts as the page
(about 0.4 s for a 40-turn report on two cores), where fpdf2 or reportlab would need a
second layout to keep in step. It needs Debian's pango libraries (.ci/run, Dockerfile).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from app.reports.model import Report
from app.reports.visuals import charts_for

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
_ENV = Environment(
    loader=FileSystemLoader(TEMPLATES_DIR),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


class PdfUnavailable(Exception):
    """WeasyPrint or its system libraries are missing; the message says what to install."""


@dataclass(frozen=True)
class Links:
    """Where the report's links and forms go; None leaves a feature out (e.g. in a file)."""

    filter_url: str | None = None
    pdf_url: str | None = None
    csv_url: str | None = None
    json_url: str | None = None
    reflection_url: str | None = None
    narrative_url: str | None = None
    scoring_url: str | None = None
    conversation_url: str | None = None
    form_token: str | None = None  # the session's CSRF token, carried by the report's forms


FILE_LINKS = Links()


def render_body(
    report: Report,
    links: Links = FILE_LINKS,
    *,
    code: str | None = None,
    reflection: Any = None,
) -> Markup:
    """The report's sections as HTML, for a page or a document."""
    template = _ENV.get_template("report_body.html")
    return Markup(
        template.render(
            report=report,
            links=links,
            code=code,
            charts=charts_for(report),
            reflection=reflection,
        )
    )


def render_transcript(report: Report, links: Links, code: str | None) -> Markup:
    """The annotated transcript alone, filtered to ``code`` (the htmx partial)."""
    template = _ENV.get_template("_transcript.html")
    return Markup(template.render(report=report, links=links, code=code))


def render_narrative(report: Report, links: Links) -> Markup:
    """The narrative section alone (polled by htmx while the model writes)."""
    template = _ENV.get_template("_narrative.html")
    return Markup(template.render(report=report, links=links))


def render_scoring(report: Report, links: Links) -> Markup:
    """How the report was scored, alone (polled by htmx while the judge scores)."""
    template = _ENV.get_template("_scoring.html")
    return Markup(template.render(report=report, links=links))


def load_styles(static_dir: Path) -> str:
    """The report's stylesheet (``static/css/report.css``), to inline in a document."""
    css = static_dir / "css" / "report.css"
    return css.read_text(encoding="utf-8") if css.is_file() else ""


def render_document(report: Report, *, styles: str = "", reflection: Any = None) -> str:
    """A standalone HTML file: the report with its CSS inlined, working offline."""
    template = _ENV.get_template("document.html")
    return template.render(
        report=report, body=render_body(report, reflection=reflection), styles=Markup(styles)
    )


def render_pdf(report: Report, *, styles: str = "", reflection: Any = None) -> bytes:
    """The report as a PDF (A4, print styles), rendered from the standalone document."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:
        raise PdfUnavailable(
            "PDF export needs WeasyPrint and Debian's pango libraries "
            f"(apt-get install libpango-1.0-0 libpangoft2-1.0-0): {exc}"
        ) from exc
    pdf: bytes = HTML(
        string=render_document(report, styles=styles, reflection=reflection)
    ).write_pdf()
    return pdf
