"""The coder's figures for ``rehearse bench``: batch throughput and single-turn latency.

The turns are everyday practitioner lines with the person's previous words, shipped here so
the bench needs no data set. Throughput is turns coded per second over a batch, one process,
one thread; latency is the time of one ``code`` call, as the persona engine makes it.
"""

from __future__ import annotations

import math
import time

from pydantic import BaseModel

from app.scoring.trained.coder import TrainedCoder
from app.scoring.trained.model import MODEL_PATH, CoderModel

SAMPLE: tuple[tuple[str, str], ...] = (
    ("Hello, I'm Sam, one of the nurses. What would you like to talk about today?", ""),
    ("How have things been for you lately?", "Not great, to be honest."),
    (
        "So the pain in your knee is stopping you from walking the dog.",
        "I can't even get round the park with the dog any more, my knee just gives way.",
    ),
    (
        "You're worried that surgery might leave you worse off than now.",
        "I keep thinking, what if the operation goes wrong and I end up worse?",
    ),
    ("Is it okay if I tell you a bit about the options?", "Yes, please."),
    (
        "There are three options: physiotherapy, an injection, or surgery. Doing nothing for now "
        "is also an option.",
        "Okay.",
    ),
    ("Does that make sense so far?", "I think so."),
    ("Could you tell me in your own words what you'll do if the swelling gets worse?", "Right."),
    ("Do you smoke?", "Yes, about ten a day."),
    ("You should really cut down, it's bad for your heart.", "I know, I know."),
    ("Mm-hmm.", "And then my daughter moved away."),
    (
        "What matters most to you when you think about the next few months?",
        "Being able to look after my grandchildren.",
    ),
    (
        "It sounds like you've already made some real changes, and that took effort.",
        "I walk to work now instead of driving.",
    ),
    ("Okay. Thank you for coming in today.", "Thanks."),
    (
        "On the one hand you enjoy a drink with friends, and on the other you're scared of what it "
        "is doing to your liver.",
        "I like going out but the last blood test frightened me.",
    ),
    ("Many people feel the same way when they first hear about it.", "I just feel so stupid."),
)


class CoderSpeed(BaseModel):
    """How fast the default coder codes practitioner turns on this machine."""

    method: str
    turns: int
    seconds: float
    turns_per_s: float
    single_ms_p50: float
    single_ms_p95: float
    model_load_ms: float


def measure_coder(batch: int = 2000, single: int = 200) -> CoderSpeed:
    """Code ``batch`` turns for throughput, then time ``single`` calls one by one."""
    started = time.perf_counter()
    model = CoderModel.load(MODEL_PATH)
    load_ms = (time.perf_counter() - started) * 1000
    coder = TrainedCoder(model)
    turns = [SAMPLE[i % len(SAMPLE)] for i in range(batch)]
    coder.code(*turns[0])  # warm: compiled regexes, caches
    started = time.perf_counter()
    for text, prev in turns:
        coder.code(text, prev)
    seconds = time.perf_counter() - started
    latencies: list[float] = []
    for text, prev in turns[:single]:
        began = time.perf_counter()
        coder.code(text, prev)
        latencies.append((time.perf_counter() - began) * 1000)
    return CoderSpeed(
        method=coder.method,
        turns=batch,
        seconds=seconds,
        turns_per_s=batch / seconds if seconds > 0 else 0.0,
        single_ms_p50=_percentile(latencies, 0.5),
        single_ms_p95=_percentile(latencies, 0.95),
        model_load_ms=load_ms,
    )


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)) - 1, 0)] if ordered else 0.0


def describe_coder_speed(speed: CoderSpeed) -> str:
    """One line with units, for ``rehearse bench``."""
    return (
        f"utterance coder ({speed.method}): {speed.turns_per_s:.0f} turns/s batch "
        f"({speed.turns} turns in {speed.seconds:.2f} s, 1 thread); single turn p50 "
        f"{speed.single_ms_p50:.2f} ms, p95 {speed.single_ms_p95:.2f} ms; model load "
        f"{speed.model_load_ms:.0f} ms (targets: >= 1000 turns/s, <= 10 ms a turn)"
    )
