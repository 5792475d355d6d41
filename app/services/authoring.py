"""Scenario authoring in the app: check a text by line, save it as a version, restore one.

- A scenario written in the app is checked exactly like a file in scenarios/ (the same
  messages at the same lines); only the rule for its ``id`` differs: an edit keeps its
  scenario's id, and a new scenario may not take an id that is already used.
- Every saved text is a row of ``scenario_versions``; a conversation points at the row it
  was held with, so no later edit or restore changes a past conversation.
- The newest published version of a slug (``published_at``) is what the app offers, over
  the file in scenarios/. Restoring an old version publishes its row again (a text is
  stored once per slug), so conversations held on it before and after share one version.
- The running app's ``ScenarioLibrary`` is updated in place by ``published_overlay``, at
  start-up and after every save or restore, so the next conversation uses the new text.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Collection, Iterable
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO

from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.content.errors import ContentError, ContentIssue
from app.content.scenarios import IdRule, ScenarioLibrary, scenario_from_text
from app.content.yaml_source import decode_text
from app.domain.scenario import Scenario
from app.services import audit
from app.services.rehearsal import NotFound
from app.store import repositories as repo
from app.store.models import Conversation, ScenarioVersion, User, utcnow
from app.store.training import AuditEntry

AUDIT_TARGET = "scenario"
DIFF_CONTEXT_LINES = 3
# The longest shipped scenario is about 16 kB; this leaves room and bounds what one request
# can make the server parse.
MAX_SCENARIO_BYTES = 200_000


class Origin(StrEnum):
    """Where a version's text came from."""

    FILE = "file"  # a file in scenarios/, stored when first used or before its first change
    APP = "app"  # written or uploaded in the app by a trainer


class Shape(BaseModel):
    """A read-only value handed to the pages."""

    model_config = ConfigDict(frozen=True)


class VersionInfo(Shape):
    """One stored version of a scenario, as the history lists it."""

    id: int
    number: int  # 1 is the oldest stored version of the slug
    slug: str
    title: str
    origin: Origin
    author: str | None  # display name; None for a file
    note: str
    created_at: datetime
    published_at: datetime | None
    conversations: int
    live: bool  # the version the app offers now


class ScenarioEntry(Shape):
    """One scenario on the authoring page."""

    slug: str
    title: str
    origin: Origin  # of the version offered now
    offered: bool  # False: the newest published version no longer passes the checks
    versions: int  # stored versions (a file nobody has used or changed has none yet)
    changed_at: datetime | None  # the last save or restore in the app
    changed_by: str | None


class DiffKind(StrEnum):
    """How a line of one version relates to the previous version."""

    SAME = "same"
    ADDED = "added"
    REMOVED = "removed"
    GAP = "gap"  # unchanged lines left out between two changes


class DiffRow(Shape):
    """One line of a diff, with its line number in either version."""

    kind: DiffKind
    old_line: int | None = None
    new_line: int | None = None
    text: str = ""


class VersionDetail(Shape):
    """A version's text and what changed since the version before it."""

    version: VersionInfo
    source: str
    previous: VersionInfo | None
    changes: list[DiffRow]


# --- checking ----------------------------------------------------------------------------


def as_typed(text: str) -> str:
    """Browsers send a textarea's lines with CRLF; a scenario is stored with LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def uploaded_text(stream: BinaryIO, filename: str) -> str:
    """An uploaded file's text; not UTF-8, or too long, is a ContentError as for a file."""
    path = Path(filename or "upload.yaml")
    raw = stream.read(MAX_SCENARIO_BYTES + 1)
    if len(raw) > MAX_SCENARIO_BYTES:
        raise ContentError([_too_long(path)])
    return as_typed(decode_text(raw, path))


def _too_long(path: Path) -> ContentIssue:
    limit = MAX_SCENARIO_BYTES // 1000
    return ContentIssue(path, 1, f"a scenario may be at most {limit} kB long; this one is longer")


