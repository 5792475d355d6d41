"""Assessor reviews through the pages, on SQLite and PostgreSQL: submitting an attempt, the
queue, the review form (a change needs a comment), and the outcome the practitioner sees."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from bs4 import BeautifulSoup, Tag
from fastapi import FastAPI

from app.domain.accounts import Principal, Role
from app.domain.scorecard import ScoreCard
from app.services import audit, review_screen, reviews
from app.store.db import transaction
from app.store.models import User
from app.web.htmx import TEMPLATES
from tests.web.accounts import add_user, signed_in
from tests.web.helpers import soup, start

LINES = (
    "What matters most to you about this decision?",
    "So the side effects are what worry you most.",
    "Shall we go through the options together?",
)
Fields = dict[str, str | list[str]]


@dataclass(frozen=True)
class Cast:
    """Priya's ended conversation, submitted to Ash; Ola is another assessor."""

    conversation_id: int
    priya: int
    ash: int
    ola: int


async def hold_ended_conversation(http: httpx.AsyncClient, lines: tuple[str, ...] = LINES) -> int:
    """Start a conversation, say ``lines`` (each answered), and end it."""
    conversation_id = await start(http)
    for line in lines:
        said = await http.post(f"/conversations/{conversation_id}/turns", data={"text": line})
        assert said.status_code == 303, said.text
        await http.get(f"/conversations/{conversation_id}/reply")
    ended = await http.post(f"/conversations/{conversation_id}/end")
    assert ended.status_code == 303
    return conversation_id


@pytest.fixture
async def cast(app: FastAPI) -> Cast:
    priya = add_user(app, "priya", roles=[Role.PRACTITIONER])
    ash = add_user(app, "ash", roles=[Role.ASSESSOR])
    ola = add_user(app, "ola", roles=[Role.ASSESSOR])
    async with signed_in(app, "priya") as http:
        conversation_id = await hold_ended_conversation(http)
        sent = await http.post(
            f"/conversations/{conversation_id}/submit", data={"assessor_id": str(ash)}
        )
    assert sent.status_code == 303
    assert sent.headers["location"] == "/reviews/mine"
    return Cast(conversation_id, priya, ash, ola)


@pytest.fixture
async def ash(app: FastAPI, cast: Cast) -> AsyncIterator[httpx.AsyncClient]:
    async with signed_in(app, "ash") as http:
        yield http


async def machine_card(http: httpx.AsyncClient, conversation_id: int) -> ScoreCard:
    """The score card of the report (its codes and levels are the machine's)."""
    response = await http.get(f"/conversations/{conversation_id}/report.json")
    assert response.status_code == 200
    return ScoreCard.model_validate_json(response.text)


def form_fields(page: BeautifulSoup) -> Fields:
    """The review form's fields as a browser would send them (without the buttons)."""
    form = page.select_one("form.review-form")
    assert form is not None
    fields: Fields = {"csrf_token": str(_one(form, "input[name=csrf_token]")["value"])}
    for box in form.select("input[type=checkbox][checked]"):
        ticked = fields.setdefault(str(box["name"]), [])
        assert isinstance(ticked, list)
        ticked.append(str(box["value"]))
    for area in form.select("textarea"):
        fields[str(area["name"])] = area.get_text()
    for select in form.select("select"):
        chosen = select.select_one("option[selected]")
        fields[str(select["name"])] = str(chosen["value"]) if chosen else ""
    return fields


def _one(page: BeautifulSoup | Tag, selector: str) -> Tag:
    found = page.select_one(selector)
    assert found is not None, selector
    return found


def _practitioner_turns(card: ScoreCard) -> list[int]:
    return [t.index for t in card.turns if t.speaker.value == "practitioner"]


def status_of(app: FastAPI, conversation_id: int) -> list[str]:
    with transaction(app.state.runtime.service.sessions) as session:
        return [s.status for s in reviews.submissions_for(session, conversation_id)]


