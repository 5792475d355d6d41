"""Reports from a transcript file: what ``rehearse score-transcript --format html|pdf`` writes.

The same report as the app's, built from the score card; the person's view is replayed from
the scenario's rules when the transcript names a scenario in the library, and says it has no
records otherwise.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from app.config import Settings
from app.content.scenarios import scenario_from_source
from app.domain.rubric import Rubric
from app.domain.scenario import Scenario
from app.domain.scorecard import ScoreCard
from app.reports.build import build_report
from app.reports.model import Report
from app.reports.render import load_styles, render_document, render_pdf
from app.reports.replay import replay_records


def report_for_file(card: ScoreCard, rubric: Rubric, settings: Settings, *, title: str) -> Report:
    """The report of a scored transcript file."""
    scenario = find_scenario(settings.scenarios_dir, card.scenario)
    name = scenario.title if scenario else title
    return build_report(card, title=name, rubric=rubric, records=replay_records(card, scenario))


def find_scenario(folder: Path, scenario_id: str | None) -> Scenario | None:
    """The scenario a transcript names, read from its own file (None if absent or broken).

    Reads one stored version's text rather than the whole library: parsing every scenario
    file took most of a report's time.
    """
    if not scenario_id or "/" in scenario_id or "\\" in scenario_id:
        return None
    path = folder / f"{scenario_id}.yaml"
    if not path.is_file():
        return None
    try:
        return scenario_from_source(path.read_text(encoding="utf-8"))
    except (ValueError, yaml.YAMLError):
        return None


def report_bytes(
    card: ScoreCard, rubric: Rubric, settings: Settings, *, output_format: str, title: str
) -> bytes:
    """The report as an HTML document or a PDF, ready to write."""
    report = report_for_file(card, rubric, settings, title=title)
    styles = load_styles(settings.static_dir)
    if output_format == "pdf":
        return render_pdf(report, styles=styles)
    return render_document(report, styles=styles).encode("utf-8")


def transcript_title(path: Path) -> str:
    """A title for a transcript with no known scenario: its file name."""
    return path.stem.replace("_", " ").replace("-", " ")
