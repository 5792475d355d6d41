"""The audit log: who viewed or changed what, and when.

Entries are only ever added. Callers record at the point of access (a view of a transcript,
a review, a role change), naming the target by type and id so one query gives a target's
history, e.g. everyone who opened a practitioner's conversation.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.store.models import User
from app.store.training import AuditEntry

ACTIONS = frozenset(
    {"view", "create", "update", "delete", "submit", "review", "export", "sign_in", "role_change"}
)


class AuditError(ValueError):
    """An entry the log does not accept; the message says why."""


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
