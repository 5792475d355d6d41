"""Checks on the simulated person's words, applied sentence by sentence as they stream.

A tiny local model drifts out of character ("I'm Dr Khan, a urologist", "I'm here to help
you"), rambles, gives advice, repeats its instructions, says what the person was meant to
keep back, invents clinical details ("they put me on tramadol"), or, asked to rephrase a
line, says something else. A sentence that fails a check stops generation; the engine
regenerates or says the authored line, so the conversation always continues sensibly.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from app.sim.identity import Identity, contradiction, third_person_self
from app.sim.leaks import FactDetector
from app.sim.novelty import Vocabulary
from app.sim.text import STOP_WORDS, content_stems, normalise, split_sentences, words

_OUT_OF_CHARACTER = re.compile(
    r"\b(as an ai|language model|ai assistant|i am an assistant|i'm an assistant|"
    r"system prompt|my instructions|these instructions|role[- ]?play|"
    r"in character|practice conversation|simulated (?:person|patient)|hidden facts?|"
    r"rephras\w*|reworded|here(?:'s| is) (?:a |an |the |my )?(?:possible |sample |suggested |"
    r"revised |new )?(?:version|line|reply|response|answer)|possible (?:answer|response)|"
    # The turn note's own words ("Right now you feel heard.").
    r"right now you feel|you feel listened to|"
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
# A chat template's own tokens, which a base model writes as text.
_TEMPLATE_TOKEN = re.compile(r"<\|\w*|<(?:start|end)_of_turn>|<eos>|</s>")
_STAGE_DIRECTION = re.compile(
    r"^\s*[(\[*]\s*(?:[a-z]+ly|narrat\w*|sigh\w*|laugh\w*|paus\w*|smil\w*|(?:he|she|they) )",
    re.IGNORECASE,
)
_ADVICE = re.compile(
    r"\b(i (?:would )?recommend|i(?:'d| would) advise|you should (?:take|have|try|see|get)|"
    r"the (?:best|recommended) treatment is)\b",
    re.IGNORECASE,
)
_SPEAKER_LABEL = re.compile(r"^\s*\**\s*(?P<label>[^:\n*]{1,40}?)\s*\**\s*:\s*\**\s*")
_LABEL_WORD = re.compile(r"[A-Z][\w.'\u2019-]*")
# A speaker label is a name or a role of one to three words ("Graham", "Jackie Dawson").
LABEL_WORDS = 3
_QUOTES = "\"'“”‘’ "

# A sentence sharing this many words in a row with the prompt's own wording echoes it.
ECHO_WORDS = 5
# Longer than this, a "sentence" of everyday speech is a ramble.
MAX_SENTENCE_WORDS = 60
# A sentence of at least this many words said again in one reply repeats itself ...
REPEAT_WORDS = 3
# ... and one with a run of this many words coming LOOPS times loops ("the risks, the
# risks, the risks").
LOOP_WORDS = 2
LOOPS = 3


@dataclass(frozen=True)
class SentenceVerdict:
    """Whether one sentence may be said, and if not, why."""

    ok: bool
    problem: str = ""


def check_sentence(sentence: str, *, person_name: str) -> SentenceVerdict:
    """Refuse a sentence that breaks character or gives clinical advice."""
    if _OUT_OF_CHARACTER.search(sentence) or _TEMPLATE_TOKEN.search(sentence):
        return SentenceVerdict(False, "out of character")
    if _STAGE_DIRECTION.search(sentence):
        return SentenceVerdict(False, "a stage direction")
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
    invention (None: not checked); ``line`` is the authored line in rephrase mode, which
    each sentence must keep to (``drifts``);
    ``identity`` is who the person is (name, age), which a sentence must not contradict.
    """

    person_name: str
    detectors: tuple[FactDetector, ...] = ()
    allowed: frozenset[str] = frozenset()
    instructions: frozenset[tuple[str, ...]] = field(default_factory=frozenset)
    vocabulary: Vocabulary | None = None
    line: LineWords | None = None
    identity: Identity | None = None

    def check(self, sentence: str, said: str = "") -> SentenceVerdict:
        """Judge ``sentence``, said after ``said`` (leaks can span sentences)."""
        verdict = check_sentence(sentence, person_name=self.person_name)
        if not verdict.ok:
            return verdict
        if len(sentence.split()) > MAX_SENTENCE_WORDS:
            return SentenceVerdict(False, "too long a sentence")
        if self.identity is not None:
            contrary = contradiction(sentence, self.identity)
            if contrary:
                return SentenceVerdict(False, f"contradicts the scenario ({contrary})")
            if third_person_self(sentence, self.identity):
                return SentenceVerdict(False, "talks about the person in the third person")
        if self.instructions & shingles(sentence):
            return SentenceVerdict(False, "echoes its instructions")
        text = f"{said} {sentence}"
        for detector in self.detectors:
            evidence = detector.evidence(text, self.allowed)
            if evidence:
                return SentenceVerdict(
                    False, f"gives away unreleased fact '{detector.fact_id}' ({evidence})"
                )
        if repeats(sentence, said):
            return SentenceVerdict(False, "repeats itself")
        if self.line is not None and drifts(sentence, self.line):
            return SentenceVerdict(False, "drifts from the line it was asked to say")
        novel = self.vocabulary.novel(sentence) if self.vocabulary is not None else []
        if novel:
            return SentenceVerdict(
                False, "adds a clinical detail not in the scenario (" + ", ".join(novel) + ")"
            )
        return SentenceVerdict(True)


