"""Accounts: create users, check and change passwords, import users from CSV.

Passwords are argon2id hashes (``argon2-cffi``). Verification always runs one argon2 check,
even for an unknown or inactive user or one without a password, so the time taken does not
tell whether a username exists; a hash made with older parameters is replaced on the next
successful sign-in. The local practitioner (``repositories.default_user``) has no password
and cannot sign in: it is what the app uses while there is no sign-in.

The ``*_account`` functions are an administrator's changes to other people's accounts: each
writes the audit log, and none lets an administrator lock themselves (and so possibly the
whole team) out.
"""

from __future__ import annotations

import csv
import io
import re
import secrets
from collections.abc import Callable, Iterable, Sequence, Set
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.domain.accounts import Principal, Role
from app.services import audit
from app.store.models import User
from app.store.training import UserRole

MIN_PASSWORD_LENGTH = 10
CSV_COLUMNS = ("username", "email", "roles")
_USERNAME = re.compile(r"^[A-Za-z0-9_.-]{2,80}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

# The hasher used when a caller names none: argon2id with the library's defaults (RFC 9106's
# second recommended option). Looked up at call time, so a test suite can swap in a cheap one.
DEFAULT_HASHER = PasswordHasher()


class AccountError(ValueError):
    """A request about an account that cannot be met; the message says why."""


class CsvImportError(AccountError):
    """Every problem found in a CSV of users, one line each naming ``source:line``."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = tuple(problems)


@dataclass(frozen=True)
class ImportedUser:
    """A user created by a CSV import, with the one-time password to hand over."""

    username: str
    email: str
    roles: tuple[Role, ...]
    initial_password: str


class AccountSummary(BaseModel):
    """One account as the administrators' list shows it."""

    model_config = ConfigDict(frozen=True)

    id: int
    username: str
    display_name: str
    email: str | None
    roles: tuple[Role, ...]
    active: bool
    can_sign_in: bool
    created_at: datetime


def parse_roles(text: str, *, where: str = "") -> tuple[Role, ...]:
    """Roles from ``practitioner;trainer`` (``;``, ``,`` or spaces); unknown names are errors."""
    names = [name.strip().lower() for name in re.split(r"[;,\s]+", text) if name.strip()]
    known = {role.value for role in Role}
    unknown = [name for name in names if name not in known]
    prefix = f"{where}: " if where else ""
    if unknown:
        raise AccountError(
            f"{prefix}unknown role {unknown[0]!r} (expected one of {', '.join(sorted(known))})"
        )
    if not names:
        raise AccountError(f"{prefix}no roles given")
    return tuple(dict.fromkeys(Role(name) for name in names))


def check_password_strength(password: str) -> None:
    """A minimum length, the one rule that measurably helps (NIST SP 800-63B)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"password must be at least {MIN_PASSWORD_LENGTH} characters")


def find_user(session: Session, login: str) -> User | None:
    """The user whose username or email (either, case-insensitive) is ``login``."""
    key = login.strip().lower()
    return session.scalar(
        select(User).where(or_(func.lower(User.username) == key, func.lower(User.email) == key))
    )


def roles_of(session: Session, user_id: int) -> frozenset[Role]:
    """The roles a user holds."""
    rows = session.scalars(select(UserRole.role).where(UserRole.user_id == user_id))
    return frozenset(Role(name) for name in rows)


def principal(session: Session, user: User) -> Principal:
    """The user as the authorisation policy sees them."""
    return Principal(id=user.id, roles=roles_of(session, user.id), active=user.active)


def set_roles(session: Session, user: User, roles: Iterable[Role]) -> None:
    """Replace the user's roles with ``roles``."""
    wanted = set(roles)
    held = roles_of(session, user.id)
    for role in held - wanted:
        row = session.get(UserRole, (user.id, role.value))
        if row is not None:
            session.delete(row)
    for role in wanted - held:
        session.add(UserRole(user_id=user.id, role=role.value))
    session.flush()


def users_with_role(session: Session, role: Role) -> list[User]:
    """Active users holding ``role``, by username."""
    return list(
        session.scalars(
            select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == role.value, User.active.is_(True))
            .order_by(User.username)
        )
    )


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    roles: Iterable[Role],
    email: str | None = None,
    display_name: str | None = None,
    hasher: PasswordHasher | None = None,
) -> User:
    """A new active user; a taken username or email, or a weak password, is an error."""
    hasher = hasher or DEFAULT_HASHER
    username = username.strip()
    if not _USERNAME.match(username):
        raise AccountError(f"username {username!r}: use 2-80 letters, digits, '.', '_' or '-'")
    if email is not None:
        email = email.strip().lower() or None
    if email is not None and not _EMAIL.match(email):
        raise AccountError(f"email {email!r} is not an email address")
    check_password_strength(password)
    for login in filter(None, (username, email)):
        if find_user(session, login) is not None:
            raise AccountError(f"{login!r} is already taken")
    user = User(
        username=username,
        display_name=display_name or username,
        email=email,
        password_hash=hasher.hash(password),
        active=True,
    )
    session.add(user)
    session.flush()
    set_roles(session, user, roles)
    return user


