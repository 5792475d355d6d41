"""The rule-based coder: fine codes, top-level behaviour, evidence and the key distinctions."""

from __future__ import annotations

import re

import pytest

from app.domain.coding import Behaviour, TurnCoding
from app.scoring.rules import CODE_ORDER, CUES, RuleCoder, required_words

CODER = RuleCoder()


def code(text: str, prev: str = "") -> TurnCoding:
    return CODER.code(text, prev)


# code -> (turns that show it, turns that do not)
EXAMPLES: dict[str, tuple[list[str], list[str]]] = {
    "introduction": (
        [
            "Hello, my name is Sam and I'm one of the nurses here.",
            "Hi, I'm Priya, one of the specialist nurses in the urology team.",
            "Good morning, I'm Dr Jones, the consultant urologist.",
            "I'll be your nurse today.",
        ],
        [
            "I'm worried about the operation too.",
            "I'm going to explain the options.",
            "I'm a bit confused by that, sorry.",
        ],
    ),
    "agenda_setting": (
        [
            "We have about 20 minutes today, so shall we start with your main worry?",
            "What would you like to get out of today's appointment?",
            "Shall we agree what we talk about first?",
        ],
        [
            "What did you have for breakfast today?",
            "The operation takes about an hour.",
        ],
    ),
    "screening": (
        [
            "Is there anything else you'd like to talk about?",
            "What else is worrying you?",
            "Are there any other concerns on your mind?",
        ],
        [
            "Does that make sense?",
            "Tell me more about your symptoms.",
        ],
    ),
    "open_question": (
        [
            "What matters most to you?",
            "How are you feeling about the operation?",
            "Tell me more about what happens at night.",
            "Can you tell me a bit about your symptoms?",
        ],
        [
            "Do you have any pain?",
            "Is it worse at night?",
        ],
    ),
    "closed_question": (
        [
            "Do you get up at night to pass urine?",
            "Are you taking any tablets at the moment?",
            "Have you heard of watchful waiting?",
            "How many times do you get up at night?",
        ],
        [
            "What worries you most?",
            "It sounds like you're frustrated.",
        ],
    ),
    "empathy": (
        [
            "That sounds really hard.",
            "I can see how frightening this must be.",
            "I'm sorry to hear that you've been struggling.",
        ],
        [
            "That sounds like a plan.",
            "The tablets are hard to swallow for some men.",
        ],
    ),
    "affirmation": (
        [
            "You've done a lot to manage this already.",
            "That shows real determination.",
            "Well done for keeping the bladder diary.",
        ],
        [
            "You've had the symptoms for a while.",
            "The bladder diary is in the pack.",
        ],
    ),
    "normalisation": (
        [
            "Lots of men feel this way.",
            "That's completely normal.",
            "You're not the only one who worries about that.",
        ],
        [
            "Your blood test results were within range.",
            "Many of the tablets can cause dizziness.",
        ],
    ),
    "summary": (
        [
            "Let me summarise what we've talked about.",
            "So far we've talked about your symptoms and your worries about surgery.",
            "To sum up, you'd like to try the tablets first.",
        ],
        [
            "Let me explain how the operation works.",
            "Some men find summer worse.",
        ],
    ),
    "clarification": (
        [
            "What do you mean by bad days?",
            "When you say it's getting worse, is that at night?",
            "Just to check, you've been taking them every day?",
        ],
        [
            "What do you think about the options?",
            "Is it worse at night?",
        ],
    ),
    "signposting": (
        [
            "First, I'd like to talk about your symptoms, and then we'll look at the options.",
            "I'm going to explain the three options now.",
            "Let's move on to the risks.",
            "I can put you in touch with a local support group.",
        ],
        [
            "How long have you had the symptoms?",
            "You said you'd tried the tablets.",
        ],
    ),
    "ask_permission": (
        [
            "Would it be OK if I shared some information about the options?",
            "Can I tell you a bit about how the operation works?",
            "What do you already know about an enlarged prostate?",
            "How would you like me to share the information with you?",
        ],
        [
            "Would you like a cup of tea?",
            "Can I just check your date of birth?",
        ],
    ),
    "giving_information": (
        [
            "About 1 in 10 men have bleeding after the operation.",
            "Research shows that the tablets help about 70 percent of men.",
            "The operation usually takes about an hour.",
        ],
        [
            "How are you sleeping?",
            "It sounds like sleep is the main problem.",
        ],
    ),
    "advice": (
        [
            "I'd recommend trying the tablets first.",
            "If I were you, I'd cut down on caffeine in the evening.",
            "You might want to keep a bladder diary for a week.",
        ],
        [
            "There are three options we could consider.",
            "What would you like to do?",
            "You can go on picnics with them.",
        ],
    ),
    "chunk_check": (
        [
            "Does that make sense so far?",
            "Any questions so far?",
            "Is that clear?",
            "How does that sound?",
        ],
        [
            "Can you tell me in your own words what happens next?",
            "What made you come in today?",
        ],
    ),
    "teach_back": (
        [
            "Can you tell me in your own words what the operation involves?",
            "Just so I know I explained it well, what will you tell your wife about the options?",
            "To make sure I have been clear, can you tell me what you will do if bleeding starts?",
            "We've gone over a lot of information. What have you found most important?",
        ],
        [
            "Does that make sense?",
            "Any questions so far?",
        ],
    ),
    "option_talk": (
        [
            "There are three options we could consider.",
            "One option is to have the operation.",
            "You could either try the tablets or wait and see.",
        ],
        [
            "What do you think about your symptoms?",
            "The tablets are taken once a day.",
        ],
    ),
    "benefits": (
        [
            "The main benefit is that you'd get up less at night.",
            "The tablets improve the flow for most men.",
            "The advantage of surgery is a quicker result.",
            "The tablets help most men within a few weeks.",
        ],
        [
            "How long have you had this?",
            "The main risk is bleeding.",
        ],
    ),
    "risks": (
        [
            "The main risk is bleeding.",
            "Side effects can include dizziness.",
            "About 1 in 20 men have complications.",
        ],
        [
            "What matters most to you?",
            "The benefit is better sleep.",
        ],
    ),
    "alternatives": (
        [
            "Another option is the tablets.",
            "Instead of surgery, some men try the tablets first.",
            "We could try the tablets rather than the operation.",
        ],
        [
            "The operation takes an hour.",
            "How are you sleeping?",
        ],
    ),
    "do_nothing": (
        [
            "Watchful waiting is also an option.",
            "Some men choose to do nothing for now and see how things go.",
            "Active monitoring means we keep an eye on it with regular checks.",
            "We could leave it for now.",
        ],
        [
            "You've done a lot already.",
            "The tablets work within a few weeks.",
        ],
    ),
    "what_matters": (
        [
            "What matters most to you?",
            "What's important to you when you think about treatment?",
            "What would you like to be able to do again?",
        ],
        [
            "What time did you wake up?",
            "Do you have any pain?",
        ],
    ),
    "strengths": (
        [
            "What has worked for you in the past?",
            "How have you coped with this so far?",
            "Who supports you at home?",
        ],
        [
            "What time is your next appointment?",
            "Have you taken the tablets?",
        ],
    ),
    "involvement": (
        [
            "How do you like to make decisions like this?",
            "Who would you like to be involved in this decision?",
            "It's your decision, and we can make it together.",
        ],
        [
            "How do you like your tea?",
            "When did the symptoms start?",
        ],
    ),
    "goal_setting": (
        [
            "What will you do first?",
            "When will you start the bladder diary?",
            "What would good look like for you in three months?",
            "How will you know if you've achieved it?",
        ],
        [
            "What did you do yesterday?",
            "What do you think about surgery?",
        ],
    ),
    "persuade": (
        [
            "You should really have the operation.",
            "You need to stop drinking coffee.",
            "Trust me, it's the right thing to do.",
            "If you don't have it done, you'll end up with a catheter.",
        ],
        [
            "You might want to think about it.",
            "What would you like to do?",
            "What do you think you need to do next?",
        ],
    ),
    "judgement": (
        [
            "Calm down, it's not that bad.",
            "You're being silly about this.",
            "You should have come in sooner.",
            "That's just ridiculous.",
        ],
        [
            "That sounds frightening.",
            "You're doing really well.",
            "Why don't you try the tablets first?",
            "Smoking helps you calm down.",
            "Why did you choose a five rather than a four?",
        ],
    ),
    "jargon": (
        [
            "You have BPH.",
            "We could do a TURP.",
            "Your PSA is raised and we may need urodynamics.",
            "The prognosis is good.",
            "We'll start with an alpha-blocker and titrate the dose.",
        ],
        [
            "We could do a TURP, which means removing part of the prostate from the inside.",
            "PSA is a blood test that measures a protein made by the prostate.",
            "BPH (an enlarged prostate) is very common.",
            "The tablets relax the muscle around the bladder neck.",
        ],
    ),
}

