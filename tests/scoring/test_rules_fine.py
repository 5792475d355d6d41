"""Fine codes of the rule coder in other settings: positives, near misses, and the distinctions
named in the issue (chunk-and-check vs teach-back, advice after permission, information with no
check, leading questions, jargon vs plain language)."""

from __future__ import annotations

import time

import pytest

from app.domain.coding import TurnCoding
from app.scoring.rules import RuleCoder

CODER = RuleCoder()


def code(text: str, prev: str = "") -> TurnCoding:
    return CODER.code(text, prev)


# code -> (turns that carry it, near misses that do not)
CASES: dict[str, tuple[list[str], list[str]]] = {
    "agenda_setting": (
        ["We've got about twenty minutes, so what would you like to cover?"],
        ["The appointment letter says twenty minutes past ten."],
    ),
    "screening": (
        ["Is there anything else on your mind about your mum?"],
        ["Is there any swelling in your ankles?"],
    ),
    "empathy": (
        ["You sound frightened about the next scan."],
        ["Breathing slowly can help when you feel panicky."],
    ),
    "affirmation": (
        ["You've clearly worked hard to keep your dad at home."],
        ["You've had the cough since March."],
    ),
    "normalisation": (
        ["Lots of people feel wobbly for a while after a fall."],
        ["Your blood results came back normal."],
    ),
    "summary": (
        ["Let me recap: the pain's worse at night, and you'd like to avoid surgery."],
        ["Let me check your blood pressure."],
    ),
    "clarification": (
        ["When you say your chest feels tight, do you mean when you walk?"],
        ["Is your chest tight?"],
    ),
    "signposting": (
        ["There's a Parkinson's support group at the community centre on Mondays."],
        ["You said your neighbour helps with the shopping."],
    ),
    "ask_permission": (
        ["Would it be OK if I told you a bit about the new inhaler?"],
        ["Would you like a biscuit?"],
    ),
    "giving_information": (
        ["The new inhaler works for twelve hours, so you only need it twice a day."],
        ["How are you getting on with the inhaler?"],
    ),
    "advice": (
        ["I'd suggest using the spacer with your inhaler."],
        ["What would you like to do about the inhaler?"],
    ),
    "chunk_check": (
        ["Does that make sense so far?"],
        ["Does your back ache in the mornings?"],
    ),
    "teach_back": (
        ["To make sure I've explained it well, can you tell me how you'll use the spacer?"],
        ["Can you tell me how you've been sleeping?"],
    ),
    "option_talk": (
        ["There are two options: physio, or an injection."],
        ["The physio will ring you next week."],
    ),
    "benefits": (
        ["The main benefit of the injection is quicker relief."],
        ["The main risk of the injection is infection."],
    ),
    "risks": (
        ["The main risk of the injection is infection."],
        ["The main benefit of the injection is quicker relief."],
    ),
    "alternatives": (
        ["Instead of the injection, some people try a course of physio."],
        ["The injection is done in clinic."],
    ),
    "do_nothing": (
        ["Some people choose not to have treatment, and that's a reasonable choice."],
        ["Nothing you've said is silly."],
    ),
    "what_matters": (
        ["What matters most to you about where your dad is cared for?"],
        ["What medicines is your dad on?"],
    ),
    "strengths": (
        ["What has helped you get through bad spells before?"],
        ["What made the pain worse?"],
    ),
    "involvement": (
        ["Who would you like to be involved in deciding about your care?"],
        ["Who is your GP?"],
    ),
    "goal_setting": (
        ["What's one small thing you could try this week?"],
        ["What did you try last week?"],
    ),
    "persuade": (
        ["You really must stop smoking before the operation."],
        ["You might want to think about stopping before the operation."],
    ),
    "judgement": (
        ["You should have told us about the falls sooner."],
        ["It sounds like you're being hard on yourself."],
    ),
    "jargon": (
        ["The echo showed your EF is reduced."],
        ["The heart scan showed your heart is pumping less strongly than it should."],
    ),
    "introduction": (
        ["Hello, I'm Maya, one of the heart failure nurses."],
        ["Hello again, how have you been?"],
    ),
}
# Known gaps, found by these tests after the heldout measurement and left as they are so that
# the reported figures stay those of the rules measured (docs/fine-codes.md). Strict: a fix
# turns them into failures to be moved into CASES.
GAPS = [
    pytest.param(
        "empathy",
        "It sounds like the last few weeks have been really frightening.",
        True,
        id="empathy-without-that-or-this",
    ),
    pytest.param(
        "empathy",
        "It sounds like you've been really frightened these last few weeks.",
        True,
        id="empathy-after-a-reflection-stem",
    ),
    pytest.param(
        "ask_permission",
        "Would it be OK if I opened the window?",
        False,
        id="permission-for-a-window",
    ),
]
POSITIVES = [(c, t) for c, (pos, _) in CASES.items() for t in pos]
NEGATIVES = [(c, t) for c, (_, neg) in CASES.items() for t in neg]


