"""The ``rehearse`` command line (DESIGN.md section 9: its formats are a stable contract).

Commands stay thin: they read settings, call the services, and print.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer
import yaml

from app.commands import accounts as account_commands
from app.commands import coder as coder_commands
from app.commands import exports as export_commands
from app.commands import fine as fine_commands
from app.commands import scoring as scoring_commands
from app.config import LLMProvider, Settings
from app.content.errors import ContentError, ContentIssue
from app.content.rubrics import load_rubric
from app.content.scenarios import ScenarioLibrary, load_scenario
from app.content.yaml_source import line_of
from app.domain.scenario import Scenario
from app.services.rehearsal import Failed, Finished, RehearsalError, RehearsalService, Token
from app.services.runtime import build_runtime

cli = typer.Typer(
    help="Rehearse shared-decision-making conversations with a simulated person.",
    no_args_is_help=True,
    add_completion=False,
)


def main() -> None:
    """Entry point of the ``rehearse`` script."""
    cli()


@cli.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
) -> None:
    """Run the web app (default 127.0.0.1:8000, or REHEARSE_HOST / REHEARSE_PORT)."""
    import uvicorn

    settings = Settings()
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
    )


# --- chat ------------------------------------------------------------------------------


@cli.command()
def chat(
    scenario_id: Annotated[str, typer.Argument(help="The scenario to rehearse.")],
    llm: Annotated[
        LLMProvider | None,
        typer.Option(help="Who plays the person (default: REHEARSE_LLM_PROVIDER)."),
    ] = None,
) -> None:
    """Rehearse in the terminal; with stdin not a terminal, one JSON object per turn."""
    runtime = build_runtime(Settings(), provider=llm.value if llm else None)
    try:
        scenario = _scenario_or_exit(runtime.library, scenario_id, runtime.settings)
        service = runtime.service
        conversation_id = service.start(scenario.id)
        if sys.stdin.isatty():
            code = asyncio.run(_interactive(service, conversation_id, scenario))
        else:
            print(f"{scenario.person.name}: {scenario.opening_line}", file=sys.stderr)
            code = asyncio.run(_json_lines(service, conversation_id, sys.stdin))
    finally:
        runtime.close()
    raise typer.Exit(code)


def _scenario_or_exit(library: ScenarioLibrary, scenario_id: str, settings: Settings) -> Scenario:
    """The scenario, or exit 2 naming the ones that exist (and why this one did not load)."""
    scenario = library.get(scenario_id)
    if scenario is not None:
        return scenario
    for issue in library.issues:
        if issue.path.stem == scenario_id:
            print(issue, file=sys.stderr)
    available = ", ".join(sorted(library.scenarios)) or "none"
    print(
        f"There is no scenario '{scenario_id}' in {settings.scenarios_dir}. "
        f"Available: {available}.",
        file=sys.stderr,
    )
    raise typer.Exit(2)


async def _json_lines(service: RehearsalService, conversation_id: int, lines: TextIO) -> int:
    """One practitioner turn per input line, one JSON object per turn; stop on a failure."""
    number = 0
    for line in lines:
        text = line.strip()
        if not text:
            continue
        number += 1
        record = await _exchange(service, conversation_id, number, text)
        print(json.dumps(record, ensure_ascii=False), flush=True)
        if "error" in record:
            print(record["error"], file=sys.stderr)
            print(f"Conversation {conversation_id} is saved up to your turn.", file=sys.stderr)
            return 1
    service.end(conversation_id)
    return 0


async def _exchange(
    service: RehearsalService, conversation_id: int, number: int, text: str
) -> dict[str, Any]:
    """Say one turn and hear the reply, as the JSON object of the contract."""
    record: dict[str, Any] = {
        "turn": number,
        "practitioner": text,
        "person": None,
        "codes": [],
        "released": [],
    }
    try:
        turn = service.say(conversation_id, text)
    except RehearsalError as exc:
        return record | {"error": str(exc)}
    released = [release.id for release in turn.persona.released] if turn.persona else []
    record |= {"practitioner": turn.text, "codes": turn.codes, "released": released}
    person, error = await _reply(service, conversation_id)
    record["person"] = person
    return record | {"error": error} if error else record


async def _reply(
    service: RehearsalService,
    conversation_id: int,
    on_token: Callable[[str], None] | None = None,
) -> tuple[str | None, str | None]:
    """The person's saved reply, or the reason there is none."""
    try:
        async for event in service.stream_reply(conversation_id):
            if isinstance(event, Token) and on_token is not None:
                on_token(event.text)
            elif isinstance(event, Finished):
                return event.turn.text, None
            elif isinstance(event, Failed):
                return None, event.message
    except RehearsalError as exc:
        return None, str(exc)
    return None, "The reply stopped before it was complete."