def check(text: str, *, editing: str | None, taken: Collection[str] = ()) -> Scenario:
    """The scenario in ``text``, or ContentError with every mistake at its line.

    ``editing`` is the slug being edited (None for a new scenario, whose id must not be one
    of ``taken``).
    """
    rule = _keeps_id(editing) if editing is not None else _new_id(taken)
    name = Path(f"{editing or 'new'}.yaml")
    if len(text.encode("utf-8")) > MAX_SCENARIO_BYTES:
        raise ContentError([_too_long(name)])
    return scenario_from_text(as_typed(text), path=name, id_rule=rule)


def _keeps_id(slug: str) -> IdRule:
    """An edit is a new version of one scenario, so its id cannot change."""

    def rule(found: str) -> str | None:
        if found == slug:
            return None
        return (
            f"'{found}' must stay '{slug}', the scenario being edited "
            "(to make another scenario, use New scenario)"
        )

    return rule


def _new_id(taken: Collection[str]) -> IdRule:
    """A new scenario's id is its address and its history, so it must be unused."""

    def rule(found: str) -> str | None:
        if found not in taken:
            return None
        return f"'{found}' is already a scenario; choose another id, or edit '{found}' instead"

    return rule


def checked_draft(
    session: Session, library: ScenarioLibrary, *, text: str, editing: str | None
) -> Scenario:
    """``check`` for a draft on the edit page: a new scenario's id must be unused."""
    taken = () if editing is not None else known_slugs(session, library)
    return check(text, editing=editing, taken=taken)


def known_slugs(session: Session, library: ScenarioLibrary) -> set[str]:
    """Every id in use: offered now, or with stored versions (conversations may use them)."""
    stored = session.scalars(select(ScenarioVersion.slug).distinct())
    return set(library.scenarios) | set(stored)


# --- saving and restoring ------------------------------------------------------------------


def save(
    session: Session,
    library: ScenarioLibrary,
    *,
    text: str,
    editing: str | None,
    author: User,
    note: str = "",
) -> VersionInfo:
    """Check ``text`` and publish it as the scenario's newest version; ContentError (and
    nothing stored) when it has mistakes.

    Before the first change of a file's scenario, the file's text is stored too, so the
    history starts from it and the file can be restored.
    """
    text = as_typed(text)
    if editing is not None:
        current_source(session, library, editing)  # NotFound for an unknown slug
    scenario = checked_draft(session, library, text=text, editing=editing)
    offered = library.sources.get(scenario.id)
    if offered is not None:
        repo.scenario_version(session, slug=scenario.id, title=scenario.title, source=offered)
    version = repo.scenario_version(
        session,
        slug=scenario.id,
        title=scenario.title,
        source=text,
        origin=Origin.APP.value,
        author_id=author.id,
        note=note.strip(),
    )
    version.published_at = utcnow()
    action = "update" if editing is not None else "create"
    detail = {"version_id": version.id, "note": note.strip()}
    audit.record(session, author, action, AUDIT_TARGET, scenario.id, detail=detail)
    return _info_of(session, version, live_source=text)


def restore(session: Session, *, slug: str, version_id: int, actor: User) -> VersionInfo:
    """Offer an earlier version again; ContentError when it no longer passes the checks
    (the scenario format may have changed since it was saved)."""
    version = _version(session, slug, version_id)
    check(version.source, editing=slug)
    version.published_at = utcnow()
    detail = {"version_id": version.id, "restored": True}
    audit.record(session, actor, "update", AUDIT_TARGET, slug, detail=detail)
    return _info_of(session, version, live_source=version.source)


