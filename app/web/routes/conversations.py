"""The conversation page, its streamed replies, and past conversations."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import escape
from sse_starlette.sse import EventSourceResponse
from starlette.concurrency import run_in_threadpool

from app.content.rubrics import load_rubrics
from app.domain.conversation import ConversationView
from app.services.access import Access
from app.services.assignment_flow import attempt_ended
from app.services.branching import BranchingService
from app.services.rehearsal import Failed, Finished, RehearsalError, RehearsalService, Token
from app.services.runtime import Runtime
from app.services.trainer_view import TrainerTranscript, trainer_transcript, trainer_view
from app.store.db import transaction
from app.web.deps import BranchingDep, RuntimeDep, ServiceDep
from app.web.htmx import TEMPLATES, redirect, render
from app.web.security import (
    CanSeeState,
    CanSpeak,
    IsOwner,
    Opened,
    PracticeDep,
)
from app.web.sparkline import sparkline

router = APIRouter(prefix="/conversations")

# ``?view=trainer`` shows the person's hidden state (trust, emotion, facts released and
# why) to those the policy lets see it (``Access.PERSON_STATE``); the practitioner's
# default view never includes any of it.
ViewName = Literal["practitioner", "trainer"]
ViewQuery = Annotated[ViewName, Query(description="practitioner (default) or trainer")]


@router.get("", response_class=HTMLResponse, name="conversation_list")
def conversation_list(
    request: Request, branching: BranchingDep, viewer: PracticeDep
) -> HTMLResponse:
    """The viewer's past and current conversations, newest first, branches beneath."""
    context = {"conversations": branching.history(viewer.id)}
    return render(request, "pages/conversations.html", context)


@router.get("/{conversation_id}.json", name="conversation_json")
def conversation_json(
    conversation_id: int,
    service: ServiceDep,
    opened: Opened,
    view: ViewQuery = "practitioner",
) -> ConversationView | TrainerTranscript:
    """The transcript as JSON: a stable, non-HTML contract for tools and tests.

    The persona steps and reply checks are in it only with ``?view=trainer``, which also
    adds the trainer's view (``trainer``) with the scenario's hidden facts.
    """
    if view == "trainer":
        opened.require(Access.PERSON_STATE)
        return trainer_transcript(service, conversation_id)
    return service.view(conversation_id).for_practitioner()


@router.get("/{conversation_id}", response_class=HTMLResponse, name="conversation")
def conversation_page(
    request: Request,
    conversation_id: int,
    service: ServiceDep,
    branching: BranchingDep,
    opened: Opened,
    view: ViewQuery = "practitioner",
) -> Response:
    """The chat while active; the transcript once ended; ``?view=trainer`` adds the panel."""
    if view == "trainer":
        opened.require(Access.PERSON_STATE)
    context = _page_context(service, branching, conversation_id, view)
    context["is_owner"] = opened.is_owner
    context["can_see_state"] = opened.may(Access.PERSON_STATE)
    return render(request, "pages/conversation.html", context)


@router.get("/{conversation_id}/trainer", response_class=HTMLResponse, name="trainer_panel")
def trainer_panel(
    request: Request, conversation_id: int, service: ServiceDep, _: CanSeeState
) -> HTMLResponse:
    """The trainer's panel alone: the trainer view refreshes it after every turn."""
    context = {"conversation_id": conversation_id, **_trainer_context(service, conversation_id)}
    return TEMPLATES.TemplateResponse(request, "partials/_trainer_panel.html", context)


@router.post("/{conversation_id}/turns", name="say")
def say(
    request: Request,
    conversation_id: int,
    service: ServiceDep,
    branching: BranchingDep,
    _: CanSpeak,
    text: Annotated[str, Form()] = "",
    view: Annotated[ViewName, Form()] = "practitioner",
) -> Response:
    """Store the practitioner's words; htmx gets their bubble and a streaming reply."""
    try:
        turn = service.say(conversation_id, text)
    except RehearsalError as exc:
        return _refused(request, service, branching, conversation_id, text, str(exc), view)
    if not request.headers.get("HX-Request"):
        return redirect(request, _page_url(conversation_id, view))
    context = {
        "turn": turn,
        "conversation_id": conversation_id,
        "person_name": service.scenario_of(conversation_id).person.name,
        "view": view,
        "is_owner": True,  # ``CanSpeak``: only the owner gets here
    }
    return TEMPLATES.TemplateResponse(request, "partials/_exchange.html", context)


