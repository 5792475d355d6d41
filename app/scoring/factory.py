"""The one place that chooses the turn coder, so swapping it is a one-line change.

The rule-based coder is the default: deterministic, local and fast. A trained coder will
replace it here, and everything that codes turns (scoring, the persona engine, the CLI)
follows.
"""

from __future__ import annotations

from app.scoring.rules import RuleCoder
from app.sim.engine import Coder


def default_coder() -> Coder:
    """The coder Rehearse uses unless a caller passes its own."""
    return RuleCoder()
