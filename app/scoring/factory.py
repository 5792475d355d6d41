"""The one place that chooses the turn coder, so swapping it is a one-line change.

The default is the trained coder (``app.scoring.trained``): a linear model trained on the
AnnoMI dev transcripts decides the behaviour and the question or reflection type, and the
rule coder adds the fine codes AnnoMI lacks. Deterministic, local, no LLM, about a
millisecond a turn (docs/coder.md). Everything that codes turns (scoring, the persona
engine, the CLI) follows this choice.
"""

from __future__ import annotations

from app.scoring.trained.coder import TrainedCoder
from app.sim.engine import Coder


def default_coder() -> Coder:
    """The coder Rehearse uses unless a caller passes its own."""
    return TrainedCoder()