@router.get("/{conversation_id}/pending", response_class=HTMLResponse, name="pending")
def pending(
    request: Request, conversation_id: int, service: ServiceDep, _: CanSpeak
) -> HTMLResponse:
    """A fresh streaming bubble, used by "Ask again" after a failed reply."""
    scenario = service.scenario_of(conversation_id)
    context = {"conversation_id": conversation_id, "person_name": scenario.person.name}
    return TEMPLATES.TemplateResponse(request, "partials/_streaming.html", context)


@router.get("/{conversation_id}/reply", name="reply")
async def reply(
    request: Request, conversation_id: int, service: ServiceDep, _: CanSpeak
) -> Response:
    """Server-sent events: ``token`` pieces of the reply, then one ``end`` with the bubble."""
    return EventSourceResponse(_reply_events(request, service, conversation_id), ping=15)


@router.post("/{conversation_id}/end", name="end")
def end(request: Request, conversation_id: int, runtime: RuntimeDep, _: CanSpeak) -> Response:
    """End the conversation and show its transcript."""
    runtime.service.end(conversation_id)
    _report_attempt(runtime, conversation_id)
    return redirect(request, f"/conversations/{conversation_id}")


@router.post("/{conversation_id}/restart", name="restart")
def restart(request: Request, conversation_id: int, runtime: RuntimeDep, _: IsOwner) -> Response:
    """End this conversation and start the scenario again."""
    new_id = runtime.service.restart(conversation_id)
    _report_attempt(runtime, conversation_id)
    return redirect(request, f"/conversations/{new_id}")


def _report_attempt(runtime: Runtime, conversation_id: int) -> None:
    """An assignment attempt that ended goes to the learning record (xAPI completed/scored);
    rubrics are read afresh, as the cohort pages do."""
    rubrics = load_rubrics(runtime.settings.rubrics_dir)
    with transaction(runtime.service.sessions) as session:
        attempt_ended(session, conversation_id, now=datetime.now(UTC), rubrics=rubrics)


async def _reply_events(
    request: Request, service: RehearsalService, conversation_id: int
) -> AsyncIterator[dict[str, str]]:
    scenario = await run_in_threadpool(service.scenario_of, conversation_id)
    person = {"person_name": scenario.person.name}
    try:
        async for event in service.stream_reply(conversation_id):
            if isinstance(event, Token):
                yield {"event": "token", "data": str(escape(event.text))}
            elif isinstance(event, Finished):
                yield _end_event(request, "partials/_turn.html", {"turn": event.turn, **person})
            elif isinstance(event, Failed):
                context = {"message": event.message, "conversation_id": conversation_id}
                yield _end_event(request, "partials/_reply_failed.html", context)
    except RehearsalError:
        # Nothing to reply to (e.g. another tab already got the reply): drop the bubble.
        yield {"event": "end", "data": ""}


def _end_event(request: Request, template: str, context: dict[str, object]) -> dict[str, str]:
    html = TEMPLATES.get_template(template).render({"request": request, **context})
    return {"event": "end", "data": html}


def _page_url(conversation_id: int, view: ViewName) -> str:
    query = "?view=trainer" if view == "trainer" else ""
    return f"/conversations/{conversation_id}{query}"


def _page_context(
    service: RehearsalService, branching: BranchingService, conversation_id: int, view: ViewName
) -> dict[str, object]:
    conversation = service.view(conversation_id)
    family = branching.family(conversation_id)
    context: dict[str, object] = {
        "conversation": conversation.for_practitioner(),
        "scenario": service.scenario_of(conversation_id),
        "max_chars": service.max_message_chars,
        "family": family if view == "trainer" else family.for_practitioner(),
        "view": view,
    }
    if view == "trainer":
        context |= _trainer_context(service, conversation_id)
    return context


def _trainer_context(service: RehearsalService, conversation_id: int) -> dict[str, object]:
    panel = trainer_view(service, conversation_id)
    return {
        "panel": panel,
        "chart": sparkline(panel.trust_points, panel.guarded_below, panel.open_from),
        "person_name": service.scenario_of(conversation_id).person.name,
    }


def _refused(
    request: Request,
    service: RehearsalService,
    branching: BranchingService,
    conversation_id: int,
    text: str,
    message: str,
    view: ViewName,
) -> Response:
    """Say why a message was refused, keeping what was typed."""
    if request.headers.get("HX-Request"):
        headers = {"HX-Retarget": "#form-error", "HX-Reswap": "innerHTML"}
        return render(
            request,
            "partials/_form_error.html",
            {"message": message},
            status_code=422,
            headers=headers,
        )
    context = {
        **_page_context(service, branching, conversation_id, view),
        "error": message,
        "draft": text,
        "is_owner": True,  # only the owner may speak (``CanSpeak``), so only they get here
    }
    return render(request, "pages/conversation.html", context, status_code=422)
