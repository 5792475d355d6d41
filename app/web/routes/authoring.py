"""Scenario authoring for trainers and admins: list, write or upload, check, preview, save,
and each scenario's history with diffs and restore.

Every page here is plain HTML forms (no script needed): the edit form's buttons post the
same fields to one address and say which action they ask for, and a refused save comes
back with the text exactly as sent, so nothing typed is lost.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from app.content.errors import ContentError, ContentIssue
from app.domain.accounts import Viewer
from app.domain.policy import can_author_scenarios
from app.domain.scenario import Scenario
from app.services import authoring
from app.services.access import Forbidden
from app.store.db import transaction
from app.store.models import User
from app.web.deps import RuntimeDep, SessionsDep
from app.web.htmx import redirect, render
from app.web.security import TrainerDep

router = APIRouter(prefix="/authoring")


class Action(StrEnum):
    """What the edit form's button asks for."""

    CHECK = "check"
    PREVIEW = "preview"
    SAVE = "save"


Text = Annotated[str, Form()]
Upload = Annotated[UploadFile | None, File()]


def _may_author(viewer: Viewer) -> None:
    if not can_author_scenarios(viewer.principal):
        raise Forbidden("Only trainers and admins write and change scenarios.")


@router.get("", response_class=HTMLResponse, name="authoring")
def scenario_index(
    request: Request, runtime: RuntimeDep, sessions: SessionsDep, viewer: TrainerDep
) -> HTMLResponse:
    """Every scenario, where the version offered now came from, and its last change."""
    _may_author(viewer)
    with transaction(sessions) as session:
        entries = authoring.scenarios(session, runtime.library)
    context = {"entries": entries, "issues": runtime.library.issues}
    return render(request, "authoring/index.html", context)


@router.get("/new", response_class=HTMLResponse, name="authoring_new")
def new_page(request: Request, viewer: TrainerDep) -> HTMLResponse:
    """An empty form for a new scenario: paste its text or upload its file."""
    _may_author(viewer)
    return render(request, "authoring/edit.html", _form(slug=None, text=""))


@router.post("/new", name="authoring_new_submit")
def new_submit(
    request: Request,
    runtime: RuntimeDep,
    sessions: SessionsDep,
    viewer: TrainerDep,
    text: Text = "",
    note: Text = "",
    action: Annotated[Action, Form()] = Action.CHECK,
    upload: Upload = None,
) -> Response:
    """Check, preview or save a new scenario (its id must be unused)."""
    _may_author(viewer)
    return _submit(request, runtime, sessions, viewer, None, text, note, action, upload)


@router.get("/{slug}/edit", response_class=HTMLResponse, name="authoring_edit")
def edit_page(
    request: Request, slug: str, runtime: RuntimeDep, sessions: SessionsDep, viewer: TrainerDep
) -> HTMLResponse:
    """The scenario's current text, ready to change."""
    _may_author(viewer)
    with transaction(sessions) as session:
        text = authoring.current_source(session, runtime.library, slug)
    return render(request, "authoring/edit.html", _form(slug=slug, text=text))


@router.post("/{slug}/edit", name="authoring_edit_submit")
def edit_submit(
    request: Request,
    slug: str,
    runtime: RuntimeDep,
    sessions: SessionsDep,
    viewer: TrainerDep,
    text: Text = "",
    note: Text = "",
    action: Annotated[Action, Form()] = Action.CHECK,
    upload: Upload = None,
) -> Response:
    """Check, preview or save a new version of ``slug`` (its id must stay ``slug``)."""
    _may_author(viewer)
    with transaction(sessions) as session:
        authoring.current_source(session, runtime.library, slug)  # 404 for an unknown slug
    return _submit(request, runtime, sessions, viewer, slug, text, note, action, upload)


@router.get("/{slug}/history", response_class=HTMLResponse, name="authoring_history")
def history_page(
    request: Request,
    slug: str,
    runtime: RuntimeDep,
    sessions: SessionsDep,
    viewer: TrainerDep,
    saved: int | None = None,
    restored: int | None = None,
) -> HTMLResponse:
    """The scenario's versions, newest first, with the one offered now marked."""
    _may_author(viewer)
    with transaction(sessions) as session:
        authoring.current_source(session, runtime.library, slug)
        versions = authoring.versions(session, runtime.library, slug)
    context = {
        "slug": slug,
        "scenario": runtime.library.get(slug),
        "versions": versions,
        "saved": saved,
        "restored": restored,
    }
    return render(request, "authoring/history.html", context)


