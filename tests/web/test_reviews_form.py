"""The review form's rules as pure functions: reading the fields, what needs a comment, and
the overrides a complete form stands for."""

from __future__ import annotations

from app.domain.conversation import Speaker
from app.domain.review import CodeOverride, LevelOverride, Outcome
from app.domain.rubric_rules import LevelName
from app.services.review_screen import (
    CriterionReview,
    ReviewAnswers,
    ReviewScreen,
    TurnReview,
    decision_of,
    fill,
)

SCREEN = ReviewScreen(
    conversation_id=7,
    title="Back pain",
    practitioner="priya",
    rubric_id="sdm-core",
    turns=[
        TurnReview(index=0, speaker=Speaker.PERSON, text="Hello."),
        TurnReview(
            index=1,
            speaker=Speaker.PRACTITIONER,
            text="What matters to you?",
            machine_codes=["open_question", "what_matters"],
            ticked=["open_question", "what_matters"],
        ),
        TurnReview(
            index=3,
            speaker=Speaker.PRACTITIONER,
            text="Any questions?",
            machine_codes=["closed_question"],
            ticked=["closed_question"],
        ),
    ],
    criteria=[
        CriterionReview(
            id="open-questions",
            title="Open questions",
            machine_level=LevelName.EMERGING,
            descriptor="Some open questions.",
            evidence=[],
            level="emerging",
        )
    ],
)


def answers(**changes: object) -> ReviewAnswers:
    """The form as sent untouched, with ``changes``."""
    base = ReviewAnswers(
        codes={1: ["open_question", "what_matters"], 3: ["closed_question"]},
        levels={"open-questions": "emerging"},
        outcome="signed_off",
    )
    return base.model_copy(update=changes)


def test_fields_are_read_by_name() -> None:
    read = ReviewAnswers.from_fields(
        [
            ("csrf_token", "t"),
            ("codes-1", "open_question"),
            ("codes-1", "affirmation"),
            ("codes-1", "affirmation"),
            ("comment-1", "Affirmed."),
            ("codes-x", "ignored"),
            ("level-open-questions", "established"),
            ("why-open-questions", "Three open questions."),
            ("summary", "Good."),
            ("outcome", "returned"),
        ]
    )
    assert read == ReviewAnswers(
        codes={1: ["open_question", "affirmation", "affirmation"]},
        comments={1: "Affirmed."},
        levels={"open-questions": "established"},
        reasons={"open-questions": "Three open questions."},
        summary="Good.",
        outcome="returned",
    )


def test_an_untouched_form_agrees_with_the_machine() -> None:
    filled = fill(SCREEN, answers())
    assert (filled.error, filled.problems) == ("", 0)
    decision = decision_of(filled, "signed_off")
    assert decision.outcome is Outcome.SIGNED_OFF
    assert (decision.code_overrides, decision.level_overrides) == ({}, {})
    assert (decision.changed_turns, decision.changed_criteria) == ([], [])


def test_each_change_needs_a_comment_beside_it() -> None:
    filled = fill(
        SCREEN,
        answers(
            codes={1: ["open_question"], 3: ["closed_question"]},
            levels={"open-questions": "exemplary"},
        ),
    )
    assert filled.problems == 2
    assert filled.error == "2 answers need attention before this review can be saved."
    assert filled.turns[1].error.startswith("You changed the machine's codes")
    assert filled.turns[2].error == ""
    assert filled.criteria[0].error.startswith("You changed the machine's level")
    assert filled.turns[1].ticked == ["open_question"], "what was typed is kept"
    assert filled.criteria[0].level == "exemplary"


def test_changes_with_comments_become_overrides_and_comments_alone_are_kept() -> None:
    filled = fill(
        SCREEN,
        answers(
            codes={1: ["open_question"], 3: ["closed_question"]},
            comments={1: "Not about values.", 3: "  Right, closed.  "},
            levels={"open-questions": "exemplary"},
            reasons={"open-questions": "Plenty."},
            summary=" Well done. ",
        ),
    )
    assert filled.error == ""
    decision = decision_of(filled, "signed_off")
    assert decision.code_overrides == {
        1: CodeOverride(codes=("open_question",), comment="Not about values."),
        3: CodeOverride(codes=("closed_question",), comment="Right, closed."),
    }
    assert decision.level_overrides == {
        "open-questions": LevelOverride(level=LevelName.EXEMPLARY, comment="Plenty.")
    }
    assert (decision.changed_turns, decision.changed_criteria) == ([1], ["open-questions"])
    assert decision.summary == "Well done."


def test_unknown_codes_levels_and_outcomes_are_refused() -> None:
    filled = fill(
        SCREEN,
        answers(
            codes={1: ["shouting"], 3: ["closed_question"]},
            comments={1: "x"},
            levels={"open-questions": "great"},
        ),
    )
    assert filled.turns[1].error == "'shouting' is not a code in the code book."
    assert filled.criteria[0].error == "Choose one of the four levels."
    no_outcome = fill(SCREEN, answers(outcome=""))
    assert no_outcome.error == "Choose Sign off or Return for another attempt."


def test_returning_needs_a_summary() -> None:
    filled = fill(SCREEN, answers(outcome="returned", summary="   "))
    assert filled.summary_error.startswith("Returning an attempt needs a summary")
    assert filled.error == "1 answer needs attention before this review can be saved."
    assert fill(SCREEN, answers(outcome="returned", summary="Check first.")).error == ""
