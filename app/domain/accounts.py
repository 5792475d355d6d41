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
