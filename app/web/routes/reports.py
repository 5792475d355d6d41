"""The report pages of a conversation: HTML, PDF, CSV, JSON, reflection, narrative."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from app.config import LLMProvider, ScoringMethod, Settings
from app.content.prompts import PromptLibrary
from app.content.rubrics import load_rubrics
from app.reports.export import to_csv, to_json
from app.reports.render import (
    Links,
    PdfUnavailable,
    load_styles,
    render_body,
    render_narrative,
    render_scoring,
    render_transcript,
)
from app.scoring.factory import default_coder
from app.scoring.judge.asking import Asker
from app.scoring.judge.backends import JudgeBackend
from app.scoring.judge.scorer import judge_backend
from app.services.reports import ReportService
from app.services.review_screen import review_status
from app.store.db import transaction
from app.web.deps import get_runtime
from app.web.htmx import TEMPLATES, is_htmx, redirect, render
from app.web.security import CanView, IsOwner, Opened, csrf_token

DEFAULT_RUBRIC = "sdm-core"

router = APIRouter(prefix="/conversations")


def get_reports(request: Request) -> ReportService:
    """The app's report service, built on first use from the runtime."""
    found: ReportService | None = getattr(request.app.state, "reports", None)
    if found is None:
        runtime = get_runtime(request)
        settings = runtime.settings
        rubric = load_rubrics(settings.rubrics_dir).get(DEFAULT_RUBRIC)
        if rubric is None:
            raise RuntimeError(f"There is no rubric '{DEFAULT_RUBRIC}' in {settings.rubrics_dir}.")
        capable = settings.llm_provider is LLMProvider.OPENAI
        prompts = PromptLibrary(settings.prompts_dir)
        found = ReportService(
            sessions=runtime.service.sessions,
            rubric=rubric,
            coder=default_coder(),
            prompts=prompts,
            narrator=runtime.service.chat_model if capable else None,
            judge=_judge(request, settings, prompts),
            styles=load_styles(settings.static_dir),
        )
        request.app.state.reports = found
    return found


def _judge(request: Request, settings: Settings, prompts: PromptLibrary) -> Asker | None:
    """The LLM judge when REHEARSE_SCORING_METHOD=judge (as for the CLI), else None.

    ``app.state.judge_backend`` may supply the backend (tests put a fake there); otherwise it
    is the OpenAI-compatible endpoint of the settings.
    """
    if settings.scoring_method is not ScoringMethod.JUDGE:
        return None
    backend: JudgeBackend = getattr(request.app.state, "judge_backend", None) or judge_backend(
        settings
    )
    return Asker(backend=backend, prompts=prompts, attempts=settings.judge_attempts)


ReportsDep = Annotated[ReportService, Depends(get_reports)]


def links(conversation_id: int, *, form_token: str | None = None, owner: bool = True) -> Links:
    """Where the report page's links and forms go; only the owner gets the reflection form."""
    base = f"/conversations/{conversation_id}/report"
    return Links(
        filter_url=base,
        pdf_url=f"{base}.pdf",
        csv_url=f"{base}.csv",
        json_url=f"{base}.json",
        reflection_url=f"/conversations/{conversation_id}/reflection" if owner else None,
        narrative_url=f"{base}/narrative",
        scoring_url=f"{base}/scoring",
        conversation_url=f"/conversations/{conversation_id}",
        form_token=form_token,
    )


@router.get("/{conversation_id}/report", response_class=HTMLResponse, name="report")
async def report_page(
    request: Request,
    conversation_id: int,
    reports: ReportsDep,
    opened: Opened,
    code: str | None = None,
) -> HTMLResponse:
    """The whole report; starts the judge and the narrative in the background when configured."""
    reports.start_scoring(conversation_id)
    reports.start_narrative(conversation_id)
    report = reports.report(conversation_id)
    page_links = links(conversation_id, form_token=csrf_token(request), owner=opened.is_owner)
    body = render_body(
        report, page_links, code=code, reflection=reports.reflection(conversation_id)
    )
    with transaction(reports.sessions) as session:
        status = review_status(session, conversation_id, opened.viewer.principal, reports.rubric)
    context = {
        "report": report,
        "body": body,
        "conversation_id": conversation_id,
        "review_status": status,
    }
    return render(request, "reports/report.html", context)


