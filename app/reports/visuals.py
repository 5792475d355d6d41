"""Which charts a report shows, built from its data: trust over turns, each figure against
its band, and progress across attempts per criterion and per figure."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.reports.charts import Chart, band_bar, line_chart
from app.reports.model import PersonView, ProgressSeries, Report

_LEVEL_TICKS = ((0.0, "not yet"), (1.0, "emerging"), (2.0, "established"), (3.0, "exemplary"))
_LEVELS = ("not yet seen", "emerging", "established", "exemplary")


@dataclass
class ReportCharts:
    """Every chart of one report, by section."""

    trust: Chart | None = None
    figures: dict[str, Chart] = field(default_factory=dict)
    progress_criteria: list[Chart] = field(default_factory=list)
    progress_figures: list[Chart] = field(default_factory=list)


def charts_for(report: Report) -> ReportCharts:
    """The charts of ``report``."""
    charts = ReportCharts(trust=trust_chart(report.person))
    for figure in report.figures:
        charts.figures[figure.key] = band_bar(
            f"figure-{figure.key}",
            f"{figure.title}: {figure.display}",
            value=figure.value,
            scale_max=figure.scale_max,
            fair=figure.fair,
            good=figure.good,
            value_label=figure.display,
        )
    if report.progress is not None:
        charts.progress_criteria = [_progress(s, criterion=True) for s in report.progress.criteria]
        charts.progress_figures = [_progress(s, criterion=False) for s in report.progress.figures]
    return charts


def trust_chart(person: PersonView) -> Chart | None:
    """The person's trust after each of your turns, with their feeling in the table."""
    if not person.points:
        return None
    start = [("start", person.start_trust)] if person.start_trust is not None else []
    points = [*start, *((str(p.turn), p.trust) for p in person.points)]
    rows = [["start", f"{person.start_trust:.2f}", person.start_emotion or "", ""]] if start else []
    rows += [[str(p.turn), f"{p.trust:.2f}", p.emotion, p.band] for p in person.points]
    return line_chart(
        "trust-chart",
        f"{person.person_name}'s trust in you after each of your turns (0 = none, 1 = complete)",
        points,
        y_max=1.0,
        y_ticks=((0.0, "0"), (0.5, "0.5"), (1.0, "1")),
        headers=["After your turn", "Trust (0 to 1)", "Feeling", "Openness"],
        rows=rows,
    )


def _progress(series: ProgressSeries, *, criterion: bool) -> Chart:
    points = [(f"#{p.attempt}", p.value) for p in series.points]
    ticks: tuple[tuple[float, str], ...]
    if criterion:
        ticks = _LEVEL_TICKS
        rows = [
            [p.label, _LEVELS[int(p.value)] if p.value is not None else "not scored"]
            for p in series.points
        ]
    else:
        top = series.scale_max
        ticks = ((0.0, "0"), (top / 2, f"{top / 2:g}"), (top, f"{top:g}"))
        rows = [
            [p.label, "not measured" if p.value is None else f"{p.value:g}"] for p in series.points
        ]
    return line_chart(
        f"progress-{series.key}",
        f"{series.title} across your attempts",
        points,
        y_max=series.scale_max,
        y_ticks=ticks,
        headers=["Attempt", "Level" if criterion else "Value"],
        rows=rows,
    )
