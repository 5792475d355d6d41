"""``rehearse score-transcript`` keeps the JSON contract of DESIGN.md section 9."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from app.cli import cli

PROJECT = Path(__file__).resolve().parent.parent
TRANSCRIPTS = PROJECT / "tests" / "fixtures" / "transcripts"
PERSON_CENTRED = TRANSCRIPTS / "person_centred.json"
LEVELS = {"not_yet", "emerging", "established", "exemplary"}
SUMMARY_KEYS = [
    "reflection_question_ratio",
    "percent_open_questions",
    "percent_complex_reflections",
    "sdm_score",
    "bran",
]


@pytest.fixture(autouse=True)
def rubrics_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The shipped rubrics, whatever the developer's environment says."""
    monkeypatch.setenv("REHEARSE_RUBRICS_DIR", str(PROJECT / "rubrics"))


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, ["score-transcript", *args])


def card(*args: str) -> dict[str, Any]:
    result = run(*args)
    assert result.exit_code == 0, result.stderr
    parsed: dict[str, Any] = json.loads(result.stdout)
    return parsed


def write(folder: Path, text: str, name: str = "t.json") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# DESIGN.md section 9: these keys, in this order, come first; the additive keys follow.
TOP_KEYS = ["turns", "criteria", "summary"]
TURN_KEYS = ["index", "speaker", "text", "codes", "evidence"]
CRITERION_KEYS = ["id", "title", "level", "evidence_turns", "feedback"]
ADDED_TOP = ["bands", "scoring"]
ADDED_TURN = ["method", "reaction"]
ADDED_CRITERION = ["method", "quotes"]