@dataclass(frozen=True)
class LineWords:
    """The authored line a rephrase must keep to: its words and its content stems."""

    words: frozenset[str]
    stems: frozenset[str]

    @classmethod
    def of(cls, line: str) -> LineWords:
        """The words and content stems of ``line``."""
        return cls(frozenset(words(line)), content_stems(line))


def drifts(sentence: str, line: LineWords) -> bool:
    """A rephrased sentence that is mostly not about its line.

    At least half of the sentence's content words must come from the line (a rephrase
    keeps the line's meaning); a sentence without content words must be made of the line's
    own words ("I was.", "Thank you."). The persona-mode study found small models' nonsense
    ("I'm dying of love.") passing a looser rule; the cost of this one is an occasional
    faithful paraphrase with new words, which falls back to the line itself.
    """
    stems = content_stems(sentence)
    if not stems:
        return bool(line.stems) and not set(words(sentence)) <= line.words
    return len(stems & line.stems) * 2 < len(stems)


def repeats(sentence: str, said: str) -> bool:
    """The sentence says again what was just said, or loops ("a bit of a bit of a bit")."""
    tokens = words(sentence)
    if len(tokens) >= REPEAT_WORDS and " ".join(tokens) in " ".join(words(said)):
        return True
    runs = [tuple(tokens[i : i + LOOP_WORDS]) for i in range(len(tokens) - LOOP_WORDS + 1)]
    return any(count >= LOOPS for count in Counter(runs).values())


def strip_speaker_label(text: str) -> str:
    """Drop a leading ``Name:`` label that small models like to write.

    Only a real label goes: one to three capitalised words that are not everyday words
    ("Graham:", "Patient:", "Jackie Dawson:"). A clause ending in a colon ("What I'd tell
    Pat: ...") is part of what the person says.
    """
    match = _SPEAKER_LABEL.match(text)
    if match is None or not _is_label(match.group("label")):
        return text
    return text[match.end() :]


def _is_label(label: str) -> bool:
    parts = label.split()
    return (
        0 < len(parts) <= LABEL_WORDS
        and all(_LABEL_WORD.fullmatch(part) for part in parts)
        and not any(normalise(part) in STOP_WORDS for part in parts)
    )


def tidy(sentence: str) -> str:
    """A sentence without the quotes a model wraps a rephrased line in."""
    return sentence.strip().strip(_QUOTES)


def split_complete_sentences(buffer: str) -> tuple[list[str], str]:
    """Split off the finished sentences of ``buffer``; return them and the unfinished rest."""
    parts = split_sentences(buffer)
    return [part for part in parts[:-1] if part.strip()], parts[-1]
