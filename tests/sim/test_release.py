"""Release conditions: each clause alone, clauses together, and one fact per turn."""

from __future__ import annotations

import pytest

from app.domain.facts import ReleaseCondition
from app.domain.scenario import Scenario
from app.sim.release import TurnContext, condition_reason, next_release


def context(
    *,
    turn: int = 3,
    text: str = "",
    codes: tuple[str, ...] = (),
    previous: str = "",
    trust: float = 0.5,
    released: tuple[str, ...] = (),
) -> TurnContext:
    return TurnContext(
        turn=turn,
        text=text,
        codes=frozenset(codes),
        previous_person=previous,
        trust=trust,
        released=frozenset(released),
    )


@pytest.mark.parametrize(
    ("codes", "holds"),
    [(("open_question",), True), (("closed_question", "empathy"), True), (("advice",), False)],
)
def test_any_of_needs_one_of_the_codes(codes: tuple[str, ...], holds: bool) -> None:
    condition = ReleaseCondition(any_of=["open_question", "empathy"])
    reason = condition_reason(condition, context(codes=codes))
    assert (reason is not None) is holds
    if holds:
        assert reason in codes


def test_topic_matches_whole_words_at_a_word_start_in_the_turn() -> None:
    condition = ReleaseCondition(topic=["sleep", "nights"])
    assert condition_reason(condition, context(text="How are you sleeping?")) == (
        "touching 'sleep'"
    )
    assert condition_reason(condition, context(text="Any trouble at Knights Bridge?")) is None


def test_a_reflection_touches_the_topic_of_the_words_it_answers() -> None:
    condition = ReleaseCondition(topic=["money"])
    previous = "Money's tight since the boiler went."
    reflection = context(text="That sounds like a worry.", codes=("empathy",), previous=previous)
    question = context(
        text="That sounds like a worry?", codes=("closed_question",), previous=previous
    )
    assert condition_reason(condition, reflection) == "answering the person's words about 'money'"
    assert condition_reason(condition, question) is None


@pytest.mark.parametrize(("turn", "holds"), [(1, False), (2, True), (5, True)])
def test_after_turn_counts_practitioner_turns(turn: int, holds: bool) -> None:
    reason = condition_reason(ReleaseCondition(after_turn=2), context(turn=turn))
    assert (reason == f"turn {turn} >= 2") if holds else reason is None


@pytest.mark.parametrize(("trust", "holds"), [(0.59, False), (0.6, True), (0.9, True)])
def test_min_trust_is_inclusive(trust: float, holds: bool) -> None:
    reason = condition_reason(ReleaseCondition(min_trust=0.6), context(trust=trust))
    assert (reason is not None) is holds


def test_after_facts_needs_every_named_fact_released_earlier() -> None:
    condition = ReleaseCondition(after_turn=1, after_facts=["a", "b"])
    assert condition_reason(condition, context(released=("a",))) is None
    assert condition_reason(condition, context(released=("a", "b", "c"))) == (
        "turn 3 >= 1; after a, b"
    )


def test_every_clause_must_hold_on_the_same_turn_and_the_reason_names_them_all() -> None:
    condition = ReleaseCondition(
        any_of=["complex_reflection"], topic=["work"], after_turn=2, min_trust=0.5
    )
    good = context(text="Work sounds like a big worry.", codes=("complex_reflection",))
    assert condition_reason(condition, good) == (
        "complex_reflection; touching 'work'; turn 3 >= 2; trust 0.50 >= 0.50"
    )
    for spoiled in (
        context(text="Work sounds like a big worry.", codes=("simple_reflection",)),
        context(text="Home sounds hard.", codes=("complex_reflection",)),
        context(text="Work sounds hard.", codes=("complex_reflection",), turn=1),
        context(text="Work sounds hard.", codes=("complex_reflection",), trust=0.49),
    ):
        assert condition_reason(condition, spoiled) is None


def test_a_condition_must_say_something() -> None:
    with pytest.raises(ValueError, match="needs any_of, topic, after_turn or min_trust"):
        ReleaseCondition()


def test_one_fact_per_turn_in_file_order_skipping_released_ones(scenario: Scenario) -> None:
    # Both job-fear (min_trust 0.7) and night-caring (open question about nights, turn 2+)
    # hold; the first in the file comes out now, the other on a later turn.
    ctx = context(text="How are your nights?", codes=("open_question",), trust=0.8)
    first = next_release(scenario, ctx)
    assert first is not None
    assert first.id == "job-fear"
    assert first.reason == "trust 0.80 >= 0.70"
    later = next_release(scenario, context(**_same(ctx), released=("job-fear",)))
    assert later is not None
    assert later.id == "night-caring"
    assert later.reason == "open_question; touching 'nights'; turn 3 >= 2"


def test_a_fact_waits_for_the_fact_it_follows(scenario: Scenario) -> None:
    empathy = context(text="That sounds so hard.", codes=("empathy",), trust=0.5)
    assert next_release(scenario, empathy) is None
    after = next_release(scenario, context(**_same(empathy), released=("job-fear",)))
    assert after is not None
    assert (after.id, after.reason) == ("low-mood", "empathy; after job-fear")


def _same(ctx: TurnContext) -> dict[str, object]:
    return {"turn": ctx.turn, "text": ctx.text, "codes": tuple(ctx.codes), "trust": ctx.trust}
