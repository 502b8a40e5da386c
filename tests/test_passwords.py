"""Password strength (zxcvbn): common and guessable passwords are refused with a
message next to the field, wherever a password is set (issue 13, hole 7)."""

from __future__ import annotations

import pytest
from werkzeug.security import check_password_hash

from editorial.domain import accounts
from editorial.domain.errors import InvalidInput
from editorial.domain.models import Role, User
from editorial.extensions import db
from tests.conftest import FAST_HASH, PASSWORD
from tests.desk_helpers import error_for, parse

GUESSABLE = [
    "aaaaaaaaaa",  # ten times "a": long enough, and worthless
    "password123",
    "qwertyuiop",
    "1234567890",
    "iloveyou12",
]


@pytest.mark.parametrize("weak", GUESSABLE)
def test_guessable_passwords_are_refused_by_the_domain(app, weak):
    with pytest.raises(InvalidInput) as refused:
        accounts.create_user(
            db.session,
            username="newbie",
            display_name="Newbie",
            password=weak,
            role="author",
            method=FAST_HASH,
        )
    assert refused.value.field == "password"
    assert refused.value.message.startswith("This password is too easy to guess.")
    assert db.session.scalar(db.select(User).where(User.username == "newbie")) is None


def test_a_password_made_of_the_users_own_name_is_refused(app):
    with pytest.raises(InvalidInput) as refused:
        accounts.create_user(
            db.session,
            username="margarethe",
            display_name="Margarethe Zwiebelfisch",
            password="zwiebelfisch1",
            role="author",
            method=FAST_HASH,
        )
    assert refused.value.field == "password"


def test_passphrases_are_accepted(app):
    for n, good in enumerate((PASSWORD, "a brand new passphrase 42", "Kq7#vLp2!xWz")):
        user = accounts.create_user(
            db.session,
            username=f"good{n}",
            display_name=f"Good {n}",
            password=good,
            role="author",
            method=FAST_HASH,
        )
        assert check_password_hash(user.password_hash, good)


def test_admin_create_user_refuses_a_guessable_password_next_to_the_field(
    make_user, login_as
):
    client = login_as(make_user(Role.ADMIN))
    response = client.post(
        "/desk/users",
        data={
            "username": "weakling",
            "display_name": "Weak",
            "role": "author",
            "password": "aaaaaaaaaa",
        },
    )
    assert response.status_code == 422
    message = error_for(parse(response).css_first("#users-block"), "new-password")
    assert "This password is too easy to guess." in message
    assert 'Repeats like "aaa" are easy to guess.' in message
    assert db.session.scalar(db.select(User).where(User.username == "weakling")) is None


def test_admin_reset_refuses_a_guessable_password(make_user, login_as):
    target = make_user(Role.AUTHOR)
    client = login_as(make_user(Role.ADMIN))
    response = client.post(
        f"/desk/users/{target.id}/password", data={"password": "password123"}
    )
    assert response.status_code == 422
    message = error_for(
        parse(response).css_first("#users-block"), f"password-{target.id}"
    )
    assert "This password is too easy to guess." in message
    stored = db.session.get(User, target.id)
    assert check_password_hash(stored.password_hash, PASSWORD)
    assert stored.must_change_password is False


def test_change_password_refuses_a_guessable_one_next_to_the_field(make_user, login_as):
    user = make_user(Role.AUTHOR)
    client = login_as(user)
    response = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": "qwertyuiop"},
    )
    assert response.status_code == 422
    page = parse(response)
    assert "This password is too easy to guess." in error_for(page, "password")
    assert check_password_hash(db.session.get(User, user.id).password_hash, PASSWORD)