POSITIVES = [(c, text) for c, (pos, _) in EXAMPLES.items() for text in pos]
NEGATIVES = [(c, text) for c, (_, neg) in EXAMPLES.items() for text in neg]
ALL_TEXTS = [text for _, text in POSITIVES + NEGATIVES]


@pytest.mark.parametrize(("fine_code", "text"), POSITIVES)
def test_code_is_found(fine_code: str, text: str) -> None:
    result = code(text)
    assert fine_code in result.codes, result
    assert result.evidence[fine_code]


@pytest.mark.parametrize(("fine_code", "text"), NEGATIVES)
def test_code_is_not_found(fine_code: str, text: str) -> None:
    assert fine_code not in code(text).codes


def test_every_code_has_enough_examples() -> None:
    major = set(CODE_ORDER) - {"simple_reflection", "complex_reflection"}
    assert set(EXAMPLES) == major
    for pos, neg in EXAMPLES.values():
        assert len(pos) >= 3
        assert len(neg) >= 2


# --- reflections, which depend on what the person just said ---------------------------------

SIMPLE = [
    ("So you get up three times a night.", "I get up three times a night to pee."),
    ("You don't want to have the operation.", "I don't want the operation."),
    ("You're worried about leaking afterwards.", "I'm worried about leaking afterwards."),
]
COMPLEX = [
    (
        "It sounds like you're worried the operation could change how you live.",
        "I don't know about the operation.",
    ),
    (
        "Part of you wants this sorted, and part of you is scared of surgery.",
        "I want it sorted but surgery, I don't know.",
    ),
    (
        "You're feeling frustrated that nobody has listened.",
        "I've asked three times and nothing happened.",
    ),
    ("That sounds like it was a challenge?", "The last hospital stay was a nightmare."),
]