def authenticate(
    session: Session, login: str, password: str, *, hasher: PasswordHasher | None = None
) -> User | None:
    """The active user with this username/email and password, or None.

    One argon2 verification runs whatever happens, so the time does not reveal which part
    was wrong. A hash with outdated parameters is re-made with ``hasher``'s.
    """
    hasher = hasher or DEFAULT_HASHER
    user = find_user(session, login)
    stored = user.password_hash if user is not None else None
    if not _verify(hasher, stored or _dummy_hash(hasher), password) or stored is None:
        return None
    assert user is not None
    if not user.active:
        return None
    if hasher.check_needs_rehash(stored):
        user.password_hash = hasher.hash(password)
        session.flush()
    return user


def change_password(
    session: Session,
    user: User,
    *,
    current: str,
    new: str,
    hasher: PasswordHasher | None = None,
) -> None:
    """Change the user's password after checking the current one."""
    hasher = hasher or DEFAULT_HASHER
    if user.password_hash is None or not _verify(hasher, user.password_hash, current):
        raise AccountError("the current password is not right")
    check_password_strength(new)
    user.password_hash = hasher.hash(new)
    session.flush()


def set_password(
    session: Session, user: User, password: str, *, hasher: PasswordHasher | None = None
) -> None:
    """An admin's reset: no current password asked (the policy decides who may)."""
    hasher = hasher or DEFAULT_HASHER
    check_password_strength(password)
    user.password_hash = hasher.hash(password)
    session.flush()


def set_active(session: Session, user: User, active: bool) -> None:
    """Deactivate (or reactivate) an account; its data stays."""
    user.active = active
    session.flush()


def import_users_csv(
    session: Session,
    text: str,
    *,
    source: str = "<csv>",
    password_factory: Callable[[], str] | None = None,
    hasher: PasswordHasher | None = None,
) -> list[ImportedUser]:
    """Create the users listed in CSV ``text`` (header ``username,email,roles``).

    Every row is checked before any user is made; if any is wrong, ``CsvImportError`` lists
    each bad row's problem as ``source:line: message`` and nobody is created. Each new user
    gets a random initial password, returned once.
    """
    make_password = password_factory or _random_password
    created = []
    for username, email, roles in _checked_rows(session, text, source):
        password = make_password()
        create_user(
            session, username=username, email=email, password=password, roles=roles, hasher=hasher
        )
        created.append(ImportedUser(username, email, roles, password))
    return created


_CsvRow = tuple[str, str, tuple[Role, ...]]


def _checked_rows(session: Session, text: str, source: str) -> list[_CsvRow]:
    """The rows of a users CSV, or ``CsvImportError`` with the problem of every bad row."""
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in CSV_COLUMNS if name not in header]
    if missing:
        raise CsvImportError([f"{source}:1: missing column(s) {', '.join(missing)}"])
    reader.fieldnames = header
    rows: list[_CsvRow] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for record in reader:
        try:
            rows.append(_checked_row(session, record, source, reader.line_num, seen))
        except AccountError as exc:
            problems.append(str(exc))
    if problems:
        raise CsvImportError(problems)
    return rows


def _checked_row(
    session: Session, record: dict[str, str], source: str, line: int, seen: dict[str, int]
) -> _CsvRow:
    """One row's user, or the first thing wrong with it; ``seen`` maps the usernames and
    emails of earlier rows to their lines, so a repeat within the file is caught too."""
    where = f"{source}:{line}"
    username = (record.get("username") or "").strip()
    email = (record.get("email") or "").strip().lower()
    if not username:
        raise AccountError(f"{where}: username is empty")
    if not _USERNAME.match(username):
        raise AccountError(f"{where}: username {username!r} has characters not allowed")
    if not _EMAIL.match(email):
        raise AccountError(f"{where}: email {email!r} is not an email address")
    roles = parse_roles(record.get("roles") or "", where=where)
    for key in (username.lower(), email):
        if key in seen:
            raise AccountError(f"{where}: {key!r} repeats line {seen[key]}")
        if find_user(session, key) is not None:
            raise AccountError(f"{where}: {key!r} is already taken")
        seen[key] = line
    return username, email, roles


