"""Rubric files: the shipped ones load, and every mistake is reported as ``file:line``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import cli
from app.content.errors import ContentError
from app.content.rubrics import load_rubric, load_rubrics
from app.domain.rubric import Rubric
from app.domain.rubric_rules import CODE_BOOK
from app.scoring.rules import CODE_ORDER

REPO = Path(__file__).resolve().parents[2]
RUBRICS = REPO / "rubrics"
RUBRIC_FILES = sorted(RUBRICS.glob("*.yaml"))
UNKNOWN_KEY = "unknown key (check the spelling against rubrics/README.md)"

# A valid rubric; tests edit it by line number (1-based, as in the messages).
BASE = """\
id: sample
title: A sample
description: One criterion.
seed_refs: ["000:1273"]
criteria:
  - id: asks-first
    title: Ask before advising
    description: Advice after permission.
    seed_refs: ["000:1273"]
    evidence:
      before: {codes: [advice], preceded_by: [ask_permission], within_turns: 2}
    levels:
      not_yet:
        descriptor: Not yet.
        what_it_is_not: Advice unasked.
      emerging:
        when: {min_count: 1}
        descriptor: Once.
        what_it_is_not: Permission in the same breath.
      established:
        when: {min_count: 2, min_share: 0.5}
        descriptor: Mostly.
        what_it_is_not: Pushing after permission.
      exemplary:
        when: {min_count: 3, min_share: 0.8}
        descriptor: Always.
        what_it_is_not: Lecturing.