@pytest.mark.parametrize(("text", "prev"), SIMPLE)
def test_simple_reflection_repeats_the_persons_words(text: str, prev: str) -> None:
    result = code(text, prev)
    assert result.behaviour is Behaviour.REFLECTION
    assert result.reflection_type == "simple"
    assert "simple_reflection" in result.codes
    assert "complex_reflection" not in result.codes
    assert result.question_type == ""


@pytest.mark.parametrize(("text", "prev"), COMPLEX)
def test_complex_reflection_adds_meaning_or_feeling(text: str, prev: str) -> None:
    result = code(text, prev)
    assert result.behaviour is Behaviour.REFLECTION
    assert result.reflection_type == "complex"
    assert "complex_reflection" in result.codes
    assert "simple_reflection" not in result.codes


def test_new_words_make_a_reflection_complex() -> None:
    prev = "My wife keeps telling me to get it checked, and the nights are awful."
    assert code("So you get up at night.", "I get up at night.").reflection_type == "simple"
    result = code("So the prostate is taking over your whole household.", prev)
    assert result.reflection_type == "complex"


def test_reflection_with_a_check_on_the_end_stays_a_reflection() -> None:
    result = code("So you're worried about leaking, is that right?", "I'm worried about leaking.")
    assert result.behaviour is Behaviour.REFLECTION
    assert "clarification" in result.codes


@pytest.mark.parametrize(
    ("text", "prev"),
    [
        ("Do you get up at night?", ""),
        ("The operation takes about an hour.", ""),
        ("Okay.", "I see."),
    ],
)
def test_non_reflections_have_no_reflection_type(text: str, prev: str) -> None:
    result = code(text, prev)
    assert result.behaviour is not Behaviour.REFLECTION
    assert result.reflection_type == ""
    assert not {"simple_reflection", "complex_reflection"} & set(result.codes)


