"""The default coder: a trained model for the AnnoMI labels, the rule coder for fine codes.

The rules code the turn first (their verdict is also a feature block of the model). The model
then decides the behaviour, and the question or reflection type, and the four fine codes that
name those types follow it, so a turn's codes never contradict its behaviour:

- a question turn carries exactly one of ``open_question``/``closed_question`` (the model's);
- a reflection turn carries exactly one of ``simple_reflection``/``complex_reflection``;
- other turns carry none of the four (a "does that make sense?" after information stays
  ``chunk_check``, as MITI counts one behaviour per utterance).

Every other fine code is the rules'. ``method`` says so: ``trained+rules``.
"""

from __future__ import annotations

import re

from app.domain.coding import Behaviour, TurnCoding
from app.scoring.rules import CODE_ORDER, RuleCoder
from app.scoring.trained.features import turn_features
from app.scoring.trained.model import CoderModel, shipped_model

QUESTION_CODES = ("open_question", "closed_question")
REFLECTION_CODES = ("simple_reflection", "complex_reflection")
_RANK = {code: i for i, code in enumerate(CODE_ORDER)}
_SENTENCE = re.compile(r"[^.!?]*[.!?]+|[^.!?]+$")
_EVIDENCE_CHARS = 160


class TrainedCoder:
    """Codes a practitioner turn with the trained model plus the rule coder's fine codes."""

    method = "trained+rules"
    # The model's question type wins over the rules' only when at least this sure of it.
    overrule_at = 0.7

    def __init__(self, model: CoderModel | None = None, rules: RuleCoder | None = None) -> None:
        self.model = model if model is not None else shipped_model()
        self.rules = rules if rules is not None else RuleCoder()

    def code(self, text: str, prev_text: str = "") -> TurnCoding:
        """Code one practitioner turn; ``prev_text`` is what the person said just before."""
        ruled = self.rules.code(text, prev_text)
        if not (text or "").strip():
            return ruled.model_copy(update={"method": self.method})
        model = self.model
        row = model.weighting.transform(turn_features(text, prev_text, ruled, chars=model.chars))
        behaviour, confidence = model.heads["behaviour"].predict(row)
        qtype = rtype = ""
        if behaviour == Behaviour.QUESTION.value:
            qtype, sure = model.heads["question_type"].predict(row)
            if ruled.question_type and sure < self.overrule_at:
                qtype = ruled.question_type  # unsure: the code book's grammar decides
        elif behaviour == Behaviour.REFLECTION.value:
            rtype = model.heads["reflection_type"].predict(row)[0]
        return _merge(ruled, Behaviour(behaviour), qtype, rtype, confidence, text, self.method)


def _merge(
    ruled: TurnCoding,
    behaviour: Behaviour,
    qtype: str,
    rtype: str,
    confidence: float,
    text: str,
    method: str,
) -> TurnCoding:
    """The rules' fine codes with the four type codes made to follow the model's labels."""
    evidence = {
        code: words
        for code, words in ruled.evidence.items()
        if code not in QUESTION_CODES and code not in REFLECTION_CODES
    }
    if qtype:
        evidence[f"{qtype}_question"] = _type_evidence(ruled, QUESTION_CODES, text, "?")
    if rtype:
        evidence[f"{rtype}_reflection"] = _type_evidence(ruled, REFLECTION_CODES, text, "")
    codes = sorted(evidence, key=lambda code: _RANK.get(code, len(_RANK)))
    return TurnCoding(
        behaviour=behaviour,
        question_type=qtype,
        reflection_type=rtype,
        codes=codes,
        evidence={code: evidence[code] for code in codes},
        confidence=round(max(0.05, min(1.0, confidence)), 3),
        method=method,
    )


def _type_evidence(ruled: TurnCoding, family: tuple[str, ...], text: str, mark: str) -> str:
    """The rules' words for either code of the family, else the turn's last sentence with
    ``mark`` (its first sentence when ``mark`` is empty or absent)."""
    for code in family:
        if code in ruled.evidence:
            return ruled.evidence[code]
    parts = [p.strip() for p in _SENTENCE.findall(text) if p.strip()]
    marked = [p for p in parts if mark and mark in p]
    chosen = marked[-1] if marked else (parts[0] if parts else text.strip())
    return chosen[:_EVIDENCE_CHARS]
