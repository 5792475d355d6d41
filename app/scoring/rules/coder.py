"""The rule coder: split a turn into sentences, give each an act, match the cue table, then
settle the main act and the codes that imply one another."""

from __future__ import annotations

from app.domain.coding import Behaviour, TurnCoding
from app.scoring.rules.acts import set_act
from app.scoring.rules.behaviour import main_act, mark_input, reflection_type
from app.scoring.rules.codebook import RANK
from app.scoring.rules.cues import CUES
from app.scoring.rules.found import Found
from app.scoring.rules.jargon import unexplained_jargon
from app.scoring.rules.settle import resolve
from app.scoring.rules.text import NORMALISE, Sentence, lower_same_length, split_sentences


def match_cues(norm: str, original: str, lower: str, found: Found) -> None:
    for cue in CUES:
        if cue.code in found.evidence and cue.code not in found.weak:
            continue
        m = cue.search(norm, lower)
        if m:
            found.add(cue.code, original[m.start() : m.end()], strong=cue.strong)


def _quote(original: str, sent: Sentence) -> str:
    return original[sent.start : sent.end]


class RuleCoder:
    """Codes a practitioner turn with regex rules: deterministic, local and fast."""

    method = "rules"

    def code(self, text: str, prev_text: str = "") -> TurnCoding:
        """Code one practitioner turn; `prev_text` is what the person said just before."""
        text = text or ""
        norm = text.translate(NORMALISE)
        if not norm.strip():
            return TurnCoding(behaviour=Behaviour.OTHER, confidence=1.0, method=self.method)
        prev_norm = (prev_text or "").translate(NORMALISE)
        lower = lower_same_length(norm)
        sentences = split_sentences(norm)
        for sent in sentences:
            set_act(sent)
        found = Found()
        match_cues(norm, text, lower, found)
        mark_input(sentences, norm, lower, found)
        for sent in sentences:
            if sent.act == "question":
                found.add(f"{sent.qtype}_question", _quote(text, sent))
        terms = unexplained_jargon(norm, text, lower, prev_norm.lower())
        if terms:
            found.add("jargon", ", ".join(terms))
        resolve(sentences, norm, text, found, prev_norm)
        return self._finish(sentences, found, text, prev_norm)

    def _finish(
        self, sentences: list[Sentence], found: Found, text: str, prev_norm: str
    ) -> TurnCoding:
        behaviour, sure = main_act(sentences, found)
        qtype = rtype = ""
        if behaviour is Behaviour.QUESTION:
            qtype = [s for s in sentences if s.act == "question"][-1].qtype  # the one answered
        elif behaviour is Behaviour.REFLECTION:
            rtype = reflection_type(sentences, prev_norm)
            first = next(s for s in sentences if s.act == "reflection")
            found.add(f"{rtype}_reflection", _quote(text, first))
        if found.weak:
            sure *= 0.85
        codes = sorted(found.evidence, key=RANK.__getitem__)
        return TurnCoding(
            behaviour=behaviour,
            question_type=qtype,
            reflection_type=rtype,
            codes=codes,
            evidence={code: found.evidence[code] for code in codes},
            confidence=round(max(0.05, min(1.0, sure)), 3),
            method=self.method,
        )
