"""The figures behind ``rehearse bench``: model load, reply speed, transcript page throughput.

Each measurement is a function returning a pydantic model; the CLI only prints them.
Tokens are counted as streamed chunks: llama.cpp's server sends one token per chunk, and
the chat-model interface does not pass usage through.
"""

from __future__ import annotations

import asyncio
import math
import socket
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import uvicorn
from pydantic import BaseModel, Field
from starlette.types import ASGIApp

from app.config import LLMProvider, Settings
from app.content.prompts import PromptLibrary
from app.content.scenarios import load_library
from app.domain.conversation import Speaker, Turn
from app.domain.persona import PersonaMode
from app.domain.scenario import Scenario
from app.llm.base import ChatModel
from app.llm.embedded import default_model_path, start_server
from app.llm.registry import build_chat_model
from app.reports.bench import ReportSpeed, describe_report_speed, measure_report
from app.scoring.factory import default_coder
from app.scoring.trained.bench import CoderSpeed, describe_coder_speed, measure_coder
from app.services.rehearsal import Failed, RehearsalService
from app.services.runtime import build_runtime
from app.sim.engine import PersonaEngine, ReplyGate, ReplyPlan
from app.sim.measure import (
    MODE_LINES,
    EngineOverhead,
    ModeFigures,
    compare_modes,
    engine_overhead,
)

TOKEN_COUNT_METHOD = "streamed chunks (llama.cpp streams one token per chunk)"

# What the benchmark practitioner says, in turn: everyday openers that exercise the coder.
PRACTITIONER_LINES = (
    "Hello, I'm Sam, one of the nurses. We have about ten minutes; what would you like to "
    "talk about today?",
    "How have things been for you lately?",
    "That sounds hard. What worries you most about it?",
    "What matters most to you at the moment?",
    "What do you already know about the options?",
    "Is there anything else on your mind?",
)


class BenchError(Exception):
    """A benchmark could not run; the message says why."""


class ModelLoad(BaseModel):
    """How long the embedded model took to load and warm up."""

    model: str
    threads: int
    seconds: float


class ReplySpeed(BaseModel):
    """How fast the embedded model speaks as the persona, and how often the gate kept it."""

    scenario_id: str
    turns: int
    first_token_ms_cold: float = Field(description="First reply: the whole prompt is new.")
    first_token_ms_p50: float
    tokens_per_s: float
    token_count_method: str = TOKEN_COUNT_METHOD
    accepted: int
    accepted_share: float


class PageSpeed(BaseModel):
    """Throughput of one page under a single sequential client."""

    path: str
    turns: int
    requests: int
    errors: int
    seconds: float
    requests_per_s: float
    p50_ms: float
    p95_ms: float


class BenchReport(BaseModel):
    """Every figure of one ``rehearse bench`` run; embedded figures are absent when skipped."""

    model_load: ModelLoad | None = None
    replies: ReplySpeed | None = None
    transcript_page: PageSpeed
    engine_overhead: EngineOverhead | None = None
    persona_modes: list[ModeFigures] | None = None
    report: ReportSpeed | None = None
    coder: CoderSpeed | None = None


@dataclass(frozen=True)
class ReplySample:
    """One persona reply as timed: first chunk, decoding time, chunks, gate verdict."""

    first_token_s: float
    decode_s: float
    chunks: int
    accepted: bool
    text: str


def run_bench(
    settings: Settings,
    *,
    turns: int = 5,
    skip_embedded: bool = False,
    page_seconds: float = 5.0,
    scenario_id: str | None = None,
    mode_turns: int = 3,
) -> BenchReport:
    """Every figure: the transcript page first (it needs no model), then the embedded model."""
    scenario = pick_scenario(settings, scenario_id)
    report = BenchReport(
        transcript_page=measure_transcript_page(
            settings, scenario_id=scenario.id, duration_s=page_seconds
        ),
        engine_overhead=measure_engine_overhead(settings),
    )
    report.report = measure_report(settings)
    report.coder = measure_coder()
    if not skip_embedded:
        report.model_load = measure_model_load(settings)
        model = build_chat_model(settings, LLMProvider.EMBEDDED.value)
        report.replies = measure_replies(settings, scenario, model, turns=turns)
        report.persona_modes = measure_persona_modes(settings, model, turns=mode_turns)
    return report


