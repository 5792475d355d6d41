"""A practitioner's assignments: what is set for them, and starting an attempt at one."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import HTMLResponse, Response

from app.domain.accounts import Viewer
from app.services import assignment_flow, cohorts
from app.services.assignment_flow import AssignmentCard, AttemptRefused
from app.services.runtime import Runtime
from app.store.db import transaction
from app.store.models import User
from app.web.deps import RuntimeDep
from app.web.htmx import redirect, render
from app.web.security import PracticeDep

router = APIRouter(prefix="/assignments")


@router.get("", response_class=HTMLResponse, name="assignments")
def my_assignments(request: Request, runtime: RuntimeDep, viewer: PracticeDep) -> HTMLResponse:
    """The viewer's assignments, soonest due first, each with a start button while it can."""
    context = {"assignments": _overview(runtime, viewer), "refusal": None}
    return render(request, "assignments/mine.html", context)


@router.post("/{assignment_id}/attempts", name="start_attempt")
def start_attempt(
    request: Request,
    assignment_id: int,
    runtime: RuntimeDep,
    background: BackgroundTasks,
    viewer: PracticeDep,
) -> Response:
    """Start an attempt: a conversation on the assignment's scenario, counted and reported
    ("attempted"); the list again, saying why, when it may not start. As with any start,
    the model reads the persona while the brief is read."""
    try:
        conversation_id = assignment_flow.begin_attempt(
            runtime.service, assignment_id, user_id=viewer.id, now=datetime.now(UTC)
        )
    except AttemptRefused as exc:
        context = {"assignments": _overview(runtime, viewer), "refusal": str(exc)}
        return render(request, "assignments/mine.html", context, status_code=409)
    background.add_task(runtime.service.warm_up, conversation_id)
    return redirect(request, f"/conversations/{conversation_id}")


def _overview(runtime: Runtime, viewer: Viewer) -> list[AssignmentCard]:
    with transaction(runtime.service.sessions) as session:
        return assignment_flow.assignments_overview(
            session,
            session.get_one(User, viewer.id),
            datetime.now(UTC),
            scenario_titles=cohorts.scenario_titles(runtime.library),
        )
