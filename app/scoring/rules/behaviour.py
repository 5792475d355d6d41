"""The turn's main act (AnnoMI's top-level behaviour) and reflection type, from the acts of
its sentences and the fine codes found."""

from __future__ import annotations

import re

from app.domain.coding import Behaviour
from app.scoring.rules.codebook import INPUT_CODES, SOCIAL_CODES, TRAILER_CODES
from app.scoring.rules.cues import CUES
from app.scoring.rules.found import Found, same
from app.scoring.rules.text import FEELING_RE, Sentence, content_words

_I = re.IGNORECASE
RESOURCE = re.compile(r"touch|refer", _I)


def mark_input(sentences: list[Sentence], norm: str, lower: str, found: Found) -> None:
    """Statements, and reflections without a stem, that carry information or advice."""
    starts: list[int] = []
    for cue in CUES:
        if cue.strong and cue.code in INPUT_CODES and cue.code in found.evidence:
            starts.extend(cue.starts(norm, lower))
    for sent in sentences:
        if sent.act == "statement" or (sent.act == "reflection" and not sent.stem):
            if any(sent.start <= pos < sent.end for pos in starts):
                sent.act = "input"


def reflection_type(sentences: list[Sentence], prev_norm: str) -> str:
    """Complex when the reflection adds meaning or feeling; simple when it repeats the person."""
    refl = [s for s in sentences if s.act == "reflection"]
    text = " ".join(s.text for s in refl)
    prev_lower = prev_norm.lower()
    if any(s.complex_stem for s in refl):
        return "complex"
    if any(m.group(0).lower() not in prev_lower for m in FEELING_RE.finditer(text)):
        return "complex"  # names a feeling the person did not
    if re.search(r"\b(?:as if|as though|like a|like an)\b", text, _I):
        return "complex"  # a metaphor or simile
    words = content_words(text)
    prev_words = content_words(prev_norm)
    if len(prev_words) < 3 or not words:
        return "simple"  # nothing to compare with: without added cues it is simple
    overlap = len(words & prev_words) / len(words)
    return "simple" if overlap >= 0.3 else "complex"


def main_act(sentences: list[Sentence], found: Found) -> tuple[Behaviour, float]:
    """The turn's main act and how sure the rules are of it."""
    words = {"question": 0, "reflection": 0, "input": 0, "statement": 0, "other": 0}
    for sent in sentences:
        words[sent.act] += sent.words
    questions = [s for s in sentences if s.act == "question"]
    reflections = [s for s in sentences if s.act == "reflection"]
    if questions:
        trailer_only = all(_is_trailer(q, found) for q in questions)
        if trailer_only and words["input"] > words["question"]:
            return Behaviour.THERAPIST_INPUT, 0.7
        return Behaviour.QUESTION, 0.9 if questions[-1] is sentences[-1] else 0.75
    if reflections and words["reflection"] >= words["input"]:
        return Behaviour.REFLECTION, 0.85 if any(r.stem for r in reflections) else 0.6
    if words["input"]:
        return Behaviour.THERAPIST_INPUT, 0.8 if not reflections else 0.6
    if words["statement"] >= 8 and not _social_only(found):
        return Behaviour.THERAPIST_INPUT, 0.5  # a longer statement with no cue: information
    return Behaviour.OTHER, 0.6 if words["statement"] else 0.9


def _social_only(found: Found) -> bool:
    """Whether a statement's codes are all social talk; pointing to resources is information."""
    signpost = found.evidence.get("signposting", "")
    if "signposting" in found.weak or RESOURCE.search(signpost):
        return False
    return bool(found.evidence) and set(found.evidence) <= SOCIAL_CODES


def _is_trailer(question: Sentence, found: Found) -> bool:
    low = question.text.lower()
    return any(same(found.evidence.get(code, "\0")) in low for code in TRAILER_CODES)