@router.get("/{conversation_id}/report/transcript", response_class=HTMLResponse)
def report_transcript(
    request: Request, conversation_id: int, reports: ReportsDep, _: CanView, code: str | None = None
) -> Response:
    """The annotated transcript filtered by code: the partial for htmx, else the page."""
    if not is_htmx(request):
        query = f"?code={code}" if code else ""
        return redirect(request, f"/conversations/{conversation_id}/report{query}#transcript")
    report = reports.report(conversation_id, with_progress=False)
    return HTMLResponse(render_transcript(report, links(conversation_id), code))


@router.get("/{conversation_id}/report/narrative", response_class=HTMLResponse)
def report_narrative(conversation_id: int, reports: ReportsDep, _: CanView) -> HTMLResponse:
    """The narrative section; htmx polls it until the model has written it."""
    report = reports.report(conversation_id, with_progress=False)
    return HTMLResponse(render_narrative(report, links(conversation_id)))


@router.get("/{conversation_id}/report/scoring", response_class=HTMLResponse)
async def report_scoring(
    request: Request, conversation_id: int, reports: ReportsDep, _: CanView
) -> Response:
    """How the report was scored; htmx polls it while the judge scores, then reloads the page
    (``HX-Refresh``) so every section shows the judge's codes and levels. A judge run left
    pending by a server that stopped is taken over here once it is stale."""
    reports.start_scoring(conversation_id)
    report = reports.report(conversation_id, with_progress=False)
    body = render_scoring(report, links(conversation_id))
    polled = is_htmx(request) and request.headers.get("HX-Trigger") == "scoring"
    if polled and report.scoring.status != "pending":
        return HTMLResponse(body, headers={"HX-Refresh": "true"})
    return HTMLResponse(body)


@router.get("/{conversation_id}/report.pdf", name="report_pdf")
def report_pdf(conversation_id: int, reports: ReportsDep, _: CanView) -> Response:
    """The report as a PDF download."""
    try:
        pdf = reports.pdf(conversation_id)
    except PdfUnavailable as exc:
        return Response(str(exc), status_code=503, media_type="text/plain")
    return Response(pdf, media_type="application/pdf", headers=_attachment(conversation_id, "pdf"))


@router.get("/{conversation_id}/report.csv", name="report_csv")
def report_csv(conversation_id: int, reports: ReportsDep, _: CanView) -> Response:
    """The coded transcript as CSV."""
    text = to_csv(reports.card(conversation_id))
    return Response(text, media_type="text/csv", headers=_attachment(conversation_id, "csv"))


@router.get("/{conversation_id}/report.json", name="report_json")
def report_json(conversation_id: int, reports: ReportsDep, _: CanView) -> Response:
    """The score card (codes, evidence, criteria, figures) as JSON."""
    text = to_json(reports.card(conversation_id))
    headers = _attachment(conversation_id, "json")
    return Response(text, media_type="application/json", headers=headers)


@router.post("/{conversation_id}/reflection", name="reflection")
def save_reflection(
    request: Request,
    conversation_id: int,
    reports: ReportsDep,
    _: IsOwner,
    noticed: Annotated[str, Form()] = "",
    goal: Annotated[str, Form()] = "",
) -> Response:
    """Save the practitioner's reflection and goal, then show the report again."""
    try:
        reports.save_reflection(conversation_id, noticed=noticed, goal=goal)
    except ValueError as exc:
        context = {"message": str(exc)}
        return render(request, "pages/error.html", context, status_code=422)
    return redirect(request, f"/conversations/{conversation_id}/report#reflection")


@router.get("/{conversation_id}/previous-goal", response_class=HTMLResponse)
def previous_goal(
    request: Request, conversation_id: int, reports: ReportsDep, _: IsOwner
) -> HTMLResponse:
    """The goal set after the practitioner's last conversation, for the start of this one."""
    context = {"previous": reports.previous_goal(conversation_id)}
    return TEMPLATES.TemplateResponse(request, "reports/_previous_goal.html", context)


def _attachment(conversation_id: int, extension: str) -> dict[str, str]:
    name = f"rehearse-report-{conversation_id}.{extension}"
    return {"Content-Disposition": f'attachment; filename="{name}"'}
