"""The authoring pages through HTTP: who may use them, check by line, preview, save,
history with diffs and restore, and conversations keeping their version."""

from __future__ import annotations

import httpx
import pytest
from bs4 import BeautifulSoup, Tag
from fastapi import FastAPI

from app.domain.accounts import Role
from app.services import audit
from app.store.db import transaction
from tests.authoring.conftest import SLUG
from tests.content.test_scenario_messages import HIDDEN
from tests.content.test_scenarios import edited
from tests.web.accounts import add_user, signed_in
from tests.web.helpers import soup

EDITED = edited(replace={2: "title: A sample, revised", 12: "opening_line: Good morning."})
BROKEN_AGE = edited(replace={9: "  age: old"})
AGE_MESSAGE = "person.age: Input should be a valid integer, unable to parse string as an integer"


def one(page: BeautifulSoup, selector: str) -> Tag:
    found = page.select_one(selector)
    assert found is not None, f"no {selector!r} on the page"
    return found


def textarea_text(page: BeautifulSoup) -> str:
    """The textarea's text as a browser reads it (the newline after the tag is not text)."""
    return one(page, "textarea#scenario-text").get_text().removeprefix("\n")


def problems(page: BeautifulSoup) -> list[str]:
    return [item.get_text().strip() for item in page.select("#problems li")]


async def edit(client: httpx.AsyncClient, text: str, action: str, note: str = "") -> httpx.Response:
    data = {"text": text, "action": action, "note": note}
    return await client.post(f"/authoring/{SLUG}/edit", data=data)


async def start(client: httpx.AsyncClient, slug: str = SLUG) -> int:
    response = await client.post(f"/scenarios/{slug}/conversations")
    assert response.status_code == 303
    return int(response.headers["location"].rsplit("/", 1)[1])


async def opening_line(client: httpx.AsyncClient, conversation_id: int) -> str:
    page = soup(await client.get(f"/conversations/{conversation_id}"))
    return one(page, "#transcript .turn.person .text").get_text(strip=True)


# --- who may author -------------------------------------------------------------------------


PAGES = [
    ("GET", "/authoring"),
    ("GET", "/authoring/new"),
    ("POST", "/authoring/new"),
    ("GET", f"/authoring/{SLUG}/edit"),
    ("POST", f"/authoring/{SLUG}/edit"),
    ("GET", f"/authoring/{SLUG}/history"),
    ("GET", f"/authoring/{SLUG}/versions/1"),
    ("POST", f"/authoring/{SLUG}/versions/1/restore"),
]


async def test_practitioners_are_refused_every_authoring_page(app: FastAPI) -> None:
    add_user(app, "pat", roles=[Role.PRACTITIONER])
    async with signed_in(app, "pat") as pat:
        for method, path in PAGES:
            data = {"text": EDITED, "action": "save"} if method == "POST" else None
            response = await pat.request(method, path, data=data)
            assert response.status_code == 403, (method, path)
            assert "trainers" in one(soup(response), "[role=alert]").get_text()
    with transaction(app.state.runtime.service.sessions) as session:
        assert audit.history(session, "scenario", SLUG) == []


@pytest.mark.parametrize("role", [Role.TRAINER, Role.ADMIN])
async def test_trainers_and_admins_may_author(app: FastAPI, role: Role) -> None:
    add_user(app, "tess", roles=[role])
    async with signed_in(app, "tess") as tess:
        assert (await tess.get("/authoring")).status_code == 200
        response = await tess.post(
            f"/authoring/{SLUG}/edit", data={"text": EDITED, "action": "save"}
        )
        assert response.status_code == 303
        history = soup(await tess.get(response.headers["location"]))
    newest = one(history, "table.versions tbody tr")
    assert "tess" in newest.get_text()


# --- the list ------------------------------------------------------------------------------


async def test_the_list_names_each_scenario_its_origin_and_links(
    client: httpx.AsyncClient,
) -> None:
    page = soup(await client.get("/authoring"))
    row = one(page, f"#scenario-{SLUG}")
    assert "File in scenarios/" in one(row, ".origin").get_text()
    assert one(row, ".versions").get_text(strip=True) == "0"
    links = {a["href"] for a in row.select("a")}
    assert links == {f"/authoring/{SLUG}/edit", f"/authoring/{SLUG}/history"}
    assert one(page, "a.new-scenario")["href"] == "/authoring/new"

    await edit(client, EDITED, "save", note="Warmer opening")
    row = one(soup(await client.get("/authoring")), f"#scenario-{SLUG}")
    assert "Written in the app" in one(row, ".origin").get_text()
    assert one(row, ".versions").get_text(strip=True) == "2"
    assert "by Practitioner" in one(row, ".changed").get_text()


# --- check and preview ---------------------------------------------------------------------


