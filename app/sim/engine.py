"""The persona engine: from a conversation so far to the person's next reply.

It codes the practitioner's turn, chooses the authored line for this moment, builds the
prompt from ``prompts/persona.j2``, and gates the model's streamed reply sentence by
sentence (``ReplyGate``). Pure orchestration: no database, no HTTP.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

from app.content.prompts import PromptLibrary
from app.domain.coding import TurnCoding
from app.domain.conversation import Speaker, Turn
from app.domain.scenario import Scenario, ScriptedLine
from app.llm.base import ChatMessage, ChatRequest, Role
from app.sim.checks import check_sentence, split_complete_sentences, strip_speaker_label

# Roughly 40 tokens a sentence is plenty for everyday speech.
_TOKENS_PER_SENTENCE = 40


class Coder(Protocol):
    """Anything that codes a practitioner turn (rules now, a trained model later)."""

    method: str

    def code(self, text: str, prev_text: str = "") -> TurnCoding:
        """Code one practitioner turn given the person's previous words."""
        ...


@dataclass(frozen=True)
class ReplyPlan:
    """The request for the model, and the authored line to say if the model fails."""

    request: ChatRequest
    authored: str


class PersonaEngine:
    """Plans the person's replies for a scenario."""

    def __init__(self, prompts: PromptLibrary, coder: Coder) -> None:
        self.prompts = prompts
        self.coder = coder

    def code_turn(self, text: str, history: list[Turn]) -> TurnCoding:
        """Code a practitioner turn against the person's last words."""
        previous = next((t.text for t in reversed(history) if t.speaker is Speaker.PERSON), "")
        return self.coder.code(text, previous)

    def plan(self, scenario: Scenario, history: list[Turn]) -> ReplyPlan:
        """Plan the reply to the last practitioner turn in ``history``."""
        authored = choose_authored_line(scenario, history)
        messages = [ChatMessage(role=Role.SYSTEM, content=self.system_prompt(scenario))]
        messages += [_as_message(turn) for turn in history]
        request = ChatRequest(
            messages=messages,
            max_tokens=scenario.person.reply_sentences * _TOKENS_PER_SENTENCE,
            authored_reply=authored,
        )
        return ReplyPlan(request=request, authored=authored)

    def system_prompt(self, scenario: Scenario) -> str:
        """The persona prompt: who the person is and the facts they may share."""
        return self.prompts.render(
            "persona",
            person=scenario.person,
            setting=scenario.setting,
            facts=scenario.open_facts,
            practitioner_label="practitioner you are talking with",
        )


def _as_message(turn: Turn) -> ChatMessage:
    role = Role.ASSISTANT if turn.speaker is Speaker.PERSON else Role.USER
    return ChatMessage(role=role, content=turn.text)


def choose_authored_line(scenario: Scenario, history: list[Turn]) -> str:
    """The scenario's own line for the last practitioner turn.

    A cued line whose cue words or codes match that turn wins, preferring lines not yet
    said; otherwise the fallback lines are said in turn.
    """
    said = {turn.text for turn in history if turn.speaker is Speaker.PERSON}
    last = next((t for t in reversed(history) if t.speaker is Speaker.PRACTITIONER), None)
    if last is not None:
        matching = [line for line in scenario.scripted.lines if _matches(line, last)]
        fresh = [line for line in matching if line.say not in said]
        if fresh or matching:
            return (fresh or matching)[0].say
    fallbacks = scenario.scripted.fallback
    unsaid = [line for line in fallbacks if line not in said]
    person_turns = sum(1 for turn in history if turn.speaker is Speaker.PERSON)
    return unsaid[0] if unsaid else fallbacks[person_turns % len(fallbacks)]


def _matches(line: ScriptedLine, turn: Turn) -> bool:
    text = turn.text.lower()
    if any(re.search(rf"\b{re.escape(cue.lower())}", text) for cue in line.cues):
        return True
    return bool(set(line.codes) & set(turn.codes))


@dataclass
class ReplyGate:
    """Lets a streamed reply through one checked sentence at a time.

    ``feed`` returns the sentences that may be shown now. Generation should stop when
    ``done`` is set: the sentence budget is spent, or a sentence failed a check, in which
    case ``failed`` holds the reason and the authored line replaces the reply.
    """

    person_name: str
    max_sentences: int
    sentences: list[str] = field(default_factory=list)
    failed: str = ""
    _buffer: str = ""

    @property
    def done(self) -> bool:
        """No more text is wanted."""
        return bool(self.failed) or len(self.sentences) >= self.max_sentences

    def feed(self, chunk: str) -> list[str]:
        """Add streamed text; return the newly accepted sentences."""
        if self.done:
            return []
        self._buffer += chunk
        finished, self._buffer = split_complete_sentences(self._buffer)
        return self._accept(finished)

    def close(self) -> list[str]:
        """The stream ended: judge what is left in the buffer."""
        rest, self._buffer = self._buffer.strip(), ""
        return self._accept([rest] if rest and not self.done else [])

    def _accept(self, candidates: list[str]) -> list[str]:
        accepted: list[str] = []
        for raw in candidates:
            if self.done:
                break
            sentence = strip_speaker_label(raw).strip() if not self.sentences else raw.strip()
            verdict = check_sentence(sentence, person_name=self.person_name)
            if not verdict.ok:
                self.failed = verdict.problem
                break
            if sentence:
                self.sentences.append(sentence)
                accepted.append(sentence)
        return accepted

    @property
    def text(self) -> str:
        """The accepted reply so far."""
        return " ".join(self.sentences)
