"""Score a transcript against a rubric: pure, with no database, web or model.

``score`` codes each practitioner turn, measures every criterion's rule over the codes,
decides its level, writes formative feedback from the level descriptors and the quoted
turns, and adds the summary figures. The same transcript, rubric and coder always give the
same score card. ``codings`` lets a caller supply turn codes made elsewhere (the optional LLM
judge, ``app/scoring/judge``); the rules then level the criteria over those codes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from app.domain.coding import TurnCoding
from app.domain.rubric import Criterion, Rubric
from app.domain.scorecard import CodedTurn, CriterionScore, ScoreCard, ScoringInfo
from app.domain.transcript import Transcript
from app.scoring.feedback import feedback, quotes
from app.scoring.levels import judge
from app.scoring.measures import measure
from app.scoring.moments import Moment, code_transcript
from app.scoring.summary import bands_of, summarise
from app.sim.engine import Coder


def score(
    transcript: Transcript,
    rubric: Rubric,
    coder: Coder,
    codings: Mapping[int, TurnCoding] | None = None,
) -> ScoreCard:
    """The score card for ``transcript`` on every criterion of ``rubric``."""
    turns, moments = code_transcript(transcript, coder, codings)
    summary, items = summarise(moments)
    method = coded_by(turns, coder.method)
    return ScoreCard(
        rubric_id=rubric.id,
        rubric_title=rubric.title,
        scenario=transcript.scenario,
        coder=method,
        turns=turns,
        criteria=[score_criterion(criterion, moments) for criterion in rubric.criteria],
        summary=summary,
        sdm_items=items,
        bands=bands_of(summary),
        scoring=ScoringInfo(codes=method),
    )


def coded_by(turns: Sequence[CodedTurn], default: str) -> str:
    """The method that coded the practitioner turns ('+'-joined if several did)."""
    methods = dict.fromkeys(t.method for t in turns if t.method)
    return "+".join(m for m in methods if m) or default


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