def published_overlay(session: Session, library: ScenarioLibrary) -> None:
    """Offer each slug's newest published version in ``library``, over its file.

    A published version that no longer passes the checks is reported in ``library.issues``
    and the file (if any) stays offered, as a broken file would be reported and skipped.
    """
    for version in _newest_published(session):
        if library.sources.get(version.slug) == version.source:
            continue
        name = Path(f"{version.slug} (version saved in the app)")
        library.issues = [issue for issue in library.issues if issue.path != name]
        try:
            scenario = scenario_from_text(
                version.source, path=name, id_rule=_keeps_id(version.slug)
            )
        except ContentError as exc:
            library.issues.extend(exc.issues)
            continue
        library.sources[version.slug] = version.source
        library.scenarios[version.slug] = scenario


def _newest_published(session: Session) -> list[ScenarioVersion]:
    rows = session.scalars(
        select(ScenarioVersion)
        .where(ScenarioVersion.published_at.is_not(None))
        .order_by(ScenarioVersion.published_at.desc(), ScenarioVersion.id.desc())
    )
    newest: dict[str, ScenarioVersion] = {}
    for row in rows:
        newest.setdefault(row.slug, row)
    return list(newest.values())


# --- reading -------------------------------------------------------------------------------


def current_source(session: Session, library: ScenarioLibrary, slug: str) -> str:
    """The text to start an edit from: what the app offers now, else the newest stored
    version (one that no longer passes the checks is still there to be fixed)."""
    offered = library.sources.get(slug)
    if offered is not None:
        return offered
    stored = session.scalars(
        select(ScenarioVersion.source)
        .where(ScenarioVersion.slug == slug)
        .order_by(ScenarioVersion.published_at.desc().nulls_last(), ScenarioVersion.id.desc())
    ).first()
    if stored is None:
        raise NotFound(f"There is no scenario '{slug}'.")
    return stored


def scenarios(session: Session, library: ScenarioLibrary) -> list[ScenarioEntry]:
    """Every scenario offered, then any whose saved version no longer passes the checks."""
    stored = session.execute(
        select(ScenarioVersion.slug, ScenarioVersion.content_hash, ScenarioVersion.origin)
    )
    origins = {(slug, digest): Origin(origin) for slug, digest, origin in stored}
    counts = Counter(slug for slug, _ in origins)
    changes = _last_changes(session)

    def entry(slug: str, title: str, origin: Origin, offered: bool) -> ScenarioEntry:
        changed_at, changed_by = changes.get(slug, (None, None))
        return ScenarioEntry(
            slug=slug,
            title=title,
            origin=origin,
            offered=offered,
            versions=counts[slug],
            changed_at=changed_at,
            changed_by=changed_by,
        )

    entries = [
        entry(slug, scenario.title, _origin_of(origins, slug, library.sources[slug]), True)
        for slug, scenario in library.scenarios.items()
    ]
    entries += [
        entry(row.slug, row.title, Origin(row.origin), False)
        for row in _newest_published(session)
        if row.slug not in library.scenarios
    ]
    return entries


def _origin_of(origins: dict[tuple[str, str], Origin], slug: str, source: str) -> Origin:
    """A text offered but not stored is a file nobody has used or changed yet."""
    return origins.get((slug, repo.content_hash(source)), Origin.FILE)


def _last_changes(session: Session) -> dict[str, tuple[datetime, str | None]]:
    """Per slug, when the last save or restore was and who made it (from the audit log,
    which also names whoever restored a version written by someone else)."""
    latest = (
        select(func.max(AuditEntry.id))
        .where(
            AuditEntry.target_type == AUDIT_TARGET,
            AuditEntry.action.in_(("create", "update")),
        )
        .group_by(AuditEntry.target_id)
    )
    rows = session.execute(
        select(AuditEntry.target_id, AuditEntry.at, User.display_name)
        .outerjoin(User, User.id == AuditEntry.actor_id)
        .where(AuditEntry.id.in_(latest))
    )
    return {slug: (at, who) for slug, at, who in rows}


def versions(session: Session, library: ScenarioLibrary, slug: str) -> list[VersionInfo]:
    """A slug's stored versions, newest first, each with the conversations held on it."""
    rows = _versions_oldest_first(session, slug)
    live = library.sources.get(slug)
    return [
        _info(row, number, author, count, live_source=live)
        for number, (row, author, count) in reversed(list(enumerate(rows, start=1)))
    ]