async def test_the_edit_page_holds_the_current_text(client: httpx.AsyncClient) -> None:
    page = soup(await client.get(f"/authoring/{SLUG}/edit"))
    assert textarea_text(page) == edited()
    form = one(page, "form.authoring-form")
    assert form.select_one("input[name=csrf_token]") is not None
    assert [b["value"] for b in form.select("button[name=action]")] == [
        "check",
        "preview",
        "save",
    ]


async def test_check_lists_each_mistake_by_line_linked_to_the_numbered_text(
    client: httpx.AsyncClient,
) -> None:
    typed = BROKEN_AGE.replace("\n", "\r\n") + "\r\n\r\n"
    response = await edit(client, typed, "check")

    assert response.status_code == 422
    page = soup(response)
    assert problems(page) == [f"line 9: {AGE_MESSAGE}"]
    link = one(page, "#problems li a")
    assert link["href"] == "#line-9"
    line = one(page, "#line-9")
    assert line.name == "li"
    assert "flagged" in line["class"]
    assert one(line, "code").get_text() == "  age: old"
    assert textarea_text(page) == typed


async def test_a_clean_check_says_so_and_saves_nothing(client: httpx.AsyncClient) -> None:
    response = await edit(client, EDITED, "check")
    assert response.status_code == 200
    page = soup(response)
    assert one(page, "#check-ok").get_text(strip=True) == "No problems found."
    assert page.select("#problems, #preview, .numbered-source") == []
    assert textarea_text(page) == EDITED
    history = soup(await client.get(f"/authoring/{SLUG}/history"))
    assert history.select("table.versions") == []


async def test_preview_shows_what_the_practitioner_sees_and_no_hidden_fact(
    client: httpx.AsyncClient,
) -> None:
    text = edited(
        replace={12: "opening_line: Morning. I wasn't sure whether to come."},
        insert_after={5: ["content_warnings: [loneliness]"], 14: HIDDEN},
    )
    response = await edit(client, text, "preview")

    assert response.status_code == 200
    preview = one(soup(response), "#preview")
    shown = preview.get_text(" ", strip=True)
    assert one(preview, "h3").get_text(strip=True) == "A sample"
    assert "A clinic. · 10 minutes · Sam, 60" in shown
    assert "Content warning: loneliness" in shown
    assert "Talk with Sam." in shown
    assert "Morning. I wasn't sure whether to come." in shown
    for secret in ("lonely since his brother", "afford the heating", "I walk every day"):
        assert secret not in shown


async def test_preview_of_broken_text_lists_the_mistakes_instead(
    client: httpx.AsyncClient,
) -> None:
    response = await edit(client, BROKEN_AGE, "preview")
    assert response.status_code == 422
    page = soup(response)
    assert page.select_one("#preview") is None
    assert problems(page) == [f"line 9: {AGE_MESSAGE}"]


# --- saving --------------------------------------------------------------------------------


async def test_invalid_text_saves_nothing_and_keeps_the_text(client: httpx.AsyncClient) -> None:
    response = await edit(client, BROKEN_AGE, "save", note="Age as words")

    assert response.status_code == 422
    page = soup(response)
    assert one(page, "#problems h2").get_text(strip=True) == "1 problem found; nothing was saved"
    assert problems(page) == [f"line 9: {AGE_MESSAGE}"]
    assert textarea_text(page) == BROKEN_AGE
    assert one(page, "#version-note")["value"] == "Age as words"
    history = soup(await client.get(f"/authoring/{SLUG}/history"))
    assert history.select("table.versions") == []


async def test_an_edit_may_not_change_the_id(client: httpx.AsyncClient) -> None:
    response = await edit(client, edited(replace={1: "id: renamed"}), "save")
    assert response.status_code == 422
    assert problems(soup(response)) == [
        "line 1: id: 'renamed' must stay 'sample', the scenario being edited "
        "(to make another scenario, use New scenario)"
    ]


