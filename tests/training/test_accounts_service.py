"""Accounts: creation, sign-in checks, rehashing, password change, roles, CSV import."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy.orm import Session

from app.domain.accounts import Role
from app.services import accounts, audit
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


def test_import_users_csv_lists_every_bad_row_and_creates_nobody(
    session: Session, hasher: PasswordHasher
) -> None:
    text = (
        "username,email,roles\n"
        "ann,ann@example.org,practitioner\n"
        "bob,nope,trainer\n"
        "cat,cat@example.org,pilot\n"
        "dan,dan@example.org,assessor\n"
    )
    with pytest.raises(accounts.CsvImportError) as error:
        accounts.import_users_csv(session, text, source="users.csv", hasher=hasher)
    assert error.value.problems == (
        "users.csv:3: email 'nope' is not an email address",
        "users.csv:4: unknown role 'pilot' "
        "(expected one of admin, assessor, practitioner, trainer)",
    )
    assert str(error.value) == "\n".join(error.value.problems)
    assert accounts.find_user(session, "ann") is None
    assert accounts.find_user(session, "dan") is None


@pytest.mark.parametrize(
    ("user_id", "roles", "active", "refusal"),
    [
        (2, frozenset(), False, None),
        (1, frozenset({Role.ADMIN}), True, None),
        (1, frozenset({Role.ADMIN, Role.TRAINER}), True, None),
        (1, frozenset({Role.ADMIN}), False, "cannot deactivate your own account"),
        (1, frozenset({Role.TRAINER}), True, "cannot remove your own admin role"),
    ],
)
def test_an_admin_may_not_lock_themselves_out(
    user_id: int, roles: frozenset[Role], active: bool, refusal: str | None
) -> None:
    found = accounts.lockout_refusal(1, user_id, roles, active)
    if refusal is None:
        assert found is None
    else:
        assert found is not None
        assert refusal in found


def test_admin_changes_are_audited_without_passwords(
    session: Session, make_user: MakeUser, hasher: PasswordHasher
) -> None:
    root = make_user("root", Role.ADMIN)
    user, generated = accounts.create_account(
        session, root, username="nia", roles=["practitioner"], hasher=hasher
    )
    assert generated is not None
    assert accounts.authenticate(session, "nia", generated, hasher=hasher) is user
    assert accounts.update_account(session, root, user, roles=["trainer"], active=True)
    assert not accounts.update_account(session, root, user, roles=["trainer"], active=True)
    reset = accounts.reset_account_password(session, root, user, hasher=hasher)
    assert reset is not None
    entries = audit.history(session, "user", user.id)
    assert [(entry.actor_id, entry.action) for entry in entries] == [
        (root.id, "create"),
        (root.id, "role_change"),
        (root.id, "update"),
    ]
    assert entries[1].detail == {"added": ["trainer"], "removed": ["practitioner"]}
    assert all(generated not in str(e.detail) and reset not in str(e.detail) for e in entries)


def test_list_accounts_gives_roles_in_role_order(session: Session, make_user: MakeUser) -> None:
    make_user("bob", Role.ADMIN, Role.PRACTITIONER)
    make_user("Ann", Role.TRAINER)
    local = repositories.default_user(session)
    listed = {summary.username: summary for summary in accounts.list_accounts(session)}
    assert listed["bob"].roles == (Role.PRACTITIONER, Role.ADMIN)
    assert listed["bob"].can_sign_in
    assert not listed[local.username].can_sign_in
    names = [summary.username for summary in accounts.list_accounts(session)]
    assert names == sorted(names, key=str.lower)