def measure_engine_overhead(settings: Settings, *, turns: int = 12) -> EngineOverhead:
    """Engine time per turn without the model, over every scenario (target under 20 ms)."""
    library = load_library(settings.scenarios_dir)
    engine = PersonaEngine(
        PromptLibrary(settings.prompts_dir), default_coder(), mode=PersonaMode.FREE
    )
    return engine_overhead(engine, list(library.scenarios.values()), MODE_LINES, turns)


def measure_persona_modes(
    settings: Settings, model: ChatModel, *, turns: int, scenarios: int | None = None
) -> list[ModeFigures]:
    """Free generation against rephrasing, with ``model``, over the scenarios: checks passed
    and clinical facts added, per mode (``rehearse bench`` makes the better one the default).
    """
    library = load_library(settings.scenarios_dir)
    chosen = [library.scenarios[key] for key in sorted(library.scenarios)][:scenarios]
    prompts = PromptLibrary(settings.prompts_dir)
    engines = [PersonaEngine(prompts, default_coder(), mode=mode) for mode in PersonaMode]
    return asyncio.run(compare_modes(engines, chosen, model, turns=turns))


def pick_scenario(settings: Settings, scenario_id: str | None) -> Scenario:
    """The named scenario, or the first one in the scenarios folder."""
    library = load_library(settings.scenarios_dir)
    if not library.scenarios:
        raise BenchError(f"No valid scenario in {settings.scenarios_dir} to benchmark with.")
    chosen = scenario_id or min(library.scenarios)
    scenario = library.get(chosen)
    if scenario is None:
        raise BenchError(f"There is no scenario '{chosen}' in {settings.scenarios_dir}.")
    return scenario


def measure_model_load(settings: Settings) -> ModelLoad:
    """Load (once per process) the embedded model and report the time it took."""
    path = settings.embedded_model_path or default_model_path()
    server = start_server(
        path, threads=settings.embedded_threads, context=settings.embedded_context
    )
    return ModelLoad(
        model=path.name, threads=settings.embedded_threads, seconds=server.load_seconds
    )


def measure_replies(
    settings: Settings, scenario: Scenario, model: ChatModel, *, turns: int
) -> ReplySpeed:
    """Hold ``turns`` practitioner turns with the real persona engine and time each reply."""
    engine = PersonaEngine(
        PromptLibrary(settings.prompts_dir), default_coder(), mode=settings.persona_mode
    )
    samples = asyncio.run(_reply_samples(engine, scenario, model, turns))
    first_ms = [sample.first_token_s * 1000 for sample in samples]
    decode_s = sum(sample.decode_s for sample in samples)
    decoded = sum(max(sample.chunks - 1, 0) for sample in samples)
    accepted = sum(sample.accepted for sample in samples)
    return ReplySpeed(
        scenario_id=scenario.id,
        turns=len(samples),
        first_token_ms_cold=first_ms[0] if first_ms else 0.0,
        first_token_ms_p50=percentile(first_ms, 0.5),
        tokens_per_s=decoded / decode_s if decode_s > 0 else 0.0,
        accepted=accepted,
        accepted_share=accepted / len(samples) if samples else 0.0,
    )


async def _reply_samples(
    engine: PersonaEngine, scenario: Scenario, model: ChatModel, turns: int
) -> list[ReplySample]:
    history = [Turn(index=0, speaker=Speaker.PERSON, text=scenario.opening_line)]
    samples: list[ReplySample] = []
    for number in range(turns):
        text = PRACTITIONER_LINES[number % len(PRACTITIONER_LINES)]
        codes = engine.code_turn(text, history).codes
        turn = _turn(history, Speaker.PRACTITIONER, text, codes)
        history.append(
            turn.model_copy(update={"persona": engine.advance(scenario, history, text, codes)})
        )
        sample = await time_reply(model, engine.plan(scenario, history), scenario)
        history.append(_turn(history, Speaker.PERSON, sample.text, []))
        samples.append(sample)
    return samples


