"""Use cases of a rehearsal: start, say something, hear the reply, end, restart.

This is the only layer that touches both the store and the LLM. The practitioner's turn
is committed before the model is called, so a model failure never loses it; the person's
reply is generated on request (``stream_reply``), so a failed reply can simply be asked
for again.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import aclosing
from dataclasses import dataclass, field

from anyio.to_thread import run_sync
from sqlalchemy.orm import Session, sessionmaker

from app.content.scenarios import ScenarioLibrary, scenario_from_source
from app.domain.conversation import (
    ConversationStatus,
    ConversationSummary,
    ConversationView,
    Speaker,
    Turn,
)
from app.domain.persona_state import ReplyChecks
from app.domain.scenario import Scenario
from app.llm.base import ChatModel, LLMError
from app.sim.engine import PersonaEngine, ReplyPlan
from app.sim.gate import ReplyGate
from app.store import repositories as repo
from app.store.db import transaction
from app.store.models import Conversation


class RehearsalError(Exception):
    """A request the practitioner can fix; the message is shown as is."""


class NotFound(RehearsalError):
    """No such scenario or conversation."""


@dataclass(frozen=True)
class Token:
    """A piece of the person's reply, ready to show."""

    text: str


@dataclass(frozen=True)
class Finished:
    """The person's reply is complete and saved."""

    turn: Turn


@dataclass(frozen=True)
class Failed:
    """The model could not answer; the conversation is intact and can be retried."""

    message: str


ReplyEvent = Token | Finished | Failed


