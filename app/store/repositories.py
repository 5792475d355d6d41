"""All SQL lives here. Callers own the transaction; nothing here commits."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ScalarSelect, Select, func, select
from sqlalchemy.orm import Session, aliased, selectinload

from app.domain.conversation import ConversationStatus, Speaker
from app.store.models import Branch, Conversation, ScenarioVersion, TurnRow, User, utcnow

DEFAULT_USERNAME = "practitioner"


def default_user(session: Session) -> User:
    """The local practitioner used until sign-in exists; created on first use."""
    user = session.scalar(select(User).where(User.username == DEFAULT_USERNAME))
    if user is None:
        user = User(username=DEFAULT_USERNAME, display_name="Practitioner")
        session.add(user)
        session.flush()
    return user


def scenario_version(
    session: Session,
    *,
    slug: str,
    title: str,
    source: str,
    origin: str = "file",
    author_id: int | None = None,
    note: str = "",
) -> ScenarioVersion:
    """The stored version of this scenario text, added if the text is new.

    A text is stored once per slug, whoever wrote it: a conversation started from a version
    written in the app finds that row by its hash, and saving a text that was stored before
    returns the earlier row (``origin``, ``author_id`` and ``note`` describe a new row only).
    """
    digest = content_hash(source)
    version = session.scalar(
        select(ScenarioVersion).where(
            ScenarioVersion.slug == slug, ScenarioVersion.content_hash == digest
        )
    )
    if version is None:
        version = ScenarioVersion(
            slug=slug,
            title=title,
            content_hash=digest,
            source=source,
            origin=origin,
            author_id=author_id,
            note=note,
        )
        session.add(version)
        session.flush()
    return version


def content_hash(source: str) -> str:
    """The key of a scenario text among its slug's versions."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


def create_conversation(
    session: Session, *, user: User, version: ScenarioVersion, llm_provider: str
) -> Conversation:
    """A new, active conversation."""
    conversation = Conversation(
        user_id=user.id,
        scenario_version_id=version.id,
        llm_provider=llm_provider,
        status=ConversationStatus.ACTIVE.value,
        turns=[],
    )
    session.add(conversation)
    session.flush()
    return conversation


def get_conversation(session: Session, conversation_id: int) -> Conversation | None:
    """A conversation with its turns and scenario version loaded."""
    return session.scalar(
        select(Conversation)
        .where(Conversation.id == conversation_id)
        .options(selectinload(Conversation.turns), selectinload(Conversation.scenario_version))
    )


def conversations_for_user_statement(user_id: int) -> Select[Conversation, int]:
    """Newest first, with each conversation's turn count; callers may add paging."""
    turn_count = (
        select(func.count(TurnRow.id))
        .where(TurnRow.conversation_id == Conversation.id)
        .scalar_subquery()
    )
    return (
        select(Conversation, turn_count)
        .where(Conversation.user_id == user_id)
        .options(selectinload(Conversation.scenario_version))
        .order_by(Conversation.started_at.desc(), Conversation.id.desc())
    )


def list_conversations(
    session: Session, *, user_id: int, limit: int = 100
) -> Sequence[tuple[Conversation, int]]:
    """A user's conversations, newest first, with turn counts."""
    rows = session.execute(conversations_for_user_statement(user_id).limit(limit)).all()
    return [(conversation, count) for conversation, count in rows]


def add_turn(
    session: Session,
    *,
    conversation: Conversation,
    speaker: Speaker,
    text: str,
    codes: list[str] | None = None,
    model: str | None = None,
    latency_ms: int | None = None,
    first_token_ms: int | None = None,
    fallback: bool = False,
    persona: dict[str, Any] | None = None,
    checks: dict[str, Any] | None = None,
) -> TurnRow:
    """Append a turn at the next index; ``persona`` and ``checks`` are the engine's records."""
    turn = TurnRow(
        conversation_id=conversation.id,
        index=len(conversation.turns),
        speaker=speaker.value,
        text=text,
        codes=codes or [],
        model=model,
        latency_ms=latency_ms,
        first_token_ms=first_token_ms,
        fallback=fallback,
        persona=persona,
        checks=checks,
    )
    conversation.turns.append(turn)
    session.flush()
    return turn


def end_conversation(
    session: Session, conversation: Conversation, *, at: datetime | None = None
) -> None:
    """Mark a conversation ended; it stays readable."""
    conversation.status = ConversationStatus.ENDED.value
    conversation.ended_at = at or utcnow()
    session.flush()


def create_branch(session: Session, *, parent: Conversation, fork_index: int) -> Conversation:
    """A new active conversation holding copies of ``parent``'s turns before ``fork_index``.

    Copies keep each turn's records (codes, persona step, checks, timings), so the persona
    state at the fork is read from the branch's own turns, never from the parent's later ones.
    """
    branch = create_conversation(
        session,
        user=parent.user,
        version=parent.scenario_version,
        llm_provider=parent.llm_provider,
    )
    for turn in parent.turns[:fork_index]:
        branch.turns.append(_copy_turn(turn, branch.id))
    existing = session.get(Branch, parent.id)
    root_id = existing.root_id if existing else parent.id
    session.add(
        Branch(
            conversation_id=branch.id, parent_id=parent.id, root_id=root_id, fork_index=fork_index
        )
    )
    session.flush()
    return branch


def _copy_turn(turn: TurnRow, conversation_id: int) -> TurnRow:
    columns = ("index", "speaker", "text", "codes", "created_at", "model", "latency_ms")
    more = ("first_token_ms", "fallback", "persona", "checks")
    values = {name: getattr(turn, name) for name in (*columns, *more)}
    return TurnRow(conversation_id=conversation_id, **values)


def branch_of(session: Session, conversation_id: int) -> Branch | None:
    """How this conversation was branched, or None for an original conversation."""
    return session.get(Branch, conversation_id)


def _fork_turn_number() -> ScalarSelect[int]:
    """The practitioner's turn number (from 1) of a branch's first differing turn."""
    earlier = aliased(TurnRow)
    return (
        select(func.count(earlier.id) + 1)
        .where(
            earlier.conversation_id == Branch.conversation_id,
            earlier.index < Branch.fork_index,
            earlier.speaker == Speaker.PRACTITIONER.value,
        )
        .correlate(Branch)
        .scalar_subquery()
    )


def branch_family(
    session: Session, root_id: int
) -> Sequence[tuple[Branch, Conversation, int, TurnRow | None]]:
    """Every branch of a family, oldest first: its practitioner turn number at the fork,
    and the turn there (None until the practitioner has said something new)."""
    fork_turn = (TurnRow.conversation_id == Branch.conversation_id) & (
        TurnRow.index == Branch.fork_index
    )
    statement = (
        select(Branch, Conversation, _fork_turn_number(), TurnRow)
        .join(Conversation, Conversation.id == Branch.conversation_id)
        .outerjoin(TurnRow, fork_turn)
        .where(Branch.root_id == root_id)
        .order_by(Conversation.started_at, Conversation.id)
    )
    rows = session.execute(statement).all()
    return [(branch, conversation, number, turn) for branch, conversation, number, turn in rows]


def branches_for_user(session: Session, user_id: int) -> Sequence[tuple[Branch, int]]:
    """Every branch of a user's conversations with its fork's practitioner turn number."""
    statement = (
        select(Branch, _fork_turn_number())
        .join(Conversation, Conversation.id == Branch.conversation_id)
        .where(Conversation.user_id == user_id)
    )
    return [(branch, number) for branch, number in session.execute(statement).all()]
