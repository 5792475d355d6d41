"""Measurements of the persona engine for ``rehearse bench``: overhead and persona modes.

``engine_overhead`` times everything the engine does for one turn except the model:
coding the turn, the state update and releases, building the prompt, choosing the
authored line, and checking a reply of that length. ``compare_modes`` holds the same
conversations with a real model in each persona mode and counts, per mode, the replies
whose first draft passed every check and the drafts that added a clinical fact the
scenario does not have (``app.sim.novelty``).

"Usable" is the yardstick neither mode can game: a first draft that passes every check,
is on topic (shares a content word with the practitioner's turn or the authored line),
speaks in the first person, and does not contradict who the person is (another name,
another age). Passing alone favours a mode whose checks are looser (free drafts are not
held to a line); on topic alone favours rephrasing (the line is part of the prompt).
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence

from pydantic import BaseModel, Field

from app.domain.conversation import Speaker, Turn
from app.domain.scenario import Scenario
from app.llm.base import ChatModel, LLMError
from app.sim.engine import PersonaEngine
from app.sim.identity import SHORT_ANSWER_WORDS, contradiction, speaks_as_person
from app.sim.novelty import novel_clinical_terms
from app.sim.session import Exchange, LocalConversation
from app.sim.text import content_stems, words

# Overhead target per turn (issue: "engine overhead per turn excluding the model").
OVERHEAD_TARGET_MS = 20.0

# What the benchmark practitioner says in the mode comparison: a mix of person-centred
# turns, closed questions and a lecture, so guarded, neutral and open states all occur.
MODE_LINES = (
    "Hello, I'm Sam, one of the team. What would you like to talk about today?",
    "That sounds really hard. What worries you most about it?",
    "Have you had any tests?",
    "What matters most to you at the moment?",
    "You really should follow the plan; it is the best thing for you and you must take it "
    "seriously, because otherwise things will get worse and nobody wants that to happen.",
    "It sounds like you want to stay independent. Is there anything else on your mind?",
)


class EngineOverhead(BaseModel):
    """Engine time per turn, model excluded, over every scenario."""

    turns: int
    scenarios: int
    mean_ms: float
    p50_ms: float
    p95_ms: float
    max_ms: float
    target_ms: float = OVERHEAD_TARGET_MS


class DraftSample(BaseModel):
    """One first draft and how it was judged, for reading the figures back."""

    scenario: str
    turn: str
    authored: str
    draft: str
    problem: str = Field(description="The first check it failed; empty when it passed.")
    on_topic: bool
    first_person: bool
    contradiction: str
    novel: list[str]
    reply: str = Field(description="What the person said in the end.")
    reply_ms: int


class ModeFigures(BaseModel):
    """How one persona mode did with one model."""

    mode: str
    model: str
    replies: int
    passed: int = Field(description="First drafts that passed every check.")
    pass_share: float
    novel: int = Field(description="First drafts adding a clinical fact not in the scenario.")
    novel_share: float
    fallbacks: int = Field(description="Replies where the authored line was said in the end.")
    errors: int = Field(default=0, description="Turns the model failed or timed out on.")
    on_topic: int = Field(
        default=0,
        description="First drafts sharing a content word with the practitioner's turn or the "
        "authored line: the same yardstick for both modes.",
    )
    on_topic_share: float = 0.0
    first_person: int = Field(default=0, description="First drafts in the person's own voice.")
    contradictions: int = Field(
        default=0, description="First drafts giving the person another name or age."
    )
    usable: int = Field(
        default=0,
        description="First drafts passing the checks, on topic, in the first person and not "
        "contradicting the scenario.",
    )
    usable_share: float = 0.0
    first_sentence_ms_p50: float = Field(description="Until the first checked sentence.")
    reply_ms_p50: float = Field(description="Whole reply, retries included, as the user waits.")
    reply_ms_p95: float
    examples: list[str] = Field(default_factory=list, description="The first drafts.")
    samples: list[DraftSample] = Field(default_factory=list, description="Every draft, judged.")


def engine_overhead(
    engine: PersonaEngine, scenarios: Sequence[Scenario], lines: Sequence[str], turns: int
) -> EngineOverhead:
    """Time ``turns`` practitioner turns per scenario through the engine, model excluded."""
    samples: list[float] = []
    for scenario in scenarios:
        history = [Turn(index=0, speaker=Speaker.PERSON, text=scenario.opening_line)]
        for number in range(turns):
            text = lines[number % len(lines)]
            started = time.perf_counter()
            reply = _engine_turn(engine, scenario, history, text)
            samples.append((time.perf_counter() - started) * 1000)
            history.append(Turn(index=len(history), speaker=Speaker.PERSON, text=reply))
    ordered = sorted(samples)
    return EngineOverhead(
        turns=len(samples),
        scenarios=len(scenarios),
        mean_ms=sum(samples) / len(samples) if samples else 0.0,
        p50_ms=_nearest_rank(ordered, 0.5),
        p95_ms=_nearest_rank(ordered, 0.95),
        max_ms=ordered[-1] if ordered else 0.0,
    )


def _engine_turn(engine: PersonaEngine, scenario: Scenario, history: list[Turn], text: str) -> str:
    """One turn's engine work; appends the practitioner turn and returns the reply said."""
    codes = engine.code_turn(text, history).codes
    step = engine.advance(scenario, history, text, codes)
    history.append(
        Turn(index=len(history), speaker=Speaker.PRACTITIONER, text=text, codes=codes, persona=step)
    )
    plan = engine.plan(scenario, history)
    gate = plan.gate(scenario)  # the checks, run on a reply as long as the authored line
    gate.feed(plan.authored)
    gate.close()
    return plan.authored


