"""Accounts: creation, sign-in checks, rehashing, password change, roles, CSV import."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy.orm import Session

from app.domain.accounts import Role
from app.services import accounts
from app.services.accounts import AccountError
from app.store import repositories
from app.store.models import User

MakeUser = Callable[..., User]


def test_create_user_hashes_with_argon2id_and_holds_roles(
    session: Session, make_user: MakeUser
) -> None:
    user = make_user("tess", Role.TRAINER, Role.ASSESSOR)
    assert user.password_hash is not None
    assert user.password_hash.startswith("$argon2id$")
    assert "correct horse" not in user.password_hash
    assert accounts.roles_of(session, user.id) == {Role.TRAINER, Role.ASSESSOR}
    assert accounts.principal(session, user).has(Role.ASSESSOR)


def test_authenticate_by_username_or_email_case_insensitively(
    session: Session, make_user: MakeUser, hasher: PasswordHasher
) -> None:
    user = make_user("Priya", Role.PRACTITIONER)
    for login in ("Priya", "priya", "PRIYA@example.org"):
        assert accounts.authenticate(session, login, "correct horse", hasher=hasher) is user


@pytest.mark.parametrize(
    ("login", "password"), [("priya", "wrong horse"), ("nobody", "correct horse")]
)
def test_authenticate_refuses_wrong_password_and_unknown_user(
    session: Session, make_user: MakeUser, hasher: PasswordHasher, login: str, password: str
) -> None:
    make_user("priya", Role.PRACTITIONER)
    assert accounts.authenticate(session, login, password, hasher=hasher) is None


def test_authenticate_refuses_inactive_user_and_passwordless_local_user(
    session: Session, make_user: MakeUser, hasher: PasswordHasher
) -> None:
    user = make_user("priya", Role.PRACTITIONER)
    accounts.set_active(session, user, False)
    assert accounts.authenticate(session, "priya", "correct horse", hasher=hasher) is None
    local = repositories.default_user(session)
    assert local.password_hash is None
    assert local.active
    assert accounts.authenticate(session, local.username, "", hasher=hasher) is None


def test_authenticate_rehashes_when_parameters_change(
    session: Session, make_user: MakeUser
) -> None:
    user = make_user("priya", Role.PRACTITIONER)
    old = user.password_hash
    stronger = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1)
    assert accounts.authenticate(session, "priya", "correct horse", hasher=stronger) is user
    assert user.password_hash != old
    assert user.password_hash is not None
    assert "m=2048,t=2" in user.password_hash
    again = user.password_hash
    accounts.authenticate(session, "priya", "correct horse", hasher=stronger)
    assert user.password_hash == again  # current parameters: left alone


def test_change_password_checks_current_and_strength(
    session: Session, make_user: MakeUser, hasher: PasswordHasher
) -> None:
    user = make_user("priya", Role.PRACTITIONER)
    with pytest.raises(AccountError, match="current password"):
        accounts.change_password(
            session, user, current="wrong horse", new="a new passphrase", hasher=hasher
        )
    with pytest.raises(AccountError, match="at least 10"):
        accounts.change_password(session, user, current="correct horse", new="short", hasher=hasher)
    accounts.change_password(
        session, user, current="correct horse", new="a new passphrase", hasher=hasher
    )
    assert accounts.authenticate(session, "priya", "correct horse", hasher=hasher) is None
    assert accounts.authenticate(session, "priya", "a new passphrase", hasher=hasher) is user


def test_create_user_refuses_taken_names_bad_email_and_weak_password(
    session: Session, make_user: MakeUser, hasher: PasswordHasher
) -> None:
    make_user("priya", Role.PRACTITIONER)
    cases: list[tuple[str, str | None, str, str]] = [
        ("PRIYA", None, "long enough pw", "already taken"),
        ("p2", "priya@example.org", "long enough pw", "already taken"),
        ("p3", "not-an-email", "long enough pw", "not an email address"),
        ("p 4", None, "long enough pw", "username 'p 4'"),
        ("p5", None, "short", "at least 10"),
    ]
    for username, email, password, message in cases:
        with pytest.raises(AccountError, match=message):
            accounts.create_user(
                session,
                username=username,
                email=email,
                password=password,
                roles=[Role.PRACTITIONER],
                hasher=hasher,
            )


def test_set_roles_replaces_and_users_with_role_lists_active_holders(
    session: Session, make_user: MakeUser
) -> None:
    ann = make_user("ann", Role.ASSESSOR)
    bob = make_user("bob", Role.ASSESSOR, Role.TRAINER)
    make_user("cat", Role.PRACTITIONER)
    assert [u.username for u in accounts.users_with_role(session, Role.ASSESSOR)] == ["ann", "bob"]
    accounts.set_roles(session, bob, [Role.TRAINER])
    accounts.set_active(session, ann, False)
    assert accounts.users_with_role(session, Role.ASSESSOR) == []
    assert accounts.roles_of(session, bob.id) == {Role.TRAINER}


def test_default_local_user_still_works_beside_accounts(
    session: Session, make_user: MakeUser
) -> None:
    make_user("priya", Role.PRACTITIONER)
    local = repositories.default_user(session)
    assert repositories.default_user(session) is local
    assert accounts.roles_of(session, local.id) == frozenset()


def test_import_users_csv_creates_users_with_initial_passwords(
    session: Session, hasher: PasswordHasher
) -> None:
    text = (
        "username,email,roles\n"
        "ann,Ann@Example.org,practitioner\n"
        "bob,bob@example.org,trainer;assessor\n"
    )
    made = accounts.import_users_csv(session, text, source="users.csv", hasher=hasher)
    assert [(m.username, m.email, m.roles) for m in made] == [
        ("ann", "ann@example.org", (Role.PRACTITIONER,)),
        ("bob", "bob@example.org", (Role.TRAINER, Role.ASSESSOR)),
    ]
    for imported in made:
        assert len(imported.initial_password) >= accounts.MIN_PASSWORD_LENGTH
        user = accounts.authenticate(
            session, imported.username, imported.initial_password, hasher=hasher
        )
        assert user is not None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("username,roles\nann,practitioner\n", "users.csv:1: missing column(s) email"),
        ("username,email,roles\nann,ann@example.org,pilot\n", "users.csv:2: unknown role 'pilot'"),
        ("username,email,roles\nann,ann@example.org,\n", "users.csv:2: no roles given"),
        (
            "username,email,roles\nann,ann@x.org,trainer\n,b@x.org,trainer\n",
            "users.csv:3: username",
        ),
        ("username,email,roles\nann,nope,trainer\n", "users.csv:2: email 'nope'"),
        (
            "username,email,roles\nann,a@x.org,trainer\nbob,a@x.org,trainer\n",
            "users.csv:3: 'a@x.org' repeats line 2",
        ),
        ("username,email,roles\npriya,p2@x.org,trainer\n", "users.csv:2: 'priya' is already taken"),
    ],
)
def test_import_users_csv_reports_file_and_line_and_creates_nothing(
    session: Session, make_user: MakeUser, hasher: PasswordHasher, text: str, message: str
) -> None:
    make_user("priya", Role.PRACTITIONER)
    with pytest.raises(AccountError) as error:
        accounts.import_users_csv(session, text, source="users.csv", hasher=hasher)
    assert message in str(error.value)
    assert accounts.find_user(session, "ann") is None


def test_import_users_file_names_unreadable_file(session: Session, tmp_path: Path) -> None:
    missing = tmp_path / "absent.csv"
    with pytest.raises(AccountError, match="absent.csv: cannot read"):
        accounts.import_users_file(session, missing)
