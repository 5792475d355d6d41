"""Sessions, sign-in, CSRF and the guards every route declares.

- Sessions live in a signed cookie (Starlette's ``SessionMiddleware``, itsdangerous). The
  cookie names the user and carries a stamp bound to their password hash, so a password
  change or a deactivation ends every other session at the next request.
- Single-user mode: until any account has a password (``rehearse create-admin``), nobody
  signs in and every request is the local practitioner, so the first-run command just works.
  From the first account on, every page but the sign-in page needs a signed-in user.
- CSRF: a random token per session; every unsafe request must echo it in the
  ``csrf_token`` form field or the ``X-CSRF-Token`` header (htmx sends it from ``<body
  hx-headers>``). Checked once for the whole app (``verify_csrf`` is an app dependency).
- Guards: routes take ``ViewerDep`` / ``PracticeDep`` / ``TrainerDep`` / ``AssessorDep`` /
  ``AdminDep`` or a conversation guard (``conversation_guard``); the rules are in
  ``app.domain.policy``. ``tests/web/test_route_guards.py`` fails for a route without one.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.responses import Response
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape
from starlette.middleware.sessions import SessionMiddleware

from app.config import Settings
from app.domain.accounts import Role, Viewer
from app.services.access import (
    Access,
    ConversationPass,
    Forbidden,
    accounts_exist,
    check_conversation,
    local_viewer,
    signed_in_viewer,
)
from app.services.throttle import SignInThrottle
from app.store.db import transaction
from app.web.htmx import TEMPLATES, is_htmx, redirect, render

SESSION_COOKIE = "rehearse_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SECRET_FILE = "secret_key"


class SignInRequired(Exception):
    """Nobody is signed in and the app has accounts: go to the sign-in page."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class ConsentRequired(SignInRequired):
    """The viewer has not yet agreed to transcripts being stored: ask first."""


class CsrfRejected(Exception):
    """An unsafe request without this session's CSRF token."""


def secret_key(settings: Settings) -> str:
    """``REHEARSE_SECRET_KEY``, else a random key made once and kept in the data directory."""
    if settings.secret_key is not None:
        return settings.secret_key.get_secret_value()
    path: Path = settings.data_dir / SECRET_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def install_security(app: FastAPI, settings: Settings) -> None:
    """Add the session cookie and the pages for sign-in, consent, CSRF and 403 refusals."""
    app.state.secret_key = secret_key(settings)
    app.state.sign_in_throttle = SignInThrottle()
    app.add_middleware(
        SessionMiddleware,
        secret_key=app.state.secret_key,
        session_cookie=SESSION_COOKIE,
        max_age=settings.session_max_age_s,
        same_site="lax",
        https_only=settings.secure_cookies,
    )
    app.add_exception_handler(ConsentRequired, _to("/consent"))
    app.add_exception_handler(SignInRequired, _to("/sign-in"))
    app.add_exception_handler(CsrfRejected, _csrf_rejected)
    app.add_exception_handler(Forbidden, _forbidden)
    TEMPLATES.env.globals["csrf_field"] = _csrf_field_global
    TEMPLATES.env.globals["csrf_token"] = _csrf_token_global


def _to(page: str) -> Callable[[Request, Exception], Response]:
    def go(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, SignInRequired)
        return redirect(request, f"{page}?next={quote(exc.next_path, safe='/')}")

    return go


def _csrf_rejected(request: Request, _: Exception) -> Response:
    message = (
        "This form could not be accepted: it did not carry this session's security token "
        "(it may be from an old page, or from another site). Reload the page and try again."
    )
    return render(request, "pages/error.html", {"message": message}, status_code=403)


def _forbidden(request: Request, exc: Exception) -> Response:
    return render(request, "pages/error.html", {"message": str(exc)}, status_code=403)


def csrf_token(request: Request) -> str:
    """This session's CSRF token, made on first use."""
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


@pass_context
def _csrf_token_global(context: Context) -> str:
    """Jinja ``csrf_token()``: the token of the request being rendered."""
    return csrf_token(context["request"])


@pass_context
def _csrf_field_global(context: Context) -> Markup:
    """Jinja ``csrf_field()``: the hidden input every POST form carries."""
    token = escape(csrf_token(context["request"]))
    return Markup(f'<input type="hidden" name="{CSRF_FIELD}" value="{token}">')


