"""Authoring use cases: checks by line, versions, restore, and the library the app offers."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from app.config import Settings
from app.content.errors import ContentError
from app.services import audit, authoring
from app.services.authoring import DiffKind, DiffRow, Origin
from app.services.rehearsal import NotFound
from app.services.runtime import Runtime, build_runtime
from app.store import repositories as repo
from app.store.db import transaction
from app.store.models import Conversation, ScenarioVersion, User
from tests.authoring.conftest import SLUG
from tests.content.test_scenarios import edited

EDITED = edited(replace={2: "title: A sample, revised", 12: "opening_line: Good morning."})


def messages(caught: pytest.ExceptionInfo[ContentError]) -> list[tuple[int, str]]:
    return [(issue.line, issue.message) for issue in caught.value.issues]


def author(runtime: Runtime) -> User:
    with transaction(runtime.service.sessions) as session:
        return repo.default_user(session)


def save(runtime: Runtime, text: str, *, editing: str | None = SLUG, note: str = "") -> int:
    """Save as the local practitioner and offer the result, as the edit page does."""
    with transaction(runtime.service.sessions) as session:
        user = repo.default_user(session)
        version = authoring.save(
            session, runtime.library, text=text, editing=editing, author=user, note=note
        )
    with transaction(runtime.service.sessions) as session:
        authoring.published_overlay(session, runtime.library)
    return version.id


def stored_versions(runtime: Runtime) -> int:
    with transaction(runtime.service.sessions) as session:
        return session.scalar(select(func.count(ScenarioVersion.id))) or 0


# --- checking: the file checks, with the app's id rule --------------------------------------


def test_a_mistake_is_reported_at_its_line_with_the_file_message() -> None:
    with pytest.raises(ContentError) as caught:
        authoring.check(edited(replace={9: "  age: old"}), editing=SLUG)
    assert messages(caught) == [
        (9, "person.age: Input should be a valid integer, unable to parse string as an integer")
    ]


def test_lines_are_counted_the_same_in_text_sent_with_crlf() -> None:
    text = edited(replace={9: "  age: old"}).replace("\n", "\r\n")
    with pytest.raises(ContentError) as caught:
        authoring.check(text, editing=SLUG)
    assert [line for line, _ in messages(caught)] == [9]


def test_an_edit_cannot_change_the_scenario_id() -> None:
    with pytest.raises(ContentError) as caught:
        authoring.check(edited(), editing="other")
    assert messages(caught) == [
        (
            1,
            "id: 'sample' must stay 'other', the scenario being edited "
            "(to make another scenario, use New scenario)",
        )
    ]


def test_a_new_scenario_may_not_take_an_id_in_use() -> None:
    with pytest.raises(ContentError) as caught:
        authoring.check(edited(), editing=None, taken={"sample"})
    assert messages(caught) == [
        (1, "id: 'sample' is already a scenario; choose another id, or edit 'sample' instead")
    ]
    assert authoring.check(edited(), editing=None, taken={"other"}).id == "sample"


def test_an_upload_that_is_not_utf8_is_an_issue_at_its_line() -> None:
    raw = edited(replace={2: "title: Caf\xe9"}).encode("latin-1")
    with pytest.raises(ContentError) as caught:
        authoring.uploaded_text(io.BytesIO(raw), "sample.yaml")
    assert messages(caught) == [(2, "not UTF-8 text (byte 0xe9); save the file as UTF-8")]


def test_a_text_too_long_to_be_a_scenario_is_refused_unparsed() -> None:
    padding = "# " + "x" * authoring.MAX_SCENARIO_BYTES + "\n"
    expected = [(1, "a scenario may be at most 200 kB long; this one is longer")]
    with pytest.raises(ContentError) as caught:
        authoring.uploaded_text(io.BytesIO((edited() + padding).encode()), "sample.yaml")
    assert messages(caught) == expected
    with pytest.raises(ContentError) as caught:
        authoring.check(edited() + padding, editing=SLUG)
    assert messages(caught) == expected


# --- versions and conversations -------------------------------------------------------------


def test_an_edit_leaves_past_conversations_on_their_version(runtime: Runtime) -> None:
    service = runtime.service
    before = service.start(SLUG)

    save(runtime, EDITED, note="Warmer opening")
    after = service.start(SLUG)

    assert service.scenario_of(before).opening_line == "Hello."
    assert service.view(before).turns[0].text == "Hello."
    assert service.scenario_of(after).opening_line == "Good morning."
    assert service.view(after).turns[0].text == "Good morning."
    assert service.view(after).scenario_title == "A sample, revised"
    assert runtime.library.sources[SLUG] == EDITED


def test_history_starts_from_the_file_and_counts_conversations(runtime: Runtime) -> None:
    runtime.service.start(SLUG)
    save(runtime, EDITED, note="Warmer opening")
    runtime.service.start(SLUG)
    runtime.service.start(SLUG)

    with transaction(runtime.service.sessions) as session:
        history = authoring.versions(session, runtime.library, SLUG)

    newest, first = history
    assert (newest.number, newest.origin, newest.note, newest.author) == (
        2,
        Origin.APP,
        "Warmer opening",
        "Practitioner",
    )
    assert (newest.conversations, newest.live, newest.published_at is not None) == (2, True, True)
    assert (first.number, first.origin, first.author, first.conversations, first.live) == (
        1,
        Origin.FILE,
        None,
        1,
        False,
    )


def test_a_conversation_started_from_an_app_version_links_to_that_row(
    runtime: Runtime,
) -> None:
    saved = save(runtime, EDITED)
    conversation_id = runtime.service.start(SLUG)
    with transaction(runtime.service.sessions) as session:
        conversation = repo.get_conversation(session, conversation_id)
        assert conversation is not None
        assert conversation.scenario_version_id == saved
        assert conversation.scenario_version.origin == "app"
    assert stored_versions(runtime) == 2  # the file's text and the saved one, nothing more


def test_saving_records_who_changed_what(runtime: Runtime) -> None:
    saved = save(runtime, EDITED, note="Warmer opening")
    with transaction(runtime.service.sessions) as session:
        [entry] = audit.history(session, "scenario", SLUG)
        assert (entry.action, entry.actor_id) == ("update", repo.default_user(session).id)
        assert entry.detail == {"version_id": saved, "note": "Warmer opening"}


def test_invalid_text_saves_nothing(runtime: Runtime) -> None:
    with pytest.raises(ContentError) as caught:
        save(runtime, edited(replace={9: "  age: old"}))
    assert [line for line, _ in messages(caught)] == [9]
    assert stored_versions(runtime) == 0
    assert runtime.library.sources[SLUG] == edited()


def test_editing_an_unknown_scenario_is_not_found(runtime: Runtime) -> None:
    with pytest.raises(NotFound):
        save(runtime, edited(replace={1: "id: ghost"}), editing="ghost")


def test_a_new_scenario_is_offered_at_once_and_its_id_is_then_taken(runtime: Runtime) -> None:
    text = edited(replace={1: "id: second", 2: "title: A second one"})
    save(runtime, text, editing=None)

    assert runtime.library.get("second") is not None
    assert runtime.service.view(runtime.service.start("second")).scenario_title == "A second one"
    with pytest.raises(ContentError) as caught:
        save(runtime, text, editing=None)
    assert messages(caught)[0][0] == 1
    with transaction(runtime.service.sessions) as session:
        [entry] = audit.history(session, "scenario", "second")
        assert entry.action == "create"


def test_restoring_republishes_the_old_row(runtime: Runtime) -> None:
    first = runtime.service.start(SLUG)
    save(runtime, EDITED)
    with transaction(runtime.service.sessions) as session:
        file_version = authoring.versions(session, runtime.library, SLUG)[-1]
        authoring.restore(session, slug=SLUG, version_id=file_version.id, actor=author(runtime))
        authoring.published_overlay(session, runtime.library)

    again = runtime.service.start(SLUG)

    assert runtime.library.sources[SLUG] == edited()
    assert runtime.service.scenario_of(again).opening_line == "Hello."
    with transaction(runtime.service.sessions) as session:
        history = authoring.versions(session, runtime.library, SLUG)
        held_on = {
            session.get_one(Conversation, held).scenario_version_id for held in (first, again)
        }
    assert held_on == {file_version.id}
    assert [(v.number, v.live, v.conversations) for v in history] == [(2, False, 0), (1, True, 2)]


def test_saving_a_text_stored_before_republishes_it_without_a_new_row(runtime: Runtime) -> None:
    first = save(runtime, EDITED)
    save(runtime, edited(replace={12: "opening_line: Hi."}))
    assert save(runtime, EDITED) == first
    assert stored_versions(runtime) == 3
    assert runtime.library.sources[SLUG] == EDITED


def test_restoring_a_version_of_another_scenario_is_not_found(runtime: Runtime) -> None:
    saved = save(runtime, edited(replace={1: "id: second"}), editing=None)
    with transaction(runtime.service.sessions) as session, pytest.raises(NotFound):
        authoring.restore(session, slug=SLUG, version_id=saved, actor=author(runtime))


# --- the library at start-up ---------------------------------------------------------------


def test_a_restarted_app_offers_the_published_version(runtime: Runtime, settings: Settings) -> None:
    save(runtime, EDITED)
    restarted = build_runtime(settings)
    try:
        assert restarted.library.sources[SLUG] == EDITED
        assert restarted.library.scenarios[SLUG].title == "A sample, revised"
    finally:
        restarted.close()


def test_a_published_version_that_fails_the_checks_is_reported_and_the_file_kept(
    runtime: Runtime,
) -> None:
    broken = edited(replace={9: "  age: old"})
    with transaction(runtime.service.sessions) as session:
        row = repo.scenario_version(session, slug=SLUG, title="Broken", source=broken)
        row.published_at = row.created_at
        authoring.published_overlay(session, runtime.library)
        authoring.published_overlay(session, runtime.library)

    assert runtime.library.sources[SLUG] == edited()
    assert [str(issue) for issue in runtime.library.issues] == [
        "sample (version saved in the app):9: person.age: Input should be a valid integer, "
        "unable to parse string as an integer"
    ]


# --- the list of scenarios -----------------------------------------------------------------


def test_the_list_shows_origin_versions_and_the_last_change(runtime: Runtime) -> None:
    with transaction(runtime.service.sessions) as session:
        [untouched] = authoring.scenarios(session, runtime.library)
    assert (untouched.origin, untouched.versions, untouched.changed_by) == (Origin.FILE, 0, None)

    save(runtime, EDITED)
    save(runtime, edited(replace={1: "id: second"}), editing=None)
    with transaction(runtime.service.sessions) as session:
        entries = authoring.scenarios(session, runtime.library)

    assert [(e.slug, e.title, e.origin, e.versions, e.changed_by) for e in entries] == [
        ("sample", "A sample, revised", Origin.APP, 2, "Practitioner"),
        ("second", "A sample", Origin.APP, 1, "Practitioner"),
    ]
    assert all(entry.offered and entry.changed_at is not None for entry in entries)


def test_the_edit_starts_from_the_text_offered_now(runtime: Runtime) -> None:
    with transaction(runtime.service.sessions) as session:
        assert authoring.current_source(session, runtime.library, SLUG) == edited()
        with pytest.raises(NotFound):
            authoring.current_source(session, runtime.library, "ghost")


# --- diffs --------------------------------------------------------------------------------


def test_changes_name_the_line_in_each_version() -> None:
    old = "a\nb\nc\n"
    new = "a\nB\nc\nd\n"
    assert authoring.changes(old, new) == [
        DiffRow(kind=DiffKind.SAME, old_line=1, new_line=1, text="a"),
        DiffRow(kind=DiffKind.REMOVED, old_line=2, text="b"),
        DiffRow(kind=DiffKind.ADDED, new_line=2, text="B"),
        DiffRow(kind=DiffKind.SAME, old_line=3, new_line=3, text="c"),
        DiffRow(kind=DiffKind.ADDED, new_line=4, text="d"),
    ]


def test_distant_changes_are_separated_by_a_gap() -> None:
    old = "\n".join(str(n) for n in range(1, 21))
    new = old.replace("2\n", "two\n", 1).replace("19", "nineteen")
    rows = authoring.changes(old, new)
    assert [row.kind for row in rows].count(DiffKind.GAP) == 1
    assert {row.new_line for row in rows if row.kind is DiffKind.ADDED} == {2, 19}
    assert authoring.changes(old, old) == []
