"""The trainer's cohorts: the list, one cohort's members and assignments, and its results.

Trainers see the cohorts they train, administrators every cohort
(``app.domain.policy.can_manage_cohort``, asked through ``cohorts.managed_cohort``). A form
that cannot be accepted comes back (422) with what was typed and the reason beside it.
Cohorts need accounts: in single-user mode there is nobody else to train.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from app.content.rubrics import RubricLibrary, load_rubrics
from app.domain.accounts import Role, Viewer
from app.scoring.factory import default_coder
from app.services import audit, cohort_results, cohorts, xapi
from app.services.access import Forbidden, viewer_row
from app.services.cohorts import AssignmentForm, CohortError
from app.services.runtime import Runtime
from app.store.db import transaction
from app.store.training import Cohort
from app.web.deps import RuntimeDep, SessionsDep
from app.web.htmx import redirect, render
from app.web.security import TrainerDep

router = APIRouter(prefix="/cohorts")

ROLE_NAMES = {"practitioner": Role.PRACTITIONER, "trainer": Role.TRAINER}


def _with_accounts(viewer: Viewer) -> None:
    if not viewer.signed_in:
        raise Forbidden(
            "Cohorts are for a Rehearse with accounts: create an administrator "
            "(rehearse create-admin), then sign in."
        )


def _sentence(exc: CohortError) -> str:
    """The service's reason as a sentence on the page."""
    text = str(exc)
    return f"{text[:1].upper()}{text[1:]}."


@router.get("", response_class=HTMLResponse, name="cohorts")
def cohort_list(request: Request, sessions: SessionsDep, viewer: TrainerDep) -> HTMLResponse:
    """The cohorts the viewer manages, and a form for a new one."""
    _with_accounts(viewer)
    with transaction(sessions) as session:
        found = cohorts.cohort_summaries(session, viewer.principal)
    return render(request, "cohorts/list.html", {"cohorts": found, "name": "", "error": None})


@router.post("", name="create_cohort")
def create_cohort(
    request: Request,
    sessions: SessionsDep,
    viewer: TrainerDep,
    name: Annotated[str, Form()] = "",
) -> Response:
    """Create a cohort; its creator trains it."""
    _with_accounts(viewer)
    try:
        with transaction(sessions) as session:
            cohort = cohorts.create_cohort(session, name, created_by=viewer_row(session, viewer))
            cohort_id = cohort.id
    except CohortError as exc:
        with transaction(sessions) as session:
            found = cohorts.cohort_summaries(session, viewer.principal)
        context = {"cohorts": found, "name": name, "error": f"The cohort was not created: {exc}."}
        return render(request, "cohorts/list.html", context, status_code=422)
    return redirect(request, f"/cohorts/{cohort_id}")


@router.get("/{cohort_id}", response_class=HTMLResponse, name="cohort")
def cohort_page(
    request: Request, cohort_id: int, sessions: SessionsDep, runtime: RuntimeDep, viewer: TrainerDep
) -> HTMLResponse:
    """Members, co-trainers and assignments, with the forms to change them."""
    _with_accounts(viewer)
    with transaction(sessions) as session:
        cohort = cohorts.managed_cohort(session, viewer.principal, cohort_id)
        context = _page_context(session, runtime, cohort)
    return render(request, "cohorts/cohort.html", context)


@router.post("/{cohort_id}/members", name="add_members")
def add_members(
    request: Request,
    cohort_id: int,
    sessions: SessionsDep,
    runtime: RuntimeDep,
    viewer: TrainerDep,
    usernames: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "practitioner",
) -> Response:
    """Add practitioners (or co-trainers) by username: all of them, or nobody."""
    _with_accounts(viewer)
    as_role = ROLE_NAMES.get(role, Role.PRACTITIONER)
    try:
        with transaction(sessions) as session:
            cohort = cohorts.managed_cohort(session, viewer.principal, cohort_id)
            cohorts.add_by_usernames(
                session, cohort, usernames, as_role=as_role, actor=viewer_row(session, viewer)
            )
    except CohortError as exc:
        typed = {"role": as_role.value, "usernames": usernames, "error": _sentence(exc)}
        return _refused(request, sessions, runtime, viewer, cohort_id, members=typed)
    return redirect(request, f"/cohorts/{cohort_id}#{as_role.value}s")