@pytest.mark.parametrize(("fine_code", "text"), POSITIVES)
def test_fine_code_is_found_with_evidence(fine_code: str, text: str) -> None:
    result = code(text)
    assert fine_code in result.codes, result.codes
    assert result.evidence[fine_code]


@pytest.mark.parametrize(("fine_code", "text"), NEGATIVES)
def test_near_miss_does_not_carry_the_code(fine_code: str, text: str) -> None:
    assert fine_code not in code(text).codes


@pytest.mark.xfail(strict=True, reason="known gap of the rules (docs/fine-codes.md)")
@pytest.mark.parametrize(("fine_code", "text", "present"), GAPS)
def test_known_gaps(fine_code: str, text: str, present: bool) -> None:
    assert (fine_code in code(text).codes) is present


# --- the distinctions the issue names --------------------------------------------------------


@pytest.mark.parametrize("text", ["Does that make sense?", "Any questions?", "Is that clear?"])
def test_checking_in_is_chunk_and_check_not_teach_back(text: str) -> None:
    result = code(text)
    assert "chunk_check" in result.codes
    assert "teach_back" not in result.codes


def test_advice_right_after_permission_is_advice_not_ask_permission() -> None:
    asked = code("Would it be OK if I suggested something about the nights?")
    assert "ask_permission" in asked.codes
    assert "advice" not in asked.codes
    advised = code("I'd suggest a night light in the hallway.", "Yes, please, go on.")
    assert "advice" in advised.codes
    assert not {"ask_permission", "persuade"} & set(advised.codes)


def test_asking_and_advising_without_waiting_carries_both() -> None:
    result = code("Can I suggest something? I'd try a night light in the hallway.")
    assert {"ask_permission", "advice"} <= set(result.codes)


def test_information_with_no_check_is_information_only() -> None:
    result = code("The injection usually eases the pain for around three months.")
    assert "giving_information" in result.codes
    assert not {"chunk_check", "teach_back", "ask_permission"} & set(result.codes)


def test_closed_question_is_not_open_and_elicits_no_values() -> None:
    result = code("Is the pain worse at night?")
    assert result.question_type == "closed"
    assert "open_question" not in result.codes
    assert "what_matters" not in result.codes


def test_leading_question_is_persuasion_and_advice() -> None:
    result = code("You'd agree the injection is the best option, wouldn't you?")
    assert {"persuade", "advice"} <= set(result.codes)
    assert "what_matters" not in result.codes


def test_persuasion_is_always_also_advice() -> None:
    for text in ["Trust me, the patches are right for you.", "You need to stop lifting him."]:
        assert {"persuade", "advice"} <= set(code(text).codes), text


def test_blaming_the_past_is_judgement_not_advice() -> None:
    result = code("You should have come in when the pain started.")
    assert "judgement" in result.codes
    assert not {"advice", "persuade"} & set(result.codes)


@pytest.mark.parametrize(
    ("jargon", "plain"),
    [
        ("He's had a TIA.", "He's had a mini-stroke, what doctors call a TIA."),
        ("She has dysphagia.", "She has trouble swallowing."),
        ("We'll start anticoagulation.", "We'll start a blood thinner to stop clots forming."),
    ],
)
def test_jargon_versus_plain_language(jargon: str, plain: str) -> None:
    assert "jargon" in code(jargon).codes
    assert "jargon" not in code(plain).codes


def test_feelings_inside_a_summary_belong_to_the_summary() -> None:
    result = code("So you've told me two things: you're exhausted, and you feel guilty.")
    assert "summary" in result.codes
    assert "empathy" not in result.codes


def test_a_relative_clause_does_not_make_a_statement_a_question() -> None:
    result = code("The main risk is bleeding, which happens in about one in twenty men.")
    assert "open_question" not in result.codes
    assert {"risks", "giving_information"} <= set(result.codes)


def test_single_turn_coding_is_well_under_ten_milliseconds() -> None:
    texts = [t for _, t in POSITIVES + NEGATIVES]
    for text in texts:
        CODER.code(text)  # warm
    best = min(_timed(texts) for _ in range(3))
    assert best / len(texts) < 0.010


def _timed(texts: list[str]) -> float:
    start = time.perf_counter()
    for text in texts:
        CODER.code(text, "I'm not sure.")
    return time.perf_counter() - start


@pytest.mark.parametrize(
    "text",
    [
        "As an AI language model I cannot play Graham.",
        "Your GP can see you next week, or you could go to A&E if it's urgent.",
        "The NHS website has more on this.",
    ],
)
def test_everyday_acronyms_are_not_jargon(text: str) -> None:
    assert "jargon" not in code(text).codes
