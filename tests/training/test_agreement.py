"""Cohen's kappa per code and per criterion, on worked examples computed by hand."""

from __future__ import annotations

import csv
import io

import pytest

from app.scoring.agreement import (
    CSV_COLUMNS,
    LevelJudgement,
    TurnJudgement,
    code_agreement,
    criterion_agreement,
    to_csv,
)


def turn(machine: set[str], human: set[str]) -> TurnJudgement:
    return TurnJudgement(frozenset(machine), frozenset(human))


# Eight turns. open_question: machine on turns 1-4, assessor on 1-3 and 5.
#   agree on 1-3 (present) and 6-8 (absent): p_o = 6/8 = 0.75
#   assessor present 4/8, machine present 4/8: p_e = (4*4 + 4*4)/64 = 0.5
#   kappa = (0.75 - 0.5) / (1 - 0.5) = 0.5
# affirmation: both on turn 6 only: p_o = 1, p_e = (1*1 + 7*7)/64 = 50/64, kappa = 1.0
TURNS = [
    turn({"open_question"}, {"open_question"}),
    turn({"open_question"}, {"open_question"}),
    turn({"open_question"}, {"open_question"}),
    turn({"open_question"}, set()),
    turn(set(), {"open_question"}),
    turn({"affirmation"}, {"affirmation"}),
    turn(set(), set()),
    turn(set(), set()),
]


def test_kappa_per_code_worked_example() -> None:
    rows = {row.name: row for row in code_agreement(TURNS)}
    assert sorted(rows) == ["affirmation", "open_question"]
    assert rows["open_question"].figures.n == 8
    assert rows["open_question"].figures.accuracy == pytest.approx(0.75)
    assert rows["open_question"].figures.kappa == pytest.approx(0.5)
    assert rows["open_question"].overridden == 2
    assert rows["affirmation"].figures.kappa == pytest.approx(1.0)
    assert rows["affirmation"].overridden == 0


# Ten reviews of one criterion (assessor, machine):
#   4 x (established, established), 3 x (emerging, emerging),
#   1 x (established, emerging),    2 x (emerging, established)
#   p_o = 7/10; assessor 5 est / 5 emg, machine 6 est / 4 emg
#   p_e = (5*6 + 5*4)/100 = 0.5; kappa = (0.7 - 0.5)/0.5 = 0.4
LEVELS = (
    [LevelJudgement("options", "established", "established")] * 4
    + [LevelJudgement("options", "emerging", "emerging")] * 3
    + [LevelJudgement("options", "emerging", "established")] * 1
    + [LevelJudgement("options", "established", "emerging")] * 2
)


def test_kappa_per_criterion_worked_example() -> None:
    (row,) = criterion_agreement(LEVELS)
    assert (row.kind, row.name, row.figures.n, row.overridden) == ("criterion", "options", 10, 3)
    assert row.figures.accuracy == pytest.approx(0.7)
    assert row.figures.kappa == pytest.approx(0.4)


def test_kappa_undefined_when_every_judgement_is_one_category() -> None:
    (row,) = criterion_agreement([LevelJudgement("options", "emerging", "emerging")] * 3)
    assert row.figures.accuracy == 1.0
    assert row.figures.kappa is None


def test_unknown_level_is_an_error() -> None:
    with pytest.raises(ValueError, match="criterion options: level 'great' is not on the scale"):
        criterion_agreement([LevelJudgement("options", "great", "emerging")])


def test_no_reviews_gives_no_rows() -> None:
    assert code_agreement([]) == []
    assert criterion_agreement([]) == []


def test_csv_export() -> None:
    rows = [*code_agreement(TURNS), *criterion_agreement(LEVELS)]
    rows.append(criterion_agreement([LevelJudgement("checks", "emerging", "emerging")])[0])
    parsed = list(csv.DictReader(io.StringIO(to_csv(rows))))
    assert tuple(parsed[0]) == CSV_COLUMNS
    by_name = {r["name"]: r for r in parsed}
    assert by_name["open_question"] == {
        "kind": "code",
        "name": "open_question",
        "n": "8",
        "overridden": "2",
        "observed_agreement": "0.7500",
        "kappa": "0.5000",
    }
    assert by_name["options"]["kappa"] == "0.4000"
    assert by_name["checks"]["kappa"] == ""  # undefined, not zero