def _turn(history: list[Turn], speaker: Speaker, text: str, codes: list[str]) -> Turn:
    return Turn(index=len(history), speaker=speaker, text=text, codes=codes)


async def time_reply(model: ChatModel, plan: ReplyPlan, scenario: Scenario) -> ReplySample:
    """Stream one reply through the ReplyGate, as the service does, timing every chunk."""
    gate = ReplyGate(scenario.person.name, scenario.person.reply_sentences)
    started = time.perf_counter()
    first: float | None = None
    last = started
    chunks = 0
    stream = model.stream(plan.request)
    try:
        async for chunk in stream:
            last = time.perf_counter()
            first = last if first is None else first
            chunks += 1
            gate.feed(chunk)
            if gate.done:
                break
    finally:
        await _close(stream)
    gate.close()
    accepted = not gate.failed and bool(gate.sentences)
    return ReplySample(
        first_token_s=(first or last) - started,
        decode_s=last - (first or last),
        chunks=chunks,
        accepted=accepted,
        text=gate.text if accepted else plan.authored,
    )


async def _close(stream: AsyncIterator[str]) -> None:
    """Stop generation now rather than whenever the abandoned stream is collected."""
    close = getattr(stream, "aclose", None)
    if close is not None:
        await close()


def measure_transcript_page(
    settings: Settings,
    *,
    scenario_id: str,
    turns: int = 10,
    duration_s: float = 5.0,
    max_requests: int = 20_000,
) -> PageSpeed:
    """Serve the app (scripted model, temporary SQLite) and fetch one transcript repeatedly."""
    from app.main import create_app  # the web app is only needed for this figure

    with tempfile.TemporaryDirectory(prefix="rehearse-bench-") as folder:
        local = scripted_settings(settings, Path(folder))
        conversation_id = hold_conversation(local, scenario_id, turns)
        path = f"/conversations/{conversation_id}"
        with serving(create_app(local)) as base_url:
            fetches = fetch_repeatedly(base_url + path, duration_s, max_requests)
    ms = [latency * 1000 for latency in fetches.latencies]
    return PageSpeed(
        path=path,
        turns=turns,
        requests=len(ms),
        errors=fetches.errors,
        seconds=fetches.seconds,
        requests_per_s=len(ms) / fetches.seconds if fetches.seconds > 0 else 0.0,
        p50_ms=percentile(ms, 0.5),
        p95_ms=percentile(ms, 0.95),
    )


def scripted_settings(settings: Settings, folder: Path) -> Settings:
    """The same content, with the scripted model and a throwaway SQLite database."""
    return settings.model_copy(
        update={
            "data_dir": folder,
            "database_url": f"sqlite:///{folder / 'bench.db'}",
            "llm_provider": LLMProvider.SCRIPTED,
        }
    )


def hold_conversation(settings: Settings, scenario_id: str, turns: int) -> int:
    """A stored conversation of ``turns`` practitioner turns and the person's replies."""
    runtime = build_runtime(settings, provider=LLMProvider.SCRIPTED.value)
    try:
        conversation_id = runtime.service.start(scenario_id)
        asyncio.run(_exchange(runtime.service, conversation_id, turns))
        return conversation_id
    finally:
        runtime.close()


async def _exchange(service: RehearsalService, conversation_id: int, turns: int) -> None:
    for number in range(turns):
        service.say(conversation_id, PRACTITIONER_LINES[number % len(PRACTITIONER_LINES)])
        async for event in service.stream_reply(conversation_id):
            if isinstance(event, Failed):
                raise BenchError(f"The scripted reply failed: {event.message}")