class RehearsalService:
    """Everything the web pages and the CLI do with conversations."""

    def __init__(
        self,
        *,
        sessions: sessionmaker[Session],
        library: ScenarioLibrary,
        engine: PersonaEngine,
        chat_model: ChatModel,
        provider: str,
        max_message_chars: int,
    ) -> None:
        self.sessions = sessions
        self.library = library
        self.engine = engine
        self.chat_model = chat_model
        self.provider = provider
        self.max_message_chars = max_message_chars

    def start(self, scenario_id: str) -> int:
        """Start a conversation; the person's opening line is its first turn."""
        scenario = self.library.get(scenario_id)
        if scenario is None:
            raise NotFound(f"There is no scenario '{scenario_id}'.")
        source = self.library.sources[scenario_id]
        with transaction(self.sessions) as session:
            version = repo.scenario_version(
                session, slug=scenario.id, title=scenario.title, source=source
            )
            conversation = repo.create_conversation(
                session,
                user=repo.default_user(session),
                version=version,
                llm_provider=self.provider,
            )
            repo.add_turn(
                session,
                conversation=conversation,
                speaker=Speaker.PERSON,
                text=scenario.opening_line,
                model="scenario",
            )
            return conversation.id

    def say(self, conversation_id: int, text: str) -> Turn:
        """Store a practitioner turn (coded), before any model is asked to reply."""
        message = text.strip()
        if not message:
            raise RehearsalError("Please type something to say before sending.")
        if len(message) > self.max_message_chars:
            raise RehearsalError(
                f"That message is {len(message)} characters; the limit is "
                f"{self.max_message_chars}. Try saying it in two turns."
            )
        with transaction(self.sessions) as session:
            conversation = self._active(session, conversation_id)
            history = [_turn(row) for row in conversation.turns]
            if history and history[-1].speaker is Speaker.PRACTITIONER:
                raise RehearsalError(
                    "The person has not answered your last turn yet. Ask for their reply "
                    "again before saying more."
                )
            scenario = scenario_from_source(conversation.scenario_version.source)
            coding = self.engine.code_turn(message, history)
            step = self.engine.advance(scenario, history, message, coding.codes)
            row = repo.add_turn(
                session,
                conversation=conversation,
                speaker=Speaker.PRACTITIONER,
                text=message,
                codes=coding.codes,
                persona=step.model_dump(mode="json"),
            )
            return _turn(row)

    async def stream_reply(self, conversation_id: int) -> AsyncIterator[ReplyEvent]:
        """Generate, check, stream and save the person's reply to the last turn.

        A reply that fails its checks before any sentence was shown is asked for again
        (``plan.attempts``); one that fails later keeps the sentences already shown, each
        of which passed; with nothing usable the authored line is said instead.
        """
        view = await run_sync(self.view, conversation_id)
        if view.status is not ConversationStatus.ACTIVE or not view.awaiting_reply:
            raise RehearsalError("There is nothing for the person to reply to.")
        scenario = await run_sync(self.scenario_of, conversation_id)
        plan = self.engine.plan(scenario, view.turns)
        attempt = _Attempts(plan=plan, started=time.perf_counter())
        for number in range(1, plan.attempts + 1):
            attempt.count = number
            gate = plan.gate(scenario)
            try:
                async for token in self._generate(plan, gate, attempt):
                    yield token
            except LLMError as exc:
                if number == 1:
                    yield Failed(str(exc))
                    return
                attempt.problems.append(str(exc))
                break
            if gate.sentences:
                attempt.problems += [gate.failed] if gate.failed else []
                attempt.text = gate.text
                break
            attempt.problems.append(gate.failed or "empty reply")
        turn = await run_sync(self._save_reply, conversation_id, attempt)
        yield Finished(turn)

    async def _generate(
        self, plan: ReplyPlan, gate: ReplyGate, attempt: _Attempts
    ) -> AsyncIterator[Token]:
        """Stream one attempt through ``gate``, yielding the sentences that pass."""
        async with aclosing(self.chat_model.stream(plan.request)) as chunks:
            async for chunk in chunks:
                for sentence in gate.feed(chunk):
                    attempt.first_token_ms = attempt.first_token_ms or _ms_since(attempt.started)
                    yield Token(_spaced(sentence, gate))
                if gate.done:
                    break
        for sentence in gate.close():
            attempt.first_token_ms = attempt.first_token_ms or _ms_since(attempt.started)
            yield Token(_spaced(sentence, gate))

    async def warm_up(self, conversation_id: int) -> None:
        """Let a prompt-caching model read the persona prompt while the brief is read.

        The embedded model needs seconds to read an ~900-token persona prompt on two cores;
        done now, the first reply starts as fast as later ones. Failures are left for the
        real reply to report.
        """
        if not self.chat_model.caches_prompts:
            return
        view = await run_sync(self.view, conversation_id)
        scenario = await run_sync(self.scenario_of, conversation_id)
        request = self.engine.warm_up_request(scenario, view.turns)
        try:
            async with aclosing(self.chat_model.stream(request)) as chunks:
                async for _ in chunks:
                    break
        except LLMError:
            return

    def _save_reply(self, conversation_id: int, attempt: _Attempts) -> Turn:
        fallback = attempt.text is None
        checks = ReplyChecks(mode=self._mode, attempts=attempt.count, problems=attempt.problems)
        with transaction(self.sessions) as session:
            conversation = self._active(session, conversation_id)
            row = repo.add_turn(
                session,
                conversation=conversation,
                speaker=Speaker.PERSON,
                text=attempt.plan.authored if attempt.text is None else attempt.text,
                model=self.chat_model.model_id,
                latency_ms=_ms_since(attempt.started),
                first_token_ms=attempt.first_token_ms,
                fallback=fallback,
                checks=checks.model_dump(mode="json"),
            )
            return _turn(row)

    @property
    def _mode(self) -> str:
        """How the reply was voiced: the scripted provider says the authored line as is."""
        return "scripted" if self.provider == "scripted" else self.engine.mode.value

    def end(self, conversation_id: int) -> None:
        """End a conversation; it stays in the list of past conversations."""
        with transaction(self.sessions) as session:
            conversation = self._get(session, conversation_id)
            if conversation.status == ConversationStatus.ACTIVE.value:
                repo.end_conversation(session, conversation)

    def restart(self, conversation_id: int) -> int:
        """End this conversation and start the same scenario afresh."""
        view = self.view(conversation_id)
        self.end(conversation_id)
        return self.start(view.scenario_id)

    def view(self, conversation_id: int) -> ConversationView:
        """The conversation with its turns."""
        with transaction(self.sessions) as session:
            conversation = self._get(session, conversation_id)
            return ConversationView(
                id=conversation.id,
                scenario_id=conversation.scenario_version.slug,
                scenario_title=conversation.scenario_version.title,
                status=ConversationStatus(conversation.status),
                llm_provider=conversation.llm_provider,
                started_at=conversation.started_at,
                ended_at=conversation.ended_at,
                turns=[_turn(row) for row in conversation.turns],
            )

    def scenario_of(self, conversation_id: int) -> Scenario:
        """The scenario version this conversation was held with (not today's file)."""
        with transaction(self.sessions) as session:
            source = self._get(session, conversation_id).scenario_version.source
        return scenario_from_source(source)

    def history(self) -> list[ConversationSummary]:
        """The practitioner's past conversations, newest first."""
        with transaction(self.sessions) as session:
            user = repo.default_user(session)
            rows = repo.list_conversations(session, user_id=user.id)
            return [
                ConversationSummary(
                    id=conversation.id,
                    scenario_id=conversation.scenario_version.slug,
                    scenario_title=conversation.scenario_version.title,
                    status=ConversationStatus(conversation.status),
                    started_at=conversation.started_at,
                    turn_count=count,
                )
                for conversation, count in rows
            ]

    def _get(self, session: Session, conversation_id: int) -> Conversation:
        conversation = repo.get_conversation(session, conversation_id)
        if conversation is None:
            raise NotFound(f"There is no conversation {conversation_id}.")
        return conversation

    def _active(self, session: Session, conversation_id: int) -> Conversation:
        conversation = self._get(session, conversation_id)
        if conversation.status != ConversationStatus.ACTIVE.value:
            raise RehearsalError("This conversation has ended. Restart it to try again.")
        return conversation


@dataclass
class _Attempts:
    """The attempts at one reply: what was said, what the checks caught, the timings."""

    plan: ReplyPlan
    started: float
    count: int = 0
    text: str | None = None
    problems: list[str] = field(default_factory=list)
    first_token_ms: int | None = None


def _turn(row: object) -> Turn:
    return Turn.model_validate(row, from_attributes=True)


def _ms_since(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)


def _spaced(sentence: str, gate: ReplyGate) -> str:
    """Sentences after the first are shown with a leading space."""
    return sentence if gate.sentences and gate.sentences[0] is sentence else " " + sentence
