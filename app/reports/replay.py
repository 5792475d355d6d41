"""Persona records for a transcript file, replayed from its scenario's state rules.

A conversation held in the app stores each persona step on its turn. A transcript file
has none; when it names a scenario the library knows, the same deterministic state rules
(``app.sim.state.advance``) are replayed over its coded turns, so the report can still
show the person's view. The report says the view was replayed, not recorded.
"""

from __future__ import annotations

from app.domain.conversation import Speaker, Turn
from app.domain.persona_state import PersonaStep
from app.domain.scenario import Scenario
from app.domain.scorecard import ScoreCard
from app.reports.person import NO_RECORDS, PersonRecords
from app.sim.defaults import load_defaults, rules_for
from app.sim.state import advance


def replay_records(card: ScoreCard, scenario: Scenario | None) -> PersonRecords:
    """The persona steps the scenario's rules give for ``card``'s turns (none without one)."""
    if scenario is None:
        return NO_RECORDS
    rules = rules_for(scenario, load_defaults())
    history: list[Turn] = []
    steps: dict[int, PersonaStep] = {}
    for coded in card.turns:
        step = None
        if coded.speaker is Speaker.PRACTITIONER:
            step = advance(scenario, rules, history, coded.text, list(coded.codes))
            steps[coded.index] = step
        history.append(
            Turn(
                index=coded.index,
                speaker=coded.speaker,
                text=coded.text,
                codes=list(coded.codes),
                persona=step,
            )
        )
    return PersonRecords(
        source="replayed", person_name=scenario.person.name, scenario=scenario, steps=steps
    )
