"""A small, fast, deterministic rule-based coder for practitioner turns (DESIGN.md section 5).

It works in three steps:

1. split the turn into sentences and give each one an act (question, reflection, input,
   statement or other) from its opening words and punctuation (``acts``);
2. match the fine codes of the code book with regexes compiled at import, keeping the exact
   words that matched as evidence (one module per code family: ``structure``, ``relational``,
   ``information``, ``options``, ``person``, ``pressure``, ``jargon``);
3. pick the turn's main act, AnnoMI style, from the sentence acts and the fine codes
   (``behaviour``), and settle codes that imply one another (``coder``).

No model is needed. Each cue pattern carries the literal words it cannot match without, so most
patterns are skipped by a substring test and a turn is coded in well under a millisecond. The
fine codes are measured against a hand-labelled gold set (docs/fine-codes.md).
"""

from __future__ import annotations

from app.scoring.rules.codebook import CODE_ORDER, INPUT_CODES
from app.scoring.rules.coder import RuleCoder
from app.scoring.rules.cues import CUES
from app.scoring.rules.matching import Cue, required_words

__all__ = ["CODE_ORDER", "CUES", "INPUT_CODES", "Cue", "RuleCoder", "required_words"]
