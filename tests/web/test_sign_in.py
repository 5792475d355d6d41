"""Sign-in, sign-out, sessions, password change and CSRF, through HTTP on both databases."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from app.domain.accounts import Role
from app.store.db import transaction
from app.store.training import AuditEntry
from tests.web.accounts import (
    PASSWORD,
    add_user,
    carry_csrf_token,
    http_client,
    sign_in,
    signed_in,
)
from tests.web.helpers import SCENARIO, soup


async def test_single_user_mode_needs_no_sign_in(client: httpx.AsyncClient) -> None:
    home = await client.get("/")
    assert home.status_code == 200
    page = soup(await client.get("/sign-in"))
    assert page.find(id="single-user-heading") is not None
    assert page.find("input", attrs={"name": "password"}) is None


async def test_the_first_account_makes_every_page_ask_for_sign_in(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    add_user(app, "ana")
    for path in ("/", "/conversations", "/conversations/1", "/conversations/1/report"):
        response = await client.get(path)
        assert response.status_code == 303, path
        assert response.headers["location"] == f"/sign-in?next={path}"


async def test_htmx_requests_are_sent_to_sign_in_with_hx_redirect(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    add_user(app, "ana")
    response = await client.get(
        "/conversations", headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/"}
    )
    assert response.headers["HX-Redirect"] == "/sign-in?next=/"


async def test_sign_in_by_username_or_email_then_sign_out(app: FastAPI) -> None:
    add_user(app, "ana")
    async with http_client(app) as browser:
        await carry_csrf_token(browser)
        signed = await browser.post(
            "/sign-in", data={"login": "ANA", "password": PASSWORD, "next": "/conversations"}
        )
        assert signed.status_code == 303
        assert signed.headers["location"] == "/conversations"
        await carry_csrf_token(browser)
        home = soup(await browser.get("/"))
        assert "ana" in home.select_one(".account-nav .who").get_text()
        out = await browser.post("/sign-out")
        assert out.headers["location"] == "/sign-in"
        assert (await browser.get("/")).status_code == 303


async def test_a_wrong_password_says_so_and_keeps_the_login(app: FastAPI) -> None:
    add_user(app, "ana")
    async with http_client(app) as browser:
        await carry_csrf_token(browser)
        response = await browser.post("/sign-in", data={"login": "ana", "password": "nope"})
        assert response.status_code == 401
        page = soup(response)
        assert page.select_one("[role=alert]") is not None
        assert page.find("input", attrs={"name": "login"})["value"] == "ana"
        assert (await browser.get("/")).status_code == 303


async def test_a_deactivated_account_is_signed_out_at_its_next_request(app: FastAPI) -> None:
    ana = add_user(app, "ana")
    async with signed_in(app, "ana") as browser:
        assert (await browser.get("/")).status_code == 200
        with transaction(app.state.runtime.service.sessions) as session:
            from app.store.models import User

            session.get_one(User, ana).active = False
        assert (await browser.get("/")).status_code == 303


async def test_next_must_be_a_local_path(app: FastAPI) -> None:
    add_user(app, "ana")
    async with http_client(app) as browser:
        for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
            await carry_csrf_token(browser)  # each sign-in starts a session with a new token
            response = await browser.post(
                "/sign-in", data={"login": "ana", "password": PASSWORD, "next": target}
            )
            assert response.headers["location"] == "/", target


async def test_password_change_ends_the_other_sessions_but_not_this_one(app: FastAPI) -> None:
    add_user(app, "ana")
    new = "a much longer passphrase"
    async with signed_in(app, "ana") as laptop, signed_in(app, "ana") as phone:
        refused = await laptop.post(
            "/account/password", data={"current": "wrong one!", "new": new, "confirm": new}
        )
        assert refused.status_code == 422
        assert soup(refused).select_one("[role=alert]") is not None
        changed = await laptop.post(
            "/account/password", data={"current": PASSWORD, "new": new, "confirm": new}
        )
        assert changed.status_code == 200
        assert soup(changed).select_one("[role=status]") is not None
        assert (await laptop.get("/")).status_code == 200
        assert (await phone.get("/")).status_code == 303
    async with signed_in(app, "ana", new) as again:
        assert (await again.get("/")).status_code == 200


async def test_sign_in_is_audited(app: FastAPI) -> None:
    ana = add_user(app, "ana")
    async with signed_in(app, "ana"):
        pass
    with transaction(app.state.runtime.service.sessions) as session:
        actions = [(e.actor_id, e.action) for e in session.query(AuditEntry).all()]
    assert (ana, "sign_in") in actions


async def test_a_post_without_the_csrf_token_is_refused(app: FastAPI) -> None:
    add_user(app, "ana", roles=[Role.PRACTITIONER])
    async with signed_in(app, "ana") as browser:
        token = browser.headers.pop("X-CSRF-Token")
        refused = await browser.post(f"/scenarios/{SCENARIO}/conversations")
        assert refused.status_code == 403
        assert "security token" in soup(refused).select_one("[role=alert]").get_text()
        wrong = await browser.post(
            f"/scenarios/{SCENARIO}/conversations", headers={"X-CSRF-Token": token + "x"}
        )
        assert wrong.status_code == 403
        in_form = await browser.post(
            f"/scenarios/{SCENARIO}/conversations", data={"csrf_token": token}
        )
        assert in_form.status_code == 303
        in_header = await browser.post(
            f"/scenarios/{SCENARIO}/conversations", headers={"X-CSRF-Token": token}
        )
        assert in_header.status_code == 303


async def test_sign_in_itself_needs_the_token_of_the_page(app: FastAPI) -> None:
    add_user(app, "ana")
    async with http_client(app) as forger:
        response = await forger.post("/sign-in", data={"login": "ana", "password": PASSWORD})
        assert response.status_code == 403


async def test_every_post_form_on_a_page_carries_the_token(app: FastAPI) -> None:
    add_user(app, "ana")
    async with signed_in(app, "ana") as browser:
        started = await browser.post(f"/scenarios/{SCENARIO}/conversations")
        conversation = started.headers["location"]
        await browser.post(f"{conversation}/turns", data={"text": "What matters most to you?"})
        for path in ("/", conversation):
            page = soup(await browser.get(path))
            forms = page.find_all("form", attrs={"method": "post"})
            assert forms, path
            for form in forms:
                assert form.find("input", attrs={"name": "csrf_token"}) is not None, form
            assert "X-CSRF-Token" in page.body["hx-headers"]


async def test_sign_in_again_works_after_first_use(app: FastAPI) -> None:
    add_user(app, "ana")
    async with http_client(app) as browser:
        await sign_in(browser, "ana")
        assert (await browser.get("/conversations")).status_code == 200


async def test_repeated_wrong_passwords_lock_the_login_for_a_while(app: FastAPI) -> None:
    add_user(app, "ana")
    async with http_client(app) as guesser:
        await carry_csrf_token(guesser)
        for attempt in range(5):
            wrong = await guesser.post("/sign-in", data={"login": "ana", "password": f"g{attempt}"})
            assert wrong.status_code == 401
        locked = await guesser.post("/sign-in", data={"login": "ana", "password": PASSWORD})
        assert locked.status_code == 429
        assert "Too many failed sign-ins" in soup(locked).select_one("[role=alert]").get_text()
