"""``rehearse bench`` plumbing: shapes and arithmetic only, never timings."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.bench import (
    BenchReport,
    ModelLoad,
    PageSpeed,
    ReplySpeed,
    describe,
    measure_transcript_page,
    percentile,
    pick_scenario,
    time_reply,
)
from app.config import LLMProvider, Settings
from app.llm.base import ChatRequest
from app.llm.fake import FakeChatModel
from app.sim.engine import ReplyPlan

PROJECT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "scenarios"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Content from the test fixtures; the bench makes its own temporary database."""
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path / "data",
        scenarios_dir=FIXTURES,
        prompts_dir=PROJECT / "prompts",
        static_dir=PROJECT / "static",
        llm_provider=LLMProvider.SCRIPTED,
    )


def test_transcript_page_figures_have_their_shape(settings: Settings) -> None:
    page = measure_transcript_page(
        settings, scenario_id="knee-pain-choice", turns=3, duration_s=0.2, max_requests=5
    )
    assert page.path.startswith("/conversations/")
    assert (page.turns, page.errors) == (3, 0)
    assert 1 <= page.requests <= 5
    assert 0 < page.p50_ms <= page.p95_ms
    assert page.requests_per_s > 0


@pytest.mark.parametrize(
    ("values", "share", "expected"),
    [
        ([], 0.5, 0.0),
        ([7.0], 0.95, 7.0),
        ([4.0, 1.0, 3.0, 2.0], 0.5, 2.0),
        ([*range(1, 21)], 0.95, 19),
    ],
)
def test_percentile_is_nearest_rank(values: list[float], share: float, expected: float) -> None:
    assert percentile(values, share) == expected


def test_describe_prints_one_figure_a_line_with_units() -> None:
    report = BenchReport(
        model_load=ModelLoad(model="m.gguf", threads=2, seconds=1.5),
        replies=ReplySpeed(
            scenario_id="s",
            turns=4,
            first_token_ms_p50=80,
            first_token_ms_cold=120,
            tokens_per_s=42.5,
            accepted=3,
            accepted_share=0.75,
        ),
        transcript_page=PageSpeed(
            path="/conversations/1",
            turns=10,
            requests=100,
            errors=0,
            seconds=1.0,
            requests_per_s=100,
            p50_ms=9.5,
            p95_ms=12.0,
        ),
    )
    lines = describe(report)
    assert len(lines) == 5
    assert lines[0].startswith("embedded model load: 1.50 s")
    assert "p50 80 ms" in lines[1]
    assert "42.5 tokens/s" in lines[2]
    assert "3/4 (75%" in lines[3]
    assert "100 req/s, p50 9.5 ms, p95 12.0 ms" in lines[4]
    assert describe(report.model_copy(update={"model_load": None, "replies": None})) == lines[4:]


@pytest.mark.parametrize(
    ("reply", "accepted", "said"),
    [
        (
            "It's the stairs mostly. Mornings are worst. And the rest.",
            True,
            "It's the stairs mostly. Mornings are worst.",
        ),
        ("As an AI language model, I cannot say.", False, "I see."),
    ],
)
async def test_time_reply_keeps_or_replaces_the_reply_as_the_gate_decides(
    settings: Settings, reply: str, accepted: bool, said: str
) -> None:
    scenario = pick_scenario(settings, "knee-pain-choice")
    plan = ReplyPlan(request=ChatRequest(messages=[]), authored="I see.")
    sample = await time_reply(FakeChatModel(reply), plan, scenario)
    assert (sample.accepted, sample.text) == (accepted, said)
    assert sample.chunks >= 1
