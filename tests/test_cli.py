"""The ``rehearse`` command line keeps the formats DESIGN.md section 9 promises."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from app import cli as cli_module
from app.cli import cli
from app.config import Settings
from app.domain.conversation import ConversationStatus, Speaker
from app.services.runtime import Runtime, build_runtime

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "scenarios"
PROJECT = Path(__file__).resolve().parent.parent
SCENARIO = "knee-pain-choice"
RECORD_KEYS = ["turn", "practitioner", "person", "codes", "released"]


@pytest.fixture(autouse=True)
def rehearse_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Every command reads a throwaway database and the fixture scenarios."""
    monkeypatch.setenv("REHEARSE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("REHEARSE_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("REHEARSE_SCENARIOS_DIR", str(FIXTURES))
    monkeypatch.setenv("REHEARSE_PROMPTS_DIR", str(PROJECT / "prompts"))
    monkeypatch.setenv("REHEARSE_LLM_PROVIDER", "scripted")


@pytest.fixture
def runtime() -> Iterator[Runtime]:
    """The same database and scenarios the commands use, to check what they stored."""
    built = build_runtime(Settings())
    yield built
    built.close()


def run(*args: str, stdin: str = "") -> Result:
    return CliRunner().invoke(cli, list(args), input=stdin)


def records(result: Result) -> list[dict[str, object]]:
    return [json.loads(line) for line in result.stdout.splitlines()]


class TestChatJsonLines:
    def test_one_object_per_turn_with_exact_keys(self, runtime: Runtime) -> None:
        stdin = "Hello, I'm Sam. How can I help today?\n\n  \nWhat worries you most?\n"
        result = run("chat", SCENARIO, "--llm", "scripted", stdin=stdin)
        assert result.exit_code == 0, result.stderr
        lines = records(result)
        assert [list(line) for line in lines] == [RECORD_KEYS, RECORD_KEYS]
        assert [line["turn"] for line in lines] == [1, 2]
        assert lines[0]["practitioner"] == "Hello, I'm Sam. How can I help today?"
        assert lines[1]["person"] == (
            "I suppose I'm worried I won't be able to keep up with the little ones."
        )
        assert all(isinstance(line["codes"], list) for line in lines)
        assert all(line["released"] == [] for line in lines)
        assert "Maria: Hello. My knee's been playing up again" in result.stderr

    def test_transcript_is_saved_and_ended(self, runtime: Runtime) -> None:
        result = run("chat", SCENARIO, "--llm", "scripted", stdin="What worries you?\n")
        assert result.exit_code == 0, result.stderr
        (summary,) = runtime.service.history()
        view = runtime.service.view(summary.id)
        assert view.status is ConversationStatus.ENDED
        assert view.llm_provider == "scripted"
        assert [turn.speaker for turn in view.turns] == [
            Speaker.PERSON,
            Speaker.PRACTITIONER,
            Speaker.PERSON,
        ]
        assert view.turns[1].codes == records(result)[0]["codes"]
        assert view.turns[2].text == records(result)[0]["person"]

    def test_no_input_starts_and_ends_a_conversation(self, runtime: Runtime) -> None:
        result = run("chat", SCENARIO, "--llm", "scripted")
        assert (result.exit_code, result.stdout) == (0, "")
        assert runtime.service.history()[0].status is ConversationStatus.ENDED

    def test_unknown_scenario_exits_2_listing_the_ids(self) -> None:
        result = run("chat", "no-such-scenario", "--llm", "scripted", stdin="Hello\n")
        assert result.exit_code == 2
        assert "no-such-scenario" in result.stderr
        assert SCENARIO in result.stderr
        assert result.stdout == ""

    def test_too_long_a_turn_is_an_error_record(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("REHEARSE_MAX_MESSAGE_CHARS", "10")
        result = run("chat", SCENARIO, "--llm", "scripted", stdin="This is far too long.\n")
        assert result.exit_code == 1
        (line,) = records(result)
        assert line["person"] is None
        assert "limit is 10" in str(line["error"])


def test_chat_model_failure_prints_error_and_keeps_the_turn(
    monkeypatch: pytest.MonkeyPatch, runtime: Runtime
) -> None:
    monkeypatch.setenv("REHEARSE_LLM_BASE_URL", "http://127.0.0.1:9/v1")  # nothing listens
    monkeypatch.setenv("REHEARSE_LLM_MAX_RETRIES", "0")
    monkeypatch.setenv("REHEARSE_LLM_TIMEOUT_S", "5")
    monkeypatch.setenv("REHEARSE_LLM_FIRST_TOKEN_TIMEOUT_S", "5")
    stdin = "How are you feeling about it?\nThis line is never read.\n"
    result = run("chat", SCENARIO, "--llm", "openai", stdin=stdin)
    assert result.exit_code == 1
    (line,) = records(result)
    assert list(line) == [*RECORD_KEYS, "error"]
    assert (line["turn"], line["person"]) == (1, None)
    assert "Could not reach the language model" in str(line["error"])
    assert str(line["error"]) in result.stderr
    (summary,) = runtime.service.history()
    view = runtime.service.view(summary.id)
    assert view.status is ConversationStatus.ACTIVE
    assert view.turns[-1].text == "How are you feeling about it?"
    assert view.awaiting_reply


def test_interactive_chat_streams_the_reply(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], runtime: Runtime
) -> None:
    typed = iter(["What worries you?", "/end"])
    monkeypatch.setattr("builtins.input", lambda prompt: next(typed))
    service = runtime.service
    scenario = runtime.library.scenarios[SCENARIO]
    conversation_id = service.start(SCENARIO)
    assert asyncio.run(cli_module._interactive(service, conversation_id, scenario)) == 0
    shown = capsys.readouterr().out
    assert "Maria: I suppose I'm worried I won't be able to keep up" in shown
    assert service.view(conversation_id).status is ConversationStatus.ENDED


BROKEN = """\
id: knee-pain-choice
title: Knee pain
seed_refs: ["000:666"]
setting: A GP practice.
time_available_minutes: 10
brief: Talk about the knee.
person:
  name: Maria
  age: 63
  about: A retired cook.
  speaking_style: Warm.
  favourite_colour: blue
opening_line: Hello.
open_facts: []
scripted:
  fallback: [I see.]
"""


def issue_lines(result: Result) -> list[tuple[str, int, str]]:
    found = [re.fullmatch(r"(.+):(\d+): (.+)", line) for line in result.stdout.splitlines()]
    return [(match[1], int(match[2]), match[3]) for match in found if match]


class TestValidate:
    def test_a_good_file_passes(self) -> None:
        result = run("validate", str(FIXTURES / f"{SCENARIO}.yaml"))
        assert result.exit_code == 0, result.stdout
        assert result.stdout == "1 file checked, 0 with errors\n"

    def test_a_broken_file_names_file_and_line(self, tmp_path: Path) -> None:
        path = tmp_path / f"{SCENARIO}.yaml"
        path.write_text(BROKEN, encoding="utf-8")
        result = run("validate", str(path))
        assert result.exit_code == 1
        assert issue_lines(result) == [
            (
                str(path),
                12,
                "person.favourite_colour: unknown key (check the spelling against "
                "scenarios/README.md)",
            ),
            (str(path), 14, "open_facts: List should have at least 1 item after validation, not 0"),
        ]
        assert result.stdout.splitlines()[-1] == "1 file checked, 1 with errors"

    def test_yaml_syntax_error(self, tmp_path: Path) -> None:
        path = tmp_path / "bad.yaml"
        path.write_text("id: bad\ntitle: [unclosed\n", encoding="utf-8")
        result = run("validate", str(path))
        assert result.exit_code == 1
        ((file, _, message),) = issue_lines(result)
        assert (file, message.startswith("YAML syntax")) == (str(path), True)

    def test_a_folder_checks_every_yaml_file(self, tmp_path: Path) -> None:
        shutil.copy(FIXTURES / f"{SCENARIO}.yaml", tmp_path)
        (tmp_path / "other.yaml").write_text(BROKEN, encoding="utf-8")
        (tmp_path / "notes.txt").write_text("not a scenario", encoding="utf-8")
        result = run("validate", str(tmp_path))
        assert result.exit_code == 1
        assert {file for file, _, _ in issue_lines(result)} == {str(tmp_path / "other.yaml")}
        assert result.stdout.splitlines()[-1] == "2 files checked, 1 with errors"

    def test_a_file_named_twice_is_checked_once(self) -> None:
        result = run("validate", str(FIXTURES), str(FIXTURES / f"{SCENARIO}.yaml"))
        assert result.exit_code == 0
        assert result.stdout == "1 file checked, 0 with errors\n"

    def test_duplicate_ids_are_reported_at_the_id_line(self, tmp_path: Path) -> None:
        copy = tmp_path / "copy" / f"{SCENARIO}.yaml"
        copy.parent.mkdir()
        copy.write_text("# a copy\n" + (FIXTURES / f"{SCENARIO}.yaml").read_text("utf-8"))
        result = run("validate", str(FIXTURES), str(copy.parent))
        assert result.exit_code == 1
        first_id_line = 2  # after the fixture's comment line
        assert issue_lines(result) == [
            (
                str(copy),
                3,
                f"id: '{SCENARIO}' is already used in "
                f"{FIXTURES / f'{SCENARIO}.yaml'}:{first_id_line}",
            ),
        ]

    def test_a_missing_path_is_a_usage_error(self, tmp_path: Path) -> None:
        assert run("validate", str(tmp_path / "nowhere.yaml")).exit_code == 2
