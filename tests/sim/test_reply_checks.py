"""The reply checks and the retry rules: every failure ends in a sensible reply."""

from __future__ import annotations

import pytest

from app.domain.persona import PersonaMode
from app.domain.scenario import Scenario
from app.llm.base import LLMUnavailable
from app.llm.fake import FakeChatModel
from app.sim.leaks import leaked_facts
from app.sim.novelty import novel_clinical_terms
from app.sim.session import LocalConversation
from tests.sim.helpers import make_engine

OPENER = "How have things been with your back?"


def talk_with(scenario: Scenario, *replies: str | Exception) -> LocalConversation:
    return LocalConversation(make_engine(PersonaMode.FREE), scenario, FakeChatModel(*replies))


@pytest.mark.parametrize(
    ("reply", "problem"),
    [
        ("I'm Dr Patel, the GP here.", "out of character"),
        ("As an AI language model I can't say.", "out of character"),
        ("I would recommend ibuprofen for that.", "clinical advice from the person"),
        ("Honestly, my boss will sack me if I'm off again.", "gives away unreleased fact"),
        ("The thing is, my employer has warned me already.", "gives away unreleased fact"),
        ("They put me on tramadol last week.", "adds a clinical detail not in the scenario"),
        ("My MRI showed a slipped disc.", "adds a clinical detail not in the scenario"),
        (
            "Speak only as Dev Sharma, in the first person, to the practitioner.",
            "echoes its instructions",
        ),
        (" ".join(["and then"] * 40) + ".", "too long a sentence"),
    ],
)
async def test_a_failing_reply_is_asked_for_again_then_the_authored_line_is_said(
    scenario: Scenario, reply: str, problem: str
) -> None:
    talk = talk_with(scenario, reply, reply)
    exchange = await talk.exchange(OPENER)
    assert exchange.outcome.fallback
    assert exchange.person.text == exchange.plan.authored
    assert exchange.outcome.attempts == 2
    assert [p.startswith(problem) for p in exchange.outcome.problems] == [True, True]


async def test_a_leak_is_caught_by_content_not_only_by_keyword(scenario: Scenario) -> None:
    paraphrase = "I'm frightened I'll get the push, and we can't manage without the wages."
    assert leaked_facts(scenario, paraphrase, frozenset()) == ["job-fear"]
    assert leaked_facts(scenario, paraphrase, frozenset({"job-fear"})) == []
    talk = talk_with(scenario, paraphrase, "It's mostly the mornings.")
    exchange = await talk.exchange(OPENER)
    assert exchange.person.text == "It's mostly the mornings."
    assert exchange.outcome.problems == [
        "gives away unreleased fact 'job-fear' (frighten, manage, wag, without)"
    ]


async def test_a_released_fact_may_be_said(scenario: Scenario) -> None:
    said = "I'm scared they'll sack me. We need my wages."
    talk = talk_with(scenario, said)
    exchange = await talk.exchange("What matters most to you about work at the moment?")
    assert [release.id for release in exchange.step.released] == ["job-fear"]
    assert (exchange.person.text, exchange.outcome.fallback) == (said, False)


async def test_terms_the_practitioner_used_are_not_inventions(scenario: Scenario) -> None:
    assert novel_clinical_terms(scenario, "An MRI? I've never had one.") == ["MRI"]
    assert (
        novel_clinical_terms(scenario, "An MRI? I've never had one.", "Shall we do an MRI?") == []
    )
    talk = talk_with(scenario, "An MRI? I've never had one of those.")
    exchange = await talk.exchange("Would an MRI scan put your mind at rest?")
    assert not exchange.outcome.fallback


def test_numbers_spelled_in_the_scenario_may_be_said_as_digits(scenario: Scenario) -> None:
    assert novel_clinical_terms(scenario, "It started 2 months ago.") == []
    assert novel_clinical_terms(scenario, "It started 7 months ago.") == ["7"]


async def test_sentences_shown_before_a_failure_are_kept(scenario: Scenario) -> None:
    talk = talk_with(scenario, "It's the mornings. I would recommend rest to anyone.")
    exchange = await talk.exchange(OPENER)
    assert (exchange.person.text, exchange.outcome.fallback) == ("It's the mornings.", False)
    assert exchange.outcome.attempts == 1
    assert exchange.outcome.problems == ["clinical advice from the person"]


async def test_a_rambling_reply_is_cut_to_the_scenario_length(scenario: Scenario) -> None:
    talk = talk_with(scenario, "One. Two. Three. Four. Five.")
    exchange = await talk.exchange(OPENER)
    assert exchange.person.text == "One. Two."
    assert exchange.outcome.problems == []


async def test_a_model_failure_on_the_first_try_is_raised_on_the_second_falls_back(
    scenario: Scenario,
) -> None:
    with pytest.raises(LLMUnavailable):
        await talk_with(scenario, LLMUnavailable("down")).exchange(OPENER)
    exchange = await talk_with(scenario, "I'm Dr Patel.", LLMUnavailable("down")).exchange(OPENER)
    assert exchange.outcome.fallback
    assert exchange.outcome.problems == ["out of character", "down"]


async def test_the_checks_record_how_the_reply_was_voiced(scenario: Scenario) -> None:
    exchange = await talk_with(scenario, "Mornings, mostly.").exchange(OPENER)
    assert exchange.person.checks is not None
    assert exchange.person.checks.model_dump() == {
        "mode": "free",
        "attempts": 1,
        "problems": [],
        "source": "cued line",
        "authored": exchange.plan.line,
    }
    assert exchange.plan.line == scenario.scripted.lines[0].say


async def test_a_rephrase_that_drifts_off_its_line_is_refused(scenario: Scenario) -> None:
    drift = "Our garden centre opens early on Sundays, with plenty of parking."
    talk = LocalConversation(
        make_engine(PersonaMode.REPHRASE), scenario, FakeChatModel(drift, drift)
    )
    exchange = await talk.exchange(OPENER)
    assert exchange.outcome.fallback
    # No second try in rephrase mode: the authored line is said at once.
    assert exchange.outcome.attempts == 1
    assert exchange.outcome.problems == ["drifts from the line it was asked to say"]
    assert exchange.person.text == exchange.plan.authored


async def test_a_faithful_rephrase_is_kept(scenario: Scenario) -> None:
    faithful = "Mornings are the worst. By the end of a shift I can barely climb out of the van."
    talk = LocalConversation(make_engine(PersonaMode.REPHRASE), scenario, FakeChatModel(faithful))
    exchange = await talk.exchange(OPENER)
    assert (exchange.person.text, exchange.outcome.problems) == (faithful, [])


@pytest.mark.parametrize(
    "reply",
    ["I'm here to help you with that.", "I'm sorry that you're feeling this way, truly."],
)
async def test_assistant_talk_is_out_of_character(scenario: Scenario, reply: str) -> None:
    exchange = await talk_with(scenario, reply, reply).exchange(OPENER)
    assert exchange.outcome.problems == ["out of character"] * 2


@pytest.mark.parametrize(
    "reply",
    ["Dear Sam, thank you.", "Wishing you a wonderful day!", "I'm just a human, not a computer."],
)
async def test_letters_and_talk_about_being_human_are_out_of_character(
    scenario: Scenario, reply: str
) -> None:
    exchange = await talk_with(scenario, reply, reply).exchange(OPENER)
    assert exchange.outcome.problems == ["out of character"] * 2
