"""An assignment's standing for one practitioner: open, due soon or overdue, attempts left.

Pure, so the due-date rules are tested at exact instants. An assignment without a due date
is always open; ``DUE_SOON_WINDOW`` before the due date it is due soon; after it, overdue
(still startable if attempts remain: late work is the trainer's call, not the app's).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

DUE_SOON_WINDOW = timedelta(hours=48)


class Purpose(StrEnum):
    """Formative practice, or an attempt an assessor signs off."""

    FORMATIVE = "formative"
    SIGN_OFF = "sign_off"


class DueStatus(StrEnum):
    OPEN = "open"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


class AssignmentState(BaseModel):
    """Where a practitioner stands on an assignment at one instant."""

    model_config = ConfigDict(frozen=True)

    status: DueStatus
    attempts_used: int
    attempts_left: int | None  # None: no limit
    can_start: bool


def assignment_state(
    *,
    due_at: datetime | None,
    attempts_allowed: int | None,
    attempts_used: int,
    now: datetime,
    window: timedelta = DUE_SOON_WINDOW,
) -> AssignmentState:
    """The standing at ``now``; ``due_at`` and ``now`` must both be timezone-aware."""
    if due_at is not None and (due_at.tzinfo is None or now.tzinfo is None):
        raise ValueError("due_at and now must be timezone-aware")
    if due_at is None or now < due_at - window:
        status = DueStatus.OPEN
    elif now <= due_at:
        status = DueStatus.DUE_SOON
    else:
        status = DueStatus.OVERDUE
    left = None if attempts_allowed is None else max(attempts_allowed - attempts_used, 0)
    return AssignmentState(
        status=status,
        attempts_used=attempts_used,
        attempts_left=left,
        can_start=left is None or left > 0,
    )
