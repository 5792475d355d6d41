"""The codes found in one turn so far, with the words that evidence each."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.scoring.rules.text import NORMALISE


@dataclass
class Found:
    """Codes found in a turn, with evidence, and those that only weak cues gave."""

    evidence: dict[str, str] = field(default_factory=dict)
    weak: set[str] = field(default_factory=set)

    def add(self, code: str, words: str, *, strong: bool = True) -> None:
        if code in self.evidence:
            if strong and code in self.weak:
                self.weak.discard(code)
                self.evidence[code] = words.strip()
            return
        self.evidence[code] = words.strip()
        if not strong:
            self.weak.add(code)

    def drop(self, code: str) -> None:
        self.evidence.pop(code, None)
        self.weak.discard(code)


def same(evidence: str) -> str:
    """Evidence (quoted from the original) as it reads in the normalised, lower-cased text."""
    return evidence.translate(NORMALISE).lower()