@router.post("/{cohort_id}/members/{user_id}/remove", name="remove_member")
def remove_member(
    request: Request,
    cohort_id: int,
    user_id: int,
    sessions: SessionsDep,
    runtime: RuntimeDep,
    viewer: TrainerDep,
    role: Annotated[str, Form()] = "practitioner",
) -> Response:
    """Take someone out of the cohort; their attempts stay. A trainer who takes themselves
    out can no longer open the cohort, so they go back to their list."""
    _with_accounts(viewer)
    as_role = ROLE_NAMES.get(role, Role.PRACTITIONER)
    try:
        with transaction(sessions) as session:
            cohort = cohorts.managed_cohort(session, viewer.principal, cohort_id)
            cohorts.remove_from_cohort(
                session, cohort, user_id, as_role=as_role, actor=viewer_row(session, viewer)
            )
    except CohortError as exc:
        typed = {"role": as_role.value, "usernames": "", "error": _sentence(exc)}
        return _refused(request, sessions, runtime, viewer, cohort_id, members=typed)
    if user_id == viewer.id and as_role is Role.TRAINER:
        return redirect(request, "/cohorts")
    return redirect(request, f"/cohorts/{cohort_id}#{as_role.value}s")


@router.post("/{cohort_id}/assignments", name="create_assignment")
def create_assignment(
    request: Request,
    cohort_id: int,
    sessions: SessionsDep,
    runtime: RuntimeDep,
    viewer: TrainerDep,
    scenario: Annotated[str, Form()] = "",
    rubric: Annotated[str, Form()] = "",
    purpose: Annotated[str, Form()] = "formative",
    due: Annotated[str, Form()] = "",
    attempts: Annotated[str, Form()] = "",
) -> Response:
    """Set a scenario for the cohort, checked against the library and the rubrics."""
    _with_accounts(viewer)
    form = AssignmentForm(
        scenario=scenario, rubric=rubric, purpose=purpose, due=due, attempts=attempts
    )
    try:
        with transaction(sessions) as session:
            cohort = cohorts.managed_cohort(session, viewer.principal, cohort_id)
            cohorts.create_assignment_from_form(
                session,
                cohort,
                form,
                scenarios=runtime.library.scenarios.keys(),
                rubrics=_rubrics(runtime).rubrics.keys(),
                now=datetime.now(UTC),
                created_by=viewer_row(session, viewer),
            )
    except CohortError as exc:
        refusal = f"The assignment was not set: {exc}."
        return _refused(request, sessions, runtime, viewer, cohort_id, form=form, error=refusal)
    return redirect(request, f"/cohorts/{cohort_id}#assignments")


@router.get("/{cohort_id}/results", response_class=HTMLResponse, name="cohort_results")
def results_page(
    request: Request, cohort_id: int, sessions: SessionsDep, runtime: RuntimeDep, viewer: TrainerDep
) -> HTMLResponse:
    """Per assignment: each practitioner's levels, the spread as a chart, who has not tried."""
    _with_accounts(viewer)
    with transaction(sessions) as session:
        cohort = cohorts.managed_cohort(session, viewer.principal, cohort_id)
        results = _results(session, runtime, cohort)
        viewable = cohort_results.viewable_attempts(session, viewer.principal, results)
    charts = {a.assignment_id: cohort_results.level_chart(a) for a in results.assignments}
    context = {"results": results, "charts": charts, "viewable": viewable}
    return render(request, "cohorts/results.html", context)