""".splitlines()


def edited(
    replace: dict[int, str] | None = None,
    insert_after: dict[int, list[str]] | None = None,
    delete: tuple[int, ...] = (),
) -> str:
    """BASE with lines replaced, inserted or deleted; line numbers refer to BASE."""
    out: list[str] = []
    for number, line in enumerate(BASE, start=1):
        if number not in delete:
            out.append((replace or {}).get(number, line))
        out.extend((insert_after or {}).get(number, []))
    return "\n".join(out) + "\n"


def write(folder: Path, text: str, name: str = "sample.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def issues_of(path: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_rubric(path)
    return [str(issue) for issue in caught.value.issues]


# --- the shipped rubrics -----------------------------------------------------------------


def test_the_rubrics_folder_has_both_rubrics() -> None:
    assert {path.stem for path in RUBRIC_FILES} == {"sdm-core", "mecc-brief"}


@pytest.mark.parametrize("path", RUBRIC_FILES, ids=lambda path: path.stem)
def test_every_rubric_file_loads(path: Path) -> None:
    rubric = load_rubric(path)
    assert rubric.id == path.stem
    assert all(criterion.seed_refs for criterion in rubric.criteria)


def test_sdm_core_covers_the_skills_and_sdm_guidance() -> None:
    rubric = load_rubric(RUBRICS / "sdm-core.yaml")
    assert [c.id for c in rubric.criteria] == [
        "introduction-and-agenda",
        "open-questions",
        "reflections",
        "empathy",
        "affirmation",
        "summarising",
        "ask-before-advising",
        "chunk-and-check",
        "teach-back",
        "options-including-doing-nothing",
        "bran-per-option",
        "what-matters-first",
        "involvement-in-deciding",
        "goals-and-follow-up",
        "no-lecturing-or-judgement",
        "plain-language",
    ]


@pytest.mark.parametrize("path", RUBRIC_FILES, ids=lambda path: path.stem)
def test_rubrics_are_formative(path: Path) -> None:
    text = path.read_text(encoding="utf-8").lower()
    assert "pass mark:" not in text
    assert not re.search(r"\b(?:pass|fail)(?:ed|es)?\b(?! mark)", text)


def test_the_rule_code_book_matches_the_coder() -> None:
    assert CODE_BOOK == CODE_ORDER


def test_load_rubrics_keeps_good_files_and_reports_broken_ones(tmp_path: Path) -> None:
    write(tmp_path, edited(), "sample.yaml")
    write(tmp_path, edited(replace={1: "id: other"}), "other.yaml")
    write(tmp_path, "id: [", "broken.yaml")
    write(tmp_path, edited(), "misnamed.yaml")
    library = load_rubrics(tmp_path)
    assert sorted(library.rubrics) == ["other", "sample"]
    assert library.get("missing") is None
    assert sorted(issue.path.name for issue in library.issues) == ["broken.yaml", "misnamed.yaml"]


def test_the_readme_example_is_a_valid_rubric(tmp_path: Path) -> None:
    readme = (RUBRICS / "README.md").read_text(encoding="utf-8")
    examples = re.findall(r"```yaml\n(.*?)```", readme, re.DOTALL)
    rubric = load_rubric(write(tmp_path, examples[-1], "checking-understanding.yaml"))
    assert isinstance(rubric, Rubric)
    assert rubric.criteria[0].lowered_by is not None


# --- error reporting: file:line: message -------------------------------------------------


def test_base_is_valid(tmp_path: Path) -> None:
    assert load_rubric(write(tmp_path, edited())).id == "sample"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"insert_after": {9: ["    weight: 2"]}},
            f"10: criteria.0.weight: {UNKNOWN_KEY}",
        ),
        (
            {"replace": {11: "      before: {codes: [advise], preceded_by: [ask_permission]}"}},
            "11: criteria.0.evidence.before.codes.0: Value error, unknown code 'advise'",
        ),
        (
            {"insert_after": {11: ["      count: {codes: [advice]}"]}},
            "11: criteria.0.evidence: Value error, give exactly one of count, share,",
        ),
        (
            {"replace": {11: "      before: {codes: [advice], preceded_by: [], within_turns: 2}"}},
            "11: criteria.0.evidence.before.preceded_by: List should have at least 1 item",
        ),
        (
            {"replace": {21: "        when: {min_count: 2, min_share: 1.5}"}},
            "21: criteria.0.levels.established.when.min_share: Input should be less than or "
            "equal to 1",
        ),
        (
            {"delete": (24, 25, 26, 27)},
            "12: criteria.0.levels.exemplary: required key is missing",
        ),
        (
            {"replace": {17: "        when: {}"}},
            "17: criteria.0.levels.emerging.when: Value error, give at least one of",
        ),
        (
            {"insert_after": {9: ["    requires: {codes: [ask_permission], at_most: halfway}"]}},
            "10: criteria.0.requires.at_most: Input should be 'not_yet', 'emerging',",
        ),
        (
            {"replace": {4: "seed_refs: [000-1273]"}},
            "4: seed_refs.0: String should match pattern",
        ),
        (
            {"delete": (15,)},
            "13: criteria.0.levels.not_yet.what_it_is_not: required key is missing",
        ),
        (
            {
                "insert_after": {
                    11: ["    order: {first: [what_matters], then: [advise], at_most: emerging}"]
                }
            },
            "12: criteria.0.order.then.0: Value error, unknown code 'advise'",
        ),
        (
            {"replace": {5: "criteria: []"}, "delete": tuple(range(6, 28))},
            "5: criteria: List should have at least 1 item",
        ),
    ],
)
def test_mistakes_are_reported_at_their_line(
    tmp_path: Path, change: dict[str, object], expected: str
) -> None:
    path = write(tmp_path, edited(**change))  # type: ignore[arg-type]
    issues = issues_of(path)
    assert any(issue.startswith(f"{path}:{expected}") for issue in issues), issues


@pytest.mark.parametrize(
    ("line", "text", "message"),
    [
        (
            25,
            "        when: {min_count: 1, min_share: 0.8}",
            "levels.exemplary.when.min_count asks less than levels.established.when.min_count",
        ),
        (
            25,
            "        when: {min_share: 0.8}",
            "levels.exemplary.when: needs min_count, as established has it",
        ),
        (
            17,
            "        when: {max_count: 1}",
            "levels.emerging.when: max_count does not fit the 'before' measure",
        ),
    ],
)
def test_level_thresholds_are_checked_at_the_criterion(
    tmp_path: Path, line: int, text: str, message: str
) -> None:
    path = write(tmp_path, edited(replace={line: text}))
    (issue,) = issues_of(path)
    assert issue.startswith(f"{path}:6: criteria.0: Value error, {message}"), issue


def test_duplicate_criterion_ids_are_an_error(tmp_path: Path) -> None:
    criterion = BASE[5:]
    path = write(tmp_path, "\n".join([*BASE, *criterion]) + "\n")
    (issue,) = issues_of(path)
    assert issue == f"{path}:6: criteria: Value error, criterion id 'asks-first' is used twice"


def test_id_must_match_the_file_name(tmp_path: Path) -> None:
    path = write(tmp_path, edited(), "other-name.yaml")
    assert issues_of(path) == [f"{path}:1: id: 'sample' must match the file name 'other-name'"]


def test_yaml_syntax_errors_have_a_line(tmp_path: Path) -> None:
    path = write(tmp_path, edited(replace={7: "    title: [unclosed"}))
    (issue,) = issues_of(path)
    assert re.match(rf"{re.escape(str(path))}:\d+: YAML syntax: ", issue)


def test_validate_command_checks_rubric_files(tmp_path: Path) -> None:
    folder = tmp_path / "rubrics"
    folder.mkdir()
    good = write(folder, edited())
    bad = write(
        folder, edited(insert_after={9: ["    weight: 2"]}, replace={1: "id: bad"}), "bad.yaml"
    )
    result = CliRunner().invoke(cli, ["validate", str(folder)])
    assert result.exit_code == 1
    assert f"{bad}:10: criteria.0.weight: {UNKNOWN_KEY}" in result.stdout
    assert str(good) not in result.stdout
    assert "2 files checked, 1 with errors" in result.stdout


def test_validate_command_passes_the_shipped_rubrics() -> None:
    result = CliRunner().invoke(cli, ["validate", str(RUBRICS)])
    assert result.exit_code == 0, result.stdout
    assert "0 with errors" in result.stdout
