"""Scenario files: the shipped ones load, and every mistake is reported as ``file:line``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.content.errors import ContentError
from app.content.scenarios import load_library, load_scenario
from app.domain.coding import CODE_BOOK as DOMAIN_CODE_BOOK
from app.domain.scenario import PersonRole, Scenario

REPO = Path(__file__).resolve().parents[2]
SCENARIOS = REPO / "scenarios"
SCENARIO_FILES = sorted(SCENARIOS.glob("*.yaml"))

# The turn codes of DESIGN.md section 5; a scripted line's `codes` must use these names.
CODE_BOOK = set(DOMAIN_CODE_BOOK)

UNKNOWN_KEY = "unknown key (check the spelling against scenarios/README.md)"

# A valid scenario; tests edit it by line number (1-based, as in the messages).
BASE = """\
id: sample
title: A sample
seed_refs: ["000:666-668"]
setting: A clinic.
time_available_minutes: 10
brief: Talk with Sam.
person:
  name: Sam
  age: 60
  about: Sam is sixty.
  speaking_style: Plain.
opening_line: Hello.
open_facts:
  - Sam likes walking.
scripted:
  lines:
    - cues: [walk]
      say: I walk every day.
    - codes: [empathy]
      say: Thank you.
    - cues: [worried]
      say: I am worried.
  fallback:
    - Go on.
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


def sentences(text: str) -> int:
    return len(re.findall(r"[.!?]+(?:\s|$)", text))


def issues_of(path: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_scenario(path)
    assert str(caught.value) == "\n".join(str(issue) for issue in caught.value.issues)
    return [str(issue) for issue in caught.value.issues]


# --- the shipped scenarios -------------------------------------------------------------


def test_the_scenarios_folder_has_the_exemplars() -> None:
    stems = {path.stem for path in SCENARIO_FILES}
    assert {"prostate-decision", "carer-in-crisis"} <= stems


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda path: path.stem)
def test_every_scenario_file_loads(path: Path) -> None:
    scenario = load_scenario(path)
    assert scenario.id == path.stem


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda path: path.stem)
def test_scripted_codes_are_in_the_code_book(path: Path) -> None:
    scenario = load_scenario(path)
    used = {code for line in scenario.scripted.lines for code in line.codes}
    assert used <= CODE_BOOK, f"unknown codes: {sorted(used - CODE_BOOK)}"


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda path: path.stem)
def test_every_scripted_line_can_be_chosen(path: Path) -> None:
    scenario = load_scenario(path)
    for index, line in enumerate(scenario.scripted.lines):
        assert line.cues or line.codes, f"scripted.lines.{index} has neither cues nor codes"


@pytest.mark.parametrize("scenario_id", ["prostate-decision", "carer-in-crisis"])
def test_exemplars_are_rich_enough_to_run_without_a_model(scenario_id: str) -> None:
    scenario = load_scenario(SCENARIOS / f"{scenario_id}.yaml")
    assert len(scenario.scripted.lines) >= 12
    assert len(scenario.scripted.fallback) >= 4
    assert 5 <= len(scenario.open_facts) <= 8
    too_long = [line.say for line in scenario.scripted.lines if sentences(line.say) > 3]
    assert too_long == []


def test_prostate_decision_is_seeded_from_s12() -> None:
    scenario = load_scenario(SCENARIOS / "prostate-decision.yaml")
    assert "000:666-668" in scenario.seed_refs
    assert scenario.person.role is PersonRole.PATIENT
    cues = {cue.lower() for line in scenario.scripted.lines for cue in line.cues}
    assert {"watch", "friends", "surgery", "tablets", "what matters"} <= cues


def test_carer_in_crisis_is_a_carer_seeded_from_s9() -> None:
    scenario = load_scenario(SCENARIOS / "carer-in-crisis.yaml")
    assert "000:534-536" in scenario.seed_refs
    assert scenario.person.role is PersonRole.CARER
    assert scenario.person.cares_for
    assert scenario.person.name.startswith("Jackie")


