"""Sign in, sign out, and change one's own password."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from app.services import accounts, audit
from app.services.access import accounts_exist, session_stamp
from app.services.accounts import AccountError
from app.services.throttle import SignInThrottle
from app.store.db import transaction
from app.store.models import User
from app.web.deps import SessionsDep
from app.web.htmx import redirect, render
from app.web.security import ViewerDep, safe_next, sign_in_session

router = APIRouter()

WRONG = "That username or email and password do not match an active account."


@router.get("/sign-in", response_class=HTMLResponse, name="sign_in")
def sign_in_page(request: Request, sessions: SessionsDep, next: str = "/") -> HTMLResponse:
    """The sign-in form; in single-user mode, how to create the first account instead."""
    with transaction(sessions) as session:
        single_user = not accounts_exist(session)
    context = {"next": safe_next(next), "single_user": single_user, "login": ""}
    return render(request, "auth/sign_in.html", context)


@router.post("/sign-in", name="sign_in_submit")
def sign_in(
    request: Request,
    sessions: SessionsDep,
    login: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    """Check the password (constant work for unknown users) and start a signed-in session."""
    throttle: SignInThrottle = request.app.state.sign_in_throttle
    wait = throttle.retry_after(login)
    if wait:
        minutes = max(1, math.ceil(wait / 60))
        message = f"Too many failed sign-ins for this account. Try again in {minutes} minutes."
        context = {"next": safe_next(next), "single_user": False, "login": login, "error": message}
        return render(request, "auth/sign_in.html", context, status_code=429)
    with transaction(sessions) as session:
        user = accounts.authenticate(session, login, password)
        if user is not None:
            audit.record(session, user, "sign_in", "user", user.id)
            stamp = session_stamp(user, request.app.state.secret_key)
    if user is None:
        throttle.failed(login)
        context = {"next": safe_next(next), "single_user": False, "login": login, "error": WRONG}
        return render(request, "auth/sign_in.html", context, status_code=401)
    throttle.succeeded(login)
    sign_in_session(request, user.id, stamp)
    return redirect(request, safe_next(next))


@router.post("/sign-out", name="sign_out")
def sign_out(request: Request, _: ViewerDep) -> Response:
    """End this session."""
    request.session.clear()
    return redirect(request, "/sign-in")


@router.get("/account/password", response_class=HTMLResponse, name="password")
def password_page(request: Request, viewer: ViewerDep) -> HTMLResponse:
    """The password form (single-user mode has no password to change)."""
    return render(request, "auth/password.html", {"viewer": viewer})


@router.post("/account/password", name="password_submit")
def change_password(
    request: Request,
    viewer: ViewerDep,
    sessions: SessionsDep,
    current: Annotated[str, Form()] = "",
    new: Annotated[str, Form()] = "",
    confirm: Annotated[str, Form()] = "",
) -> Response:
    """Change the password; this session stays signed in, every other one ends."""
    try:
        if not viewer.signed_in:
            raise AccountError("there is no password to change until accounts exist")
        if new != confirm:
            raise AccountError("the new password and its confirmation differ")
        with transaction(sessions) as session:
            user = session.get_one(User, viewer.id)
            accounts.change_password(session, user, current=current, new=new)
            audit.record(session, user, "update", "user", user.id, detail={"field": "password"})
            stamp = session_stamp(user, request.app.state.secret_key)
    except AccountError as exc:
        context = {"viewer": viewer, "error": f"Password not changed: {exc}."}
        return render(request, "auth/password.html", context, status_code=422)
    sign_in_session(request, viewer.id, stamp)
    return render(request, "auth/password.html", {"viewer": viewer, "changed": True})
