"""Throttled password checks: counted before checking, so parallel attempts
never get more than the limit checked (issue 13, holes 4 and 7)."""

from __future__ import annotations

import functools
from collections import Counter

import pytest
from werkzeug.security import check_password_hash, generate_password_hash

from editorial.domain import accounts
from editorial.domain.models import Role, User
from editorial.extensions import db
from tests.concurrency import at_once, own_client
from tests.conftest import FAST_HASH, PASSWORD

# A deliberately slow hash: checking takes long enough that parallel requests
# overlap for real (the race the throttle must win).
SLOW_HASH = "pbkdf2:sha256:200000"
BLOCKED = "Too many attempts — try again in 15 minutes."


@functools.cache
def _slow_hash() -> str:
    return generate_password_hash(PASSWORD, method=SLOW_HASH)


def slow_user(name: str) -> User:
    user = accounts.create_user(
        db.session,
        username=name,
        display_name=name.title(),
        password=PASSWORD,
        role=Role.EDITOR,
        method=FAST_HASH,
    )
    user.password_hash = _slow_hash()
    db.session.commit()
    return user


def _login(app, username: str, password: str, address: str = "127.0.0.1"):
    def call():
        response = own_client(app).post(
            "/login",
            data={"username": username, "password": password},
            environ_base={"REMOTE_ADDR": address},
        )
        return response.status_code, response.get_data(as_text=True)

    return call


@pytest.mark.timeout(120)
def test_ten_parallel_wrong_passwords_never_get_more_than_five_checked(app):
    user = slow_user("racer")
    results = at_once([_login(app, user.username, "wrong password") for _ in range(10)])
    statuses = Counter(status for status, _ in results)
    assert set(statuses) <= {401, 429}
    assert 1 <= statuses[401] <= 5
    assert statuses[401] + statuses[429] == 10
    assert all(BLOCKED in body for status, body in results if status == 429)
    # The pair is spent: even the right password is refused now.
    status, body = _login(app, user.username, PASSWORD)()
    assert status == 429
    assert BLOCKED in body


def test_thirty_failures_from_one_address_lock_that_address_only(app, make_user):
    user = make_user(Role.EDITOR)
    for n in range(30):
        status, body = _login(app, f"nobody{n}", "wrong password", "192.0.2.1")()
        assert status == 401, n
        assert "Wrong username or password." in body
    # The 31st attempt from that address is not even checked, whoever it names.
    status, body = _login(app, user.username, PASSWORD, "192.0.2.1")()
    assert status == 429
    assert BLOCKED in body
    status, _ = _login(app, user.username, PASSWORD, "192.0.2.2")()
    assert status == 303


@pytest.mark.timeout(120)
def test_parallel_failures_cannot_push_an_address_past_thirty(app):
    for n in range(25):
        status, _ = _login(app, f"nobody{n}", "wrong password", "192.0.2.7")()
        assert status == 401
    users = [slow_user(f"parallel{n}") for n in range(10)]
    results = at_once(
        [_login(app, u.username, "wrong password", "192.0.2.7") for u in users]
    )
    statuses = Counter(status for status, _ in results)
    assert 1 <= statuses[401] <= 5
    assert statuses[401] + statuses[429] == 10
    status, body = _login(app, users[0].username, PASSWORD, "192.0.2.7")()
    assert status == 429
    assert BLOCKED in body


def test_a_success_gives_its_place_back(app, make_user):
    user = make_user(Role.EDITOR)
    for _ in range(4):
        assert _login(app, user.username, "wrong password")()[0] == 401
    assert _login(app, user.username, PASSWORD)()[0] == 303
    # Still four failures, not five: one more wrong try is checked, then no more.
    assert _login(app, user.username, "wrong password")()[0] == 401
    assert _login(app, user.username, PASSWORD)()[0] == 429


# --- change password -----------------------------------------------------------


def _signed_in(app, user: User):
    client = own_client(app)
    response = client.post(
        "/login", data={"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 303
    return client


def _change(client, current: str, new: str = "a brand new passphrase 42"):
    def call():
        response = client.post(
            "/account/password",
            data={"current_password": current, "password": new},
        )
        return response.status_code, response.get_data(as_text=True)

    return call


def test_change_password_is_throttled_after_five_wrong_current_passwords(
    app, make_user
):
    user = make_user(Role.AUTHOR)
    client = _signed_in(app, user)
    for _ in range(5):
        status, body = _change(client, "not my password")()
        assert status == 422
        assert "That is not your current password." in body
    status, body = _change(client, PASSWORD)()
    assert status == 429
    assert BLOCKED in body
    stored = db.session.get(User, user.id).password_hash
    assert check_password_hash(stored, PASSWORD)
    assert not check_password_hash(stored, "a brand new passphrase 42")


@pytest.mark.timeout(120)
def test_parallel_wrong_current_passwords_never_get_more_than_five_checked(app):
    user = slow_user("changer")
    clients = [_signed_in(app, user) for _ in range(10)]
    results = at_once([_change(c, "not my password") for c in clients])
    statuses = Counter(status for status, _ in results)
    assert 1 <= statuses[422] <= 5
    assert statuses[422] + statuses[429] == 10
    stored = db.session.get(User, user.id).password_hash
    assert check_password_hash(stored, PASSWORD)
