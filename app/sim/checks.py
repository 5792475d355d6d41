"""Checks on the simulated person's words, applied sentence by sentence as they stream.

A tiny local model drifts out of character ("I'm Dr Khan, a urologist"), rambles, or gives
advice. A sentence that fails a check stops generation and the authored line is used, so
the conversation always continues sensibly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_OUT_OF_CHARACTER = re.compile(
    r"\b(as an ai|language model|ai assistant|i am an assistant|i'm an assistant|"
    r"system prompt|my instructions|these instructions|role[- ]?play|"
    r"i'?m (?:a |an |the )?(?:dr\.?|doctor|nurse|urologist|consultant|social worker|gp)\b|"
    r"i am (?:a |an |the )?(?:dr\.?|doctor|nurse|urologist|consultant|social worker|gp)\b|"
    r"how can i (?:help|assist) you|what brings you (?:here|in)|"
    r"my (?:patient|client)s?\b)",
    re.IGNORECASE,
)
_ADVICE = re.compile(
    r"\b(i (?:would )?recommend|i(?:'d| would) advise|you should (?:take|have|try|see|get)|"
    r"the (?:best|recommended) treatment is)\b",
    re.IGNORECASE,
)
_SPEAKER_LABEL = re.compile(r"^\s*\**\s*[A-Z][\w .'-]{0,40}:\s*\**\s*")
_SENTENCE_END = re.compile(r"(?:(?<=[.!?…])|(?<=[.!?…][\"')\]]))\s+")


@dataclass(frozen=True)
class SentenceVerdict:
    """Whether one sentence may be said, and if not, why."""

    ok: bool
    problem: str = ""


def check_sentence(sentence: str, *, person_name: str) -> SentenceVerdict:
    """Refuse a sentence that breaks character or gives clinical advice."""
    if _OUT_OF_CHARACTER.search(sentence):
        return SentenceVerdict(False, "out of character")
    if _ADVICE.search(sentence):
        return SentenceVerdict(False, "clinical advice from the person")
    return SentenceVerdict(True)


def strip_speaker_label(text: str) -> str:
    """Drop a leading ``Name:`` label that small models like to write."""
    return _SPEAKER_LABEL.sub("", text, count=1)


def split_complete_sentences(buffer: str) -> tuple[list[str], str]:
    """Split off the finished sentences of ``buffer``; return them and the unfinished rest."""
    parts = _SENTENCE_END.split(buffer)
    return [part for part in parts[:-1] if part.strip()], parts[-1]
