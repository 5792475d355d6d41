"""Assessor reviews: submitting an attempt, the review queue and form, and agreement."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from app.domain import policy
from app.domain.accounts import Principal
from app.services import review_screen, reviews
from app.services.access import Forbidden
from app.services.review_screen import IncompleteReview, ReviewAnswers, ReviewDesk
from app.services.reviews import ReviewError
from app.store.db import transaction
from app.store.models import User
from app.web.deps import SessionsDep, get_sessions
from app.web.htmx import redirect, render
from app.web.routes.reports import ReportsDep, get_reports
from app.web.security import AssessorDep, IsOwner, ViewerDep

router = APIRouter()


def get_desk(request: Request) -> ReviewDesk:
    """The assessor's use cases on this app's database and reports."""
    return ReviewDesk(sessions=get_sessions(request), reports=get_reports(request))


DeskDep = Annotated[ReviewDesk, Depends(get_desk)]


@router.get("/conversations/{conversation_id}/submit", response_class=HTMLResponse)
def submit_page(
    request: Request, conversation_id: int, sessions: SessionsDep, viewer: IsOwner
) -> HTMLResponse:
    """Choose an assessor for the practitioner's own ended conversation."""
    with transaction(sessions) as session:
        user = session.get_one(User, viewer.id)
        form = review_screen.submit_form(session, user, conversation_id)
    return render(request, "reviews/submit.html", {"form": form})


@router.post("/conversations/{conversation_id}/submit")
def submit(
    request: Request,
    conversation_id: int,
    sessions: SessionsDep,
    viewer: IsOwner,
    assessor_id: Annotated[str, Form()] = "",
) -> Response:
    """Submit to the chosen assessor; the form again, saying why, when it cannot be."""
    chosen = int(assessor_id) if assessor_id.isdigit() else None
    try:
        with transaction(sessions) as session:
            user = session.get_one(User, viewer.id)
            review_screen.submit_to(session, user, conversation_id, chosen)
    except ReviewError as exc:
        with transaction(sessions) as session:
            user = session.get_one(User, viewer.id)
            form = review_screen.submit_form(session, user, conversation_id)
        form = form.model_copy(update={"chosen": chosen, "error": str(exc)})
        return render(request, "reviews/submit.html", {"form": form}, status_code=422)
    return redirect(request, "/reviews/mine")


@router.get("/reviews/mine", response_class=HTMLResponse)
def my_reviews(request: Request, sessions: SessionsDep, viewer: ViewerDep) -> HTMLResponse:
    """The viewer's submissions and what the assessors decided."""
    with transaction(sessions) as session:
        rows = review_screen.my_rows(session, session.get_one(User, viewer.id))
    return render(request, "reviews/mine.html", {"rows": rows})


@router.get("/reviews", response_class=HTMLResponse)
def review_queue(request: Request, sessions: SessionsDep, viewer: AssessorDep) -> HTMLResponse:
    """Everything submitted to the assessor, waiting ones first."""
    with transaction(sessions) as session:
        rows = review_screen.queue_rows(session, session.get_one(User, viewer.id))
    return render(request, "reviews/queue.html", {"rows": rows})


@router.get("/reviews/{conversation_id}", response_class=HTMLResponse)
def review_page(
    request: Request, conversation_id: int, desk: DeskDep, viewer: AssessorDep
) -> HTMLResponse:
    """The transcript with the machine's codes and levels, as a form to review."""
    screen = desk.open(viewer.principal, conversation_id)
    return render(request, "reviews/review.html", {"screen": screen})


@router.post("/reviews/{conversation_id}")
async def save_review(
    request: Request, conversation_id: int, desk: DeskDep, viewer: AssessorDep
) -> Response:
    """Sign off or return; the form again (422), everything typed kept, when it is not
    complete."""
    fields = [(k, v) for k, v in (await request.form()).multi_items() if isinstance(v, str)]
    answers = ReviewAnswers.from_fields(fields)
    try:
        await run_in_threadpool(desk.record, viewer.principal, conversation_id, answers)
    except IncompleteReview as exc:
        return render(request, "reviews/review.html", {"screen": exc.screen}, status_code=422)
    return redirect(request, "/reviews")


@router.get("/agreement", response_class=HTMLResponse)
def agreement_page(
    request: Request, sessions: SessionsDep, reports: ReportsDep, viewer: ViewerDep
) -> HTMLResponse:
    """Cohen's kappa per code and per criterion over every review."""
    _may_view_agreement(viewer.principal)
    with transaction(sessions) as session:
        view = review_screen.agreement_view(session, reports.rubric)
    context = {"view": view, "kappa_help": review_screen.KAPPA_HELP}
    return render(request, "reviews/agreement.html", context)


@router.get("/agreement.csv")
def agreement_csv(sessions: SessionsDep, viewer: ViewerDep) -> Response:
    """The agreement figures as CSV."""
    _may_view_agreement(viewer.principal)
    with transaction(sessions) as session:
        text = reviews.agreement_report(session).csv()
    headers = {"Content-Disposition": 'attachment; filename="rehearse-agreement.csv"'}
    return Response(text, media_type="text/csv", headers=headers)


def _may_view_agreement(viewer: Principal) -> None:
    if not policy.can_view_agreement(viewer):
        raise Forbidden("Agreement figures are for trainers, assessors and administrators.")
