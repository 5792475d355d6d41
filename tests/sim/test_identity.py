"""A reply must not make the person someone else, or talk about them from outside."""

from __future__ import annotations

import pytest

from app.domain.scenario import Scenario
from tests.sim.test_reply_checks import OPENER, talk_with


@pytest.mark.parametrize(
    ("draft", "problem"),
    [
        ("My name is Karen, the receptionist.", "contradicts the scenario (calls themself Karen)"),
        (
            "I'm a 44-year-old woman with a big house.",
            "contradicts the scenario (gives their age as 44)",
        ),
        ("Dev is worried about his job.", "talks about the person in the third person"),
    ],
)
async def test_a_draft_that_contradicts_the_person_falls_back(
    scenario: Scenario, draft: str, problem: str
) -> None:
    exchange = await talk_with(scenario, draft, draft).exchange(OPENER)
    assert exchange.outcome.fallback
    assert exchange.person.text == exchange.plan.authored
    assert exchange.outcome.problems == [problem, problem]


async def test_the_person_may_say_their_own_name_and_age(scenario: Scenario) -> None:
    exchange = await talk_with(scenario, "I'm Dev. I'm 58 and my back is bad.").exchange(OPENER)
    assert not exchange.outcome.fallback
    assert exchange.person.text == "I'm Dev. I'm 58 and my back is bad."
