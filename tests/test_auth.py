"""Login, logout, sessions and throttling (PRODUCT.md section 8)."""

from __future__ import annotations

from editorial.domain.models import Role
from editorial.extensions import db
from tests.conftest import PASSWORD


def test_login_page_has_the_labels(client):
    html = client.get("/login").get_data(as_text=True)
    assert 'for="username">Username<' in html
    assert 'for="password">Password<' in html
    assert ">Log in</button>" in html


def test_login_and_logout(client, make_user):
    user = make_user(Role.AUTHOR)
    response = client.post(
        "/login", data={"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/desk/"
    page = client.get("/desk/")
    assert page.status_code == 200
    assert "Log out" in page.get_data(as_text=True)
    response = client.post("/logout")
    assert response.status_code == 303
    assert client.get("/desk/").status_code == 302


def test_old_cookie_no_longer_reaches_the_desk_after_logout(app, make_user):
    user = make_user(Role.EDITOR)
    first = app.test_client()
    first.post("/login", data={"username": user.username, "password": PASSWORD})
    stolen = first.get_cookie("session").value
    first.post("/logout")
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    response = thief.get("/desk/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_wrong_password_and_unknown_user_get_the_same_answer(client, make_user):
    user = make_user(Role.AUTHOR)
    wrong = client.post("/login", data={"username": user.username, "password": "nope"})
    unknown = client.post("/login", data={"username": "ghost", "password": "nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert "Wrong username or password." in wrong.get_data(as_text=True)
    assert "Wrong username or password." in unknown.get_data(as_text=True)
    assert client.get("/desk/").status_code == 302


def test_deactivated_user_cannot_log_in(client, make_user):
    user = make_user(Role.EDITOR, active=False)
    response = client.post(
        "/login", data={"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 401
    assert client.get("/desk/").status_code == 302


def test_deactivation_ends_existing_sessions(client, make_user, login_as):
    from editorial.domain import accounts

    admin = make_user(Role.ADMIN)
    user = make_user(Role.EDITOR)
    login_as(user)
    assert client.get("/desk/").status_code == 200
    accounts.set_active(db.session, admin, user, False)
    db.session.commit()
    assert client.get("/desk/").status_code == 302


def test_next_is_followed_only_to_local_paths(client, make_user):
    user = make_user(Role.AUTHOR)
    for target in (
        "https://elsewhere.example/",
        "//elsewhere.example/x",
        "/\\elsewhere.example",
    ):
        response = client.post(
            f"/login?next={target}",
            data={"username": user.username, "password": PASSWORD},
        )
        assert response.status_code == 303
        assert response.headers["Location"] == "/desk/", target
        client.post("/logout")
    response = client.post(
        "/login?next=/desk/articles/new",
        data={"username": user.username, "password": PASSWORD},
    )
    assert response.headers["Location"] == "/desk/articles/new"


def test_anonymous_desk_visit_redirects_to_login_with_next(client):
    response = client.get("/desk/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_failed_logins_are_throttled_per_user_and_address(client, make_user):
    user = make_user(Role.EDITOR)
    for _ in range(5):
        assert (
            client.post(
                "/login", data={"username": user.username, "password": "bad"}
            ).status_code
            == 401
        )
    blocked = client.post(
        "/login", data={"username": user.username, "password": PASSWORD}
    )
    assert blocked.status_code == 429
    assert "Too many attempts — try again in 15 minutes" in blocked.get_data(
        as_text=True
    )
    # Not locked for everyone: the same user from another address gets in.
    other = client.post(
        "/login",
        data={"username": user.username, "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "10.9.8.7"},
    )
    assert other.status_code == 303


def test_successful_logins_are_not_counted(client, make_user):
    user = make_user(Role.EDITOR)
    for _ in range(8):
        assert (
            client.post(
                "/login", data={"username": user.username, "password": PASSWORD}
            ).status_code
            == 303
        )
        client.post("/logout")


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "up"}


def test_healthz_reports_a_dead_database(app, client, monkeypatch):
    from sqlalchemy.orm import Session

    def broken(self, *args, **kwargs):
        from sqlalchemy.exc import OperationalError

        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(Session, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503


def test_forced_password_change_then_the_desk(app, make_user):
    from editorial.domain import accounts

    admin = make_user(Role.ADMIN)
    user = make_user(Role.AUTHOR)
    elsewhere = app.test_client()
    elsewhere.post("/login", data={"username": user.username, "password": PASSWORD})
    assert elsewhere.get("/desk/").status_code == 200
    accounts.reset_password(
        db.session, admin, user, "temporary password", method="pbkdf2:sha256:1000"
    )
    db.session.commit()
    # The reset ended every session of that user.
    assert elsewhere.get("/desk/").status_code == 302
    client = app.test_client()
    client.post(
        "/login", data={"username": user.username, "password": "temporary password"}
    )
    assert client.get("/desk/").headers["Location"].endswith("/account/password")
    wrong = client.post(
        "/account/password",
        data={"current_password": "not it", "password": "my own new secret"},
    )
    assert wrong.status_code == 422
    assert "not your current password" in wrong.get_data(as_text=True)
    done = client.post(
        "/account/password",
        data={
            "current_password": "temporary password",
            "password": "my own new secret",
        },
    )
    assert done.status_code == 303
    assert client.get("/desk/").status_code == 200
    client.post("/logout")
    again = client.post(
        "/login", data={"username": user.username, "password": "my own new secret"}
    )
    assert again.headers["Location"] == "/desk/"