class TestContract:
    def test_exact_keys_and_types(self) -> None:
        out = card(str(PERSON_CENTRED))
        assert list(out) == TOP_KEYS + ADDED_TOP
        for index, turn in enumerate(out["turns"]):
            assert list(turn) == TURN_KEYS + ADDED_TURN
            assert turn["index"] == index
            assert turn["speaker"] in {"practitioner", "person"}
            assert isinstance(turn["text"], str)
            assert isinstance(turn["codes"], list)
            assert all(isinstance(code, str) for code in turn["codes"])
            assert isinstance(turn["evidence"], dict)
            assert set(turn["evidence"]) == set(turn["codes"])
            assert all(isinstance(words, str) for words in turn["evidence"].values())
        for criterion in out["criteria"]:
            assert list(criterion) == CRITERION_KEYS + ADDED_CRITERION
            assert criterion["level"] in LEVELS
            assert all(isinstance(i, int) for i in criterion["evidence_turns"])
            assert criterion["evidence_turns"] == sorted(set(criterion["evidence_turns"]))
            assert isinstance(criterion["feedback"], str)
            assert criterion["feedback"]
        summary = out["summary"]
        assert list(summary) == SUMMARY_KEYS
        assert list(summary["bran"]) == ["benefits", "risks", "alternatives", "do_nothing"]
        assert all(isinstance(value, bool) for value in summary["bran"].values())
        assert isinstance(summary["reflection_question_ratio"], float)
        assert isinstance(summary["sdm_score"], int)
        assert 0 <= summary["sdm_score"] <= 100

    def test_additive_keys(self) -> None:
        out = card(str(PERSON_CENTRED))
        turns = out["turns"]
        for turn in turns:
            practitioner = turn["speaker"] == "practitioner"
            if practitioner:
                assert turn["method"] == out["scoring"]["codes"]
            else:
                assert turn["method"] is None
            following = turns[turn["index"] + 1] if turn["index"] + 1 < len(turns) else None
            spoke_next = practitioner and following and following["speaker"] == "person"
            assert turn["reaction"] == (following["text"] if spoke_next else None)
        for criterion in out["criteria"]:
            assert criterion["method"] == "rules"
            assert sorted({q["turn"] for q in criterion["quotes"]}) == criterion["evidence_turns"]
            for quote in criterion["quotes"]:
                assert list(quote) == ["turn", "code", "words", "reaction", "outcome"]
                assert quote["reaction"] == turns[quote["turn"]]["reaction"]
                assert quote["outcome"] in {"met", "missed", "slip"}
        assert set(out["bands"]) == {
            "reflection_question_ratio",
            "percent_open_questions",
            "percent_complex_reflections",
        }
        assert set(out["bands"].values()) <= {"good", "fair", "below fair", None}
        assert out["scoring"]["requested"] == "rules"
        assert out["scoring"]["criteria"] == "rules"
        assert out["scoring"]["notes"] == []

    def test_person_turns_have_no_codes(self) -> None:
        out = card(str(PERSON_CENTRED))
        person = [turn for turn in out["turns"] if turn["speaker"] == "person"]
        assert person
        assert all(t["codes"] == [] and t["evidence"] == {} for t in person)

    def test_default_rubric_is_sdm_core(self) -> None:
        ids = [c["id"] for c in card(str(PERSON_CENTRED))["criteria"]]
        assert ids[0] == "introduction-and-agenda"
        assert "bran-per-option" in ids
        assert card(str(PERSON_CENTRED), "--format", "json") == card(str(PERSON_CENTRED))

    def test_mecc_brief_rubric(self) -> None:
        ids = [c["id"] for c in card(str(PERSON_CENTRED), "--rubric", "mecc-brief")["criteria"]]
        assert ids == ["ask", "advise-with-permission", "assist", "listening", "no-lecturing"]

    def test_undefined_figures_are_null(self, tmp_path: Path) -> None:
        path = write(tmp_path, '{"scenario": null, "turns": [{"speaker": "person", "text": "Hi"}]}')
        summary = card(str(path))["summary"]
        assert summary == {
            "reflection_question_ratio": None,
            "percent_open_questions": None,
            "percent_complex_reflections": None,
            "sdm_score": None,
            "bran": {"benefits": False, "risks": False, "alternatives": False, "do_nothing": False},
        }

    def test_output_file(self, tmp_path: Path) -> None:
        out = tmp_path / "card.json"
        result = run(str(PERSON_CENTRED), "-o", str(out))
        assert result.exit_code == 0, result.stderr
        assert result.stdout == ""
        assert json.loads(out.read_text(encoding="utf-8")) == card(str(PERSON_CENTRED))

    def test_rubrics_dir_setting_is_used(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        shutil.copy(PROJECT / "rubrics" / "mecc-brief.yaml", tmp_path)
        monkeypatch.setenv("REHEARSE_RUBRICS_DIR", str(tmp_path))
        assert card(str(PERSON_CENTRED), "--rubric", "mecc-brief")["criteria"]
        result = run(str(PERSON_CENTRED))
        assert result.exit_code == 2
        assert f"There is no rubric 'sdm-core' in {tmp_path}. Available: mecc-brief." in (
            result.stderr
        )


class TestErrors:
    def errors(self, *args: str) -> str:
        result = run(*args)
        assert result.exit_code == 2
        assert result.stdout == ""
        return result.stderr

    def test_not_json(self, tmp_path: Path) -> None:
        path = write(tmp_path, '{"turns": [\n  oops\n]}')
        assert self.errors(str(path)).startswith(f"{path}:2: not valid JSON: ")

    @pytest.mark.parametrize(
        ("text", "problem"),
        [
            ("[]", "(top level): Input should be a valid dictionary"),
            ('{"scenario": null}', "turns: Field required"),
            (
                '{"turns": [{"speaker": "doctor", "text": "Hi"}]}',
                "turns.0.speaker: Input should be",
            ),
            ('{"turns": [{"speaker": "person", "text": 3}]}', "turns.0.text: Input should be"),
            ('{"turns": [{"speaker": "person"}]}', "turns.0.text: Field required"),
        ],
    )
    def test_wrong_shape(self, tmp_path: Path, text: str, problem: str) -> None:
        path = write(tmp_path, text)
        stderr = self.errors(str(path))
        assert f"{path}: not a transcript" in stderr
        assert f"{path}: {problem}" in stderr

    def test_missing_file(self, tmp_path: Path) -> None:
        missing = tmp_path / "nope.json"
        assert f"{missing}: cannot read the transcript" in self.errors(str(missing))

    def test_unknown_rubric(self) -> None:
        stderr = self.errors(str(PERSON_CENTRED), "--rubric", "nope")
        assert "There is no rubric 'nope'" in stderr
        assert "Available: mecc-brief, sdm-core." in stderr

    def test_broken_rubric_names_its_lines(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        write(tmp_path, "id: broken\ntitle: [\n", "broken.yaml")
        monkeypatch.setenv("REHEARSE_RUBRICS_DIR", str(tmp_path))
        stderr = self.errors(str(PERSON_CENTRED), "--rubric", "broken")
        assert f"{tmp_path / 'broken.yaml'}:" in stderr
        assert "There is no rubric 'broken'" in stderr

    def test_unknown_format(self) -> None:
        assert "--format csv is not a format" in self.errors(str(PERSON_CENTRED), "--format", "csv")
