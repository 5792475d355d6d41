"""Who is asking and what they may open: the web layer's one way into the policy.

Every page that shows or changes a conversation asks ``check_conversation`` with the action
it performs; the rules themselves are the pure functions of ``app.domain.policy``. A
conversation the viewer may not see is reported as not found, so probing ids tells nobody
which attempts exist; one they may see but not change is refused with the reason.
"""

from __future__ import annotations

import hashlib
import hmac
from enum import StrEnum

from pydantic import BaseModel, ConfigDict
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from app.domain import policy
from app.domain.accounts import Principal, Role, Viewer
from app.domain.policy import AccessContext, ConversationFacts
from app.services import audit
from app.services.accounts import principal
from app.services.rehearsal import NotFound, RehearsalError
from app.services.reviews import access_context, conversation_facts
from app.store import repositories as repo
from app.store.models import Conversation, User

# The local practitioner of single-user mode may also author and try out scenarios.
SINGLE_USER_ROLES = frozenset({Role.PRACTITIONER, Role.TRAINER})


class Forbidden(RehearsalError):
    """The viewer may not do this; the message says why (shown on a 403 page)."""


class Access(StrEnum):
    """What a request does with a conversation."""

    VIEW = "view"  # read the transcript, report or exports
    SPEAK = "speak"  # add a turn or ask for the reply: the owner, until signed off
    OWN = "own"  # the owner's own actions: reflection, restart, branch
    PERSON_STATE = "person_state"  # the trainer view of the person's hidden state


def accounts_exist(session: Session) -> bool:
    """True once any account can sign in; until then Rehearse is a single-user app."""
    return bool(session.scalar(select(exists().where(User.password_hash.is_not(None)))))


def session_stamp(user: User, secret: str) -> str:
    """A value bound to the user's password: changing it ends every other signed-in session."""
    material = f"{user.id}:{user.password_hash}".encode()
    return hmac.new(secret.encode(), material, hashlib.sha256).hexdigest()[:32]


def viewer_row(session: Session, viewer: Viewer) -> User:
    """The viewer's own row, e.g. to name them as the actor in the audit log."""
    return session.get_one(User, viewer.id)


def local_viewer(session: Session) -> Viewer:
    """The single-user mode viewer: the local practitioner."""
    user = repo.default_user(session)
    who = Principal(id=user.id, roles=SINGLE_USER_ROLES, active=True)
    return _viewer(user, who, signed_in=False)


def signed_in_viewer(
    session: Session, user_id: object, stamp: object, secret: str
) -> Viewer | None:
    """The viewer a session cookie names, or None when it names nobody who may sign in now
    (unknown, deactivated, or the password changed since)."""
    if not isinstance(user_id, int) or not isinstance(stamp, str):
        return None
    user = session.get(User, user_id)
    if user is None or not user.active or user.password_hash is None:
        return None
    if not hmac.compare_digest(session_stamp(user, secret), stamp):
        return None
    return _viewer(user, principal(session, user), signed_in=True)


def _viewer(user: User, who: Principal, *, signed_in: bool) -> Viewer:
    return Viewer(
        principal=who,
        username=user.username,
        display_name=user.display_name,
        signed_in=signed_in,
        consented=user.consented_at is not None,
        shares_with_reviewers=user.shares_with_reviewers,
    )


class ConversationPass(BaseModel):
    """What one check learned about a viewer and a conversation, so a page can offer links
    and forms for other actions (``may``) without asking the database again."""

    model_config = ConfigDict(frozen=True)

    viewer: Viewer
    facts: ConversationFacts
    context: AccessContext

    @property
    def is_owner(self) -> bool:
        """The conversation is the viewer's own attempt."""
        return policy.is_owner(self.viewer.principal, self.facts)

    def may(self, access: Access) -> bool:
        """Whether the viewer may also do ``access`` to this conversation."""
        return _allowed(access, self.viewer.principal, self.facts, self.context)

    def require(self, access: Access) -> None:
        """Raise Forbidden, saying why, unless the viewer may do ``access``."""
        if not self.may(access):
            raise Forbidden(_refusal(access, self.facts))


def check_conversation(
    session: Session, viewer: Viewer, conversation_id: int, access: Access
) -> ConversationPass:
    """The viewer's pass to the conversation if they may do ``access`` to it; else
    NotFound (they may not see it at all) or Forbidden.

    Opening someone else's transcript is written to the audit log.
    """
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        raise NotFound(f"There is no conversation {conversation_id}.")
    user = session.get_one(User, viewer.id)
    opened = ConversationPass(
        viewer=viewer,
        facts=conversation_facts(session, conversation),
        context=access_context(session, user),
    )
    if not policy.can_view_conversation(viewer.principal, opened.facts, opened.context):
        raise NotFound(f"There is no conversation {conversation_id}.")
    opened.require(access)
    if access is Access.VIEW and not opened.is_owner:
        audit.record(session, user, "view", "conversation", conversation_id)
    return opened


def _allowed(
    access: Access, user: Principal, facts: ConversationFacts, context: policy.AccessContext
) -> bool:
    match access:
        case Access.VIEW:
            return True
        case Access.SPEAK:
            return policy.can_continue_conversation(user, facts)
        case Access.OWN:
            return policy.is_owner(user, facts)
        case Access.PERSON_STATE:
            return policy.can_view_person_state(user, facts, context)


def _refusal(access: Access, facts: ConversationFacts) -> str:
    if access is Access.PERSON_STATE:
        return "The trainer view is for trainers of this practitioner's cohort."
    if facts.signed_off and access is Access.SPEAK:
        return "This attempt has been signed off by an assessor; it can no longer change."
    return "Only the practitioner who held this conversation can do that."
