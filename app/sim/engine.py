"""The persona engine: from a conversation so far to the person's next reply.

Turn loop (DESIGN.md section 4): the service codes the practitioner's turn and calls
``advance`` (state update and fact release, stored on the turn); ``plan`` then builds the
prompt from ``prompts/`` with only open and released facts, chooses the authored line for
this state, and sets up the checks every streamed sentence must pass (``ReplyGate``).
Pure orchestration: no database, no HTTP.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Protocol

from app.content.prompts import PromptLibrary
from app.domain.coding import TurnCoding
from app.domain.conversation import Speaker, Turn
from app.domain.persona import PersonaMode
from app.domain.persona_state import PersonaStep, StateDefaults
from app.domain.scenario import Scenario
from app.llm.base import ChatMessage, ChatRequest, Role
from app.sim.authored import Authored, choose_authored, sentence_limit
from app.sim.checks import LineWords, ReplyChecker, shingles
from app.sim.defaults import load_defaults, rules_for
from app.sim.gate import ReplyGate
from app.sim.identity import identity_of
from app.sim.leaks import detectors_for, released_stems
from app.sim.novelty import vocabulary_of
from app.sim.signals import is_role_break
from app.sim.state import advance, state_after

__all__ = ["Coder", "PersonaEngine", "ReplyGate", "ReplyPlan"]

# Roughly 40 tokens a sentence is plenty for everyday speech.
_TOKENS_PER_SENTENCE = 40
# A free reply that fails its checks before a sentence was shown is asked for once more. A
# failed rephrase is not: the persona-mode study (docs/persona-modes.md) found a tiny
# model's second try rarely better than its first, so the authored line is said at once.
REGENERATIONS = {PersonaMode.FREE: 1, PersonaMode.REPHRASE: 0}
# The templates whose own wording a reply must never repeat.
_PROMPTS = ("persona", "persona_state", "persona_rephrase")


class Coder(Protocol):
    """Anything that codes a practitioner turn (rules now, a trained model later)."""

    method: str

    def code(self, text: str, prev_text: str = "") -> TurnCoding:
        """Code one practitioner turn given the person's previous words."""
        ...


@dataclass(frozen=True)
class ReplyPlan:
    """The request for the model, the authored line to fall back on, and the checks."""

    request: ChatRequest
    authored: str
    checker: ReplyChecker | None = None
    max_sentences: int | None = None
    mode: str = PersonaMode.FREE.value
    attempts: int = 1
    source: str = ""
    line: str = ""

    def gate(self, scenario: Scenario) -> ReplyGate:
        """A fresh gate for one attempt at this reply."""
        limit = self.max_sentences or scenario.person.reply_sentences
        return ReplyGate(scenario.person.name, limit, self.checker)