async def test_review_page_shows_the_machines_codes_levels_and_evidence(
    app: FastAPI, cast: Cast, ash: httpx.AsyncClient
) -> None:
    card = await machine_card(ash, cast.conversation_id)
    page = soup(await ash.get(f"/reviews/{cast.conversation_id}"))
    assert _one(page, "h1").get_text(strip=True).startswith("Review: ")
    for turn in card.turns:
        item = _one(page, f"li#turn-{turn.index}")
        if turn.speaker.value != "practitioner":
            assert item.select("input[type=checkbox]") == []
            continue
        boxes = item.select(f"input[type=checkbox][name=codes-{turn.index}]")
        assert len(boxes) == 30, "one box per code in the code book"
        ticked = sorted(str(b["value"]) for b in boxes if b.has_attr("checked"))
        assert ticked == sorted(turn.codes)
        assert item.select_one(f"label[for=comment-{turn.index}]") is not None
    assert any(t.codes for t in card.turns), "the lines are coded"
    for criterion in card.criteria:
        block = _one(page, f"#criterion-{criterion.id}")
        select = _one(block, f"select#level-{criterion.id}")
        assert _one(select, "option[selected]")["value"] == criterion.level.value
        quotes = [q.get_text() for q in block.select(".evidence q")]
        assert quotes == [q.words for q in criterion.quotes if q.turn in _practitioner_turns(card)]
    assert page.select(".review-criterion .evidence q"), "the lines are quoted as evidence"
    buttons = {b.get_text(strip=True): b["value"] for b in page.select("form.review-form button")}
    assert buttons == {"Sign off": "signed_off", "Return for another attempt": "returned"}
    with transaction(app.state.runtime.service.sessions) as session:
        actions = [
            (e.action, e.actor_id)
            for e in audit.history(session, "conversation", cast.conversation_id)
        ]
    assert ("view", cast.ash) in actions


async def test_override_round_trip(app: FastAPI, cast: Cast, ash: httpx.AsyncClient) -> None:
    """Overrides are stored beside the machine's values, shown to the practitioner with
    their reasons, and counted on the agreement page."""
    card = await machine_card(ash, cast.conversation_id)
    queue = soup(await ash.get("/reviews"))
    row = _one(queue, f"#queue-{cast.conversation_id}")
    assert row.get_text(" ", strip=True).startswith("priya")
    assert "Waiting for review" in row.get_text()

    page = soup(await ash.get(f"/reviews/{cast.conversation_id}"))
    fields = form_fields(page)
    turn = next(t for t in card.turns if t.codes)
    dropped = turn.codes[0]
    fields[f"codes-{turn.index}"] = [c for c in turn.codes if c != dropped] + ["affirmation"]
    fields[f"comment-{turn.index}"] = "Not really that; it affirmed her."
    criterion = card.criteria[0]
    new_level = "exemplary" if criterion.level.value != "exemplary" else "not_yet"
    fields[f"level-{criterion.id}"] = new_level
    fields[f"why-{criterion.id}"] = "Better than the machine thought."
    fields["summary"] = "A careful, open conversation."
    fields["outcome"] = "signed_off"
    saved = await ash.post(f"/reviews/{cast.conversation_id}", data=fields)
    assert saved.status_code == 303, saved.text
    assert saved.headers["location"] == "/reviews"
    assert status_of(app, cast.conversation_id) == ["signed_off"]

    with transaction(app.state.runtime.service.sessions) as session:
        review = reviews.latest_review(session, cast.conversation_id)
        assert review is not None
        assert review.outcome == "signed_off"
        rows = {r.turn_index: r for r in reviews.review_turns(session, review)}
        levels = {r.criterion_id: r for r in reviews.review_criteria(session, review)}
        history = [e.action for e in audit.history(session, "conversation", cast.conversation_id)]
        status = review_screen.review_status(
            session,
            cast.conversation_id,
            Principal(id=cast.priya, roles=frozenset({Role.PRACTITIONER})),
        )
    assert sorted(rows) == _practitioner_turns(card)
    assert rows[turn.index].machine_codes == sorted(turn.codes)
    assert rows[turn.index].human_codes == sorted({*turn.codes, "affirmation"} - {dropped})
    assert rows[turn.index].comment == "Not really that; it affirmed her."
    assert all(r.machine_codes == r.human_codes for i, r in rows.items() if i != turn.index)
    assert (levels[criterion.id].machine_level, levels[criterion.id].human_level) == (
        criterion.level.value,
        new_level,
    )
    assert {c.id for c in card.criteria} == set(levels)
    assert history.count("review") == 1

    done = soup(await ash.get("/reviews"))
    assert "Signed off" in _one(done, f"#queue-{cast.conversation_id}").get_text()

    partial = BeautifulSoup(
        TEMPLATES.get_template("reviews/_status.html").render(review_status=status),
        "html.parser",
    )
    assert "Signed off by ash" in _one(partial, ".review-result h3").get_text()
    assert _one(partial, ".review-summary").get_text() == "A careful, open conversation."
    code_row = _one(partial, "#code-changes tbody tr.changed")
    assert "Added: an affirmation" in code_row.get_text()
    assert "Not really that; it affirmed her." in code_row.get_text()
    level_row = _one(partial, "#level-changes tbody tr.changed")
    assert "Better than the machine thought." in level_row.get_text()

    agreement = soup(await ash.get("/agreement"))
    affirmation = _one(agreement, "#agreement-codes tr[data-name=affirmation]")
    assert _one(affirmation, ".overridden").get_text() == "1"
    level = _one(agreement, f"#agreement-criteria tr[data-name={criterion.id}]")
    assert (_one(level, ".n").get_text(), _one(level, ".overridden").get_text()) == ("1", "1")

    async with signed_in(app, "priya") as priya:
        mine = soup(await priya.get("/reviews/mine"))
    cells = [c.get_text(strip=True) for c in _one(mine, "#my-reviews tbody tr").select("td")]
    assert cells[0] == "ash"
    assert cells[2:] == ["Signed off", "A careful, open conversation."]


