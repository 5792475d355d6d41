"""Who is asking: a user's id, roles and whether the account is active.

The authorisation policy (``app.domain.policy``) decides from these shapes alone, so it can
be tested without a database or a web request.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Role(StrEnum):
    """What a user may do; a user can hold several."""

    PRACTITIONER = "practitioner"
    TRAINER = "trainer"
    ASSESSOR = "assessor"
    ADMIN = "admin"


class Principal(BaseModel):
    """The signed-in user as the policy sees them."""

    model_config = ConfigDict(frozen=True)

    id: int
    roles: frozenset[Role] = frozenset()
    active: bool = True

    def has(self, role: Role) -> bool:
        """True when the account is active and holds ``role`` (inactive accounts hold none)."""
        return self.active and role in self.roles


class Viewer(BaseModel):
    """Who is asking for a page, as the web layer resolved them.

    ``signed_in`` is False in single-user mode (no account has a password yet): everyone is
    then the local practitioner, who also holds the trainer role so one person can author and
    try out scenarios on their own machine.
    """

    model_config = ConfigDict(frozen=True)

    principal: Principal
    username: str
    display_name: str
    signed_in: bool
    consented: bool
    shares_with_reviewers: bool

    @property
    def id(self) -> int:
        """The user's id."""
        return self.principal.id

    def has(self, role: Role) -> bool:
        """The viewer holds ``role`` (and the account is active)."""
        return self.principal.has(role)
