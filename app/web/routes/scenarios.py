"""Home: the scenario list with briefs, and starting a conversation."""

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import HTMLResponse, Response

from app.web.deps import RuntimeDep, ServiceDep
from app.web.htmx import redirect, render
from app.web.security import PracticeDep

router = APIRouter()


@router.get("/", response_class=HTMLResponse, name="home")
def scenario_list(request: Request, runtime: RuntimeDep, _: PracticeDep) -> HTMLResponse:
    """Every scenario that loaded, and any files that did not (for trainers to fix)."""
    library = runtime.library
    context = {
        "scenarios": list(library.scenarios.values()),
        "issues": library.issues,
        "provider": runtime.service.provider,
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