def import_users_file(
    session: Session, path: Path, *, hasher: PasswordHasher | None = None
) -> list[ImportedUser]:
    """``import_users_csv`` on a file, errors naming the file."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise AccountError(f"{path}: cannot read: {exc}") from exc
    return import_users_csv(session, text, source=str(path), hasher=hasher)


def list_accounts(session: Session) -> list[AccountSummary]:
    """Every account with its roles, by username (two queries, whatever the number)."""
    roles: dict[int, list[Role]] = {}
    for user_id, role in session.execute(select(UserRole.user_id, UserRole.role)):
        roles.setdefault(user_id, []).append(Role(role))
    users = session.scalars(select(User).order_by(func.lower(User.username)))
    return [_summary(user, roles.get(user.id, [])) for user in users]


def account_summary(session: Session, user: User) -> AccountSummary:
    """One account with its roles."""
    return _summary(user, roles_of(session, user.id))


def _summary(user: User, roles: Iterable[Role]) -> AccountSummary:
    rank = {role: index for index, role in enumerate(Role)}
    return AccountSummary(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        email=user.email,
        roles=tuple(sorted(roles, key=rank.__getitem__)),
        active=user.active,
        can_sign_in=user.password_hash is not None,
        created_at=user.created_at,
    )


def create_account(
    session: Session,
    actor: User,
    *,
    username: str,
    roles: Iterable[str],
    password: str = "",
    email: str = "",
    display_name: str = "",
    hasher: PasswordHasher | None = None,
) -> tuple[User, str | None]:
    """An administrator creates an account; a blank ``password`` is replaced by a random one,
    returned so it can be shown once (a typed one is not returned: the admin knows it)."""
    chosen = parse_roles(",".join(roles))
    initial = password or _random_password()
    user = create_user(
        session,
        username=username,
        password=initial,
        roles=chosen,
        email=email or None,
        display_name=display_name.strip() or None,
        hasher=hasher,
    )
    detail = {"username": user.username, "roles": [role.value for role in chosen]}
    audit.record(session, actor, "create", "user", user.id, detail=detail)
    return user, None if password else initial


def lockout_refusal(actor_id: int, user_id: int, roles: Set[Role], active: bool) -> str | None:
    """Why an administrator may not make this change to ``user_id``, or None.

    Admins may not deactivate themselves or drop their own admin role: the one making the
    change always stays an admin, so the team can never be left without one.
    """
    if actor_id != user_id:
        return None
    if not active:
        return "you cannot deactivate your own account; another administrator can"
    if Role.ADMIN not in roles:
        return "you cannot remove your own admin role; another administrator can"
    return None


def update_account(
    session: Session, actor: User, user: User, *, roles: Iterable[str], active: bool
) -> bool:
    """Set an account's roles and whether it is active; True if anything changed.

    Deactivating ends the user's sessions at their next request (``access.signed_in_viewer``).
    """
    wanted = set(parse_roles(",".join(roles)))
    refusal = lockout_refusal(actor.id, user.id, wanted, active)
    if refusal:
        raise AccountError(refusal)
    held = roles_of(session, user.id)
    roles_change, active_change = wanted != held, active != user.active
    if roles_change:
        set_roles(session, user, wanted)
        detail = {
            "added": sorted(role.value for role in wanted - held),
            "removed": sorted(role.value for role in held - wanted),
        }
        audit.record(session, actor, "role_change", "user", user.id, detail=detail)
    if active_change:
        set_active(session, user, active)
        audit.record(
            session, actor, "update", "user", user.id, detail={"field": "active", "active": active}
        )
    return roles_change or active_change


def reset_account_password(
    session: Session,
    actor: User,
    user: User,
    password: str = "",
    *,
    hasher: PasswordHasher | None = None,
) -> str | None:
    """An administrator sets someone's password (random when ``password`` is blank, and then
    returned to be shown once); the user's other sessions end at their next request.

    Their own password they change like everyone else, by giving the current one.
    """
    if actor.id == user.id:
        raise AccountError(
            "change your own password on the Password page (it asks for the current one)"
        )
    initial = password or _random_password()
    set_password(session, user, initial, hasher=hasher)
    detail = {"field": "password", "generated": not password}
    audit.record(session, actor, "update", "user", user.id, detail=detail)
    return None if password else initial


def import_accounts(
    session: Session,
    actor: User,
    text: str,
    *,
    source: str,
    hasher: PasswordHasher | None = None,
) -> list[ImportedUser]:
    """``import_users_csv`` by an administrator: each created user is written to the audit log;
    a file listing nobody is an error, so an empty upload is not mistaken for success."""
    made = import_users_csv(session, text, source=source, hasher=hasher)
    if not made:
        raise CsvImportError([f"{source}:2: no users listed below the header"])
    for imported in made:
        user = find_user(session, imported.username)
        assert user is not None
        detail = {
            "username": user.username,
            "roles": [role.value for role in imported.roles],
            "source": source,
        }
        audit.record(session, actor, "create", "user", user.id, detail=detail)
    return made


def csv_upload_text(data: bytes, source: str) -> str:
    """An uploaded CSV as text (UTF-8, with or without the byte-order mark Excel writes)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CsvImportError([f"{source}:{line}: not UTF-8 text (save the file as UTF-8)"]) from exc


def _random_password() -> str:
    """16 URL-safe characters (96 bits), to be changed at first sign-in."""
    return secrets.token_urlsafe(12)


def _verify(hasher: PasswordHasher, stored: str, password: str) -> bool:
    try:
        return hasher.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


_dummy_hashes: dict[tuple[int, int, int], str] = {}


def _dummy_hash(hasher: PasswordHasher) -> str:
    """A hash to verify against when there is no user, with the hasher's parameters."""
    key = (hasher.time_cost, hasher.memory_cost, hasher.parallelism)
    if key not in _dummy_hashes:
        _dummy_hashes[key] = hasher.hash("no such user: constant-time placeholder")
    return _dummy_hashes[key]
