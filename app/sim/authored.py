"""The scenario's own line for this moment: what the scripted provider says, what a model
rephrases, and what any model falls back to.

The choice follows the same rules as the persona state: a role break gets a deflection, a
fact released this turn gets its line, a guarded person reacts only to *how* they were
spoken to (lines chosen by codes) or gives a guarded line, an open person gets the warmer
lines. A line that would give away an unreleased fact is never chosen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from app.domain.conversation import Speaker, Turn
from app.domain.persona_state import Band, PersonaStep, StateDefaults
from app.domain.scenario import Scenario, ScriptedLine
from app.sim.text import first_mention, first_sentences


@dataclass(frozen=True)
class Authored:
    """An authored line and which rule chose it (shown to trainers).

    ``text`` is what may be said now (cut to the band's sentence limit); ``line`` is the
    line as written, which is what is remembered as said, so a line longer than the limit
    still counts as said and the next turn moves on.
    """

    text: str
    source: str
    line: str = ""


def sentence_limit(scenario: Scenario, band: Band | None, rules: StateDefaults) -> int:
    """How many sentences the person says in this band: fewer when guarded."""
    limit = scenario.person.reply_sentences
    return min(limit, rules.guarded_sentences) if band is Band.GUARDED else limit


def choose_authored(
    scenario: Scenario,
    history: list[Turn],
    step: PersonaStep | None,
    rules: StateDefaults,
    leaks: Callable[[str], bool],
) -> Authored:
    """The authored line for the reply to the last turn of ``history``."""
    chosen = _choose(scenario, history, step, rules, leaks)
    limit = sentence_limit(scenario, step.band if step else None, rules)
    return Authored(first_sentences(chosen.text, limit), chosen.source, chosen.text)


def _choose(
    scenario: Scenario,
    history: list[Turn],
    step: PersonaStep | None,
    rules: StateDefaults,
    leaks: Callable[[str], bool],
) -> Authored:
    said = _Said(history)
    if step is not None and step.role_break:
        lines = scenario.scripted.deflect or rules.deflect
        return Authored(said.least_recent(lines), "deflect")
    if step is not None and step.released:
        fact = scenario.hidden_fact(step.released[0].id)
        if fact is not None:
            return Authored(fact.say, f"released {fact.id}")
    band = step.band if step is not None else None
    last = next((t for t in reversed(history) if t.speaker is Speaker.PRACTITIONER), None)
    if last is not None:
        cued = [line.say for line in _cued(scenario, last, band) if not leaks(line.say)]
        if cued:
            return Authored(said.least_recent(cued), "cued line")
    pool, source = _pool(scenario, band)
    safe = [line for line in pool if not leaks(line)] or list(scenario.scripted.fallback)
    return Authored(said.least_recent(safe), source)


def _cued(scenario: Scenario, turn: Turn, band: Band | None) -> list[ScriptedLine]:
    """Lines fitting the turn; a guarded person answers only to how they were spoken to."""
    if band is Band.GUARDED:
        return [line for line in scenario.scripted.lines if set(line.codes) & set(turn.codes)]
    return [line for line in scenario.scripted.lines if _matches(line, turn)]


def _matches(line: ScriptedLine, turn: Turn) -> bool:
    if line.cues and first_mention(turn.text, line.cues) is not None:
        return True
    return bool(set(line.codes) & set(turn.codes))


def _pool(scenario: Scenario, band: Band | None) -> tuple[Sequence[str], str]:
    scripted = scenario.scripted
    if band is Band.GUARDED and scripted.low_trust:
        return scripted.low_trust, "low-trust line"
    if band is Band.OPEN and scripted.high_trust:
        return scripted.high_trust, "high-trust line"
    return scripted.fallback, "fallback line"


class _Said:
    """When each authored line was last said in ``history`` (by person-turn position).

    A turn said a line when its record names the line (``checks.authored``), or, for
    turns without that record (the opening line, older conversations), when its text is
    the line or the line's first sentences (a line cut to the sentence limit).
    """

    def __init__(self, history: list[Turn]) -> None:
        self._turns = [turn for turn in history if turn.speaker is Speaker.PERSON]

    def last(self, line: str) -> int:
        """Position of the last person turn that said ``line``; -1 if none did."""
        for position in range(len(self._turns) - 1, -1, -1):
            if _said_by(self._turns[position], line):
                return position
        return -1

    def least_recent(self, lines: Sequence[str]) -> str:
        """The first line never said, else the one said longest ago."""
        return min(lines, key=self.last)


def _said_by(turn: Turn, line: str) -> bool:
    if turn.checks is not None and turn.checks.authored:
        return turn.checks.authored == line
    text = turn.text.strip()
    if not text or not line.startswith(text):
        return False
    rest = line[len(text) :]
    return not rest or (rest[0].isspace() and text[-1] in _SENTENCE_ENDS)


_SENTENCE_ENDS = ".!?\u2026\"')"