async def verify_csrf(request: Request) -> None:
    """App-wide dependency: refuse an unsafe request whose token is missing or wrong."""
    if request.method in SAFE_METHODS:
        return
    expected = request.session.get("csrf")
    given = request.headers.get(CSRF_HEADER)
    if given is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        value = (await request.form()).get(CSRF_FIELD)
        given = value if isinstance(value, str) else None
    if not isinstance(expected, str) or not given or not hmac.compare_digest(expected, given):
        raise CsrfRejected()


def sign_in_session(request: Request, user_id: int, stamp: str) -> None:
    """Start a signed-in session: a fresh token, so one set before sign-in cannot be reused."""
    request.session.clear()
    request.session.update({"uid": user_id, "stamp": stamp, "csrf": secrets.token_urlsafe(32)})


def current_viewer(request: Request) -> Viewer:
    """The viewer of this request (see the module docstring); remembered on ``request.state``
    for the page layout."""
    csrf_token(request)
    runtime = request.app.state.runtime
    with transaction(runtime.service.sessions) as session:
        if not accounts_exist(session):
            viewer: Viewer | None = local_viewer(session)
        else:
            viewer = signed_in_viewer(
                session,
                request.session.get("uid"),
                request.session.get("stamp"),
                request.app.state.secret_key,
            )
    if viewer is None:
        request.session.pop("uid", None)
        raise SignInRequired(_here(request))
    request.state.viewer = viewer
    return viewer


ViewerDep = Annotated[Viewer, Depends(current_viewer)]


def practising_viewer(request: Request, viewer: ViewerDep) -> Viewer:
    """A viewer who has agreed to transcripts being stored (asked once, at first use)."""
    if not viewer.consented:
        raise ConsentRequired(_here(request))
    return viewer


PracticeDep = Annotated[Viewer, Depends(practising_viewer)]


def role_guard(*roles: Role) -> Callable[[Viewer], Viewer]:
    """A dependency admitting viewers who hold any of ``roles``."""
    names = " or ".join(f"{role.value}s" for role in roles)

    def guard(viewer: ViewerDep) -> Viewer:
        if not any(viewer.has(role) for role in roles):
            raise Forbidden(f"This page is for {names}; your account does not have that role.")
        return viewer

    return guard


TrainerDep = Annotated[Viewer, Depends(role_guard(Role.TRAINER, Role.ADMIN))]
AssessorDep = Annotated[Viewer, Depends(role_guard(Role.ASSESSOR))]
AdminDep = Annotated[Viewer, Depends(role_guard(Role.ADMIN))]


def conversation_pass(access: Access) -> Callable[[Request, int, Viewer], ConversationPass]:
    """A dependency admitting the viewer to ``access`` the path's ``conversation_id``; it
    hands on what the check learned (``ConversationPass``)."""

    def guard(request: Request, conversation_id: int, viewer: ViewerDep) -> ConversationPass:
        with transaction(request.app.state.runtime.service.sessions) as session:
            return check_conversation(session, viewer, conversation_id, access)

    return guard


def conversation_guard(access: Access) -> Callable[[ConversationPass], Viewer]:
    """``conversation_pass`` for routes that need only the viewer."""
    checked = conversation_pass(access)

    # A default rather than Annotated: annotations are strings here, and FastAPI could not
    # find the local ``checked`` from one.
    def guard(opened: ConversationPass = Depends(checked)) -> Viewer:  # noqa: B008
        return opened.viewer

    return guard


Opened = Annotated[ConversationPass, Depends(conversation_pass(Access.VIEW))]
CanView = Annotated[Viewer, Depends(conversation_guard(Access.VIEW))]
CanSpeak = Annotated[Viewer, Depends(conversation_guard(Access.SPEAK))]
IsOwner = Annotated[Viewer, Depends(conversation_guard(Access.OWN))]
CanSeeState = Annotated[Viewer, Depends(conversation_guard(Access.PERSON_STATE))]


def safe_next(target: str | None) -> str:
    """A local path to go to after sign-in or consent; anything else goes home."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _here(request: Request) -> str:
    """Where to come back to: this page, or for htmx the page it was sent from."""
    if is_htmx(request):
        current = request.headers.get("HX-Current-URL", "")
        path = current.split(str(request.base_url).rstrip("/"), 1)[-1]
        return safe_next(path)
    query = f"?{request.url.query}" if request.url.query and request.method == "GET" else ""
    return safe_next(request.url.path + query) if request.method == "GET" else "/"