@router.get("/{cohort_id}/results.csv", name="cohort_results_csv")
def results_csv(
    cohort_id: int, sessions: SessionsDep, runtime: RuntimeDep, viewer: TrainerDep
) -> Response:
    """The results as CSV (columns in ``app.services.cohort_results.to_csv``)."""
    _with_accounts(viewer)
    with transaction(sessions) as session:
        cohort = cohorts.managed_cohort(session, viewer.principal, cohort_id)
        text = cohort_results.to_csv(_results(session, runtime, cohort))
        _audit_export(session, viewer, cohort, "results.csv")
    return _download(text, "text/csv", f"rehearse-cohort-{cohort_id}-results.csv")


@router.get("/{cohort_id}/members.csv", name="cohort_members_csv")
def members_csv(cohort_id: int, sessions: SessionsDep, viewer: TrainerDep) -> Response:
    """The members and their attempts per assignment as CSV (``cohort_results.roster_csv``)."""
    _with_accounts(viewer)
    with transaction(sessions) as session:
        cohort = cohorts.managed_cohort(session, viewer.principal, cohort_id)
        text = cohort_results.roster_csv(cohort_results.roster(session, cohort))
        _audit_export(session, viewer, cohort, "members.csv")
    return _download(text, "text/csv", f"rehearse-cohort-{cohort_id}-members.csv")


@router.get("/{cohort_id}/xapi.json", name="cohort_xapi")
def xapi_json(cohort_id: int, sessions: SessionsDep, viewer: TrainerDep) -> Response:
    """The xAPI statements about this cohort's assignments, for a learning record store."""
    _with_accounts(viewer)
    with transaction(sessions) as session:
        cohort = cohorts.managed_cohort(session, viewer.principal, cohort_id)
        text = xapi.export_json(session, cohort=cohort)
        _audit_export(session, viewer, cohort, "xapi.json")
    return _download(text, "application/json", f"rehearse-cohort-{cohort_id}-xapi.json")


def _audit_export(session: Session, viewer: Viewer, cohort: Cohort, what: str) -> None:
    """Every download about a cohort's people is written to the audit log."""
    detail = {"what": what}
    audit.record(session, viewer_row(session, viewer), "export", "cohort", cohort.id, detail=detail)


def _download(text: str, media_type: str, name: str) -> Response:
    """A UTF-8 file the browser saves as ``name`` rather than shows."""
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(text, media_type=f"{media_type}; charset=utf-8", headers=headers)


def _rubrics(runtime: Runtime) -> RubricLibrary:
    """Read afresh, so a rubric added to the folder is offered without a restart."""
    return load_rubrics(runtime.settings.rubrics_dir)


def _results(session: Session, runtime: Runtime, cohort: Cohort) -> cohort_results.CohortResults:
    return cohort_results.cohort_results(
        session,
        cohort,
        rubrics=_rubrics(runtime),
        coder=default_coder(),
        scenario_titles=cohorts.scenario_titles(runtime.library),
    )


def _page_context(
    session: Session,
    runtime: Runtime,
    cohort: Cohort,
    *,
    form: AssignmentForm | None = None,
    error: str | None = None,
    members: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The cohort page; ``form``/``error`` and ``members`` bring a refused form back."""
    library = runtime.library
    return {
        "cohort": cohorts.cohort_page(
            session, cohort, scenario_titles=cohorts.scenario_titles(library)
        ),
        "scenarios": sorted(library.scenarios.values(), key=lambda s: s.title),
        "rubrics": sorted(_rubrics(runtime).rubrics.values(), key=lambda r: r.title),
        "form": form or AssignmentForm(),
        "assignment_error": error,
        "members_form": members or {},
    }


def _refused(
    request: Request,
    sessions: SessionsDep,
    runtime: Runtime,
    viewer: Viewer,
    cohort_id: int,
    **typed: Any,
) -> Response:
    """The cohort page again, with a refused form as typed and why (422)."""
    with transaction(sessions) as session:
        cohort = cohorts.managed_cohort(session, viewer.principal, cohort_id)
        context = _page_context(session, runtime, cohort, **typed)
    return render(request, "cohorts/cohort.html", context, status_code=422)
