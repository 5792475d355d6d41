"""The scoring engine: each rule, each limit, the summary figures and their bands.

Most tests use ``FakeCoder``, which codes a practitioner turn with the code names written in
it, so a test states exactly which codes each turn has and checks only the engine. A few use
the real rule-based coder on plain sentences, as a practitioner would write them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.content.rubrics import load_rubric
from app.domain.coding import Behaviour, TurnCoding
from app.domain.conversation import Speaker
from app.domain.rubric_rules import RULE_CODES, LevelName
from app.domain.scorecard import ScoreCard
from app.domain.transcript import Transcript, TranscriptTurn
from app.scoring.engine import score
from app.scoring.factory import default_coder
from app.scoring.summary import band

RUBRICS = Path(__file__).resolve().parents[2] / "rubrics"
SDM = load_rubric(RUBRICS / "sdm-core.yaml")
MECC = load_rubric(RUBRICS / "mecc-brief.yaml")


class FakeCoder:
    """Codes a turn with the code names written in it; the evidence is the code name."""

    method = "fake"

    def code(self, text: str, prev_text: str = "") -> TurnCoding:
        codes = [word for word in text.split() if word in RULE_CODES]
        return TurnCoding(
            behaviour=Behaviour.OTHER,
            codes=codes,
            evidence={code: code for code in codes},
            method=self.method,
        )


def transcript(*turns: str | list[str]) -> Transcript:
    """A list is a practitioner turn with those codes; a string is the person speaking."""
    return Transcript(
        turns=[
            TranscriptTurn(speaker=Speaker.PRACTITIONER, text=" ".join(turn))
            if isinstance(turn, list)
            else TranscriptTurn(speaker=Speaker.PERSON, text=turn)
            for turn in turns
        ]
    )


def scored(*turns: str | list[str]) -> ScoreCard:
    return score(transcript(*turns), SDM, FakeCoder())


def criterion(card: ScoreCard, criterion_id: str) -> tuple[LevelName, list[int], str]:
    found = next(c for c in card.criteria if c.id == criterion_id)
    return found.level, found.evidence_turns, found.feedback


def level(card: ScoreCard, criterion_id: str) -> LevelName:
    return criterion(card, criterion_id)[0]


E, N, S, X = (LevelName.EMERGING, LevelName.NOT_YET, LevelName.ESTABLISHED, LevelName.EXEMPLARY)


# --- ask before advising -------------------------------------------------------------------


class TestAskBeforeAdvising:
    def test_advice_right_after_permission_counts(self) -> None:
        card = scored(["ask_permission"], "Yes, go on.", ["advice"])
        assert criterion(card, "ask-before-advising")[:2] == (E, [0, 2])

    def test_advice_without_permission_does_not(self) -> None:
        card = scored(["open_question"], "Not great.", ["advice"])
        found, turns, feedback = criterion(card, "ask-before-advising")
        assert (found, turns) == (N, [2])
        assert "0 of 1 turns with advice or information" in feedback
        assert 'Missed at turn 2 ("advice")' in feedback

    def test_permission_in_the_same_breath_does_not(self) -> None:
        assert level(scored(["ask_permission advice"]), "ask-before-advising") is N

    def test_advice_the_person_asked_for_counts(self) -> None:
        card = scored("What would you do?", ["advice"])
        assert criterion(card, "ask-before-advising")[:2] == (E, [0, 1])

    def test_permission_too_long_ago_does_not(self) -> None:
        card = scored(
            ["ask_permission"], "Yes.", ["open_question"], ".", ["summary"], ".", ["advice"]
        )
        assert level(card, "ask-before-advising") is N

    def test_lecturing_lowers_the_level(self) -> None:
        prepared = ["ask_permission"], "Yes.", ["giving_information"], "Right?", ["advice"]
        assert level(scored(*prepared), "ask-before-advising") is S
        pushed = scored(*prepared, ["persuade"], ".", ["persuade"])
        level_, _, feedback = criterion(pushed, "ask-before-advising")
        assert level_ is E
        assert "Lecturing in 2 turns lowered this from established to emerging." in feedback

    def test_with_the_rule_coder(self) -> None:
        permission = "Would it be OK if I shared what I'd suggest?"
        advice = "I'd suggest trying the tablets first."
        asked = Transcript.model_validate(
            {
                "turns": [
                    {"speaker": "practitioner", "text": permission},
                    {"speaker": "person", "text": "Yes, please."},
                    {"speaker": "practitioner", "text": advice},
                ]
            }
        )
        unasked = Transcript(turns=asked.turns[2:])
        assert level(score(asked, SDM, default_coder()), "ask-before-advising") is E
        assert level(score(unasked, SDM, default_coder()), "ask-before-advising") is N


# --- checking understanding ----------------------------------------------------------------


class TestChunkCheckAndTeachBack:
    def test_does_that_make_sense_is_chunk_and_check_not_teach_back(self) -> None:
        text = "Tablets help most men within a few weeks. Does that make sense?"
        turns = Transcript(turns=[TranscriptTurn(speaker=Speaker.PRACTITIONER, text=text)])
        card = score(turns, SDM, default_coder())
        assert level(card, "chunk-and-check") is E
        assert level(card, "teach-back") is N

    def test_a_check_in_the_next_turn_counts(self) -> None:
        card = scored(["giving_information"], "Hmm.", ["chunk_check"])
        assert criterion(card, "chunk-and-check")[:2] == (E, [0, 2])

    def test_a_check_two_turns_later_is_too_late(self) -> None:
        card = scored(["giving_information"], ".", ["open_question"], ".", ["chunk_check"])
        assert level(card, "chunk-and-check") is N

    def test_checking_most_chunks_is_exemplary(self) -> None:
        chunk = ["giving_information chunk_check"]
        assert level(scored(chunk, ".", chunk, ".", chunk), "chunk-and-check") is X
        assert level(scored(chunk, ".", chunk, ".", ["giving_information"]), "chunk-and-check") is S

    def test_teach_back_after_information(self) -> None:
        card = scored(["giving_information"], "OK.", ["teach_back"])
        assert level(card, "teach-back") is E
        assert level(card, "chunk-and-check") is N

    def test_teach_back_with_no_information_has_nothing_to_build_on(self) -> None:
        _, turns, feedback = criterion(scored(["teach_back"]), "teach-back")
        assert turns == []
        assert "No turn had information, so there was nothing to build this on." in feedback


# --- options, BRAN, what matters, involvement ----------------------------------------------


class TestOptions:
    def test_options_without_doing_nothing_stay_emerging(self) -> None:
        card = scored(["option_talk"], ".", ["option_talk"], ".", ["option_talk"])
        found, _, feedback = criterion(card, "options-including-doing-nothing")
        assert found is E
        assert "The option of doing nothing did not come up, so this stays at emerging." in feedback
        assert "What established is not: Listing only active treatments" in feedback

    def test_options_with_doing_nothing_can_be_exemplary(self) -> None:
        card = scored(["option_talk do_nothing"], ".", ["option_talk"], ".", ["option_talk"])
        assert level(card, "options-including-doing-nothing") is X

    def test_bran_needs_benefits_and_risks_for_the_option(self) -> None:
        half = scored(["option_talk benefits"], ".", ["open_question"])
        assert level(half, "bran-per-option") is N
        whole = scored(["option_talk benefits"], ".", ["risks"])
        assert criterion(whole, "bran-per-option")[:2] == (E, [0, 2])

    def test_bran_without_doing_nothing_is_capped_at_established(self) -> None:
        each = ["option_talk benefits risks"]
        assert level(scored(each, ".", each, ".", each), "bran-per-option") is S
        with_nothing = ["option_talk benefits risks do_nothing"]
        assert level(scored(with_nothing, ".", each, ".", each), "bran-per-option") is X

    @pytest.mark.parametrize(
        ("turns", "expected"),
        [
            ([["option_talk"], ".", ["what_matters"]], E),
            ([["what_matters"], ".", ["option_talk"]], S),
            ([["what_matters"], ".", ["advice"], ".", ["what_matters"]], X),
            ([["advice"], ".", ["what_matters"], ".", ["what_matters"]], E),
            ([["what_matters option_talk"]], S),
            ([["what_matters"]], S),
            ([["option_talk"]], N),
        ],
    )
    def test_what_matters_comes_before_options(
        self, turns: list[str | list[str]], expected: LevelName
    ) -> None:
        assert level(scored(*turns), "what-matters-first") is expected

    def test_the_order_cap_names_the_turn(self) -> None:
        feedback = criterion(scored(["option_talk"], ".", ["what_matters"]), "what-matters-first")[
            2
        ]
        assert "Talk about options or advice came at turn 0, before asking what matters" in feedback

    def test_each_lecture_lowers_involvement(self) -> None:
        involved = [["involvement"], ".", ["involvement"], ".", ["involvement"]]
        assert level(scored(*involved), "involvement-in-deciding") is X
        assert level(scored(*involved, ".", ["persuade"]), "involvement-in-deciding") is S


# --- negative criteria ---------------------------------------------------------------------


class TestAbsence:
    def test_no_slips_in_enough_turns_is_exemplary(self) -> None:
        card = scored(["open_question"], ".", ["empathy"], ".", ["summary"], ".", ["advice"])
        assert criterion(card, "no-lecturing-or-judgement")[:2] == (X, [])

    def test_too_short_to_judge(self) -> None:
        _, _, feedback = criterion(scored(["open_question"]), "plain-language")
        assert level(scored(["open_question"]), "plain-language") is N
        assert "Too little of the conversation to judge" in feedback

    @pytest.mark.parametrize(("slips", "expected"), [(0, X), (1, S), (2, E), (3, N)])
    def test_each_slip_lowers_the_level(self, slips: int, expected: LevelName) -> None:
        turns: list[str | list[str]] = [
            ["jargon"] if i < slips else ["open_question"] for i in range(4)
        ]
        card = scored(*turns)
        assert level(card, "plain-language") is expected
        assert criterion(card, "plain-language")[1] == list(range(slips))


class TestCountAndShare:
    def test_introduction_and_agenda_is_coverage(self) -> None:
        assert level(scored(["introduction"]), "introduction-and-agenda") is E
        full = scored(["introduction agenda_setting"], ".", ["screening"])
        assert level(full, "introduction-and-agenda") is X

    def test_information_before_the_introduction_caps_it(self) -> None:
        card = scored(["giving_information"], ".", ["introduction agenda_setting screening"])
        assert level(card, "introduction-and-agenda") is S

    @pytest.mark.parametrize(
        ("open_", "closed", "expected"),
        [(0, 3, N), (1, 1, E), (2, 2, S), (2, 3, E), (7, 3, X), (6, 3, S)],
    )
    def test_open_questions_use_the_miti_bands(
        self, open_: int, closed: int, expected: LevelName
    ) -> None:
        turns: list[str | list[str]] = [["open_question"]] * open_ + [["closed_question"]] * closed
        assert level(scored(*turns), "open-questions") is expected


# --- summary figures -----------------------------------------------------------------------


class TestSummary:
    def test_figures_are_null_when_undefined(self) -> None:
        summary = scored("Hello?", "Anyone there?").summary
        assert summary.reflection_question_ratio is None
        assert summary.percent_open_questions is None
        assert summary.percent_complex_reflections is None
        assert summary.sdm_score is None
        assert not any(summary.bran.model_dump().values())

    def test_no_questions_but_reflections(self) -> None:
        summary = scored(["complex_reflection"], ".", ["simple_reflection"]).summary
        assert summary.reflection_question_ratio is None
        assert summary.percent_open_questions is None
        assert summary.percent_complex_reflections == 50.0
        assert summary.sdm_score == 0

    def test_no_reflections_gives_a_zero_ratio_and_null_complex_share(self) -> None:
        summary = scored(["closed_question"]).summary
        assert summary.reflection_question_ratio == 0.0
        assert summary.percent_complex_reflections is None

    @pytest.mark.parametrize(
        ("reflections", "questions", "ratio", "expected"),
        [
            (1, 1, 1.0, "fair"),
            (2, 1, 2.0, "good"),
            (3, 4, 0.75, "below fair"),
            (5, 3, 1.67, "fair"),
        ],
    )
    def test_reflection_question_ratio_bands(
        self, reflections: int, questions: int, ratio: float, expected: str
    ) -> None:
        turns: list[str | list[str]] = [["simple_reflection"]] * reflections
        turns += [["open_question"]] * questions
        card = scored(*turns)
        assert card.summary.reflection_question_ratio == ratio
        assert card.bands["reflection_question_ratio"] == expected

    @pytest.mark.parametrize(
        ("value", "figure", "expected"),
        [
            (49.9, "percent_open_questions", "below fair"),
            (50.0, "percent_open_questions", "fair"),
            (69.9, "percent_open_questions", "fair"),
            (70.0, "percent_open_questions", "good"),
            (39.9, "percent_complex_reflections", "below fair"),
            (40.0, "percent_complex_reflections", "fair"),
            (50.0, "percent_complex_reflections", "good"),
            (0.99, "reflection_question_ratio", "below fair"),
            (None, "reflection_question_ratio", None),
        ],
    )
    def test_band_edges(self, value: float | None, figure: str, expected: str | None) -> None:
        assert band(figure, value) == expected

    def test_percentages_at_the_band_edges(self) -> None:
        seven = scored(*[["open_question"]] * 7, *[["closed_question"]] * 3)
        assert seven.summary.percent_open_questions == 70.0
        assert seven.bands["percent_open_questions"] == "good"
        two = scored(["complex_reflection"], ["complex_reflection"], *[["simple_reflection"]] * 3)
        assert two.summary.percent_complex_reflections == 40.0
        assert two.bands["percent_complex_reflections"] == "fair"

    def test_a_turn_with_open_and_closed_questions_counts_for_both(self) -> None:
        summary = scored(["open_question closed_question"]).summary
        assert summary.percent_open_questions == 50.0

    def test_sdm_items_follow_the_documented_formula(self) -> None:
        card = scored(
            ["what_matters"],
            ".",
            ["option_talk do_nothing benefits"],
            ".",
            ["option_talk risks chunk_check"],
            ".",
            ["summary involvement"],
        )
        assert card.sdm_items == {
            "options": 3,  # two option turns + doing nothing
            "partnership": 2,  # one involvement turn
            "information": 3,  # benefits, risks, doing nothing, checked
            "preferences": 2,  # one what-matters turn
            "integration": 4,  # asked, before options, summary after, involvement after
        }
        assert card.summary.sdm_score == 5 * 14
        assert card.summary.bran.model_dump() == {
            "benefits": True,
            "risks": True,
            "alternatives": False,
            "do_nothing": True,
        }

    def test_unchecked_information_scores_at_most_three(self) -> None:
        bran = ["benefits risks alternatives do_nothing"]
        assert scored(bran).sdm_items["information"] == 3
        assert scored(bran, ".", ["teach_back"]).sdm_items["information"] == 4

    def test_sdm_score_reaches_100(self) -> None:
        card = scored(
            ["what_matters involvement"],
            ".",
            ["option_talk do_nothing benefits risks alternatives chunk_check"],
            ".",
            ["option_talk what_matters involvement"],
            ".",
            ["option_talk what_matters involvement goal_setting"],
        )
        assert card.summary.sdm_score == 100


# --- the score card ------------------------------------------------------------------------


class TestScoreCard:
    def test_card_is_versioned_and_names_rubric_and_coder(self) -> None:
        card = score(transcript(["introduction"]), MECC, FakeCoder())
        assert (card.version, card.rubric_id, card.coder) == (1, "mecc-brief", "fake")
        assert [c.id for c in card.criteria] == [c.id for c in MECC.criteria]

    def test_person_turns_carry_no_codes(self) -> None:
        card = scored("What would you do?", ["advice"])
        person = card.turns[0]
        assert (person.codes, person.evidence) == ([], {})
        assert card.turns[1].evidence == {"advice": "advice"}

    def test_quotes_carry_the_turn_and_the_words(self) -> None:
        card = score(
            Transcript(
                turns=[
                    TranscriptTurn(speaker=Speaker.PRACTITIONER, text="What matters most to you?")
                ]
            ),
            SDM,
            default_coder(),
        )
        found = next(c for c in card.criteria if c.id == "what-matters-first")
        assert [(q.turn, q.code, q.words) for q in found.quotes] == [
            (0, "what_matters", "What matters most to you")
        ]
        assert 'Seen at turn 0 ("What matters most to you").' in found.feedback

    def test_feedback_is_descriptor_evidence_and_next_step(self) -> None:
        feedback = criterion(scored(["empathy"]), "empathy")[2]
        descriptors = SDM.criterion("empathy").levels
        assert feedback.startswith(f"Emerging: {descriptors.emerging.descriptor}")
        assert feedback.endswith(f"Next step: {descriptors.established.descriptor}")

    def test_exemplary_feedback_has_no_next_step(self) -> None:
        card = scored(["empathy"], ".", ["empathy"], ".", ["empathy"])
        assert "Next step" not in criterion(card, "empathy")[2]

    def test_scoring_is_deterministic(self) -> None:
        turns = transcript(["what_matters"], ".", ["option_talk do_nothing"])
        assert score(turns, SDM, FakeCoder()) == score(turns, SDM, FakeCoder())
