"""Data protection pages: consent at first use, "my data" (download, sharing), and deleting
an attempt. The rules are in ``app.services.consent``, ``user_data`` and ``deletion``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from app.domain import policy
from app.services import audit
from app.services.access import Forbidden
from app.services.consent import give_consent, set_sharing
from app.services.deletion import delete_attempt, deletion_plan
from app.services.user_data import (
    conversation_ids_of,
    export_user_data_json,
    record_counts,
    stored_conversations,
)
from app.store.db import transaction
from app.store.models import User, utcnow
from app.web.deps import SessionsDep
from app.web.htmx import redirect, render
from app.web.security import ViewerDep, safe_next

router = APIRouter()

STORE_REQUIRED = (
    "Tick the first box to go on: Rehearse cannot keep your practice conversations "
    "without your agreement. If you would rather not, close this page; nothing has been kept."
)
NextQuery = Annotated[str, Query(alias="next")]
NextForm = Annotated[str, Form(alias="next")]


@router.get("/consent", response_class=HTMLResponse, name="consent")
def consent_page(request: Request, viewer: ViewerDep, next_path: NextQuery = "/") -> HTMLResponse:
    """What is kept, who sees it, and the two choices; asked before the first practice."""
    context = {
        "viewer": viewer,
        "next": safe_next(next_path),
        "share": viewer.shares_with_reviewers,
    }
    return render(request, "account/consent.html", context)


@router.post("/consent", name="consent_submit")
def consent(
    request: Request,
    viewer: ViewerDep,
    sessions: SessionsDep,
    store: Annotated[bool, Form()] = False,
    share: Annotated[bool, Form()] = False,
    next_path: NextForm = "/",
) -> Response:
    """Record the agreement (storing is required, sharing is not), then go where they were."""
    if not store:
        context = {
            "viewer": viewer,
            "next": safe_next(next_path),
            "share": share,
            "error": STORE_REQUIRED,
        }
        return render(request, "account/consent.html", context, status_code=422)
    with transaction(sessions) as session:
        give_consent(session, session.get_one(User, viewer.id), share=share, now=utcnow())
    return redirect(request, safe_next(next_path))


@router.get("/account/data", response_class=HTMLResponse, name="my_data")
def my_data(request: Request, viewer: ViewerDep, sessions: SessionsDep) -> HTMLResponse:
    """What is stored about the viewer, the download, the sharing switch, and every attempt
    with a way to delete it."""
    with transaction(sessions) as session:
        user = session.get_one(User, viewer.id)
        context = {
            "viewer": viewer,
            "consented_at": user.consented_at,
            "counts": record_counts(session, conversation_ids_of(session, user)),
            "conversations": stored_conversations(session, user),
            "saved": request.query_params.get("saved") == "sharing",
        }
    return render(request, "account/data.html", context)


@router.get("/account/data.json", name="my_data_json")
def my_data_json(viewer: ViewerDep, sessions: SessionsDep) -> Response:
    """Everything stored about the viewer, as a JSON file to keep."""
    if not policy.can_export_user_data(viewer.principal, viewer.id):
        raise Forbidden("Only an active account can download its data.")
    with transaction(sessions) as session:
        user = session.get_one(User, viewer.id)
        body = export_user_data_json(session, user)
        audit.record(session, user, "export", "user", user.id)
    filename = f"rehearse-data-{viewer.username}.json"
    return Response(
        body,
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.post("/account/sharing", name="sharing")
def sharing(
    request: Request,
    viewer: ViewerDep,
    sessions: SessionsDep,
    share: Annotated[bool, Form()] = False,
) -> Response:
    """Turn sharing with trainers and assessors on or off."""
    with transaction(sessions) as session:
        set_sharing(session, session.get_one(User, viewer.id), share)
    return redirect(request, "/account/data?saved=sharing#sharing")


@router.get(
    "/conversations/{conversation_id}/delete", response_class=HTMLResponse, name="delete_page"
)
def delete_page(
    request: Request, conversation_id: int, viewer: ViewerDep, sessions: SessionsDep
) -> HTMLResponse:
    """What deleting this attempt removes; for a signed-off one, who may delete it."""
    with transaction(sessions) as session:
        plan = deletion_plan(session, conversation_id, viewer.principal)
    context = {"plan": plan, "own": plan.owner_id == viewer.id}
    return render(request, "account/delete.html", context)


@router.post("/conversations/{conversation_id}/delete", name="delete")
def delete(
    request: Request, conversation_id: int, viewer: ViewerDep, sessions: SessionsDep
) -> Response:
    """Delete the attempt, its branches and all they hold, in one transaction."""
    with transaction(sessions) as session:
        plan = delete_attempt(session, conversation_id, viewer.principal)
    return redirect(request, f"/conversations?deleted={len(plan.conversation_ids)}")