def version_detail(
    session: Session, library: ScenarioLibrary, slug: str, version_id: int
) -> VersionDetail:
    """One version's text and its changes from the version stored before it."""
    history = list(reversed(versions(session, library, slug)))
    position = next((i for i, info in enumerate(history) if info.id == version_id), None)
    if position is None:
        raise NotFound(f"Scenario '{slug}' has no version {version_id}.")
    version = _version(session, slug, version_id)
    previous = history[position - 1] if position > 0 else None
    before = _version(session, slug, previous.id).source if previous is not None else ""
    return VersionDetail(
        version=history[position],
        source=version.source,
        previous=previous,
        changes=changes(before, version.source),
    )


def changes(old: str, new: str) -> list[DiffRow]:
    """The lines that differ between two texts, with a few unchanged lines around each
    change and a gap row where unchanged lines between two changes are left out."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    if old_lines == new_lines:
        return []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    rows: list[DiffRow] = []
    for index, group in enumerate(matcher.get_grouped_opcodes(DIFF_CONTEXT_LINES)):
        if index:
            rows.append(DiffRow(kind=DiffKind.GAP))
        for tag, old_start, old_end, new_start, new_end in group:
            rows += _diff_rows(tag, old_lines, old_start, old_end, new_lines, new_start, new_end)
    return rows


def _diff_rows(
    tag: str,
    old_lines: list[str],
    old_start: int,
    old_end: int,
    new_lines: list[str],
    new_start: int,
    new_end: int,
) -> Iterable[DiffRow]:
    if tag == "equal":
        for offset in range(old_end - old_start):
            yield DiffRow(
                kind=DiffKind.SAME,
                old_line=old_start + offset + 1,
                new_line=new_start + offset + 1,
                text=old_lines[old_start + offset],
            )
        return
    for number in range(old_start, old_end):
        yield DiffRow(kind=DiffKind.REMOVED, old_line=number + 1, text=old_lines[number])
    for number in range(new_start, new_end):
        yield DiffRow(kind=DiffKind.ADDED, new_line=number + 1, text=new_lines[number])


def _versions_oldest_first(
    session: Session, slug: str
) -> list[tuple[ScenarioVersion, str | None, int]]:
    held = (
        select(func.count(Conversation.id))
        .where(Conversation.scenario_version_id == ScenarioVersion.id)
        .scalar_subquery()
    )
    return list(
        session.execute(
            select(ScenarioVersion, User.display_name, held)
            .outerjoin(User, User.id == ScenarioVersion.author_id)
            .where(ScenarioVersion.slug == slug)
            .order_by(ScenarioVersion.id)
        )
    )


def _version(session: Session, slug: str, version_id: int) -> ScenarioVersion:
    version = session.get(ScenarioVersion, version_id)
    if version is None or version.slug != slug:
        raise NotFound(f"Scenario '{slug}' has no version {version_id}.")
    return version


def _info_of(session: Session, version: ScenarioVersion, *, live_source: str) -> VersionInfo:
    rows = _versions_oldest_first(session, version.slug)
    number, (row, author, count) = next(
        (number, entry) for number, entry in enumerate(rows, start=1) if entry[0].id == version.id
    )
    return _info(row, number, author, count, live_source=live_source)


def _info(
    row: ScenarioVersion, number: int, author: str | None, count: int, *, live_source: str | None
) -> VersionInfo:
    live = live_source is not None and row.content_hash == repo.content_hash(live_source)
    return VersionInfo(
        id=row.id,
        number=number,
        slug=row.slug,
        title=row.title,
        origin=Origin(row.origin),
        author=author,
        note=row.note,
        created_at=row.created_at,
        published_at=row.published_at,
        conversations=count,
        live=live,
    )
