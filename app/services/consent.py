"""Consent at first use: storing practice transcripts, and sharing them with reviewers.

Nothing a practitioner says is kept before they agree to it being stored (the web layer sends
anyone who has not agreed to the consent page first). Sharing is a separate choice they can
change at any time: trainers of their cohorts see their transcripts only while it is on
(``app.services.reviews.access_context``), and nothing can be submitted to an assessor
without it (``app.services.review_screen.submit_to``); an attempt already submitted stays
with its assessor until it is deleted. Every decision is written to the audit log, so when
someone agreed, and to what, can be shown.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from app.services import audit
from app.store.models import User


def give_consent(session: Session, user: User, *, share: bool, now: datetime) -> None:
    """Record that ``user`` agreed at ``now`` to their transcripts being stored, and whether
    they share them with their trainers and assessors."""
    user.consented_at = now
    user.shares_with_reviewers = share
    audit.record(session, user, "update", "user", user.id, detail={"consent": True, "share": share})


def set_sharing(session: Session, user: User, share: bool) -> None:
    """Turn sharing with trainers and assessors on or off; unchanged settings are not logged."""
    if user.shares_with_reviewers == share:
        return
    user.shares_with_reviewers = share
    audit.record(session, user, "update", "user", user.id, detail={"share": share})
