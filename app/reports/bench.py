"""How long a report takes: a 40-turn conversation scored, built and rendered, no model.

``rehearse bench`` prints these figures (the issue's bar: within 2 s without an LLM). The
conversation is synthetic but realistic: the person and practitioner alternate, with a mix
of open and closed questions, reflections, information and advice for the coder to code.
"""

from __future__ import annotations

import time

from pydantic import BaseModel

from app.config import Settings
from app.content.rubrics import load_rubrics
from app.domain.conversation import Speaker
from app.domain.transcript import Transcript, TranscriptTurn
from app.reports.files import report_for_file
from app.reports.render import PdfUnavailable, load_styles, render_document, render_pdf
from app.scoring.engine import score
from app.scoring.factory import default_coder

RUBRIC = "sdm-core"
_PRACTITIONER = (
    "Hello, I'm Sam, one of the nurses. We have about fifteen minutes; what would you like "
    "to talk about today?",
    "You sound worried about what the results might mean.",
    "How many times do you get up at night?",
    "What matters most to you about what happens next?",
    "Would it be OK if I explained what the tests showed?",
    "The scan shows the prostate is larger than usual, which is common. Does that make sense?",
    "There are a few options, including doing nothing for now and keeping an eye on it.",
    "You should really have the operation; it's the best thing for a man your age.",
    "Is it affecting your sleep?",
    "So far you've told me sleep and staying dry matter most. Is there anything else?",
)
_PERSON = (
    "I'm worried it's something serious, to be honest.",
    "Three or four times, most nights. It's wearing me down.",
    "Staying dry, mostly. And being there for the grandkids.",
    "Go on then.",
    "I see. I didn't know that.",
)


class ReportSpeed(BaseModel):
    """Seconds to score, build and render the report of one conversation."""

    turns: int
    runs: int
    html_p50_s: float
    html_max_s: float
    pdf_s: float | None = None


def bench_transcript(turns: int = 40) -> Transcript:
    """A conversation of ``turns`` turns, the person first."""
    said: list[TranscriptTurn] = []
    for index in range(turns):
        if index % 2 == 0:
            text = _PERSON[(index // 2) % len(_PERSON)]
            said.append(TranscriptTurn(speaker=Speaker.PERSON, text=text))
        else:
            text = _PRACTITIONER[(index // 2) % len(_PRACTITIONER)]
            said.append(TranscriptTurn(speaker=Speaker.PRACTITIONER, text=text))
    return Transcript(scenario="prostate-decision", turns=said)


def measure_report(settings: Settings, *, turns: int = 40, runs: int = 5) -> ReportSpeed:
    """Time the whole report (score + build + HTML) ``runs`` times, and one PDF."""
    rubric = load_rubrics(settings.rubrics_dir).get(RUBRIC)
    if rubric is None:
        raise ValueError(f"There is no rubric '{RUBRIC}' in {settings.rubrics_dir}.")
    transcript, coder, styles = (
        bench_transcript(turns),
        default_coder(),
        load_styles(settings.static_dir),
    )
    timings: list[float] = []
    for _ in range(runs):
        started = time.perf_counter()
        card = score(transcript, rubric, coder)
        report = report_for_file(card, rubric, settings, title="bench")
        render_document(report, styles=styles)
        timings.append(time.perf_counter() - started)
    pdf_s: float | None = None
    try:
        started = time.perf_counter()
        render_pdf(report, styles=styles)
        pdf_s = time.perf_counter() - started
    except PdfUnavailable:
        pdf_s = None
    ordered = sorted(timings)
    return ReportSpeed(
        turns=turns,
        runs=runs,
        html_p50_s=ordered[(len(ordered) - 1) // 2],
        html_max_s=ordered[-1],
        pdf_s=pdf_s,
    )


def describe_report_speed(speed: ReportSpeed) -> str:
    """One line for ``rehearse bench``."""
    pdf = "PDF unavailable" if speed.pdf_s is None else f"PDF {speed.pdf_s:.2f} s"
    return (
        f"report for a {speed.turns}-turn conversation (score + build + HTML, no LLM): "
        f"p50 {speed.html_p50_s:.3f} s, max {speed.html_max_s:.3f} s over {speed.runs} runs; "
        f"{pdf}"
    )
