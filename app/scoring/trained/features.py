"""Features of a practitioner turn for the trained coder: pure Python, no model needed.

A turn becomes a sparse bag of named features in four blocks, each name prefixed by its block:

- ``w:`` word unigrams and bigrams, with ``<s>`` marking where a sentence starts and ``?``
  kept as a word (the opening words and the question mark carry most of the behaviour);
- ``c:`` character 2- to 5-grams inside words; optional and off by default: on AnnoMI they
  added nothing measurable (docs/coder.md) and are most of the features and the time;
- ``f:`` shape and context: sentence and question counts, length (also as buckets), where the
  last ``?`` falls, which words of the turn repeat the person's previous turn (a reflection
  reuses them: share, Jaccard overlap, share of the person's words echoed), the opening words
  of the last question, second/first-person/"we" pronoun rates, and the reflection stem
  ("it sounds like", "so you", "part of you" ...) the last sentence opens with;
- ``r:`` the rule coder's verdict: behaviour, question and reflection type, fine codes;
- ``p:`` the words of the person's previous turn (what they asked or said invites the act).

``w:`` and ``c:`` hold counts (the model turns them into TF-IDF); ``f:``, ``r:`` and ``p:``
hold values used as they are.
"""

from __future__ import annotations

import math
import re

from app.domain.coding import TurnCoding

Features = dict[str, float]

CHAR_SIZES = (2, 3, 4, 5)
_NORMALISE = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|\?")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+|--+|-\s+")
_DASHES = "-\u2013\u2014"
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# Words a counsellor often opens with that say nothing about the act that follows.
_LEAD = frozenset(
    "so and but okay ok well right alright now um uh erm er oh ah yeah yes mm hmm "
    "mhm mm-hmm uh-huh then also just".split()
)
_STOP = frozenset(
    """a an the and or but so if of to in on at for with from by as is are was were be been
    being am do does did have has had i i'm i've i'd me my you you're you've you'd your we our
    us he she they them their it it's its this that these those there here what how why when
    where who which not no yes yeah okay ok um uh mm like just really very quite kind sort
    bit little lot about can could would will should get got so then also too well right now
    more much some any all one thing things know think mean""".split()
)


def normalise(text: str) -> str:
    """Lower-case text with curly quotes made straight."""
    return (text or "").translate(_NORMALISE).lower()


def sentences(lower: str) -> list[str]:
    """The turn's sentences, split after . ! ? and at dashes and line breaks."""
    return [part.strip() for part in _SENTENCE_END.split(lower) if part.strip()]


def _content(words: list[str]) -> set[str]:
    return {w[:6] for w in words if w not in _STOP and len(w) > 2}


def word_features(parts: list[str], out: Features) -> None:
    """Unigrams and bigrams of each sentence, ``<s>`` before its first word."""
    for part in parts:
        tokens = ["<s>", *_TOKEN.findall(part)]
        for i, token in enumerate(tokens):
            if i:
                _add(out, "w:" + token)
            if i + 1 < len(tokens):
                _add(out, f"w:{token} {tokens[i + 1]}")


def char_features(lower: str, out: Features) -> None:
    """Character n-grams of each word padded with spaces, as scikit-learn's ``char_wb``."""
    for word in lower.split():
        padded = f" {word} "
        for size in CHAR_SIZES:
            for start in range(len(padded) - size + 1):
                _add(out, "c:" + padded[start : start + size])
            if len(padded) <= size:
                break


def _opening(sentence: str, count: int = 2) -> str:
    words = _WORD.findall(sentence)
    while words and words[0] in _LEAD:
        words = words[1:]
    return " ".join(words[:count]) or "-"


def shape_features(parts: list[str], lower: str, prev_lower: str, out: Features) -> None:
    """Counts, the openings of the first sentence and the last question, overlap with prev."""
    words = _WORD.findall(lower)
    questions = [part for part in parts if part.endswith("?")]
    out["f:ends?"] = float(lower.rstrip(" \"')").endswith("?"))
    out["f:questions"] = min(len(questions), 3) / 3
    out["f:sentences"] = min(len(parts), 8) / 8
    out["f:length"] = math.log1p(len(words)) / 5
    out["f:open1:" + _opening(parts[0] if parts else "", 1)] = 1.0
    out["f:open2:" + _opening(parts[0] if parts else "")] = 1.0
    if questions:
        out["f:q1:" + _opening(questions[-1], 1)] = 1.0
        out["f:q2:" + _opening(questions[-1])] = 1.0
        out["f:qlast"] = float(parts[-1].endswith("?"))
    stripped = lower.strip()
    out["f:cut_start"] = float(stripped[:1] in _DASHES)
    out["f:cut_end"] = float(stripped[-1:] in _DASHES)
    prev_words = _WORD.findall(prev_lower)
    _overlap_features(words, prev_words, out)
    _prev_features(prev_lower, out)
    _length_features(parts, lower, words, out)
    _pronoun_features(words, out)
    _stem_features(parts, out)


