"""The cue table: every code family's patterns, compiled once at import."""

from __future__ import annotations

from app.scoring.rules import information, options, person, pressure, relational, structure
from app.scoring.rules.codebook import CODE_ORDER
from app.scoring.rules.matching import Cue, compile_cue

FAMILIES = (structure, relational, information, options, person, pressure)


def _merge(kind: str) -> dict[str, tuple[str, ...]]:
    """One family's table of each kind, merged; a code belongs to one family only."""
    merged: dict[str, tuple[str, ...]] = {}
    for family in FAMILIES:
        table: dict[str, tuple[str, ...]] = getattr(family, kind)
        for code, alternatives in table.items():
            if code in merged:
                raise ValueError(f"{code}: cues in two families")
            merged[code] = alternatives
    return merged


_CUES = _merge("STRONG")
_CASED_CUES = _merge("CASED")
_WEAK_CUES = _merge("WEAK")


def _build_cues() -> tuple[Cue, ...]:
    cues: list[Cue] = []
    for code in CODE_ORDER:
        if code in _CUES:
            cues.append(compile_cue(code, _CUES[code], strong=True, cased=False))
        if code in _CASED_CUES:
            cues.append(compile_cue(code, _CASED_CUES[code], strong=True, cased=True))
        if code in _WEAK_CUES:
            cues.append(compile_cue(code, _WEAK_CUES[code], strong=False, cased=False))
    return tuple(cues)


CUES = _build_cues()
