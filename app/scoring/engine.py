"""Score a transcript against a rubric: pure, with no database, web or model.

``score`` codes each practitioner turn, measures every criterion's rule over the codes,
decides its level, writes formative feedback from the level descriptors and the quoted
turns, and adds the summary figures. The same transcript, rubric and coder always give the
same score card.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.domain.rubric import Criterion, Rubric
from app.domain.scorecard import CriterionScore, ScoreCard
from app.domain.transcript import Transcript
from app.scoring.feedback import feedback, quotes
from app.scoring.levels import judge
from app.scoring.measures import measure
from app.scoring.moments import Moment, code_transcript
from app.scoring.summary import bands_of, summarise
from app.sim.engine import Coder


def score(transcript: Transcript, rubric: Rubric, coder: Coder) -> ScoreCard:
    """The score card for ``transcript`` on every criterion of ``rubric``."""
    turns, moments = code_transcript(transcript, coder)
    summary, items = summarise(moments)
    return ScoreCard(
        rubric_id=rubric.id,
        rubric_title=rubric.title,
        scenario=transcript.scenario,
        coder=coder.method,
        turns=turns,
        criteria=[score_criterion(criterion, moments) for criterion in rubric.criteria],
        summary=summary,
        sdm_items=items,
        bands=bands_of(summary),
    )


def score_criterion(criterion: Criterion, moments: Sequence[Moment]) -> CriterionScore:
    """One criterion's level, the turns behind it, and its feedback."""
    found = measure(criterion.evidence, moments)
    verdict = judge(criterion, found, moments)
    cited = quotes(found, verdict)
    return CriterionScore(
        id=criterion.id,
        title=criterion.title,
        level=verdict.level,
        evidence_turns=sorted({q.turn for q in cited}),
        quotes=cited,
        feedback=feedback(criterion, found, verdict),
    )
