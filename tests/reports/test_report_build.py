"""Reports of the two written consultations differ in the ways a clinical educator expects."""

from __future__ import annotations

from app.domain.conversation import Speaker
from app.domain.rubric import Rubric
from app.domain.scorecard import ScoreCard
from app.domain.transcript import Transcript, TranscriptTurn
from app.reports.build import build_report
from app.reports.model import Report
from app.scoring.engine import score
from app.scoring.rules import RuleCoder


def test_strengths_only_where_there_is_evidence(
    person_centred: Report, paternalistic: Report
) -> None:
    assert len(person_centred.opening.went_well) >= 1
    assert paternalistic.opening.went_well == []
    assert paternalistic.opening.try_next, "the weaker consultation still gets next steps"


def test_every_opening_point_quotes_the_turns_it_names(person_centred: Report) -> None:
    for point in [*person_centred.opening.went_well, *person_centred.opening.try_next]:
        assert point.turns, point.text
        assert all(f"turn {turn}" in point.text for turn in point.turns[:1])


def test_quoted_evidence_comes_from_its_turn_and_the_reaction_is_the_next_person_turn(
    person_centred: Report,
) -> None:
    turns = person_centred.card.turns
    items = [item for c in person_centred.criteria for item in c.evidence]
    assert items
    for item in items:
        assert turns[item.turn].speaker.value == "practitioner"
        assert item.words.rstrip(".").removesuffix("..") in turns[item.turn].text
        later = [t for t in turns[item.turn + 1 :] if t.speaker.value == "person"]
        if not later:
            assert item.reaction is None
            continue
        assert item.reaction is not None
        assert item.reaction.turn == later[0].index
        assert turns[item.reaction.turn].speaker.value == "person"


def test_missed_moments_match_the_style(person_centred: Report, paternalistic: Report) -> None:
    weak = {m.kind for m in paternalistic.missed}
    strong = {m.kind for m in person_centred.missed}
    assert {"closed_question", "lecturing", "information_unchecked"} <= weak
    assert not {"lecturing", "advice_unasked", "information_unchecked"} & strong
    assert len(paternalistic.missed) > len(person_centred.missed)


def test_rephrasings_are_templated_open_questions_in_context(paternalistic: Report) -> None:
    assert paternalistic.rephrasing_source == "template"
    closed = [m for m in paternalistic.missed if m.kind == "closed_question"]
    first = closed[0]
    assert first.said == "How many times do you get up at night?"
    assert first.suggestion.startswith(("What", "How", "Tell"))
    assert "get up at night" in first.suggestion
    assert all(m.source == "template" for m in paternalistic.missed)


def test_person_view_trust_rises_for_one_and_falls_for_the_other(
    person_centred: Report, paternalistic: Report
) -> None:
    for report in (person_centred, paternalistic):
        assert report.person.source == "replayed"
        assert report.person.points
    rose = person_centred.person.points[-1].trust - (person_centred.person.start_trust or 0)
    fell = paternalistic.person.points[-1].trust - (paternalistic.person.start_trust or 0)
    assert rose > 0 > fell
    assert "more" in person_centred.person.summary
    assert "less" in paternalistic.person.summary


def test_figures_have_bands_and_explanations(person_centred: Report, paternalistic: Report) -> None:
    for report in (person_centred, paternalistic):
        assert [f.key for f in report.figures] == [
            "percent_open_questions",
            "reflection_question_ratio",
            "percent_complex_reflections",
            "sdm_score",
            "bran",
        ]
        for figure in report.figures:
            assert figure.explanation.count(".") == 1, figure.explanation
            assert figure.band_note
    open_pc = person_centred.figures[0]
    open_pa = paternalistic.figures[0]
    assert (open_pc.band, open_pa.band) == ("fair", "below fair")
    unmeasured = paternalistic.figures[2]
    assert unmeasured.value is None
    assert unmeasured.display == "not measured"


def test_no_records_degrades_to_an_empty_person_view(paternalistic: Report) -> None:
    card: ScoreCard = paternalistic.card.model_copy(update={"scenario": None})
    report = build_report(card, title="no scenario")
    assert report.person.source == "none"
    assert report.person.points == []
    assert report.person.kept_back == []
    assert report.person_name == "The person"


def test_transcript_filter_keeps_only_turns_with_the_code(paternalistic: Report) -> None:
    closed = paternalistic.turns_with("closed_question")
    assert [t.index for t in closed] == [3, 5, 7, 9, 21, 23, 27]
    assert len(paternalistic.turns_with(None)) == len(paternalistic.card.turns)


def test_evidence_says_which_quotes_met_the_criterion_and_which_fell_short(
    person_centred: Report, paternalistic: Report
) -> None:
    named = {"met": "shown", "missed": "missed", "slip": "slip"}
    for report in (person_centred, paternalistic):
        for view, scored in zip(report.criteria, report.card.criteria, strict=True):
            outcomes = {(q.turn, q.code): q.outcome for q in scored.quotes}
            for item in view.evidence:
                assert outcomes[(item.turn, item.code)] is not None
                assert item.kind == named[outcomes[(item.turn, item.code)]]
    by_id = {c.id: c for c in paternalistic.criteria}
    assert {i.kind for i in by_id["plain-language"].evidence} == {"slip"}
    assert {i.kind for i in by_id["no-lecturing-or-judgement"].evidence} == {"slip"}
    assert {i.kind for i in by_id["open-questions"].evidence} == {"missed"}
    assert {i.kind for i in by_id["chunk-and-check"].evidence} == {"missed"}
    exemplary = [c for c in person_centred.criteria if c.level.value == "exemplary"]
    assert exemplary
    for criterion in exemplary:
        kinds = [i.kind for i in criterion.evidence]
        assert not kinds or "shown" in kinds, criterion.id


def test_a_turn_flagged_as_a_slip_is_never_praised(rubric: Rubric) -> None:
    """Advice that pressed the person counts for 'ask before advising' when they had just
    asked something, but the opening does not hold it up as going well."""
    transcript = Transcript(
        scenario=None,
        turns=[
            TranscriptTurn(speaker=Speaker.PERSON, text="What should I do about it?"),
            TranscriptTurn(
                speaker=Speaker.PRACTITIONER,
                text="You need to have the operation, it's the sensible choice.",
            ),
            TranscriptTurn(speaker=Speaker.PERSON, text="Well, you're the expert."),
        ],
    )
    report = build_report(score(transcript, rubric, RuleCoder()), title="pressing")
    slips = {i.turn for c in report.criteria for i in c.evidence if i.kind == "slip"}
    assert 1 in slips
    assert all(1 not in point.turns for point in report.opening.went_well)