async def compare_modes(
    engines: Sequence[PersonaEngine],
    scenarios: Sequence[Scenario],
    model: ChatModel,
    *,
    turns: int,
    lines: Sequence[str] = MODE_LINES,
) -> list[ModeFigures]:
    """Hold ``turns`` turns with each scenario under each engine's mode; judge the drafts."""
    return [await _mode_figures(engine, scenarios, model, turns, lines) for engine in engines]


async def _mode_figures(
    engine: PersonaEngine,
    scenarios: Sequence[Scenario],
    model: ChatModel,
    turns: int,
    lines: Sequence[str],
) -> ModeFigures:
    passed = novel = fallbacks = replies = errors = on_topic = usable = 0
    first_person = contradictions = 0
    first_ms: list[float] = []
    reply_ms: list[float] = []
    examples: list[str] = []
    samples: list[DraftSample] = []
    for scenario in scenarios:
        talk = LocalConversation(engine, scenario, model)
        for number in range(turns):
            try:
                exchange = await talk.exchange(lines[number % len(lines)])
            except LLMError:
                errors += 1  # timed out or failed: counted, and the turn is taken back
                talk.turns.pop()
                continue
            draft = exchange.outcome.drafts[0] if exchange.outcome.drafts else ""
            gate = exchange.plan.gate(scenario)
            gate.feed(draft)
            gate.close()
            said = " ".join(t.text for t in talk.turns if t.speaker is Speaker.PRACTITIONER)
            replies += 1
            ok = bool(gate.sentences) and not gate.failed
            topical = _on_topic(draft, exchange, scenario, talk.released)
            voiced = speaks_as_person(draft, scenario)
            contrary_reason = contradiction(draft, scenario)
            contrary = bool(contrary_reason)
            added = novel_clinical_terms(scenario, draft, said)
            passed += ok
            on_topic += topical
            first_person += voiced
            contradictions += contrary
            usable += ok and topical and voiced and not contrary
            novel += bool(added)
            fallbacks += exchange.outcome.fallback
            reply_ms.append(exchange.outcome.latency_ms)
            if exchange.outcome.first_token_ms is not None:
                first_ms.append(exchange.outcome.first_token_ms)
            examples.append(draft.strip()[:160])
            samples.append(
                DraftSample(
                    scenario=scenario.id,
                    turn=exchange.practitioner.text,
                    authored=exchange.plan.authored,
                    draft=draft,
                    problem="" if ok else (gate.failed or "nothing usable"),
                    on_topic=topical,
                    first_person=voiced,
                    contradiction=contrary_reason,
                    novel=added,
                    reply=exchange.person.text,
                    reply_ms=exchange.outcome.latency_ms,
                )
            )
    return ModeFigures(
        mode=engine.mode.value,
        model=model.model_id,
        replies=replies,
        passed=passed,
        pass_share=passed / replies if replies else 0.0,
        novel=novel,
        novel_share=novel / replies if replies else 0.0,
        fallbacks=fallbacks,
        errors=errors,
        on_topic=on_topic,
        on_topic_share=on_topic / replies if replies else 0.0,
        first_person=first_person,
        contradictions=contradictions,
        usable=usable,
        usable_share=usable / replies if replies else 0.0,
        first_sentence_ms_p50=_nearest_rank(sorted(first_ms), 0.5),
        reply_ms_p50=_nearest_rank(sorted(reply_ms), 0.5),
        reply_ms_p95=_nearest_rank(sorted(reply_ms), 0.95),
        examples=examples,
        samples=samples,
    )


def _on_topic(draft: str, exchange: Exchange, scenario: Scenario, released: frozenset[str]) -> bool:
    """The draft answers this moment: it shares a content word with the practitioner's turn,
    the authored line, or what the person may talk about now (open and released facts), so
    a free draft about the person's own situation counts as much as a rephrased line. A
    short answer ("Yes.", "Not really.") to a question answers it.
    """
    if "?" in exchange.practitioner.text and len(words(draft)) <= SHORT_ANSWER_WORDS:
        return bool(words(draft))
    facts = [*scenario.open_facts]
    facts += [fact.say for fact in scenario.hidden_facts if fact.id in released]
    moment = content_stems(" ".join([exchange.practitioner.text, exchange.plan.authored, *facts]))
    return bool(content_stems(draft) & moment)


def _nearest_rank(ordered: Sequence[float], share: float) -> float:
    if not ordered:
        return 0.0
    return float(ordered[max(math.ceil(share * len(ordered)) - 1, 0)])
