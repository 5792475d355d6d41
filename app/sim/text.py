"""Small text helpers shared by the engine's rules and checks: words, stems, phrases.

Deliberately crude and fast (every check runs on every streamed sentence): lower-case
words, a suffix-stripping stem so "worried" meets "worry", and whole-word phrase search.
"""

from __future__ import annotations

import re
from functools import lru_cache

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_NORMALISE = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})

STOP_WORDS = frozenset(
    """a an the and or but so if of to in on at for with from by as is are was were be been
    being am do does did have has had having i i'm i've i'd i'll me my mine myself you you're
    you've you'd you'll your yours yourself we our us he he's him his she she's her hers they
    them their it it's its this that these those there here what how why when where who whom
    which not no yes yeah okay ok um uh mm oh like just really very quite kind sort bit little
    lot lots about can can't could couldn't would wouldn't will won't should shall may might
    must get got gets go goes going gone sounds sound seems seem feel feeling feels felt so
    then also too well right now still more much some any all one thing things say said
    saying mean know think thought want wanted make made take even only ever never always
    something anything nothing everything someone anyone back out up down over off into than
    don't doesn't didn't isn't aren't wasn't weren't haven't hasn't hadn't let let's
    honest honestly fair pretty told tell telling few most last time times anyone everyone
    people today day""".split()
)


def normalise(text: str) -> str:
    """Lower case with straight quotes, so "don’t" and "don't" match."""
    return text.translate(_NORMALISE).lower()


def words(text: str) -> list[str]:
    """The words of ``text``, lower case."""
    return _WORD.findall(normalise(text))


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """A crude stem: 'worried', 'worries' and 'worry' all become 'worr'."""
    for suffix in ("ing", "ied", "ies", "ed", "es", "s", "ly", "y"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def content_stems(text: str) -> frozenset[str]:
    """Stems of the words that carry meaning (no stop words, no words under three letters)."""
    return frozenset(stem(w) for w in words(text) if w not in STOP_WORDS and len(w) > 2)


@lru_cache(maxsize=4096)
def phrase_pattern(phrase: str) -> re.Pattern[str]:
    """A pattern finding ``phrase`` at a word start, as scripted cues are matched."""
    return re.compile(rf"\b{re.escape(normalise(phrase).strip())}")


def first_mention(text: str, phrases: list[str] | tuple[str, ...]) -> str | None:
    """The first of ``phrases`` found in ``text`` (case-insensitive, at a word start)."""
    lowered = normalise(text)
    return next((p for p in phrases if phrase_pattern(p).search(lowered)), None)


# A sentence ends at ., !, ? or a pause ("..." or "\u2026"), closing quotes included.
_BREAK = re.compile(r"(\.\.\.|\u2026|[.!?])([\"'\u201d\u2019)\]]*)(\s+)")
_PAUSES = ("...", "\u2026")
_DASHES = "-\u2013\u2014"


def split_sentences(text: str) -> list[str]:
    """``text`` cut after each sentence end; the last part is what follows the last end.

    A pause ("..." or "\u2026") ends a sentence only when a new one starts after it: one
    followed by a lower-case word or a dash ("I was... well, I was scared") is a pause
    within the sentence, and one at the very end of ``text`` is undecided (a streamed
    reply may go on in lower case), so it stays in the last part.
    """
    parts: list[str] = []
    start = 0
    for match in _BREAK.finditer(text):
        if match.group(1) in _PAUSES:
            following = text[match.end() : match.end() + 1]
            if not following or following.islower() or following in _DASHES:
                continue
        parts.append(text[start : match.start(3)])
        start = match.end()
    parts.append(text[start:])
    return parts


def first_sentences(text: str, limit: int) -> str:
    """The first ``limit`` sentences of ``text``."""
    parts = [part for part in split_sentences(text.strip()) if part]
    return " ".join(parts[:limit])