async def test_a_change_without_a_comment_is_refused_and_the_form_kept(
    app: FastAPI, cast: Cast, ash: httpx.AsyncClient
) -> None:
    card = await machine_card(ash, cast.conversation_id)
    page = soup(await ash.get(f"/reviews/{cast.conversation_id}"))
    fields = form_fields(page)
    turn = next(t for t in card.turns if t.codes)
    fields[f"codes-{turn.index}"] = []
    criterion = card.criteria[-1]
    other = "not_yet" if criterion.level.value != "not_yet" else "emerging"
    fields[f"level-{criterion.id}"] = other
    fields["summary"] = "Kept as typed."
    fields["outcome"] = "signed_off"
    refused = await ash.post(f"/reviews/{cast.conversation_id}", data=fields)
    assert refused.status_code == 422
    again = soup(refused)
    alert = _one(again, ".error-summary[role=alert]")
    assert "2 answers need attention" in _one(alert, "#review-error").get_text()
    links = [str(a["href"]) for a in alert.select("a")]
    assert links == [f"#comment-{turn.index}", f"#why-{criterion.id}"]
    turn_error = _one(again, f"#turn-{turn.index}-error").get_text()
    assert turn_error == "You changed the machine's codes for this turn: say why in the comment."
    level_error = _one(again, f"#criterion-{criterion.id}-error").get_text()
    assert level_error == "You changed the machine's level: say why in the comment."
    kept = form_fields(again)
    assert f"codes-{turn.index}" not in kept, "the unticked boxes stay unticked"
    assert kept[f"level-{criterion.id}"] == other
    assert kept["summary"] == "Kept as typed."
    assert status_of(app, cast.conversation_id) == ["submitted"]


