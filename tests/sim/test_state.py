"""State updates: trust moves with the practitioner's codes, bands, emotions, signals."""

from __future__ import annotations

import pytest

from app.domain.conversation import Speaker, Turn
from app.domain.persona_state import Band, StateDefaults, StateSettings
from app.domain.scenario import Scenario
from app.sim.defaults import rules_for
from app.sim.engine import PersonaEngine
from app.sim.state import advance, band_of, state_after
from tests.sim.helpers import hold

OPENING = [Turn(index=0, speaker=Speaker.PERSON, text="It's my back again.")]


def test_trust_moves_by_the_sum_of_the_effects(scenario: Scenario, defaults: StateDefaults) -> None:
    step = advance(scenario, defaults, OPENING, "Tell me more.", ["open_question", "empathy"])
    assert step.effects == {"open_question": 0.04, "empathy": 0.1}
    assert step.trust_before == defaults.trust
    assert step.trust_after == pytest.approx(defaults.trust + 0.14)
    assert step.emotion_after == defaults.reactions["empathy"]


def test_one_turn_moves_trust_at_most_max_step(scenario: Scenario, defaults: StateDefaults) -> None:
    good = ["complex_reflection", "empathy", "what_matters", "affirmation"]
    bad = ["persuade", "judgement", "jargon"]
    up = advance(scenario, defaults, OPENING, "x", good)
    down = advance(scenario, defaults, OPENING, "x", bad)
    assert up.trust_after == pytest.approx(defaults.trust + defaults.max_step)
    assert down.trust_after == pytest.approx(defaults.trust - defaults.max_step)
    assert down.band is Band.GUARDED
    assert down.emotion_after == defaults.reactions["judgement"]


def test_bands_follow_trust(defaults: StateDefaults) -> None:
    assert band_of(defaults.guarded_below - 0.01, defaults) is Band.GUARDED
    assert band_of(defaults.guarded_below, defaults) is Band.NEUTRAL
    assert band_of(defaults.open_from, defaults) is Band.OPEN


def test_a_scenario_overrides_single_keys_and_merges_effects(
    scenario: Scenario, defaults: StateDefaults
) -> None:
    settings = StateSettings(
        trust=0.2, effects={"closed_question": -0.1}, reactions={"advice": "x"}
    )
    rules = rules_for(scenario.model_copy(update={"state": settings}), defaults)
    assert rules.trust == 0.2
    assert rules.effects["closed_question"] == -0.1
    assert rules.effects["empathy"] == defaults.effects["empathy"]
    assert list(rules.reactions)[0] == "advice", "the scenario's reactions are tried first"
    step = advance(scenario, rules, OPENING, "Any pain?", ["closed_question"])
    assert step.trust_after == pytest.approx(0.1)


def test_state_is_read_back_from_the_steps_stored_on_turns(
    engine: PersonaEngine, scenario: Scenario
) -> None:
    history = hold(engine, scenario, ["How are things?", "That sounds really hard for you."])
    state = state_after(history, engine.rules(scenario))
    last = history[-2].persona
    assert last is not None
    assert (state.trust, state.emotion, state.turns) == (last.trust_after, last.emotion_after, 2)


def test_closed_questions_in_a_row_become_a_run_that_costs_trust(
    engine: PersonaEngine, scenario: Scenario
) -> None:
    history = hold(engine, scenario, ["Do you smoke?", "Is it worse at night?", "Any numbness?"])
    steps = [turn.persona for turn in history if turn.persona is not None]
    assert ["closed_question_run" in step.signals for step in steps] == [False, False, True]
    assert steps[2].trust_after < steps[1].trust_after
    assert steps[2].emotion_after == engine.rules(scenario).reactions["closed_question_run"]


def test_advice_before_asking_permission_is_premature(
    engine: PersonaEngine, scenario: Scenario
) -> None:
    rushed = hold(engine, scenario, ["You should try some physio."])[-2].persona
    asked = hold(
        engine, scenario, ["Would it be OK if I suggested something?", "You should try physio."]
    )[-2].persona
    assert rushed is not None
    assert "premature_advice" in rushed.signals
    assert asked is not None
    assert "premature_advice" not in asked.signals


def test_a_long_stretch_of_information_without_a_question_is_a_lecture(
    engine: PersonaEngine, scenario: Scenario
) -> None:
    lecture = " ".join(["Back pain usually settles with movement and simple painkillers."] * 10)
    step = hold(engine, scenario, [lecture])[-2].persona
    assert step is not None
    assert "lecture" in step.signals
    assert step.effects["lecture"] < 0


def test_a_guarded_person_releases_nothing_until_trust_has_recovered(
    engine: PersonaEngine, scenario: Scenario
) -> None:
    lines = ["You need to lose weight, you should know better.", "Stop being silly."]
    lines += ["What matters most to you about work?", "What matters most to you about work?"]
    history = hold(engine, scenario, lines)
    steps = [turn.persona for turn in history if turn.persona is not None]
    assert steps[1].band is Band.GUARDED
    recovering, recovered = steps[2], steps[3]
    assert recovering.trust_after > recovering.trust_before, "a good question lifts trust"
    assert recovering.released == []
    assert recovering.note.startswith("guarded")
    assert [release.id for release in recovered.released] == ["job-fear"]
