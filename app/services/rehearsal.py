"""Use cases of a rehearsal: start, say something, hear the reply, end, restart.

This is the only layer that touches both the store and the LLM. The practitioner's turn
is committed before the model is called, so a model failure never loses it; the person's
reply is generated on request (``stream_reply``), so a failed reply can simply be asked
for again.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import aclosing
from dataclasses import dataclass

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
from app.domain.scenario import Scenario
from app.llm.base import ChatModel, LLMError
from app.sim.engine import PersonaEngine
from app.sim.reply import Outcome, Spoken, voice
from app.store import repositories as repo
from app.store.db import transaction
from app.store.models import Conversation, User


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

    def start(self, scenario_id: str, *, user_id: int | None = None) -> int:
        """Start a conversation for ``user_id`` (None: the local practitioner, as in the CLI
        and single-user mode); the person's opening line is its first turn."""
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
                user=self._user(session, user_id),
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

        The rules (regenerate once if nothing was shown, keep what passed, else say the
        authored line) live in ``app.sim.reply.voice``; a model failure on the first try
        is reported as ``Failed`` and nothing is saved, so the reply can be asked for again.
        """
        view = await run_sync(self.view, conversation_id)
        if view.status is not ConversationStatus.ACTIVE or not view.awaiting_reply:
            raise RehearsalError("There is nothing for the person to reply to.")
        scenario = await run_sync(self.scenario_of, conversation_id)
        plan = self.engine.plan(scenario, view.turns)
        outcome: Outcome | None = None
        try:
            async with aclosing(voice(self.chat_model, plan, scenario)) as events:
                async for event in events:
                    if isinstance(event, Spoken):
                        yield Token(event.text)
                    else:
                        outcome = event
        except LLMError as exc:
            yield Failed(str(exc))
            return
        assert outcome is not None, "voice() always ends with an Outcome"
        turn = await run_sync(self._save_reply, conversation_id, outcome)
        yield Finished(turn)

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

    def _save_reply(self, conversation_id: int, outcome: Outcome) -> Turn:
        with transaction(self.sessions) as session:
            conversation = self._active(session, conversation_id)
            row = repo.add_turn(
                session,
                conversation=conversation,
                speaker=Speaker.PERSON,
                text=outcome.text,
                model=self.chat_model.model_id,
                latency_ms=outcome.latency_ms,
                first_token_ms=outcome.first_token_ms,
                fallback=outcome.fallback,
                checks=outcome.checks().model_dump(mode="json"),
            )
            return _turn(row)

    def end(self, conversation_id: int) -> None:
        """End a conversation; it stays in the list of past conversations."""
        with transaction(self.sessions) as session:
            conversation = self._get(session, conversation_id)
            if conversation.status == ConversationStatus.ACTIVE.value:
                repo.end_conversation(session, conversation)

    def restart(self, conversation_id: int) -> int:
        """End this conversation and start the same scenario afresh, for the same person."""
        view = self.view(conversation_id)
        self.end(conversation_id)
        return self.start(view.scenario_id, user_id=self.owner_of(conversation_id))

    def owner_of(self, conversation_id: int) -> int:
        """The id of the user whose attempt this is."""
        with transaction(self.sessions) as session:
            return self._get(session, conversation_id).user_id

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

    def practitioner_view(self, conversation_id: int) -> ConversationView:
        """The conversation as the practitioner sees it: no persona state, no checks."""
        return self.view(conversation_id).for_practitioner()

    def scenario_of(self, conversation_id: int) -> Scenario:
        """The scenario version this conversation was held with (not today's file)."""
        with transaction(self.sessions) as session:
            source = self._get(session, conversation_id).scenario_version.source
        return scenario_from_source(source)

    def history(self, user_id: int | None = None) -> list[ConversationSummary]:
        """A practitioner's past conversations (default: the local one), newest first."""
        with transaction(self.sessions) as session:
            user = self._user(session, user_id)
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

    def _user(self, session: Session, user_id: int | None) -> User:
        if user_id is None:
            return repo.default_user(session)
        user = session.get(User, user_id)
        if user is None:
            raise NotFound(f"There is no user {user_id}.")
        return user

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


def _turn(row: object) -> Turn:
    return Turn.model_validate(row, from_attributes=True)