class PersonaEngine:
    """Keeps the person's state and plans their replies for a scenario."""

    def __init__(
        self,
        prompts: PromptLibrary,
        coder: Coder,
        *,
        defaults: StateDefaults | None = None,
        mode: PersonaMode = PersonaMode.REPHRASE,
    ) -> None:
        self.prompts = prompts
        self.coder = coder
        self.defaults = defaults or load_defaults()
        self.mode = mode
        parts = [part for name in _PROMPTS for part in prompts.static_parts(name)]
        self.instructions = frozenset().union(*(shingles(part) for part in parts))

    def rules(self, scenario: Scenario) -> StateDefaults:
        """The state rules for ``scenario``: the shared defaults plus its overrides."""
        return rules_for(scenario, self.defaults)

    def code_turn(self, text: str, history: list[Turn]) -> TurnCoding:
        """Code a practitioner turn against the person's last words."""
        previous = next((t.text for t in reversed(history) if t.speaker is Speaker.PERSON), "")
        return self.coder.code(text, previous)

    def advance(
        self, scenario: Scenario, history: list[Turn], text: str, codes: list[str]
    ) -> PersonaStep:
        """What the practitioner turn ``text`` does to the person: state and releases."""
        return advance(scenario, self.rules(scenario), history, text, codes)

    def plan(self, scenario: Scenario, history: list[Turn]) -> ReplyPlan:
        """Plan the reply to the last practitioner turn in ``history``.

        A role break is always voiced by rephrasing the authored deflection, whatever the
        mode, so the words that tried to break the role never reach the model.
        """
        rules = self.rules(scenario)
        step = self._step(scenario, history, rules)
        released = set(state_after(history, rules).released)
        released |= {release.id for release in step.released} if step else set()
        checker = self._checker(scenario, history, released)
        authored = choose_authored(scenario, history, step, rules, _LeakTest(checker))
        limit = sentence_limit(scenario, step.band if step else None, rules)
        emotion = step.emotion_after if step else rules.emotion
        mode = PersonaMode.REPHRASE if step is not None and step.role_break else self.mode
        if mode is PersonaMode.REPHRASE:
            checker = replace(checker, line=LineWords.of(authored.text))
            messages = self._rephrase_messages(scenario, authored, emotion, limit)
        else:
            messages = self._free_messages(scenario, history, step, released, limit)
        request = ChatRequest(
            messages=messages,
            max_tokens=limit * _TOKENS_PER_SENTENCE,
            authored_reply=authored.text,
        )
        return ReplyPlan(
            request=request,
            authored=authored.text,
            checker=checker,
            max_sentences=limit,
            mode=mode.value,
            attempts=1 + REGENERATIONS[mode],
            source=authored.source,
            line=authored.line,
        )

    def warm_up_request(self, scenario: Scenario, history: list[Turn]) -> ChatRequest:
        """The part of the next prompt that stays the same, for a caching model to read."""
        if self.mode is PersonaMode.REPHRASE:
            emotion = self.rules(scenario).emotion
            limit = scenario.person.reply_sentences
            messages = [self._message(Role.SYSTEM, self._rephrase(scenario, emotion, limit))]
        else:
            messages = self._free_messages(scenario, history, None, set(), 0)
        return ChatRequest(messages=messages, max_tokens=1)

    def system_prompt(self, scenario: Scenario) -> str:
        """The persona prompt: who the person is and the facts anyone may hear."""
        return self.prompts.render(
            "persona",
            person=scenario.person,
            setting=scenario.setting,
            facts=scenario.open_facts,
            practitioner_label="practitioner you are talking with",
        )

    def _step(
        self, scenario: Scenario, history: list[Turn], rules: StateDefaults
    ) -> PersonaStep | None:
        """The stored step of the last practitioner turn (worked out again if missing)."""
        if not history or history[-1].speaker is not Speaker.PRACTITIONER:
            return None
        last = history[-1]
        return last.persona or advance(scenario, rules, history[:-1], last.text, last.codes)

    def _checker(self, scenario: Scenario, history: list[Turn], released: set[str]) -> ReplyChecker:
        detectors = detectors_for(scenario)
        said = " ".join(t.text for t in history if t.speaker is Speaker.PRACTITIONER)
        return ReplyChecker(
            person_name=scenario.person.name,
            detectors=tuple(d for fact_id, d in detectors.items() if fact_id not in released),
            allowed=released_stems(scenario, released),
            instructions=self.instructions,
            vocabulary=vocabulary_of(scenario).plus(said),
            identity=identity_of(scenario),
        )

    def _free_messages(
        self,
        scenario: Scenario,
        history: list[Turn],
        step: PersonaStep | None,
        released: set[str],
        limit: int,
    ) -> list[ChatMessage]:
        messages = [self._message(Role.SYSTEM, self.system_prompt(scenario))]
        messages += [_as_message(turn) for turn in without_role_breaks(history)]
        if step is not None:
            messages.append(self._message(Role.SYSTEM, self._note(scenario, step, released, limit)))
        return messages

    def _note(self, scenario: Scenario, step: PersonaStep, released: set[str], limit: int) -> str:
        """The turn note: state, and the facts earned so far (never an unreleased one)."""
        facts = [fact.fact for fact in scenario.hidden_facts if fact.id in released]
        newly = scenario.hidden_fact(step.released[0].id) if step.released else None
        # ``newly`` is the fact's authored line: first person, in the person's own words.
        return self.prompts.render(
            "persona_state",
            name=scenario.person.name,
            role_break=step.role_break,
            emotion=step.emotion_after,
            band=step.band.value,
            released=facts,
            newly=newly.say if newly else "",
            sentences=limit,
        )

    def _rephrase_messages(
        self, scenario: Scenario, authored: Authored, emotion: str, limit: int
    ) -> list[ChatMessage]:
        system = self._rephrase(scenario, emotion, limit)
        return [self._message(Role.SYSTEM, system), self._message(Role.USER, authored.text)]

    def _rephrase(self, scenario: Scenario, emotion: str, limit: int) -> str:
        return self.prompts.render(
            "persona_rephrase", person=scenario.person, emotion=emotion, sentences=limit
        )

    @staticmethod
    def _message(role: Role, content: str) -> ChatMessage:
        return ChatMessage(role=role, content=content)


@dataclass(frozen=True)
class _LeakTest:
    """Whether an authored line would give away a fact that is not yet released."""

    checker: ReplyChecker

    def __call__(self, text: str) -> bool:
        return any(d.evidence(text, self.checker.allowed) for d in self.checker.detectors)


def without_role_breaks(history: list[Turn]) -> list[Turn]:
    """``history`` without role-break turns and the person's answers to them.

    The words that tried to break the role stay out of every later prompt too; the
    person's deflection went with them, so the conversation the model reads still flows.
    """
    kept: list[Turn] = []
    skipping = False
    for turn in history:
        if turn.speaker is Speaker.PRACTITIONER:
            skipping = turn.persona.role_break if turn.persona else is_role_break(turn.text)
        if not skipping:
            kept.append(turn)
    return kept


def _as_message(turn: Turn) -> ChatMessage:
    role = Role.ASSISTANT if turn.speaker is Speaker.PERSON else Role.USER
    return ChatMessage(role=role, content=turn.text)