async def test_return_needs_a_summary_and_sets_the_status(
    app: FastAPI, cast: Cast, ash: httpx.AsyncClient
) -> None:
    fields = form_fields(soup(await ash.get(f"/reviews/{cast.conversation_id}")))
    fields["outcome"] = "returned"
    refused = await ash.post(f"/reviews/{cast.conversation_id}", data=fields)
    assert refused.status_code == 422
    assert _one(soup(refused), "#summary-error").get_text().startswith("Returning an attempt")
    fields["summary"] = "Check what she already knows before giving information."
    returned = await ash.post(f"/reviews/{cast.conversation_id}", data=fields)
    assert returned.status_code == 303
    assert status_of(app, cast.conversation_id) == ["returned"]
    again = await ash.post(f"/reviews/{cast.conversation_id}", data=fields)
    assert again.status_code == 422, "a reviewed attempt is no longer waiting"
    assert "not waiting for review" in _one(soup(again), "#review-error").get_text()
    reviewed = soup(await ash.get(f"/reviews/{cast.conversation_id}"))
    assert reviewed.select_one("form.review-form") is None
    assert "Returned for another attempt" in _one(reviewed, ".review-result h3").get_text()


async def test_sign_off_without_changes_stores_the_machine_values(
    app: FastAPI, cast: Cast, ash: httpx.AsyncClient
) -> None:
    fields = form_fields(soup(await ash.get(f"/reviews/{cast.conversation_id}")))
    fields["outcome"] = "signed_off"
    assert (await ash.post(f"/reviews/{cast.conversation_id}", data=fields)).status_code == 303
    with transaction(app.state.runtime.service.sessions) as session:
        review = reviews.latest_review(session, cast.conversation_id)
        assert review is not None
        assert all(r.machine_codes == r.human_codes for r in reviews.review_turns(session, review))
        report = reviews.agreement_report(session)
    assert all(row.overridden == 0 for row in [*report.codes, *report.criteria])
    assert status_of(app, cast.conversation_id) == ["signed_off"]


async def test_an_assessor_opens_only_what_was_submitted_to_them(app: FastAPI, cast: Cast) -> None:
    async with signed_in(app, "ola") as ola:
        page = await ola.get(f"/reviews/{cast.conversation_id}")
        assert page.status_code == 403
        assert "not submitted to you" in page.text
        post = await ola.post(f"/reviews/{cast.conversation_id}", data={"outcome": "signed_off"})
        assert post.status_code == 403
        assert (await ola.get("/reviews/99999")).status_code == 404
        queue = soup(await ola.get("/reviews"))
        assert queue.select("#review-queue") == []
    assert status_of(app, cast.conversation_id) == ["submitted"]


async def test_a_practitioner_cannot_open_the_queue_or_a_review(app: FastAPI, cast: Cast) -> None:
    async with signed_in(app, "priya") as priya:
        assert (await priya.get("/reviews")).status_code == 403
        assert (await priya.get(f"/reviews/{cast.conversation_id}")).status_code == 403
        assert (await priya.get("/agreement")).status_code == 403
        assert (await priya.get("/agreement.csv")).status_code == 403


async def test_submit_offers_assessors_other_than_oneself(app: FastAPI) -> None:
    ash = add_user(app, "ash", roles=[Role.ASSESSOR])
    bo = add_user(app, "bo", roles=[Role.PRACTITIONER, Role.ASSESSOR])
    add_user(app, "tess", roles=[Role.TRAINER])
    async with signed_in(app, "bo") as http:
        conversation_id = await hold_ended_conversation(http, LINES[:1])
        page = soup(await http.get(f"/conversations/{conversation_id}/submit"))
        offered = {o.get_text(strip=True) for o in page.select("select#assessor option")}
        assert offered == {"Choose an assessor", "ash"}
        assert page.select_one("label[for=assessor]") is not None
        own = await http.post(
            f"/conversations/{conversation_id}/submit", data={"assessor_id": str(bo)}
        )
        assert own.status_code == 422
        assert _one(soup(own), "#submit-error").get_text() == "Choose an assessor from the list."
        sent = await http.post(
            f"/conversations/{conversation_id}/submit", data={"assessor_id": str(ash)}
        )
        assert sent.status_code == 303
        mine = soup(await http.get("/reviews/mine"))
    row = _one(mine, "#my-reviews tbody tr")
    cells = [c.get_text(strip=True) for c in row.select("td")]
    assert (cells[0], cells[2]) == ("ash", "Waiting for review")
    assert _one(row, "a")["href"] == f"/conversations/{conversation_id}/report#review-status"
    with transaction(app.state.runtime.service.sessions) as session:
        actions = [e.action for e in audit.by_actor(session, session.get_one(User, bo))]
    assert "submit" in actions


