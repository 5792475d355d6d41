"""Text helpers shared by the rules: normalising, words, feelings and sentences."""

from __future__ import annotations

import re
from dataclasses import dataclass

_I = re.IGNORECASE
# Curly quotes map one character to one character, so match spans in the normalised text are
# also spans in the original text and evidence is quoted exactly.
NORMALISE = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


# --- words -----------------------------------------------------------------------------------

FEELING = (
    r"worried|worry(?:ing)?|anxious|anxiety|scared|frightened|frightening|afraid|fearful|"
    r"upset(?:ting)?|frustrat\w*|angry|sad|overwhelm\w*|stressed|stressful|embarrass\w*|"
    r"ashamed|guilty|relieved|torn|hopeless|helpless|lonely|isolated|nervous|confused|"
    r"fed up|annoyed|disappointed|excited|hopeful|proud|exhausted|worn out|unsure|uneasy|"
    r"concerned|shocked|devastated|uncertain|trapped|apprehensive|reluctant|ambivalent|"
    r"conflicted|not sure|tired of|sick of|struggling|daunting|daunted|terrified|panick\w*"
)
FEELING_RE = re.compile(rf"\b(?:{FEELING})\b", _I)
WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?", _I)
SECOND_PERSON = re.compile(r"\byou(?:'re|'ve|'d|'ll|r|rs|rself)?\b", _I)
FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|i'd|i'll|me|my|we|we're|we'll|we've|we'd|us|our)\b", _I)
_STOP = frozenset(
    """a an the and or but so if of to in on at for with from by as is are was were be been
    being am do does did have has had having i i'm i've i'd me my you you're you've you'd your
    yours we our us he she they them their it it's its this that these those there here what
    how why when where who which not no yes yeah okay ok um uh mm like just really very quite
    kind sort bit little lot about can could would will should shall may might must get got
    sounds sound seems seem feel feeling feels so then also too well right now still more
    much some any all one thing things say said saying mean know think""".split()
)


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def content_words(text: str) -> set[str]:
    words = (w.lower() for w in WORD.findall(text))
    return {_stem(w) for w in words if w not in _STOP and len(w) > 2}


# --- sentences and their acts ----------------------------------------------------------------


@dataclass
class Sentence:
    text: str  # normalised text
    start: int  # offset in the turn
    act: str = "other"  # question / reflection / input / statement / other
    qtype: str = ""  # open / closed, for a question
    stem: str = ""  # the reflection stem that matched, if any
    complex_stem: bool = False
    words: int = 0

    @property
    def end(self) -> int:
        return self.start + len(self.text)


_BOUNDARY = re.compile(r"[.!?]+[\"')\]]*(?=\s|$)|\n+")
_ABBREVIATION = re.compile(r"\b(?:Dr|Mr|Mrs|Ms|Prof|vs|etc|e\.g|i\.e|approx|St)\.$", _I)


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with their offsets; abbreviations such as "Dr." do not end one."""
    out: list[Sentence] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        if m.group(0)[0] == "." and _ABBREVIATION.search(text, max(0, m.start() - 5), m.end()):
            continue
        _add_sentence(out, text, start, m.end())
        start = m.end()
    _add_sentence(out, text, start, len(text))
    return out


def _add_sentence(out: list[Sentence], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if stripped:
        out.append(Sentence(text=stripped, start=start + chunk.index(stripped)))


def lower_same_length(norm: str) -> str:
    """Lower-case text with the same length, so offsets carry over to the original."""
    lower = norm.lower()
    if len(lower) == len(norm):
        return lower
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in norm)
