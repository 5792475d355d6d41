"""Tables: users, scenario versions, conversations and their turns."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy import false as sa_false
from sqlalchemy import true as sa_true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.store.base import Base


def utcnow() -> datetime:
    """Timezone-aware now, stored as UTC."""
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes for timezone columns; they were stored as UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class User(Base):
    """Someone who uses Rehearse. Sign-in arrives with the training workflow."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Accounts (issue 6). The local practitioner has no email or password: the app without
    # sign-in still uses it. Roles live in ``user_roles`` (app/store/training.py).
    email: Mapped[str | None] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True, server_default=sa_true())
    # Consent at first use (migration 0007): transcripts are stored only after it, and shared
    # with trainers and assessors only when ``shares_with_reviewers`` is set.
    consented_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    shares_with_reviewers: Mapped[bool] = mapped_column(default=False, server_default=sa_false())


class ScenarioVersion(Base):
    """One version of a scenario file; conversations keep the version they were held with."""

    __tablename__ = "scenario_versions"
    __table_args__ = (UniqueConstraint("slug", "content_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), index=True)
    title: Mapped[str] = mapped_column(String(300))
    content_hash: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # "file" (scenarios/) or "app" (written in the app by a trainer). The newest version of a
    # slug with ``published_at`` set is the one offered now, over the file's.
    origin: Mapped[str] = mapped_column(String(20), default="file", server_default="file")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Conversation(Base):
    """A practitioner's attempt at a scenario."""

    __tablename__ = "conversations"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    scenario_version_id: Mapped[int] = mapped_column(ForeignKey("scenario_versions.id"))
    status: Mapped[str] = mapped_column(String(20), default="active")
    llm_provider: Mapped[str] = mapped_column(String(40))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    scenario_version: Mapped[ScenarioVersion] = relationship()
    user: Mapped[User] = relationship()
    turns: Mapped[list[TurnRow]] = relationship(
        back_populates="conversation", order_by="TurnRow.index", cascade="all, delete-orphan"
    )


class TurnRow(Base):
    """One utterance. The practitioner's is saved before the model is called."""

    __tablename__ = "turns"
    __table_args__ = (UniqueConstraint("conversation_id", "index"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"), index=True)
    index: Mapped[int] = mapped_column(Integer)
    speaker: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    model: Mapped[str | None] = mapped_column(String(120))
    latency_ms: Mapped[int | None] = mapped_column(Integer)
    first_token_ms: Mapped[int | None] = mapped_column(Integer)
    fallback: Mapped[bool] = mapped_column(default=False)
    # Practitioner turns: the persona step (codes' effect on trust and emotion, facts
    # released and why). Person turns: how the reply was made and what the checks caught.
    persona: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    checks: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    conversation: Mapped[Conversation] = relationship(back_populates="turns")


class Branch(Base):
    """A conversation started from another one at an earlier turn (re-rehearsal).

    The branch's own turns begin with copies of its parent's turns before ``fork_index``;
    the turn at ``fork_index`` is where it differs. ``root_id`` is the family's first
    conversation, so every branch of a conversation is found with one lookup.
    """

    __tablename__ = "branches"

    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"), primary_key=True)
    parent_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"))
    root_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"), index=True)
    fork_index: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Reflection(Base):
    """What a practitioner noticed after a conversation, and their goal for the next one."""

    __tablename__ = "reflections"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"), index=True)
    noticed: Mapped[str] = mapped_column(Text)
    goal: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ReportNarrative(Base):
    """The model-written part of a conversation's report, kept so any server can show it."""

    __tablename__ = "report_narratives"

    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"), primary_key=True)
    status: Mapped[str] = mapped_column(String(20))
    model: Mapped[str | None] = mapped_column(String(120))
    reply: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    message: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ReportCard(Base):
    """A conversation's score card from the LLM judge, kept so no view asks the judge again.

    ``key`` names what it was scored from (the last turn's id, the rubric, the method), so a
    card for an earlier state of the conversation or another rubric is never shown. The rules'
    card is not kept: it is recomputed in about 12 ms for 40 turns.
    """

    __tablename__ = "report_cards"

    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))
    model: Mapped[str | None] = mapped_column(String(120))
    card: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    message: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
