"""Shared by the cohort results and assignment flow tests: accounts, and attempts held
through the rehearsal service with the scripted person."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from argon2 import PasswordHasher

from app.domain.accounts import Role
from app.domain.conversation import Speaker
from app.domain.transcript import Transcript, TranscriptTurn
from app.services import accounts
from app.services.rehearsal import RehearsalService
from app.services.runtime import Runtime
from app.store.db import transaction

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SCENARIO = "back-pain-options"
RUBRIC = "sdm-core"

# What a practitioner says: the first reaches at least "established" on open questions, the
# second "not yet seen".
SKILLED = (
    "Hello, I'm Sam, one of the nurses. What would you like to talk about today?",
    "What matters most to you about your back?",
    "It sounds like the pain is stopping you doing the things you love.",
    "So, to sum up: the pain stops you gardening. Have I got that right?",
)
LECTURING = ("You should lose weight.", "You need to do your exercises.", "Do you smoke?")


def add_people(
    runtime: Runtime,
    hasher: PasswordHasher,
    names: Iterable[str],
    *,
    roles: Sequence[Role] = (Role.PRACTITIONER,),
    shares: bool = True,
) -> dict[str, int]:
    """Accounts by username -> id."""
    ids = {}
    with transaction(runtime.service.sessions) as session:
        for name in names:
            user = accounts.create_user(
                session, username=name, password="correct horse", roles=roles, hasher=hasher
            )
            user.shares_with_reviewers = shares
            ids[name] = user.id
    return ids


async def speak(service: RehearsalService, conversation_id: int, lines: Iterable[str]) -> None:
    """Say each line and hear the scripted person's reply."""
    for line in lines:
        service.say(conversation_id, line)
        async for _ in service.stream_reply(conversation_id):
            pass


def transcript_of_view(service: RehearsalService, conversation_id: int) -> Transcript:
    """The conversation's transcript as the service shows it (not as the code under test
    reads it from the store)."""
    view = service.view(conversation_id)
    turns = [TranscriptTurn(speaker=Speaker(t.speaker), text=t.text) for t in view.turns]
    return Transcript(scenario=view.scenario_id, turns=turns)