async def _interactive(service: RehearsalService, conversation_id: int, scenario: Scenario) -> int:
    """Type turns, watch the reply arrive; /end (or Ctrl-D) finishes."""
    name = scenario.person.name
    print(f"{scenario.title}. Type /end to finish, /retry to ask for a reply again.\n")
    print(f"{name}: {scenario.opening_line}")
    while (text := _prompt()) != "/end":
        if not text:
            continue
        if text != "/retry" and not _say(service, conversation_id, text):
            continue
        print(f"{name}: ", end="", flush=True)
        _, error = await _reply(service, conversation_id, _show)
        print()
        if error:
            print(f"{error} Type /retry to ask again.", file=sys.stderr)
    service.end(conversation_id)
    print(f"Conversation {conversation_id} ended; open it in the web app for feedback.")
    return 0


def _prompt() -> str:
    """The next practitioner line; end of input or Ctrl-C reads as /end."""
    try:
        return input("You: ").strip()
    except (EOFError, KeyboardInterrupt):
        print()
        return "/end"


def _say(service: RehearsalService, conversation_id: int, text: str) -> bool:
    """Store a turn; a turn the service refuses is explained, not fatal."""
    try:
        service.say(conversation_id, text)
    except RehearsalError as exc:
        print(exc, file=sys.stderr)
        return False
    return True


def _show(text: str) -> None:
    print(text, end="", flush=True)


# --- validate --------------------------------------------------------------------------

Validator = Callable[[Path], tuple[str, int]]
"""Checks one file, raising ContentError; returns the file's id and the line of that id."""


def _check_scenario(path: Path) -> tuple[str, int]:
    scenario = load_scenario(path)
    return scenario.id, _id_line(path)


def _check_rubric(path: Path) -> tuple[str, int]:
    rubric = load_rubric(path)
    return rubric.id, _id_line(path)


def _id_line(path: Path) -> int:
    root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    return line_of(root, ("id",)) if root is not None else 1


# Which validator checks a file is decided by the folder it sits in; a file anywhere else is
# checked as a scenario.
VALIDATORS: dict[str, Validator] = {"scenarios": _check_scenario, "rubrics": _check_rubric}
DEFAULT_KIND = "scenarios"


@cli.command()
def validate(
    paths: Annotated[
        list[Path],
        typer.Argument(exists=True, help="Scenario or rubric files, or folders of them."),
    ],
) -> None:
    """Check scenario and rubric files; print each mistake as file:line: message."""
    files = yaml_files(paths)
    issues = check_files(files)
    for issue in issues:
        print(issue)
    broken = len({issue.path for issue in issues})
    noun = "file" if len(files) == 1 else "files"
    print(f"{len(files)} {noun} checked, {broken} with errors")
    raise typer.Exit(1 if issues else 0)


def yaml_files(paths: Iterable[Path]) -> list[Path]:
    """The files named, and every ``*.yaml`` in the folders named, each once."""
    unique: dict[Path, Path] = {}
    for path in paths:
        for file in sorted(path.glob("*.yaml")) if path.is_dir() else [path]:
            unique.setdefault(file.resolve(), file)
    return list(unique.values())


def check_files(files: Iterable[Path]) -> list[ContentIssue]:
    """Every issue in ``files``, including an id already used by an earlier file."""
    issues: list[ContentIssue] = []
    seen: dict[tuple[str, str], tuple[Path, int]] = {}
    for path in files:
        kind = path.resolve().parent.name
        kind = kind if kind in VALIDATORS else DEFAULT_KIND
        try:
            identifier, line = VALIDATORS[kind](path)
        except ContentError as exc:
            issues += exc.issues
            continue
        first = seen.setdefault((kind, identifier), (path, line))
        if first != (path, line):
            message = f"id: '{identifier}' is already used in {first[0]}:{first[1]}"
            issues.append(ContentIssue(path, line, message))
    return issues


# --- bench -----------------------------------------------------------------------------


@cli.command()
def bench(
    skip_embedded: Annotated[
        bool, typer.Option("--skip-embedded", help="Skip the embedded-model figures.")
    ] = False,
    turns: Annotated[int, typer.Option(min=1, help="Persona replies to time.")] = 5,
    seconds: Annotated[
        float, typer.Option(min=0.1, help="How long to fetch the transcript page.")
    ] = 5.0,
    scenario: Annotated[
        str | None, typer.Option(help="Scenario to use (default: the first).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    mode_turns: Annotated[
        int, typer.Option(min=1, help="Turns per scenario in each persona mode compared.")
    ] = 3,
) -> None:
    """Measure model load, persona reply speed and transcript page throughput."""
    from app.bench import BenchError, describe, run_bench
    from app.llm.base import LLMError

    try:
        report = run_bench(
            Settings(),
            turns=turns,
            skip_embedded=skip_embedded,
            page_seconds=seconds,
            scenario_id=scenario,
            mode_turns=mode_turns,
        )
    except (BenchError, LLMError) as exc:
        print(exc, file=sys.stderr)
        raise typer.Exit(1) from exc
    print(report.model_dump_json(indent=2) if as_json else "\n".join(describe(report)))


# --- commands kept beside their engines ------------------------------------------------

coder_commands.register(cli)
scoring_commands.register(cli)
fine_commands.register(cli)
account_commands.register(cli)
export_commands.register(cli)