@contextmanager
def serving(app: ASGIApp) -> Iterator[str]:
    """Run ``app`` with uvicorn on a free loopback port in a thread; yield its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_config=None, access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        _wait_until_started(server, thread)
        host, port = sock.getsockname()
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def _wait_until_started(server: uvicorn.Server, thread: threading.Thread) -> None:
    deadline = time.perf_counter() + 30
    while not server.started:
        if not thread.is_alive() or time.perf_counter() > deadline:
            raise BenchError("The web app did not start; see the messages above.")
        time.sleep(0.01)


@dataclass
class Fetches:
    """Latency of each request, how many failed, and the wall time they all took."""

    latencies: list[float]
    errors: int = 0
    seconds: float = 0.0


def fetch_repeatedly(url: str, duration_s: float, max_requests: int) -> Fetches:
    """GET ``url`` one request at a time until the time or the count runs out."""
    fetches = Fetches(latencies=[])
    with httpx.Client(timeout=10, trust_env=False) as client:
        warm = client.get(url)
        if warm.status_code != 200:
            raise BenchError(f"GET {url} answered HTTP {warm.status_code}, not 200.")
        began = time.perf_counter()
        while len(fetches.latencies) < max_requests and time.perf_counter() < began + duration_s:
            started = time.perf_counter()
            response = client.get(url)
            fetches.latencies.append(time.perf_counter() - started)
            fetches.errors += response.status_code != 200
        fetches.seconds = time.perf_counter() - began
    return fetches


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile (``share`` in 0..1); 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)) - 1, 0)]


def describe(report: BenchReport) -> list[str]:
    """The report as human-readable lines, one figure each, with units."""
    lines: list[str] = []
    if report.model_load is not None:
        load = report.model_load
        lines.append(
            f"embedded model load: {load.seconds:.2f} s ({load.model}, {load.threads} threads)"
        )
    if report.replies is not None:
        lines += _describe_replies(report.replies)
    lines += _describe_engine(report.engine_overhead, report.persona_modes)
    if report.report is not None:
        lines.append(describe_report_speed(report.report))
    if report.coder is not None:
        lines.append(describe_coder_speed(report.coder))
    page = report.transcript_page
    lines.append(
        f"transcript page GET {page.path} ({page.turns} turns, scripted, 1 client): "
        f"{page.requests_per_s:.0f} req/s, p50 {page.p50_ms:.1f} ms, p95 {page.p95_ms:.1f} ms "
        f"({page.requests} requests in {page.seconds:.1f} s, {page.errors} errors)"
    )
    return lines


def _describe_replies(replies: ReplySpeed) -> list[str]:
    where = f"{replies.turns} replies, scenario {replies.scenario_id}"
    return [
        f"persona reply time to first token: p50 {replies.first_token_ms_p50:.0f} ms, "
        f"first reply {replies.first_token_ms_cold:.0f} ms (whole prompt new) ({where})",
        f"persona reply speed: {replies.tokens_per_s:.1f} tokens/s "
        f"(tokens counted as {replies.token_count_method})",
        f"persona replies through the streaming gate (speaker and length only; the full "
        f"checks are in the mode lines): {replies.accepted}/{replies.turns} "
        f"({replies.accepted_share:.0%})",
    ]


def _describe_engine(overhead: EngineOverhead | None, modes: list[ModeFigures] | None) -> list[str]:
    lines: list[str] = []
    if overhead is not None:
        lines.append(
            f"persona engine overhead per turn, model excluded: p50 {overhead.p50_ms:.1f} ms, "
            f"p95 {overhead.p95_ms:.1f} ms, max {overhead.max_ms:.1f} ms "
            f"({overhead.turns} turns over {overhead.scenarios} scenarios; target under "
            f"{overhead.target_ms:.0f} ms)"
        )
    for figures in modes or []:
        lines.append(
            f"persona mode {figures.mode} ({figures.model}, {figures.replies} replies): "
            f"{figures.pass_share:.0%} of first drafts pass the checks, "
            f"{figures.novel_share:.0%} add a clinical fact not in the scenario, "
            f"{figures.on_topic_share:.0%} on topic, {figures.usable_share:.0%} usable "
            "(passing, on topic, first person, no contradiction), "
            f"{figures.fallbacks} fell back to the authored line; reply time p50 "
            f"{figures.reply_ms_p50:.0f} ms, p95 {figures.reply_ms_p95:.0f} ms"
        )
    return lines
