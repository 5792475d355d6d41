"""Re-rehearsal: branch a conversation at an earlier turn, and list a family's branches."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from app.services.access import Access
from app.services.branching import BranchFamily
from app.web.deps import BranchingDep
from app.web.htmx import redirect
from app.web.routes.conversations import ViewName, ViewQuery
from app.web.security import IsOwner, Opened

router = APIRouter(prefix="/conversations")


@router.post("/{conversation_id}/branches", name="branch")
def branch(
    request: Request,
    conversation_id: int,
    branching: BranchingDep,
    _: IsOwner,
    turn: Annotated[int, Form(description="Index of the practitioner turn to try again.")],
    view: Annotated[ViewName, Form()] = "practitioner",
) -> Response:
    """Start a branch that tries a different response at ``turn``; the original is kept."""
    new_id = branching.branch(conversation_id, turn)
    query = "?view=trainer" if view == "trainer" else ""
    return redirect(request, f"/conversations/{new_id}{query}")


@router.get("/{conversation_id}/branches", name="branches")
def branches(
    conversation_id: int,
    branching: BranchingDep,
    opened: Opened,
    view: ViewQuery = "practitioner",
) -> BranchFamily:
    """The conversation's family as JSON: the original and every branch, oldest first.

    The person's state at the fork is included only with ``?view=trainer``.
    """
    family = branching.family(conversation_id)
    if view != "trainer":
        return family.for_practitioner()
    opened.require(Access.PERSON_STATE)
    return family
