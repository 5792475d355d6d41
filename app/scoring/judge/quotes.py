"""Evidence quotes must be words the practitioner actually said.

A model asked for quotes may tidy them: curly apostrophes, different case, a dropped comma,
an ellipsis for words left out. ``locate`` accepts those and *repairs* the quote to the
turn's own words; a quote that cannot be found (an invented one) gives None, so the caller
can reject it and ask again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

_SAME = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-"})
_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|\u2026)\s*")
_EDGE = " \t\n\"'\u2018\u2019\u201c\u201d"
MIN_MATCHED = 0.9  # share of a quote's characters that must match the turn in order
MAX_STRETCH = 1.25  # a fuzzy match may not spread over much more text than the quote


@dataclass(frozen=True)
class _Folded:
    """Text lower-cased with quotes unified and spaces collapsed, mapped back to the original."""

    text: str
    starts: list[int]  # for each folded character, where it is in the original

    @classmethod
    def of(cls, original: str) -> _Folded:
        chars: list[str] = []
        starts: list[int] = []
        for position, char in enumerate(original.translate(_SAME).lower()):
            if char.isspace():
                if not chars or chars[-1] == " ":
                    continue
                char = " "
            chars.append(char)
            starts.append(position)
        return cls("".join(chars), starts)


def locate(quote: str, text: str) -> str | None:
    """The turn's own words for ``quote``, or None if the turn does not contain it."""
    parts = [p.strip(_EDGE) for p in _ELLIPSIS.split(quote.strip(_EDGE))]
    parts = [p for p in parts if p]
    if not parts:
        return None
    folded = _Folded.of(text)
    spans: list[tuple[int, int]] = []
    start_at = 0
    for part in parts:
        span = _find(_Folded.of(part).text, folded.text, start_at)
        if span is None:
            return None
        spans.append(span)
        start_at = span[1]
    first, last = spans[0][0], spans[-1][1] - 1
    return text[folded.starts[first] : folded.starts[last] + 1].strip()


def _find(part: str, text: str, start_at: int) -> tuple[int, int] | None:
    """Where ``part`` is in ``text`` (folded, from ``start_at``): exactly, or nearly."""
    exact = text.find(part, start_at)
    if exact >= 0:
        return exact, exact + len(part)
    # Anchor on the longest shared run, then compare the quote with the text around it only.
    whole = SequenceMatcher(None, part, text[start_at:], autojunk=False)
    anchor = whole.find_longest_match(0, len(part), 0, len(text) - start_at)
    if not anchor.size:
        return None
    slack = len(part) // 4 + 2
    low = max(start_at, start_at + anchor.b - anchor.a - slack)
    high = min(len(text), start_at + anchor.b + (len(part) - anchor.a) + slack)
    near = SequenceMatcher(None, part, text[low:high], autojunk=False)
    blocks = [b for b in near.get_matching_blocks() if b.size]
    if sum(b.size for b in blocks) < MIN_MATCHED * len(part):
        return None
    begin, end = low + blocks[0].b, low + blocks[-1].b + blocks[-1].size
    if end - begin > MAX_STRETCH * len(part):
        return None
    return begin, end