# --- top-level behaviour ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "behaviour"),
    [
        ("What brings you in today?", Behaviour.QUESTION),
        ("Do you have any questions?", Behaviour.QUESTION),
        ("It sounds like the nights are the worst part.", Behaviour.REFLECTION),
        ("The tablets usually take a few weeks to work.", Behaviour.THERAPIST_INPUT),
        ("I'd recommend trying the tablets first.", Behaviour.THERAPIST_INPUT),
        (
            "There are three options: tablets, an operation, or watchful waiting.",
            Behaviour.THERAPIST_INPUT,
        ),
        ("There's a leaflet on the NHS website you could look at.", Behaviour.THERAPIST_INPUT),
        ("Okay.", Behaviour.OTHER),
        ("Mm-hmm.", Behaviour.OTHER),
        ("Good morning!", Behaviour.OTHER),
        ("Hello, my name is Sam, I'm one of the nurses.", Behaviour.OTHER),
    ],
)
def test_main_behaviour(text: str, behaviour: Behaviour) -> None:
    assert code(text).behaviour is behaviour


def test_question_after_an_introduction_makes_the_turn_a_question() -> None:
    result = code("Hello, my name is Sam, I'm one of the nurses. What brings you in today?")
    assert result.behaviour is Behaviour.QUESTION
    assert result.question_type == "open"
    assert {"introduction", "open_question"} <= set(result.codes)


def test_information_with_a_check_at_the_end_is_input_not_a_question() -> None:
    text = (
        "The main risk of the operation is bleeding, and about 1 in 10 men need a catheter "
        "for a few days afterwards. Does that make sense?"
    )
    result = code(text)
    assert result.behaviour is Behaviour.THERAPIST_INPUT
    assert {"risks", "giving_information", "chunk_check"} <= set(result.codes)


@pytest.mark.parametrize(
    "text",
    [
        "Do you take anything for it?",
        "Is the pain worse at night?",
        "Are you sleeping OK?",
        "Have you tried cutting down on tea?",
        "Can you still play golf?",
        "Will your wife come with you next time?",
        "Would you go back to the same hospital?",
        "Why don't you try the tablets first?",
    ],
)
def test_auxiliary_questions_are_closed(text: str) -> None:
    result = code(text)
    assert result.behaviour is Behaviour.QUESTION
    assert result.question_type == "closed"
    assert "closed_question" in result.codes
    assert "open_question" not in result.codes


def test_can_you_tell_me_about_is_open() -> None:
    assert code("Could you tell me what a bad night looks like?").question_type == "open"


def test_ask_permission_is_a_closed_question() -> None:
    result = code("Would it be OK if I shared some information?")
    assert result.behaviour is Behaviour.QUESTION
    assert result.question_type == "closed"
    assert "ask_permission" in result.codes
    assert "closed_question" in result.codes


# --- chunk-and-check versus teach-back -------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["Does that make sense?", "Any questions so far?", "Is that clear so far?"],
)
def test_checking_understanding_is_chunk_check_not_teach_back(text: str) -> None:
    result = code(text)
    assert "chunk_check" in result.codes
    assert "teach_back" not in result.codes


@pytest.mark.parametrize(
    "text",
    [
        "Can you tell me in your own words what the options are?",
        "Just so I know I explained it well, what will you tell your wife?",
        "To make sure I've explained this well, could you tell me how you will take them?",
    ],
)
def test_explaining_back_is_teach_back_not_chunk_check(text: str) -> None:
    result = code(text)
    assert "teach_back" in result.codes
    assert "chunk_check" not in result.codes
    assert "option_talk" not in result.codes


def test_a_turn_may_carry_both_checks() -> None:
    result = code("Does that make sense? Can you tell me in your own words what happens next?")
    assert {"chunk_check", "teach_back"} <= set(result.codes)


# --- options, do nothing, jargon -------------------------------------------------------------


def test_do_nothing_as_an_option_is_option_talk() -> None:
    result = code("Watchful waiting is one option, and it means we keep an eye on things.")
    assert {"option_talk", "do_nothing"} <= set(result.codes)


