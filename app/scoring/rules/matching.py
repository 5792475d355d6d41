"""Compiled cue patterns, with the words each one cannot match without, so that most
patterns are skipped by a cheap substring test."""

from __future__ import annotations

import re
from dataclasses import dataclass
from re import Pattern

_RE_CLASS = re.compile(r"\[(?:[^\]\\]|\\.)*\](?:[?*+]|\{[^}]*\})?\??")
_RE_ESCAPE = re.compile(r"\\.(?:[?*+]|\{[^}]*\})?\??")
_RE_GROUP = re.compile(r"\((?:[^()\\]|\\.)*\)(?:[?*+]|\{[^}]*\})?\??")
_RE_OPTIONAL_CHAR = re.compile(r".(?:[?*]|\{[^}]*\})\??")
_RE_META = re.compile(r"[\0.^$+?*{}()\[\]\\|]")


def _required_literal(sequence: str) -> str:
    """The longest run of plain text outside groups, classes and optional characters."""
    s = _RE_CLASS.sub("\0", sequence)
    s = _RE_ESCAPE.sub("\0", s)
    previous = None
    while previous != s:
        previous, s = s, _RE_GROUP.sub("\0", s)
    if "|" in s:
        return ""
    s = _RE_OPTIONAL_CHAR.sub("\0", s)
    return max(_RE_META.split(s), key=len).strip().lower()


def _top_level(pattern: str) -> tuple[list[str], list[str]]:
    """The pattern's top-level branches, and the bodies of its top-level groups that must match."""
    branches: list[str] = []
    groups: list[str] = []
    depth, in_class, start, group_start, i = 0, False, 0, 0, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 1
        elif in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            group_start = i if depth == 0 else group_start
            depth += 1
        elif c == ")":
            depth -= 1
            optional = pattern[i + 1 : i + 2] in ("?", "*") or pattern.startswith("{0", i + 1)
            body = pattern[group_start + 1 : i]
            if depth == 0 and not optional and not body.startswith(("?!", "?=", "?<")):
                groups.append(re.sub(r"^\?[a-zA-Z-]*:", "", body))
        elif c == "|" and depth == 0:
            branches.append(pattern[start:i])
            start = i + 1
        i += 1
    branches.append(pattern[start:])
    return branches, groups


def required_words(pattern: str) -> tuple[str, ...]:
    """Lower-cased words of which every match of `pattern` contains at least one; () if unknown.

    Read off the pattern itself: a plain run of text outside groups, or else the branches of a
    group that must match. Used to skip a pattern's search when none of its words is present.
    """
    branches, groups = _top_level(pattern)
    if len(branches) > 1:
        words: list[str] = []
        for branch in branches:
            needed = required_words(branch)
            if not needed:
                return ()
            words.extend(needed)
        return tuple(dict.fromkeys(words))
    literal = _required_literal(pattern)
    options: list[tuple[str, ...]] = [(literal,)] if literal else []
    options += [needed for needed in map(required_words, groups) if needed]
    return max(options, key=lambda words: min(map(len, words)), default=())


@dataclass(frozen=True)
class Cue:
    """One code's compiled alternatives, and the words that must appear for any to match."""

    code: str
    pattern: Pattern[str]
    needs: tuple[str, ...] | None  # None: no cheap test, always search
    strong: bool = True
    cased: bool = False  # matched against the text as written, not lower-cased

    def may_match(self, lower: str) -> bool:
        return self.needs is None or any(map(lower.__contains__, self.needs))

    def search(self, norm: str, lower: str) -> re.Match[str] | None:
        """The first match, with offsets valid in both `norm` and its lower-case form."""
        if not self.may_match(lower):
            return None
        return self.pattern.search(norm if self.cased else lower)

    def starts(self, norm: str, lower: str) -> list[int]:
        if not self.may_match(lower):
            return []
        return [m.start() for m in self.pattern.finditer(norm if self.cased else lower)]


def compile_cue(code: str, alternatives: tuple[str, ...], *, strong: bool, cased: bool) -> Cue:
    if cased:
        pattern = re.compile("|".join(f"(?:{a})" for a in alternatives))
    else:
        # Lower-cased patterns run on lower-cased text: faster than IGNORECASE.
        if any(re.search(r"\\[A-Z]", a) for a in alternatives):
            raise ValueError(f"{code}: an upper-case escape would change meaning when lowered")
        pattern = re.compile(r"\b(?:" + "|".join(alternatives).lower() + ")")
    needs = [required_words(a) for a in alternatives]
    words = {w for n in needs for w in n}
    # A word that contains another needed word adds nothing to the test.
    kept = tuple(sorted(w for w in words if not any(o != w and o in w for o in words)))
    return Cue(code, pattern, kept if all(needs) else None, strong, cased)