@router.get("/{slug}/versions/{version_id}", response_class=HTMLResponse, name="authoring_version")
def version_page(
    request: Request,
    slug: str,
    version_id: int,
    runtime: RuntimeDep,
    sessions: SessionsDep,
    viewer: TrainerDep,
) -> HTMLResponse:
    """One version's text and its changes from the version before it."""
    _may_author(viewer)
    with transaction(sessions) as session:
        detail = authoring.version_detail(session, runtime.library, slug, version_id)
    return render(request, "authoring/version.html", _version_context(slug, detail, []))


@router.post("/{slug}/versions/{version_id}/restore", name="authoring_restore")
def restore_version(
    request: Request,
    slug: str,
    version_id: int,
    runtime: RuntimeDep,
    sessions: SessionsDep,
    viewer: TrainerDep,
) -> Response:
    """Offer this version again, from the next conversation on."""
    _may_author(viewer)
    try:
        with transaction(sessions) as session:
            actor = session.get_one(User, viewer.id)
            restored = authoring.restore(session, slug=slug, version_id=version_id, actor=actor)
    except ContentError as exc:
        with transaction(sessions) as session:
            detail = authoring.version_detail(session, runtime.library, slug, version_id)
        context = _version_context(slug, detail, exc.issues)
        return render(request, "authoring/version.html", context, status_code=422)
    _offer_published(runtime, sessions)
    return redirect(request, f"/authoring/{slug}/history?restored={restored.number}")


def _submit(
    request: Request,
    runtime: RuntimeDep,
    sessions: SessionsDep,
    viewer: Viewer,
    slug: str | None,
    text: str,
    note: str,
    action: Action,
    upload: UploadFile | None,
) -> Response:
    """The edit form's three buttons; any mistake re-renders the form with the text kept."""
    try:
        if upload is not None and upload.filename:
            text = authoring.uploaded_text(upload.file, upload.filename)
        if action is Action.SAVE:
            return _save(request, runtime, sessions, viewer, slug, text, note)
        with transaction(sessions) as session:
            draft = authoring.checked_draft(session, runtime.library, text=text, editing=slug)
    except ContentError as exc:
        context = _form(slug=slug, text=text, note=note, issues=exc.issues)
        return render(request, "authoring/edit.html", context, status_code=422)
    preview = draft if action is Action.PREVIEW else None
    context = _form(slug=slug, text=text, note=note, checked=True, preview=preview)
    return render(request, "authoring/edit.html", context)


def _save(
    request: Request,
    runtime: RuntimeDep,
    sessions: SessionsDep,
    viewer: Viewer,
    slug: str | None,
    text: str,
    note: str,
) -> Response:
    """Save and offer the new version, then show it in the history; ContentError when the
    text has mistakes (nothing is stored then)."""
    with transaction(sessions) as session:
        author = session.get_one(User, viewer.id)
        saved = authoring.save(
            session, runtime.library, text=text, editing=slug, author=author, note=note
        )
    _offer_published(runtime, sessions)
    return redirect(request, f"/authoring/{saved.slug}/history?saved={saved.number}")


def _offer_published(runtime: RuntimeDep, sessions: SessionsDep) -> None:
    """After a save or restore commits, the running app offers the new version at once."""
    with transaction(sessions) as session:
        authoring.published_overlay(session, runtime.library)


def _form(
    *,
    slug: str | None,
    text: str,
    note: str = "",
    issues: list[ContentIssue] | None = None,
    checked: bool = False,
    preview: Scenario | None = None,
) -> dict[str, Any]:
    return {
        "slug": slug,
        "text": text,
        "note": note,
        "issues": issues or [],
        "lines": _numbered_lines(text, issues or []),
        "checked": checked,
        "preview": preview,
    }


def _version_context(
    slug: str, detail: authoring.VersionDetail, issues: list[ContentIssue]
) -> dict[str, Any]:
    return {
        "slug": slug,
        "detail": detail,
        "version": detail.version,
        "issues": issues,
        "lines": _numbered_lines(detail.source, issues),
    }


def _numbered_lines(text: str, issues: list[ContentIssue]) -> list[tuple[int, str, bool]]:
    """``(number, line, has a problem)`` for the line-numbered copy; an issue past the last
    line (a file that stops too soon) still has a line to link to."""
    lines = authoring.as_typed(text).split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    last = max([len(lines), *(issue.line for issue in issues)])
    lines += [""] * (last - len(lines))
    flagged = {issue.line for issue in issues}
    return [(number, line, number in flagged) for number, line in enumerate(lines, start=1)]
