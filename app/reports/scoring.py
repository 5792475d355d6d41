"""Say in words which method produced a report's codes and levels (the card's ``scoring``).

A report must say where its judgements came from: the local coder and the rubric's rules, or
the LLM judge (and which model), and any fallback from one to the other.
"""

from __future__ import annotations

from typing import Literal

from app.domain.scorecard import ScoreCard
from app.reports.model import ScoringView

Status = Literal["done", "pending", "failed"]
_CODERS = {
    "rules": "the rule coder",
    "trained": "the trained coder",
    "trained+rules": "the trained coder (with the rule coder's fine codes)",
}


def scoring_view(card: ScoreCard, status: Status = "done") -> ScoringView:
    """The card's scoring methods in plain words, with its notes."""
    info = card.scoring
    return ScoringView(
        status=status,
        requested=info.requested,
        codes_by=coded_by(card.coder, info.model),
        levels_by=_judge(info.model) if info.criteria == "judge" else "the rubric's rules",
        notes=list(info.notes),
    )


def coded_by(coder: str, model: str | None) -> str:
    """'the trained coder', 'the LLM judge (gpt-x)', or both where each coded some turns."""
    parts = coder.split("+")
    if "judge" not in parts:
        return _CODERS.get(coder, f"the {coder} coder")
    rest = "+".join(part for part in parts if part != "judge")
    return _judge(model) + (f" and {coded_by(rest, model)}" if rest else "")


def _judge(model: str | None) -> str:
    return f"the LLM judge ({model})" if model else "the LLM judge"
