"""Administration: user accounts (list, create, edit, reset password, CSV import) and the
audit log. Every page is for administrators only; every change is written to the audit log
by the account services.

Passwords the app generates are shown once, on the page that answers the form, and never
stored in the clear: there is no way to see them again, only to reset them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from app.domain.accounts import Role, Viewer
from app.services import accounts, audit, xapi
from app.services.access import viewer_row
from app.services.accounts import AccountError, CsvImportError
from app.services.rehearsal import NotFound
from app.store.db import transaction
from app.store.models import User
from app.web.deps import SessionsDep
from app.web.htmx import render
from app.web.security import AdminDep

router = APIRouter(prefix="/admin")

RoleValues = Annotated[list[str] | None, Form()]
# Pages that show a one-time password must not be kept by the browser or a proxy.
NO_STORE = {"Cache-Control": "no-store"}


@router.get("/users", response_class=HTMLResponse, name="admin_users")
def users_page(request: Request, sessions: SessionsDep, _: AdminDep) -> HTMLResponse:
    """Every account, with its roles and whether it is active."""
    with transaction(sessions) as session:
        users = accounts.list_accounts(session)
    return render(request, "admin/users.html", {"users": users})


@router.get("/users/new", response_class=HTMLResponse, name="admin_new_user")
def new_user_page(request: Request, _: AdminDep) -> HTMLResponse:
    """The form for one new account."""
    return render(request, "admin/new_user.html", {"form": _typed()})


@router.post("/users", response_class=HTMLResponse, name="admin_create_user")
def create_user(
    request: Request,
    sessions: SessionsDep,
    viewer: AdminDep,
    username: Annotated[str, Form()] = "",
    display_name: Annotated[str, Form()] = "",
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    roles: RoleValues = None,
) -> HTMLResponse:
    """Create the account; a generated password is shown on the answer, once."""
    typed = _typed(username, display_name, email, roles)
    try:
        with transaction(sessions) as session:
            user, generated = accounts.create_account(
                session,
                viewer_row(session, viewer),
                username=username,
                display_name=display_name,
                email=email,
                roles=typed["roles"],
                password=password,
            )
            created = accounts.account_summary(session, user)
    except AccountError as exc:
        context = {"form": typed, "error": f"The account was not created: {exc}."}
        return render(request, "admin/new_user.html", context, status_code=422)
    answer = {"account": created, "password": generated}
    return render(request, "admin/user_created.html", answer, headers=NO_STORE)


@router.get("/users/import", response_class=HTMLResponse, name="admin_import_users")
def import_page(request: Request, _: AdminDep) -> HTMLResponse:
    """The CSV upload form, with the columns it expects."""
    return render(request, "admin/import_users.html", _import_context())


@router.post("/users/import", response_class=HTMLResponse, name="admin_import_users_submit")
def import_users(
    request: Request,
    sessions: SessionsDep,
    viewer: AdminDep,
    file: Annotated[UploadFile | None, File()] = None,
) -> HTMLResponse:
    """Create every user in the uploaded CSV, or nobody: each bad row is listed by line."""
    if file is None or not file.filename:
        context = _import_context(problems=["Choose a CSV file to import."])
        return render(request, "admin/import_users.html", context, status_code=422)
    source = Path(file.filename).name
    try:
        text = accounts.csv_upload_text(file.file.read(), source)
        with transaction(sessions) as session:
            made = accounts.import_accounts(
                session, viewer_row(session, viewer), text, source=source
            )
    except CsvImportError as exc:
        context = _import_context(problems=list(exc.problems), source=source)
        return render(request, "admin/import_users.html", context, status_code=422)
    context = _import_context(made=made, source=source)
    return render(request, "admin/import_users.html", context, headers=NO_STORE)


@router.get("/users/{user_id}", response_class=HTMLResponse, name="admin_user")
def user_page(
    request: Request, user_id: int, sessions: SessionsDep, viewer: AdminDep
) -> HTMLResponse:
    """One account: its roles, whether it is active, and a password reset."""
    with transaction(sessions) as session:
        context = _edit_context(session, viewer, user_id)
    return render(request, "admin/edit_user.html", context)


@router.post("/users/{user_id}", response_class=HTMLResponse, name="admin_update_user")
def update_user(
    request: Request,
    user_id: int,
    sessions: SessionsDep,
    viewer: AdminDep,
    roles: RoleValues = None,
    active: Annotated[bool, Form()] = False,
) -> HTMLResponse:
    """Save roles and the active flag (refused if it would lock the admin out)."""
    try:
        with transaction(sessions) as session:
            changed = accounts.update_account(
                session,
                viewer_row(session, viewer),
                _user(session, user_id),
                roles=roles or [],
                active=active,
            )
            context = _edit_context(session, viewer, user_id)
    except AccountError as exc:
        with transaction(sessions) as session:
            context = _edit_context(session, viewer, user_id)
        context |= {
            "roles_checked": set(roles or []),
            "active_checked": active,
            "error": f"Not saved: {exc}.",
        }
        return render(request, "admin/edit_user.html", context, status_code=422)
    context["saved"] = (
        "Changes saved." if changed else "Nothing to change: the account was as chosen."
    )
    return render(request, "admin/edit_user.html", context)


@router.post("/users/{user_id}/password", response_class=HTMLResponse, name="admin_reset_password")
def reset_password(
    request: Request,
    user_id: int,
    sessions: SessionsDep,
    viewer: AdminDep,
    password: Annotated[str, Form()] = "",
) -> HTMLResponse:
    """Set a new password (typed, or generated and shown once); their sessions end."""
    try:
        with transaction(sessions) as session:
            generated = accounts.reset_account_password(
                session, viewer_row(session, viewer), _user(session, user_id), password
            )
            context = _edit_context(session, viewer, user_id)
    except AccountError as exc:
        with transaction(sessions) as session:
            context = _edit_context(session, viewer, user_id)
        context["password_error"] = f"Password not reset: {exc}."
        return render(request, "admin/edit_user.html", context, status_code=422)
    context |= {"password_reset": True, "password": generated}
    return render(request, "admin/edit_user.html", context, headers=NO_STORE)


@router.get("/audit", response_class=HTMLResponse, name="admin_audit")
def audit_page(
    request: Request,
    sessions: SessionsDep,
    _: AdminDep,
    actor: str = "",
    target: str = "",
    page: int = 1,
) -> HTMLResponse:
    """The audit log, newest first, a page at a time, by actor and target type."""
    with transaction(sessions) as session:
        context = _audit_context(session, actor=actor, target=target, page=page)
    return render(request, "admin/audit.html", context)


@router.get("/xapi.json", name="admin_xapi")
def xapi_json(
    request: Request, sessions: SessionsDep, viewer: AdminDep, since: str = "", user: str = ""
) -> Response:
    """Every stored xAPI statement (or those from ``since``, or of one ``user``) as the JSON
    array ``rehearse export-xapi`` prints; a filter that cannot be read comes back on the
    audit page's export form (422), as typed, rather than exporting the wrong statements."""
    try:
        with transaction(sessions) as session:
            start, who = xapi.read_filters(session, since=since, user=user)
            text = xapi.export_json(session, since=start, user=who)
            filters = {"since": start.isoformat() if start else "the beginning"}
            filters["user"] = who.username if who else "everyone"
            actor = viewer_row(session, viewer)
            audit.record(session, actor, "export", "xapi", "statements", detail=filters)
    except xapi.FilterError as exc:
        with transaction(sessions) as session:
            context = _audit_context(session)
        error = f"Nothing was exported: {exc}."
        context["xapi"] = {"since": since, "user": user, "error": error, "field": exc.field}
        return render(request, "admin/audit.html", context, status_code=422)
    headers = {"Content-Disposition": 'attachment; filename="rehearse-xapi.json"'}
    return Response(text, media_type="application/json; charset=utf-8", headers=headers)


