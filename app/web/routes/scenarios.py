"""Home: the scenario list with briefs, and starting a conversation."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import HTMLResponse, Response

from app.domain.accounts import Viewer
from app.services.assignment_flow import AssignmentCard, assignments_overview
from app.services.cohorts import scenario_titles
from app.services.runtime import Runtime
from app.store.db import transaction
from app.store.models import User
from app.web.deps import RuntimeDep, ServiceDep
from app.web.htmx import redirect, render
from app.web.security import PracticeDep

router = APIRouter()


@router.get("/", response_class=HTMLResponse, name="home")
def scenario_list(request: Request, runtime: RuntimeDep, viewer: PracticeDep) -> HTMLResponse:
    """The viewer's assignments, every scenario that loaded, and any files that did not."""
    library = runtime.library
    context = {
        "scenarios": list(library.scenarios.values()),
        "issues": library.issues,
        "provider": runtime.service.provider,
        "assignments": _assignments(runtime, viewer) if viewer.signed_in else [],
    }
    return render(request, "pages/scenarios.html", context)


@router.post("/scenarios/{scenario_id}/conversations", name="start_conversation")
def start_conversation(
    request: Request,
    scenario_id: str,
    service: ServiceDep,
    background: BackgroundTasks,
    viewer: PracticeDep,
) -> Response:
    """Start a conversation and go to it; the model reads the persona meanwhile."""
    conversation_id = service.start(scenario_id, user_id=viewer.id)
    background.add_task(service.warm_up, conversation_id)
    return redirect(request, f"/conversations/{conversation_id}")


def _assignments(runtime: Runtime, viewer: Viewer) -> list[AssignmentCard]:
    with transaction(runtime.service.sessions) as session:
        user = session.get_one(User, viewer.id)
        titles = scenario_titles(runtime.library)
        return assignments_overview(session, user, datetime.now(UTC), scenario_titles=titles)
