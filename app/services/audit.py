"""The audit log: who viewed or changed what, and when.

Entries are only ever added. Callers record at the point of access (a view of a transcript,
a review, a role change), naming the target by type and id so one query gives a target's
history, e.g. everyone who opened a practitioner's conversation. Administrators read it a
page at a time, newest first (``search``).
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.store.models import User, as_utc
from app.store.training import AuditEntry

ACTIONS = frozenset(
    {"view", "create", "update", "delete", "submit", "review", "export", "sign_in", "role_change"}
)


PAGE_SIZE = 50


class AuditError(ValueError):
    """An entry the log does not accept; the message says why."""


class AuditRow(BaseModel):
    """One entry as the audit page shows it."""

    model_config = ConfigDict(frozen=True)

    id: int
    at: datetime
    actor: str | None  # username; None is the system (a command or a migration)
    action: str
    target_type: str
    target_id: str
    target_name: str | None  # the username, when the target is a user that still exists
    detail: tuple[tuple[str, str], ...]


class AuditPage(BaseModel):
    """One page of the log under some filters."""

    model_config = ConfigDict(frozen=True)

    rows: tuple[AuditRow, ...]
    page: int
    pages: int
    total: int


def record(
    session: Session,
    actor: User | None,
    action: str,
    target_type: str,
    target_id: int | str,
    *,
    detail: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEntry:
    """Add one entry; ``actor`` None means the system (a command or a migration)."""
    if action not in ACTIONS:
        raise AuditError(f"unknown audit action {action!r} (one of {', '.join(sorted(ACTIONS))})")
    entry = AuditEntry(
        actor_id=actor.id if actor else None,
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        detail=detail,
    )
    if at is not None:
        entry.at = at
    session.add(entry)
    session.flush()
    return entry


def history(session: Session, target_type: str, target_id: int | str) -> list[AuditEntry]:
    """Every entry about one target, oldest first."""
    return list(
        session.scalars(
            select(AuditEntry)
            .where(AuditEntry.target_type == target_type, AuditEntry.target_id == str(target_id))
            .order_by(AuditEntry.at, AuditEntry.id)
        )
    )


def by_actor(session: Session, actor: User) -> list[AuditEntry]:
    """Everything one user viewed or changed, oldest first."""
    return list(
        session.scalars(
            select(AuditEntry)
            .where(AuditEntry.actor_id == actor.id)
            .order_by(AuditEntry.at, AuditEntry.id)
        )
    )


def search(
    session: Session,
    *,
    actor: str = "",
    target_type: str = "",
    page: int = 1,
    per_page: int = PAGE_SIZE,
) -> AuditPage:
    """Entries newest first, optionally only by one actor (username, any case) or about one
    type of target; ``page`` is clamped to the pages there are, so a stale link still works."""
    query = select(AuditEntry, User.username).outerjoin(User, User.id == AuditEntry.actor_id)
    query = _filtered(query, actor=actor.strip(), target_type=target_type.strip())
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, math.ceil(total / per_page))
    page = min(max(page, 1), pages)
    found = session.execute(
        query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    names = _usernames(session, [entry for entry, _ in found])
    rows = tuple(
        AuditRow(
            id=entry.id,
            at=as_utc(entry.at),
            actor=username,
            action=entry.action,
            target_type=entry.target_type,
            target_id=entry.target_id,
            target_name=names.get(entry.target_id) if entry.target_type == "user" else None,
            detail=_detail_items(entry.detail),
        )
        for entry, username in found
    )
    return AuditPage(rows=rows, page=page, pages=pages, total=total)


def actor_names(session: Session) -> list[str]:
    """The usernames of everyone with an entry in the log, for the actor filter."""
    query = select(User.username).where(User.id.in_(select(AuditEntry.actor_id).distinct()))
    return list(session.scalars(query.order_by(func.lower(User.username))))


def target_types(session: Session) -> list[str]:
    """The kinds of target the log has entries about, for the target filter."""
    query = select(AuditEntry.target_type).distinct().order_by(AuditEntry.target_type)
    return list(session.scalars(query))


def _filtered(
    query: Select[AuditEntry, str], *, actor: str, target_type: str
) -> Select[AuditEntry, str]:
    if actor:
        query = query.where(func.lower(User.username) == actor.lower())
    if target_type:
        query = query.where(AuditEntry.target_type == target_type)
    return query


def _usernames(session: Session, entries: list[AuditEntry]) -> dict[str, str]:
    """Usernames of the users these entries are about, keyed by the entries' target ids."""
    ids = {int(e.target_id) for e in entries if e.target_type == "user" and e.target_id.isdigit()}
    if not ids:
        return {}
    found = session.execute(select(User.id, User.username).where(User.id.in_(ids)))
    return {str(user_id): username for user_id, username in found}


def _detail_items(detail: dict[str, Any] | None) -> tuple[tuple[str, str], ...]:
    """The detail as readable ``(key, value)`` pairs; lists are joined, empty ones 'none'."""
    return tuple(
        (key, (", ".join(map(str, value)) or "none") if isinstance(value, list) else str(value))
        for key, value in (detail or {}).items()
    )
