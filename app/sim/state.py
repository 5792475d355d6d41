"""The state model: trust and emotion before a turn, and what a turn does to them.

Trust moves by the sum of the effects of the turn's codes and signals, capped at
``max_step`` either way; the band (guarded, neutral, open) follows from trust. The emotion
is the reaction to the turn when one applies (``reactions``), else the band's emotion.
Facts are released only when trust was out of the guarded band before the turn and still
is after it, and the turn was not a role break. The result is a ``PersonaStep``, stored on
the turn.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.conversation import Speaker, Turn
from app.domain.persona_state import Band, FactRelease, PersonaStep, StateDefaults
from app.domain.scenario import Scenario
from app.sim.release import TurnContext, next_release
from app.sim.signals import engine_signals


@dataclass(frozen=True)
class PersonaState:
    """Where the person stands before the next practitioner turn."""

    trust: float
    emotion: str
    released: frozenset[str]
    turns: int


def band_of(trust: float, rules: StateDefaults) -> Band:
    """The band a trust value falls in."""
    if trust < rules.guarded_below:
        return Band.GUARDED
    return Band.OPEN if trust >= rules.open_from else Band.NEUTRAL


def state_after(history: list[Turn], rules: StateDefaults) -> PersonaState:
    """The state at the end of ``history``, read from the steps stored on its turns."""
    trust, emotion = rules.trust, rules.emotion
    released: set[str] = set()
    turns = 0
    for turn in history:
        if turn.speaker is not Speaker.PRACTITIONER:
            continue
        turns += 1
        if turn.persona is not None:
            trust, emotion = turn.persona.trust_after, turn.persona.emotion_after
            released.update(release.id for release in turn.persona.released)
    return PersonaState(trust=trust, emotion=emotion, released=frozenset(released), turns=turns)


def advance(
    scenario: Scenario, rules: StateDefaults, history: list[Turn], text: str, codes: list[str]
) -> PersonaStep:
    """What the practitioner turn ``text`` (coded ``codes``) after ``history`` does."""
    before = state_after(history, rules)
    signals = engine_signals(text, codes, history, rules)
    # A role break is not a real turn: whatever the coder made of its words, only the
    # attempt itself counts (so "you are the doctor now" earns nothing as a reflection).
    present = ["role_break"] if "role_break" in signals else [*codes, *signals]
    effects = {name: rules.effects[name] for name in present if rules.effects.get(name)}
    change = max(-rules.max_step, min(rules.max_step, sum(effects.values())))
    trust = round(max(0.0, min(1.0, before.trust + change)), 3)
    band = band_of(trust, rules)
    emotion = next(
        (label for name, label in rules.reactions.items() if name in present),
        getattr(rules.emotions, band.value),
    )
    previous = next((t.text for t in reversed(history) if t.speaker is Speaker.PERSON), "")
    ctx = TurnContext(
        turn=before.turns + 1,
        text=text,
        codes=frozenset(present),
        previous_person=previous,
        trust=trust,
        released=before.released,
    )
    guarded = Band.GUARDED in (band, band_of(before.trust, rules))
    released, note = _release(scenario, ctx, signals, guarded)
    return PersonaStep(
        turn=before.turns + 1,
        signals=signals,
        effects=effects,
        trust_before=before.trust,
        trust_after=trust,
        emotion_before=before.emotion,
        emotion_after=emotion,
        band=band,
        released=released,
        note=note,
    )


def _release(
    scenario: Scenario, ctx: TurnContext, signals: list[str], guarded: bool
) -> tuple[list[FactRelease], str]:
    """The fact this turn releases (at most one), or a note on why none could be.

    A person who was guarded before the turn, or is after it, keeps everything back: one
    good question after a lecture lifts trust, but disclosure waits for the next turn.
    """
    if "role_break" in signals:
        return [], "role break: answered in character, nothing released"
    if guarded:
        return [], "guarded: the person keeps everything back until trust recovers"
    release = next_release(scenario, ctx)
    return ([release] if release else []), ""