# Reflection stems and two-sided markers; measured in docs/coder.md ("what was tried").
STEMS = (
    "it sounds like", "sounds like", "so you", "you're feeling", "you feel", "it seems",
    "seems like", "what i'm hearing", "you're saying", "you said", "on one hand",
    "on the other hand", "and yet", "but you", "you're not sure", "you're wondering", "you want",
    "you're worried", "part of you",
)  # fmt: skip
_SECOND = frozenset("you your you're you've you'd you'll yourself".split())
_FIRST = frozenset("i me my i'm i've i'd i'll myself".split())
_WE = frozenset("we us our we're we've we'll".split())
_LENGTH_BUCKETS = (3, 8, 15, 30, 60)  # words; complex reflections run longer than simple ones


def _length_features(parts: list[str], lower: str, words: list[str], out: Features) -> None:
    """Length and sentence count as one-hot buckets, and where the last ``?`` falls."""
    bucket = sum(len(words) > edge for edge in _LENGTH_BUCKETS)
    out[f"f:lenb{bucket}"] = 1.0
    out[f"f:sents{min(len(parts), 5)}"] = 1.0
    mark = lower.rfind("?")
    if mark >= 0:
        out["f:qpos"] = mark / max(len(lower), 1)


def _pronoun_features(words: list[str], out: Features) -> None:
    """Rates of "you", "I" and "we" words: reflections talk about the person, input about us."""
    n = max(len(words), 1)
    second = sum(w in _SECOND for w in words)
    first = sum(w in _FIRST for w in words)
    out["f:you"] = second / n * 3
    out["f:me"] = first / n * 3
    out["f:we"] = sum(w in _WE for w in words) / n * 3
    out["f:you>me"] = float(second > first)


def _stem_features(parts: list[str], out: Features) -> None:
    """The reflection stem the last sentence opens with, if any. Only the last sentence: a stem
    earlier in the turn is already in the word bigrams, and marking it again pushed "It sounds
    like ... How are you coping?" towards reflection, where AnnoMI mostly codes a question."""
    last = parts[-1] if parts else ""
    for stem in STEMS:
        if last.startswith((stem, "so " + stem, "and " + stem)):
            out["f:hl:" + stem] = 1.0


def _prev_features(prev_lower: str, out: Features) -> None:
    """How the person's previous turn ended and began: asked, trailed off, short assent."""
    prev = prev_lower.strip()
    out["f:prev_asked"] = float(prev.endswith("?"))
    out["f:prev_cut"] = float(prev[-1:] in _DASHES)


def _overlap_features(words: list[str], prev_words: list[str], out: Features) -> None:
    mine, theirs = _content(words), _content(prev_words)
    out["f:prev_length"] = math.log1p(len(prev_words)) / 5
    if not prev_words:
        out["f:no_prev"] = 1.0
    if mine:
        shared = len(mine & theirs)
        out["f:reused"] = shared / len(mine)
        out["f:new_words"] = math.log1p(len(mine) - shared) / 3
        if theirs:
            out["f:jacc"] = shared / len(mine | theirs)
            out["f:prevcov"] = shared / len(theirs)
    if words:
        distinct = set(words)
        out["f:allreuse"] = len(distinct & set(prev_words)) / len(distinct)


def rule_features(coding: TurnCoding, out: Features) -> None:
    """The rule coder's verdict, one feature per label and fine code."""
    out["r:b:" + coding.behaviour.value] = 1.0
    out["r:conf"] = coding.confidence
    if coding.question_type:
        out["r:q:" + coding.question_type] = 1.0
    if coding.reflection_type:
        out["r:r:" + coding.reflection_type] = 1.0
    for code in coding.codes:
        out["r:code:" + code] = 1.0


PREV_WORD_VALUE = 0.3


def prev_word_features(prev_lower: str, out: Features) -> None:
    """Each distinct word (and ``?``) of the person's previous turn, at a small fixed value."""
    for token in sorted(set(_TOKEN.findall(prev_lower))):  # sorted: same order every run
        out["p:" + token] = PREV_WORD_VALUE


def turn_features(
    text: str, prev_text: str, coding: TurnCoding, *, chars: bool = False
) -> Features:
    """Every feature of one turn, given the person's previous turn and the rules' coding."""
    lower = normalise(text)
    prev_lower = normalise(prev_text)
    parts = sentences(lower)
    out: Features = {}
    word_features(parts, out)
    if chars:
        char_features(lower, out)
    shape_features(parts, lower, prev_lower, out)
    rule_features(coding, out)
    prev_word_features(prev_lower, out)
    return out


def _add(out: Features, name: str) -> None:
    out[name] = out.get(name, 0.0) + 1.0
