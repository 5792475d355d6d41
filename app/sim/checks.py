"""Checks on the simulated person's words, applied sentence by sentence as they stream.

A tiny local model drifts out of character ("I'm Dr Khan, a urologist", "I'm here to help
you"), rambles, gives advice, repeats its instructions, says what the person was meant to
keep back, invents clinical details ("they put me on tramadol"), or, asked to rephrase a
line, says something else. A sentence that fails a check stops generation; the engine
regenerates or says the authored line, so the conversation always continues sensibly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.sim.leaks import FactDetector
from app.sim.novelty import Vocabulary
from app.sim.text import content_stems, words

_OUT_OF_CHARACTER = re.compile(
    r"\b(as an ai|language model|ai assistant|i am an assistant|i'm an assistant|"
    r"system prompt|my instructions|these instructions|role[- ]?play|"
    r"in character|practice conversation|simulated (?:person|patient)|hidden facts?|"
    r"rephras\w*|reworded|here(?:'s| is) (?:a|the|my) (?:version|line|reply)|"
    r"i'?m (?:a |an |the )?(?:dr\.?|doctor|nurse|urologist|consultant|social worker|gp)\b|"
    r"i am (?:a |an |the )?(?:dr\.?|doctor|nurse|urologist|consultant|social worker|gp)\b|"
    r"how (?:can|may) i (?:help|assist) you|what brings you (?:here|in)|"
    r"(?:i'?m|i am) here to (?:help|assist|support) you|(?:unable|not able) to (?:assist|help)|"
    r"what (?:are|were) you looking for|sorry for your (?:loss|experience)|"
    r"^\W*dear \w+|wishing you|best wishes|kind regards|\bm\.d\.|, md\b|"
    r"i'?m (?:not )?(?:just )?an? (?:human|computer|machine|robot|magic\w*)|"
    r"sorry (?:that )?you(?:'re| are) (?:feeling|going through|affected|experiencing)|"
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
_QUOTES = "\"'“”‘’ "

# A sentence sharing this many words in a row with the prompt's own wording echoes it.
ECHO_WORDS = 5
# Longer than this, a "sentence" of everyday speech is a ramble.
MAX_SENTENCE_WORDS = 60
# A rephrased sentence with this many content words must share one with its line.
DRIFT_WORDS = 3


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


def shingles(text: str, size: int = ECHO_WORDS) -> frozenset[tuple[str, ...]]:
    """Every run of ``size`` words in ``text``."""
    tokens = words(text)
    return frozenset(tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


@dataclass(frozen=True)
class ReplyChecker:
    """Every check for one reply: character, advice, length, echo, facts old and new.

    ``detectors`` recognise the facts not yet released; ``allowed`` are the content stems
    of released facts, which the person may now use; ``instructions`` are word runs of the
    prompt templates' own wording, which the person must never repeat; ``vocabulary`` is
    what the scenario and the conversation say, so a clinical detail outside it is an
    invention (None: not checked); ``line`` holds the content stems of the authored line
    in rephrase mode, where a sentence sharing none of them has drifted off the line.
    """

    person_name: str
    detectors: tuple[FactDetector, ...] = ()
    allowed: frozenset[str] = frozenset()
    instructions: frozenset[tuple[str, ...]] = field(default_factory=frozenset)
    vocabulary: Vocabulary | None = None
    line: frozenset[str] | None = None

    def check(self, sentence: str, said: str = "") -> SentenceVerdict:
        """Judge ``sentence``, said after ``said`` (leaks can span sentences)."""
        verdict = check_sentence(sentence, person_name=self.person_name)
        if not verdict.ok:
            return verdict
        if len(sentence.split()) > MAX_SENTENCE_WORDS:
            return SentenceVerdict(False, "too long a sentence")
        if self.instructions & shingles(sentence):
            return SentenceVerdict(False, "echoes its instructions")
        text = f"{said} {sentence}"
        for detector in self.detectors:
            evidence = detector.evidence(text, self.allowed)
            if evidence:
                return SentenceVerdict(
                    False, f"gives away unreleased fact '{detector.fact_id}' ({evidence})"
                )
        if self.line is not None and _drifts(sentence, self.line):
            return SentenceVerdict(False, "drifts from the line it was asked to say")
        novel = self.vocabulary.novel(sentence) if self.vocabulary is not None else []
        if novel:
            return SentenceVerdict(
                False, "adds a clinical detail not in the scenario (" + ", ".join(novel) + ")"
            )
        return SentenceVerdict(True)


def _drifts(sentence: str, line: frozenset[str]) -> bool:
    """A sentence of some length that shares no content word with the line to rephrase."""
    stems = content_stems(sentence)
    return len(stems) >= DRIFT_WORDS and not stems & line


def strip_speaker_label(text: str) -> str:
    """Drop a leading ``Name:`` label that small models like to write."""
    return _SPEAKER_LABEL.sub("", text, count=1)


def tidy(sentence: str) -> str:
    """A sentence without the quotes a model wraps a rephrased line in."""
    return sentence.strip().strip(_QUOTES)


def split_complete_sentences(buffer: str) -> tuple[list[str], str]:
    """Split off the finished sentences of ``buffer``; return them and the unfinished rest."""
    parts = _SENTENCE_END.split(buffer)
    return [part for part in parts[:-1] if part.strip()], parts[-1]
