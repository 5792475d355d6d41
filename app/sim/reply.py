"""Voicing one reply: generate, check each sentence as it streams, regenerate, or fall back.

Shared by the rehearsal service (which streams and stores) and the in-memory conversation
used by the leak tests and ``rehearse bench``, so all three follow exactly the same rules:
a reply that fails its checks before any sentence was shown is asked for again (up to
``plan.attempts``); one that fails later keeps the sentences already shown, each of which
passed; with nothing usable the authored line is said. The conversation always goes on.
"""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator
from contextlib import aclosing
from dataclasses import dataclass, field

from app.domain.persona_state import ReplyChecks
from app.domain.scenario import Scenario
from app.llm.base import ChatModel, LLMError
from app.sim.engine import ReplyPlan

# The provider that says the authored line as is (``app.llm.scripted``).
SCRIPTED_MODEL_ID = "scripted"


@dataclass(frozen=True)
class Spoken:
    """A sentence of the reply that passed its checks, ready to show (spaced to follow)."""

    text: str


@dataclass
class Outcome:
    """The finished reply: what is said, how many tries it took, what the checks caught."""

    text: str = ""
    fallback: bool = False
    attempts: int = 0
    problems: list[str] = field(default_factory=list)
    drafts: list[str] = field(default_factory=list)
    first_token_ms: int | None = None
    latency_ms: int = 0
    mode: str = ""
    source: str = ""
    line: str = ""

    def checks(self) -> ReplyChecks:
        """The record kept on the person's turn."""
        return ReplyChecks(
            mode=self.mode,
            attempts=self.attempts,
            problems=self.problems,
            source=self.source,
            authored=self.line,
        )


def mode_of(model: ChatModel, plan: ReplyPlan) -> str:
    """How the reply is voiced: the scripted provider says the authored line as is."""
    return "scripted" if model.model_id == SCRIPTED_MODEL_ID else plan.mode


async def voice(
    model: ChatModel, plan: ReplyPlan, scenario: Scenario
) -> AsyncGenerator[Spoken | Outcome, None]:
    """Yield the sentences that pass as they stream, then one ``Outcome``.

    Raises ``LLMError`` only when the first attempt fails before anything was shown: the
    caller reports it and the practitioner can ask again.
    """
    started = time.perf_counter()
    outcome = Outcome(mode=mode_of(model, plan), source=plan.source, line=plan.line)
    shown = 0
    text: str | None = None
    for number in range(1, plan.attempts + 1):
        outcome.attempts = number
        gate = plan.gate(scenario)
        try:
            async with aclosing(model.stream(plan.request)) as chunks:
                async for chunk in chunks:
                    for sentence in gate.feed(chunk):
                        outcome.first_token_ms = outcome.first_token_ms or _ms_since(started)
                        yield Spoken(sentence if not shown else " " + sentence)
                        shown += 1
                    if gate.done:
                        break
            for sentence in gate.close():
                outcome.first_token_ms = outcome.first_token_ms or _ms_since(started)
                yield Spoken(sentence if not shown else " " + sentence)
                shown += 1
        except LLMError as exc:
            outcome.drafts.append(gate.raw)
            if number == 1 and not gate.sentences:
                raise
            outcome.problems.append(str(exc))
            text = gate.text or None
            break
        outcome.drafts.append(gate.raw)
        if gate.sentences:
            outcome.problems += [gate.failed] if gate.failed else []
            text = gate.text
            break
        outcome.problems.append(gate.failed or "empty reply")
    outcome.fallback = text is None
    outcome.text = plan.authored if text is None else text
    outcome.latency_ms = _ms_since(started)
    yield outcome


async def reply_outcome(model: ChatModel, plan: ReplyPlan, scenario: Scenario) -> Outcome:
    """The whole reply at once (for callers that do not stream it)."""
    async for event in voice(model, plan, scenario):
        if isinstance(event, Outcome):
            return event
    raise AssertionError("voice() always ends with an Outcome")  # pragma: no cover


def _ms_since(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)