async def test_saving_offers_the_new_version_at_once_and_old_conversations_keep_theirs(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    before = await start(client)

    response = await edit(client, EDITED, "save", note="Warmer opening")
    assert response.status_code == 303
    assert response.headers["location"] == f"/authoring/{SLUG}/history?saved=2"
    after = await start(client)

    assert await opening_line(client, before) == "Hello."
    assert await opening_line(client, after) == "Good morning."
    home = soup(await client.get("/"))
    assert one(home, f"#scenario-{SLUG} h2").get_text(strip=True) == "A sample, revised"
    past = soup(await client.get("/conversations"))
    titles = [a.get_text(strip=True) for a in past.select("table.history tbody td:first-child a")]
    assert titles == ["A sample, revised", "A sample"]
    with transaction(app.state.runtime.service.sessions) as session:
        [entry] = audit.history(session, "scenario", SLUG)
    assert (entry.action, entry.detail) == ("update", {"version_id": 2, "note": "Warmer opening"})


async def test_history_lists_versions_newest_first_with_their_conversations(
    client: httpx.AsyncClient,
) -> None:
    await start(client)
    await edit(client, EDITED, "save", note="Warmer opening")
    await start(client)
    await start(client)

    page = soup(await client.get(f"/authoring/{SLUG}/history?saved=2"))
    assert "Saved as version 2" in one(page, "[role=status]").get_text()
    rows = page.select("table.versions tbody tr")
    cells = [[cell.get_text(" ", strip=True) for cell in row.select("th, td")] for row in rows]
    assert [(c[0], c[2], c[3], c[4], c[5], c[6]) for c in cells] == [
        ("2", "Practitioner", "App", "Warmer opening", "2", "Yes"),
        ("1", "—", "File", "—", "1", "No"),
    ]
    assert rows[0].select("form") == []  # the live version has nothing to restore
    [restore] = rows[1].select("form")
    assert restore["action"] == f"/authoring/{SLUG}/versions/1/restore"
    assert restore.select_one("input[name=csrf_token]") is not None


async def test_a_new_scenario_can_be_uploaded_and_its_id_is_then_taken(
    client: httpx.AsyncClient,
) -> None:
    text = edited(replace={1: "id: second", 2: "title: A second scenario"})
    upload = {"upload": ("second.yaml", text.encode("utf-8"), "application/x-yaml")}

    response = await client.post("/authoring/new", data={"action": "save"}, files=upload)

    assert response.status_code == 303
    assert response.headers["location"] == "/authoring/second/history?saved=1"
    home = soup(await client.get("/"))
    assert one(home, "#scenario-second h2").get_text(strip=True) == "A second scenario"
    again = await client.post("/authoring/new", data={"action": "save"}, files=upload)
    assert again.status_code == 422
    assert problems(soup(again)) == [
        "line 1: id: 'second' is already a scenario; choose another id, or edit 'second' instead"
    ]
    assert textarea_text(soup(again)) == text


async def test_a_pasted_scenario_with_a_file_id_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.post("/authoring/new", data={"text": edited(), "action": "check"})
    assert response.status_code == 422
    assert problems(soup(response))[0].startswith("line 1: id: 'sample' is already a scenario")


async def test_an_upload_that_is_not_utf8_is_reported_at_its_line(
    client: httpx.AsyncClient,
) -> None:
    raw = edited(replace={1: "id: third", 2: "title: Caf\xe9"}).encode("latin-1")
    upload = {"upload": ("third.yaml", raw, "application/x-yaml")}
    response = await client.post("/authoring/new", data={"action": "check"}, files=upload)
    assert response.status_code == 422
    assert problems(soup(response)) == [
        "line 2: not UTF-8 text (byte 0xe9); save the file as UTF-8"
    ]


# --- versions, diffs and restore -----------------------------------------------------------


async def test_a_version_shows_its_text_and_the_changes_from_the_one_before(
    client: httpx.AsyncClient,
) -> None:
    await edit(client, EDITED, "save")

    page = soup(await client.get(f"/authoring/{SLUG}/versions/2"))

    table = one(page, "table.diff")
    assert one(table, "caption").get_text(strip=True).startswith("Lines removed from version 1")
    assert [th["scope"] for th in table.select("thead th")] == ["col"] * 4
    changed = [
        [cell.get_text(" ", strip=True) for cell in row.select("td")]
        for row in table.select("tbody tr.added, tbody tr.removed")
    ]
    assert changed == [
        ["2", "", "− removed", "title: A sample"],
        ["", "2", "+ added", "title: A sample, revised"],
        ["12", "", "− removed", "opening_line: Hello."],
        ["", "12", "+ added", "opening_line: Good morning."],
    ]
    lines = [item.get_text() for item in page.select(".numbered-source li code")]
    assert lines == EDITED.splitlines()
    assert page.select("form[action$='/restore']") == []  # version 2 is live


async def test_restoring_offers_the_old_version_again(client: httpx.AsyncClient) -> None:
    await edit(client, EDITED, "save")

    response = await client.post(f"/authoring/{SLUG}/versions/1/restore")

    assert response.status_code == 303
    assert response.headers["location"] == f"/authoring/{SLUG}/history?restored=1"
    assert await opening_line(client, await start(client)) == "Hello."
    history = soup(await client.get(response.headers["location"]))
    assert "Version 1 is offered again" in one(history, "[role=status]").get_text()
    offered = [
        row.select("td.offered")[0].get_text(strip=True) for row in history.select("tbody tr")
    ]
    assert offered == ["No", "Yes"]
    assert len(history.select("tbody tr")) == 2  # restoring added no version


async def test_unknown_scenarios_and_versions_are_not_found(client: httpx.AsyncClient) -> None:
    await client.post(
        "/authoring/new", data={"text": edited(replace={1: "id: second"}), "action": "save"}
    )
    for path in (
        "/authoring/ghost/edit",
        "/authoring/ghost/history",
        f"/authoring/{SLUG}/versions/99",
        f"/authoring/{SLUG}/versions/1",  # version 1 is the new scenario's, not sample's
    ):
        assert (await client.get(path)).status_code == 404, path
    response = await client.post("/authoring/ghost/edit", data={"text": EDITED, "action": "save"})
    assert response.status_code == 404
