"""The trained coder: shipped model, merge with the rules, training, metrics, folds."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from app.domain.coding import Behaviour
from app.scoring.factory import default_coder
from app.scoring.rules import RuleCoder
from app.scoring.trained.annomi import DataError, Utterance, read_annomi
from app.scoring.trained.coder import QUESTION_CODES, REFLECTION_CODES, TrainedCoder
from app.scoring.trained.evaluate import agreement, compare, transcript_folds
from app.scoring.trained.features import turn_features
from app.scoring.trained.model import MODEL_PATH, CoderModel, ModelError
from app.scoring.trained.train import fit_model

CODER = TrainedCoder()

# A tiny AnnoMI-like training set: enough for each head to see both of its labels.
TINY = [
    ("What brings you here today?", "", "question", "open", ""),
    ("How do you feel about your drinking?", "I drink a bit.", "question", "open", ""),
    ("What would you like to change?", "Not sure.", "question", "open", ""),
    ("Do you smoke?", "", "question", "closed", ""),
    ("Is that every day?", "I have a few beers.", "question", "closed", ""),
    ("Did you take the tablets?", "Yes.", "question", "closed", ""),
    ("You drink most nights.", "I drink most nights.", "reflection", "", "simple"),
    ("You feel tired.", "I feel tired all the time.", "reflection", "", "simple"),
    ("You're scared it's taking over your life.", "I drink a lot.", "reflection", "", "complex"),
    (
        "Part of you wants to stop, part of you enjoys it.",
        "I like it.",
        "reflection",
        "",
        "complex",
    ),
    ("Smoking raises the risk of heart disease.", "Okay.", "therapist_input", "", ""),
    ("The patch releases nicotine slowly.", "Right.", "therapist_input", "", ""),
    ("Okay.", "Yeah.", "other", "", ""),
    ("Mm-hmm.", "And then it got worse.", "other", "", ""),
    ("Thank you for coming in.", "Bye.", "other", "", ""),
]


def tiny(transcripts: int = 3) -> list[Utterance]:
    return [
        Utterance(str(i % transcripts), text, prev, b, q, r)
        for i, (text, prev, b, q, r) in enumerate(TINY)
    ]


def test_the_default_coder_is_the_trained_coder_with_rule_fine_codes() -> None:
    coder = default_coder()
    assert coder.method == "trained+rules"
    coding = coder.code("What worries you most about the operation?", "I'm not sure.")
    assert coding.method == "trained+rules"
    assert coding.behaviour is Behaviour.QUESTION


@pytest.mark.parametrize(
    ("text", "prev", "behaviour", "qtype", "rtype"),
    [
        ("What would you like to talk about today?", "", "question", "open", ""),
        ("Do you smoke?", "", "question", "closed", ""),
        (
            "So you feel stuck between wanting to quit and being scared of the stress.",
            "I want to quit but my job is so stressful.",
            "reflection",
            "",
            "complex",
        ),
        ("Okay.", "Yeah.", "other", "", ""),
    ],
)
def test_clear_turns_get_the_expected_labels(
    text: str, prev: str, behaviour: str, qtype: str, rtype: str
) -> None:
    coding = CODER.code(text, prev)
    assert (coding.behaviour.value, coding.question_type, coding.reflection_type) == (
        behaviour,
        qtype,
        rtype,
    )


@pytest.mark.parametrize(
    "text",
    [
        "What brings you in today?",
        "Do you take the tablets every day?",
        "You're worried about what the surgery means for your work.",
        "Smoking doubles the risk of a stroke. Does that make sense?",
        "Mm-hmm.",
        "Is it okay if I tell you about the three options? One is to do nothing for now.",
    ],
)
def test_type_codes_follow_the_trained_labels(text: str) -> None:
    coding = CODER.code(text, "I don't know really.")
    question_codes = [c for c in coding.codes if c in QUESTION_CODES]
    reflection_codes = [c for c in coding.codes if c in REFLECTION_CODES]
    if coding.behaviour is Behaviour.QUESTION:
        assert question_codes == [f"{coding.question_type}_question"]
    else:
        assert (question_codes, coding.question_type) == ([], "")
    if coding.behaviour is Behaviour.REFLECTION:
        assert reflection_codes == [f"{coding.reflection_type}_reflection"]
    else:
        assert (reflection_codes, coding.reflection_type) == ([], "")
    assert set(coding.evidence) == set(coding.codes)
    assert all(coding.evidence[code] for code in coding.codes)
    assert 0 < coding.confidence <= 1


def test_fine_codes_other_than_the_type_codes_come_from_the_rules() -> None:
    text = "Is it okay if I share some information about the options?"
    coding = CODER.code(text, "Yes please.")
    ruled = CODER.rules.code(text, "Yes please.")
    assert "ask_permission" in ruled.codes
    assert "ask_permission" in coding.codes
    assert coding.evidence["ask_permission"] == ruled.evidence["ask_permission"]


def test_empty_turn_is_other() -> None:
    coding = CODER.code("   ", "")
    assert (coding.behaviour, coding.codes, coding.method) == (Behaviour.OTHER, [], "trained+rules")


def test_shipped_model_is_small_and_has_the_three_heads() -> None:
    assert MODEL_PATH.stat().st_size < 3 * 1024 * 1024
    model = CoderModel.load(MODEL_PATH)
    assert set(model.heads) == {"behaviour", "question_type", "reflection_type"}
    assert model.heads["behaviour"].labels == ["question", "reflection", "therapist_input", "other"]
    assert model.meta["utterances"] > 1000


def test_training_is_deterministic_and_round_trips(tmp_path: Path) -> None:
    first = fit_model(tiny())
    second = fit_model(tiny())
    assert json.dumps(first.to_json()) == json.dumps(second.to_json())
    path = tmp_path / "m.json.gz"
    first.save(path)
    again = tmp_path / "again.json.gz"
    second.save(again)
    assert path.read_bytes() == again.read_bytes()
    loaded = CoderModel.load(path)
    text, prev = "Do you drink every day?", "Sometimes."
    assert TrainedCoder(loaded).code(text, prev) == TrainedCoder(first).code(text, prev)


def test_a_model_fits_its_own_training_data() -> None:
    utterances = tiny()
    coder = TrainedCoder(fit_model(utterances, c={"behaviour": 100.0}))
    results = compare(utterances, [coder.code(u.text, u.prev_text) for u in utterances])
    assert results[0].accuracy is not None
    assert results[0].accuracy >= 0.9


def test_unreadable_model_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.json.gz"
    with gzip.open(path, "wt") as handle:
        handle.write('{"format": 99}')
    with pytest.raises(ModelError, match="broken.json.gz"):
        CoderModel.load(path)


def test_agreement_figures_match_hand_computation() -> None:
    pairs = [("a", "a")] * 4 + [("a", "b")] + [("b", "b")] * 3 + [("b", "a")] * 2
    result = agreement("x", ["a", "b"], pairs, len(pairs))
    assert result.confusion == [[4, 1], [2, 3]]
    assert result.accuracy == pytest.approx(0.7)
    # F1(a) = 8/11, F1(b) = 6/9; kappa: p_o 0.7, p_e (5*6 + 5*4)/100 = 0.5
    assert result.macro_f1 == pytest.approx((8 / 11 + 6 / 9) / 2)
    assert result.kappa == pytest.approx(0.4)


def test_subtypes_are_scored_where_both_saw_one_and_misses_are_shown() -> None:
    utterances = tiny()
    codings = [CODER.code(u.text, u.prev_text) for u in utterances]
    question = compare(utterances, codings)[1]
    gold = sum(1 for u in utterances if u.question_type)
    assert question.gold_total == gold
    assert question.columns == ["open", "closed", "none"]
    assert sum(map(sum, question.confusion)) == gold
    assert question.n == gold - sum(row[-1] for row in question.confusion)


def test_folds_keep_each_transcript_together() -> None:
    utterances = tiny(transcripts=5)
    folds = transcript_folds(utterances, 3)
    assert sorted(i for fold in folds for i in fold) == list(range(len(utterances)))
    for fold in folds:
        others = {utterances[i].transcript for f in folds if f is not fold for i in f}
        assert not others & {utterances[i].transcript for i in fold}
    with pytest.raises(ValueError, match="folds"):
        transcript_folds(utterances, 6)


def test_annomi_reader_names_the_missing_column(tmp_path: Path) -> None:
    path = tmp_path / "gold.csv"
    path.write_text("transcript_id,utterance_text\n1,Hello\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"gold.csv: missing columns main_therapist_behaviour"):
        read_annomi(path)


def test_annomi_reader_names_the_line_of_a_bad_label(tmp_path: Path) -> None:
    path = tmp_path / "gold.csv"
    header = "transcript_id,utterance_text,main_therapist_behaviour,question_subtype,"
    header += "reflection_subtype,prev_client_text\n"
    path.write_text(header + "1,Hi,question,open,n/a,\n1,Ok,chat,n/a,n/a,\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"gold.csv:3: main_therapist_behaviour 'chat'"):
        read_annomi(path)


def _features(text: str, prev: str) -> dict[str, float]:
    return turn_features(text, prev, RuleCoder().code(text, prev))


def test_reflection_stem_is_marked_only_where_it_opens_the_last_sentence() -> None:
    opening = _features("Okay. So it sounds like you're worried about your job.", "I may lose it.")
    earlier = _features("It sounds like it's a lot. How are you coping?", "It's a lot.")
    assert opening["f:hl:it sounds like"] == 1.0
    assert not any(name.startswith("f:hl:") for name in earlier)


def test_length_buckets_and_pronoun_rates_follow_the_words() -> None:
    short = _features("You feel tired.", "")
    long = _features(" ".join(["We could look at the options together and then decide."] * 4), "")
    assert short["f:lenb0"] == 1.0
    assert "f:lenb0" not in long
    assert long["f:lenb4"] == 1.0
    assert short["f:you"] > 0
    assert short["f:you>me"] == 1.0
    assert long["f:we"] > 0
    assert long["f:you"] == 0.0


def test_overlap_features_measure_how_much_of_the_persons_words_come_back() -> None:
    echo = _features("You drink every night after work.", "I drink every night after work.")
    fresh = _features("You are scared it is taking over.", "I drink every night after work.")
    assert echo["f:prevcov"] > fresh.get("f:prevcov", 0.0)
    assert echo["f:jacc"] > fresh.get("f:jacc", 0.0)
    assert echo["f:allreuse"] > fresh["f:allreuse"]