def _audit_context(
    session: Session, *, actor: str = "", target: str = "", page: int = 1
) -> dict[str, Any]:
    """The audit page under its filters; the xAPI export form starts empty."""
    return {
        "log": audit.search(session, actor=actor, target_type=target, page=page),
        "actor": actor.strip(),
        "target": target.strip(),
        "actors": audit.actor_names(session),
        "target_types": audit.target_types(session),
        "xapi": {"since": "", "user": "", "error": None, "field": None},
    }


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"There is no user {user_id}.")
    return user


def _typed(
    username: str = "", display_name: str = "", email: str = "", roles: list[str] | None = None
) -> dict[str, Any]:
    """What was typed into the new-account form, to show again beside an error."""
    return {
        "username": username,
        "display_name": display_name,
        "email": email,
        "roles": roles or [],
    }


def _edit_context(session: Session, viewer: Viewer, user_id: int) -> dict[str, Any]:
    account = accounts.account_summary(session, _user(session, user_id))
    return {
        "account": account,
        "is_self": account.id == viewer.id,
        "roles_checked": {role.value for role in account.roles},
        "active_checked": account.active,
    }


def _import_context(
    *,
    problems: list[str] | None = None,
    made: list[accounts.ImportedUser] | None = None,
    source: str = "",
) -> dict[str, Any]:
    return {
        "problems": problems or [],
        "made": made or [],
        "source": source,
        "columns": accounts.CSV_COLUMNS,
        "roles": list(Role),
    }