def test_option_content_stated_is_also_information() -> None:
    result = code("The main risk is bleeding.")
    assert {"risks", "giving_information"} <= set(result.codes)


def test_jargon_evidence_names_each_unexplained_term_once() -> None:
    result = code("Your PSA is up, so a TURP or a prostatectomy. The TURP is quicker.")
    assert result.evidence["jargon"] == "PSA, TURP, prostatectomy"


def test_each_term_is_judged_where_it_is_used() -> None:
    result = code("We could do a TURP. Later we might check your PSA, a blood test.")
    assert result.evidence["jargon"] == "TURP"


def test_a_term_introduced_by_its_description_is_explained() -> None:
    result = code("Another option is an operation to trim the prostate, called a TURP.")
    assert "jargon" not in result.codes


def test_jargon_the_person_used_first_is_not_flagged() -> None:
    result = code("What did they tell you about your PSA?", "My PSA came back high.")
    assert "jargon" not in result.codes


def test_acronyms_are_case_sensitive() -> None:
    assert "jargon" not in code("I'll see you at the ct office, mi amigo.").codes


# --- output shape ----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_empty_text_is_other_with_no_codes(text: str) -> None:
    result = code(text)
    assert result.behaviour is Behaviour.OTHER
    assert result.codes == []
    assert result.evidence == {}
    assert result.question_type == ""
    assert result.reflection_type == ""
    assert result.method == "rules"


@pytest.mark.parametrize("text", ALL_TEXTS)
def test_evidence_is_quoted_from_the_text(text: str) -> None:
    result = code(text)
    assert list(result.evidence) == result.codes
    for words in result.evidence.values():
        for part in words.split(", "):
            assert part in text


def test_evidence_keeps_curly_apostrophes() -> None:
    text = "It\u2019s your decision, and what\u2019s important to you matters most."
    result = code(text)
    assert result.evidence["involvement"] == "It\u2019s your decision"
    assert result.evidence["what_matters"] == "what\u2019s important to you"


def test_codes_are_unique_and_in_code_book_order() -> None:
    text = (
        "Hello, I'm Sam, one of the nurses. There are three options: tablets, a TURP or "
        "watchful waiting. The main benefit of tablets is better sleep, but side effects "
        "include dizziness. Does that make sense? What matters most to you?"
    )
    result = code(text)
    assert len(result.codes) == len(set(result.codes))
    assert result.codes == sorted(result.codes, key=CODE_ORDER.index)
    assert result.behaviour is Behaviour.QUESTION


def test_confidence_is_lower_for_weak_cues() -> None:
    strong = code("I can put you in touch with a local support group.")
    weak = code("There's a leaflet about it in the waiting room.")
    assert "signposting" in weak.codes
    assert 0 <= weak.confidence < strong.confidence <= 1


@pytest.mark.parametrize("text", ALL_TEXTS[:20])
def test_coding_is_deterministic(text: str) -> None:
    assert code(text, "I'm not sure.") == code(text, "I'm not sure.")
    assert 0 <= code(text).confidence <= 1


def test_method_is_rules() -> None:
    assert RuleCoder.method == "rules"
    assert code("What worries you most?").method == "rules"


# --- the quick word test that lets most patterns be skipped ----------------------------------


@pytest.mark.parametrize(
    ("pattern", "matching"),
    [
        (r"what matters (?:most )?to you", "what matters to you"),
        (r"(?:that|this) sounds? (?:really )?(?:hard|tough)", "this sound tough"),
        (r"(?:do|did) you mean", "did you mean"),
        (r"risks?\b", "risk"),
        (r"\d+(?:\.\d+)? ?(?:%|percent)", "12 percent"),
    ],
)
def test_required_words_are_in_every_match(pattern: str, matching: str) -> None:
    words = required_words(pattern)
    assert words
    assert re.fullmatch(pattern, matching)
    assert any(word in matching for word in words)


def test_required_words_never_hide_a_match() -> None:
    texts = ALL_TEXTS + [t for pair in SIMPLE + COMPLEX for t in pair]
    for text in texts:
        lower = text.lower()
        for cue in CUES:
            if cue.pattern.search(text if cue.cased else lower):
                assert cue.may_match(lower), (cue.code, text)