async def test_submitting_needs_consent_to_share(app: FastAPI) -> None:
    ash = add_user(app, "ash", roles=[Role.ASSESSOR])
    add_user(app, "sam", roles=[Role.PRACTITIONER], shares=False)
    async with signed_in(app, "sam") as http:
        conversation_id = await hold_ended_conversation(http, LINES[:1])
        page = soup(await http.get(f"/conversations/{conversation_id}/submit"))
        assert _one(page, "#consent-needed a")["href"] == "/account/data#sharing"
        assert page.select_one("form select#assessor") is None
        refused = await http.post(
            f"/conversations/{conversation_id}/submit", data={"assessor_id": str(ash)}
        )
    assert refused.status_code == 422
    assert "not agreed to share" in _one(soup(refused), "#submit-error").get_text()
    assert status_of(app, conversation_id) == []


async def test_only_an_ended_conversation_of_ones_own_is_submitted(
    app: FastAPI, cast: Cast
) -> None:
    async with signed_in(app, "priya") as priya:
        active = await start(priya)
        page = soup(await priya.get(f"/conversations/{active}/submit"))
        assert "End the conversation" in _one(page, ".notice").get_text()
        refused = await priya.post(
            f"/conversations/{active}/submit", data={"assessor_id": str(cast.ash)}
        )
        assert refused.status_code == 422
    async with signed_in(app, "ola") as ola:
        stranger = await ola.post(
            f"/conversations/{cast.conversation_id}/submit", data={"assessor_id": str(cast.ash)}
        )
    assert stranger.status_code == 404
    assert status_of(app, active) == []


async def test_single_user_mode_lists_no_submissions(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    page = soup(await client.get("/reviews/mine"))
    assert _one(page, "h1").get_text() == "My reviews"
    assert page.select("#my-reviews") == []


def status_partial(app: FastAPI, conversation_id: int, viewer: Principal) -> BeautifulSoup:
    """The report's review section, as the report page includes it."""
    with transaction(app.state.runtime.service.sessions) as session:
        status = review_screen.review_status(session, conversation_id, viewer)
    html = TEMPLATES.get_template("reviews/_status.html").render(review_status=status)
    return BeautifulSoup(html, "html.parser")


async def test_the_status_section_offers_submitting_until_one_is_waiting(app: FastAPI) -> None:
    add_user(app, "ash", roles=[Role.ASSESSOR])
    priya = add_user(app, "priya", roles=[Role.PRACTITIONER])
    owner = Principal(id=priya, roles=frozenset({Role.PRACTITIONER}))
    async with signed_in(app, "priya") as http:
        conversation_id = await hold_ended_conversation(http, LINES[:1])
        before = status_partial(app, conversation_id, owner)
        link = f"/conversations/{conversation_id}/submit"
        assert _one(before, "#review-status a")["href"] == link
        assert "Not submitted for review." in before.get_text()
        form = soup(await http.get(link))
        ash = _one(form, "select#assessor option:-soup-contains('ash')")["value"]
        await http.post(link, data={"assessor_id": str(ash)})
    after = status_partial(app, conversation_id, owner)
    assert after.select(f"a[href='{link}']") == []
    assert "Submitted to ash" in _one(after, ".review-submissions li").get_text(" ", strip=True)
    assert "Waiting for review" in _one(after, ".review-submissions li").get_text()
    assert after.select(".review-result") == []
