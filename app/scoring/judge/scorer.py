"""Score a transcript with the LLM judge, falling back to the rules part by part.

The judge first codes the turns, then levels the criteria. If coding fails, the local coder
codes the turns; if levelling fails, the rubric's rules level the criteria over whatever codes
there are. Each fallback is written into the card's ``scoring.notes``, and every turn and
criterion says which method produced it. The summary figures are always computed from the
codes, so they stay comparable whichever method coded the turns.
"""

from __future__ import annotations

import asyncio

from app.config import ScoringMethod, Settings
from app.content.prompts import PromptLibrary
from app.domain.rubric import Rubric
from app.domain.scorecard import ScoreCard, ScoringInfo
from app.domain.transcript import Transcript
from app.llm.registry import configured_endpoint, configured_openai_chat
from app.scoring.engine import score
from app.scoring.judge.asking import Asker, JudgeFailed
from app.scoring.judge.backends import JudgeBackend, StructuredBackend
from app.scoring.judge.codes import judge_codes, practitioner_turns
from app.scoring.judge.criteria import judge_criteria
from app.sim.engine import Coder


async def score_with_judge(
    transcript: Transcript, rubric: Rubric, coder: Coder, asker: Asker
) -> ScoreCard:
    """The score card with the judge's codes and levels wherever the judge gave valid ones."""
    notes: list[str] = []
    try:
        codings, repaired = await judge_codes(asker, transcript)
        notes.extend(f"Codes: {note}" for note in repaired)
    except JudgeFailed as exc:
        codings = {}
        notes.append(
            f"The judge could not code the turns ({exc}); the {coder.method} coder coded them."
        )
    card = score(transcript, rubric, coder, codings)
    criteria_method: ScoringMethod = ScoringMethod.RULES
    if practitioner_turns(transcript):
        try:
            judged, repaired = await judge_criteria(asker, transcript, rubric, card.turns)
        except JudgeFailed as exc:
            notes.append(f"The judge could not level the criteria ({exc}); the rubric's rules did.")
        else:
            card.criteria = judged
            criteria_method = ScoringMethod.JUDGE
            notes.extend(f"Criteria: {note}" for note in repaired)
    card.scoring = ScoringInfo(
        requested="judge",
        codes=card.coder,
        criteria=criteria_method.value,
        model=asker.backend.model_id,
        notes=[*asker.backend.notes, *notes],
    )
    return card


def judge_backend(settings: Settings) -> JudgeBackend:
    """The judge at the ``openai`` provider's endpoint, asked for JSON-schema output.

    Temperature 0 for repeatable judgements; the client's own retries are off because the
    judge's attempts (``judge_attempts``) already bound every retry.
    """
    chat = configured_openai_chat(settings, temperature=0.0, streaming=False)
    return StructuredBackend(
        chat, model_id=settings.llm_model, endpoint=configured_endpoint(settings)
    )


def score_transcript(
    transcript: Transcript,
    rubric: Rubric,
    coder: Coder,
    settings: Settings,
    method: ScoringMethod | None = None,
    backend: JudgeBackend | None = None,
) -> ScoreCard:
    """Score with ``method`` (default: the setting); the rules never need a model."""
    chosen = method or settings.scoring_method
    if chosen is ScoringMethod.RULES:
        return score(transcript, rubric, coder)
    asker = Asker(
        backend=backend or judge_backend(settings),
        prompts=PromptLibrary(settings.prompts_dir),
        attempts=settings.judge_attempts,
    )
    return asyncio.run(score_with_judge(transcript, rubric, coder, asker))
