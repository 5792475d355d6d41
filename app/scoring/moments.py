"""A transcript as the rubric rules see it: each turn's codes, with the words behind them.

Practitioner turns are coded by the coder, unless the caller already has their codes (the
LLM judge's, say). Each practitioner turn keeps the person's reaction: their next turn, if
they spoke next (DESIGN.md section 6). Person turns carry no codes in the score card;
for the rules only, a person turn with a question in it is marked ``person_asks``, so that
"advice the person asked for" can be told from unasked-for advice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from app.domain.coding import TurnCoding
from app.domain.conversation import Speaker
from app.domain.rubric_rules import PERSON_ASKS
from app.domain.scorecard import CodedTurn, Quote
from app.domain.transcript import Transcript
from app.sim.engine import Coder

_QUESTION = re.compile(r"[^.!?]*\?")
_QUOTE_CHARS = 80


@dataclass(frozen=True)
class Moment:
    """One turn: who spoke, its codes and the words that evidence each code."""

    index: int
    practitioner: bool
    text: str
    codes: frozenset[str] = frozenset()
    evidence: Mapping[str, str] = field(default_factory=dict)
    reaction: str | None = None

    def has(self, codes: Iterable[str]) -> bool:
        """Whether the turn carries any of ``codes``."""
        return not self.codes.isdisjoint(codes)

    def quote(self, codes: Iterable[str]) -> Quote:
        """The words for the first of ``codes`` this turn carries (or its opening words)."""
        code = next((c for c in codes if c in self.codes), "")
        words = _shorten(self.evidence.get(code) or self.text)
        return Quote(turn=self.index, code=code, words=words, reaction=self.reaction)


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _QUOTE_CHARS else text[: _QUOTE_CHARS - 3].rstrip() + "..."


def code_transcript(
    transcript: Transcript, coder: Coder, codings: Mapping[int, TurnCoding] | None = None
) -> tuple[list[CodedTurn], list[Moment]]:
    """Code every practitioner turn against the person's previous words.

    A turn whose index is in ``codings`` keeps that coding; the coder codes the rest.
    """
    turns: list[CodedTurn] = []
    moments: list[Moment] = []
    previous = ""
    for index, turn in enumerate(transcript.turns):
        if turn.speaker is Speaker.PERSON:
            turns.append(CodedTurn(index=index, speaker=turn.speaker, text=turn.text))
            moments.append(_person_moment(index, turn.text))
            previous = turn.text
            continue
        coding = (codings or {}).get(index) or coder.code(turn.text, previous)
        reaction = reaction_to(transcript, index)
        turns.append(
            CodedTurn(
                index=index,
                speaker=turn.speaker,
                text=turn.text,
                codes=list(coding.codes),
                evidence=dict(coding.evidence),
                method=coding.method,
                reaction=reaction,
            )
        )
        moments.append(
            Moment(index, True, turn.text, frozenset(coding.codes), dict(coding.evidence), reaction)
        )
    return turns, moments


def reaction_to(transcript: Transcript, index: int) -> str | None:
    """The person's words right after turn ``index``, or None if they did not speak next."""
    following = transcript.turns[index + 1] if index + 1 < len(transcript.turns) else None
    if following is None or following.speaker is not Speaker.PERSON:
        return None
    return following.text


def _person_moment(index: int, text: str) -> Moment:
    asked = _QUESTION.search(text)
    if asked is None:
        return Moment(index, False, text)
    return Moment(
        index, False, text, frozenset({PERSON_ASKS}), {PERSON_ASKS: asked.group(0).strip()}
    )