def test_the_readme_example_is_a_valid_scenario(tmp_path: Path) -> None:
    readme = (SCENARIOS / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(.*?)```", readme, re.DOTALL)
    assert example is not None
    scenario = load_scenario(write(tmp_path, example.group(1), "knee-decision.yaml"))
    assert isinstance(scenario, Scenario)


# --- error reporting: file:line: message -----------------------------------------------


def test_base_is_valid(tmp_path: Path) -> None:
    assert load_scenario(write(tmp_path, edited())).id == "sample"


def test_unknown_key_is_reported_at_the_key(tmp_path: Path) -> None:
    path = write(tmp_path, edited(insert_after={11: ["  favourite_colour: blue"]}))
    assert issues_of(path) == [f"{path}:12: person.favourite_colour: {UNKNOWN_KEY}"]


def test_unknown_key_with_a_block_value_is_reported_at_the_key_not_the_value(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, edited(insert_after={12: ["opening_lines:", "  - Hello."]}))
    assert issues_of(path) == [f"{path}:13: opening_lines: {UNKNOWN_KEY}"]


def test_missing_key_in_a_section_is_reported_at_the_section(tmp_path: Path) -> None:
    path = write(tmp_path, edited(delete=(11,)))
    assert issues_of(path) == [f"{path}:7: person.speaking_style: required key is missing"]


def test_missing_top_level_key_is_reported_at_the_first_key(tmp_path: Path) -> None:
    text = "# A comment header.\n\n" + edited(delete=(6,))
    path = write(tmp_path, text)
    assert issues_of(path) == [f"{path}:3: brief: required key is missing"]


def test_wrong_type_is_reported_at_the_value(tmp_path: Path) -> None:
    path = write(tmp_path, edited(replace={9: '  age: "old"'}))
    assert issues_of(path) == [
        f"{path}:9: person.age: Input should be a valid integer, "
        "unable to parse string as an integer"
    ]


def test_value_out_of_range_and_bad_enum(tmp_path: Path) -> None:
    path = write(tmp_path, edited(replace={9: "  age: 200"}, insert_after={9: ["  role: nurse"]}))
    assert issues_of(path) == [
        f"{path}:9: person.age: Input should be less than or equal to 120",
        f"{path}:10: person.role: Input should be 'patient', 'carer' or 'proxy'",
    ]


def test_bad_seed_ref_in_a_flow_list(tmp_path: Path) -> None:
    path = write(tmp_path, edited(replace={3: 'seed_refs: ["000:666-668", "line 12"]'}))
    assert issues_of(path) == [
        f"{path}:3: seed_refs.1: String should match pattern '^\\d{{3}}:\\d+(-\\d+)?$'"
    ]


def test_empty_value_is_reported_at_its_key(tmp_path: Path) -> None:
    path = write(tmp_path, edited(replace={23: "  fallback:"}, delete=(24,)))
    assert issues_of(path) == [f"{path}:23: scripted.fallback: Input should be a valid list"]


def test_yaml_syntax_error_bad_indentation(tmp_path: Path) -> None:
    path = write(tmp_path, edited(replace={9: "   age: 60"}))
    assert issues_of(path) == [f"{path}:9: YAML syntax: mapping values are not allowed here"]


def test_yaml_syntax_error_unclosed_flow_list(tmp_path: Path) -> None:
    path = write(tmp_path, edited(replace={3: 'seed_refs: ["000:666-668"'}))
    # PyYAML notices the unclosed "[" on the next line.
    assert issues_of(path) == [f"{path}:4: YAML syntax: expected ',' or ']', but got '<scalar>'"]


def test_yaml_syntax_error_tab_indentation(tmp_path: Path) -> None:
    path = write(tmp_path, edited(replace={9: "\tage: 60"}))
    assert issues_of(path) == [
        f"{path}:9: YAML syntax: found character '\\t' that cannot start any token"
    ]


def test_id_must_match_the_file_name(tmp_path: Path) -> None:
    path = write(tmp_path, edited(), name="other.yaml")
    assert issues_of(path) == [f"{path}:1: id: 'sample' must match the file name 'other'"]


def test_list_item_error_points_at_the_item_line(tmp_path: Path) -> None:
    path = write(tmp_path, edited(replace={22: '      say: ""'}))
    assert issues_of(path) == [
        f"{path}:22: scripted.lines.2.say: String should have at least 1 character"
    ]


def test_blank_say_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, edited(replace={22: '      say: "   "'}))
    assert issues_of(path) == [
        f"{path}:22: scripted.lines.2.say: String should have at least 1 character"
    ]


def test_missing_key_in_a_list_item_points_at_the_item(tmp_path: Path) -> None:
    path = write(tmp_path, edited(delete=(22,)))
    assert issues_of(path) == [f"{path}:21: scripted.lines.2.say: required key is missing"]


def test_several_issues_are_all_reported_in_line_order(tmp_path: Path) -> None:
    text = edited(
        replace={9: "  age: old", 22: '      say: ""'},
        insert_after={1: ["mystery: 1"], 11: ["  favourite_colour: blue"]},
        delete=(6,),
    )
    path = write(tmp_path, text)
    assert issues_of(path) == [
        f"{path}:1: brief: required key is missing",
        f"{path}:2: mystery: {UNKNOWN_KEY}",
        f"{path}:9: person.age: Input should be a valid integer, "
        "unable to parse string as an integer",
        f"{path}:12: person.favourite_colour: {UNKNOWN_KEY}",
        f"{path}:23: scripted.lines.2.say: String should have at least 1 character",
    ]


@pytest.mark.parametrize("text", ["", "# only a comment\n", "- a\n- list\n", "just text\n"])
def test_top_level_must_be_a_mapping(tmp_path: Path, text: str) -> None:
    path = write(tmp_path, text)
    assert issues_of(path) == [f"{path}:1: expected a mapping of keys at the top level"]


def test_non_utf8_file_is_an_issue_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "sample.yaml"
    path.write_bytes(edited(replace={2: "title: Caf\xe9"}).encode("latin-1"))
    assert issues_of(path) == [
        f"{path}:2: not UTF-8 text (byte 0xe9); save the file as UTF-8",
    ]


def test_control_character_is_an_issue_not_a_crash(tmp_path: Path) -> None:
    path = write(tmp_path, edited(replace={4: "setting: A\x00clinic."}))
    assert issues_of(path) == [
        f"{path}:4: YAML syntax: control character #x0000 is not allowed",
    ]


# --- a folder of scenarios ---------------------------------------------------------------


def test_load_library_keeps_the_good_and_reports_the_broken(tmp_path: Path) -> None:
    good = write(tmp_path, edited())
    broken = write(tmp_path, edited(replace={1: "id: broken", 9: "  age: old"}), "broken.yaml")
    (tmp_path / "notes.txt").write_text("not a scenario", encoding="utf-8")

    library = load_library(tmp_path)

    assert list(library.scenarios) == ["sample"]
    assert library.get("sample") == load_scenario(good)
    assert library.get("broken") is None
    assert library.sources["sample"] == good.read_text(encoding="utf-8")
    assert [str(issue) for issue in library.issues] == [
        f"{broken}:9: person.age: Input should be a valid integer, "
        "unable to parse string as an integer"
    ]
    assert all(issue.path == broken for issue in library.issues)


def test_load_library_survives_unreadable_content(tmp_path: Path) -> None:
    write(tmp_path, edited())
    (tmp_path / "latin.yaml").write_bytes(b"id: latin\ntitle: Caf\xe9\n")
    (tmp_path / "syntax.yaml").write_text("id: syntax\n  title: x\n", encoding="utf-8")

    library = load_library(tmp_path)

    assert list(library.scenarios) == ["sample"]
    assert sorted(issue.path.name for issue in library.issues) == ["latin.yaml", "syntax.yaml"]


def test_load_library_of_the_shipped_scenarios_has_no_issues() -> None:
    library = load_library(SCENARIOS)
    assert [str(issue) for issue in library.issues] == []
    assert set(library.scenarios) == {path.stem for path in SCENARIO_FILES}
