"""Security headers, cookies, sessions, CSRF, request limits and audit lines."""

from __future__ import annotations

import logging

import pytest

from editorial.domain.models import Role
from tests.conftest import PASSWORD


def test_security_headers_on_every_page(client):
    for path in ("/", "/login", "/healthz", "/no-such-page"):
        response = client.get(path)
        csp = response.headers["Content-Security-Policy"]
        script_src = next(p for p in csp.split(";") if "script-src" in p)
        assert "'unsafe-inline'" not in script_src
        assert "'unsafe-eval'" not in script_src
        assert "frame-ancestors 'none'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"]
        assert "camera=()" in response.headers["Permissions-Policy"]


def test_desk_pages_are_private_and_not_indexed(client, make_user, login_as):
    login_as(make_user(Role.EDITOR))
    for path in ("/desk/", "/login"):
        response = client.get(path)
        assert response.headers["Cache-Control"] == "private, no-store"
        assert response.headers["X-Robots-Tag"] == "noindex"


def test_no_inline_scripts_or_styles_in_desk_pages(client, make_user, login_as):
    login_as(make_user(Role.EDITOR))
    for path in ("/login", "/desk/", "/desk/articles/new"):
        html = client.get(path).get_data(as_text=True)
        assert "<script>" not in html
        assert " hx-on" not in html
        assert " style=" not in html


def test_session_cookie_flags(client, make_user):
    user = make_user(Role.AUTHOR)
    response = client.post(
        "/login", data={"username": user.username, "password": PASSWORD}
    )
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


@pytest.mark.parametrize("app_config", [{"SESSION_COOKIE_SECURE": True}])
def test_secure_cookie_when_configured(client, make_user, app_config):
    user = make_user(Role.AUTHOR)
    response = client.post(
        "/login",
        data={"username": user.username, "password": PASSWORD},
        base_url="https://localhost",
    )
    assert "Secure" in response.headers["Set-Cookie"]


def test_production_configuration_is_secure(monkeypatch, tmp_path):
    from editorial import config

    monkeypatch.setenv("EDITORIAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    loaded = config.load(tmp_path)
    assert loaded["SESSION_COOKIE_SECURE"] is True
    assert loaded["HSTS"] is True
    assert loaded["SECRET_KEY"] == "from-the-environment"


def test_secret_key_is_generated_once_not_a_constant(monkeypatch, tmp_path):
    from editorial import config

    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = config.load(tmp_path)["SECRET_KEY"]
    second = config.load(tmp_path)["SECRET_KEY"]
    assert first == second and len(first) >= 32
    other = config.load(tmp_path / "elsewhere")["SECRET_KEY"]
    assert other != first
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"


def test_login_starts_a_new_session(client, make_user):
    user = make_user(Role.AUTHOR)
    client.get("/login")
    with client.session_transaction() as sess:
        sess["planted"] = "by an attacker"
    client.post("/login", data={"username": user.username, "password": PASSWORD})
    with client.session_transaction() as sess:
        assert "planted" not in sess
        assert sess["_user_id"].startswith(f"{user.id}:")


def test_idle_session_times_out(client, make_user, login_as, app):
    login_as(make_user(Role.EDITOR))
    assert client.get("/desk/").status_code == 200
    with client.session_transaction() as sess:
        sess["seen"] = sess["seen"] - app.config["IDLE_TIMEOUT_SECONDS"] - 5
    response = client.get("/desk/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def _ping(client, article) -> object:
    return client.post(
        f"/desk/articles/{article.id}/presence",
        data={"block": "summary"},
        headers={"HX-Request": "true"},
    )


def test_a_background_ping_never_rewrites_the_session_cookie(
    client, make_user, make_article, login_as
):
    """A ping that answers after an action must not send back an older cookie:
    that would wipe the action's flash message (and could undo a login)."""
    author = make_user(Role.AUTHOR)
    article = make_article(author=author)
    login_as(author)
    client.get("/desk/")  # stamps the session's last activity
    with client.session_transaction() as sess:
        sess["seen"] -= 120  # the once-a-minute activity stamp is due
    response = _ping(client, article)
    assert "Also here" not in response.get_data(as_text=True)  # alone here
    assert "presence" in response.get_data(as_text=True)
    assert response.headers.get("Set-Cookie") is None
    # A page the user asked for is activity: it is stamped and sent.
    assert "session=" in client.get("/desk/").headers.get("Set-Cookie", "")


def test_pings_alone_do_not_keep_an_idle_session_alive(
    client, make_user, make_article, login_as, app
):
    author = make_user(Role.AUTHOR)
    article = make_article(author=author)
    login_as(author)
    client.get("/desk/")
    with client.session_transaction() as sess:
        sess["seen"] -= app.config["IDLE_TIMEOUT_SECONDS"] - 30  # nearly idle
    for _ in range(3):
        _ping(client, article)
    with client.session_transaction() as sess:
        sess["seen"] -= 60  # a minute later, only pings in between
    response = client.get("/desk/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_oversized_request_gets_a_friendly_413(client):
    response = client.post("/login", data={"username": "x" * (2 * 1024 * 1024)})
    assert response.status_code == 413
    assert "Too large" in response.get_data(as_text=True)


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_login_without_csrf_token_is_refused(client, make_user, app_config):
    user = make_user(Role.AUTHOR)
    response = client.post(
        "/login", data={"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 400
    assert "security token" in response.get_data(as_text=True)
    assert client.get("/desk/").status_code == 302


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_login_with_csrf_token_works(client, make_user, app_config):
    import re

    user = make_user(Role.AUTHOR)
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    token = token or re.search(r'name="csrf_token" value="([^"]+)"', html)
    response = client.post(
        "/login",
        data={
            "username": user.username,
            "password": PASSWORD,
            "csrf_token": token.group(1),
        },
    )
    assert response.status_code == 303


def test_logins_and_failures_are_audited(client, make_user, caplog):
    user = make_user(Role.AUTHOR)
    with caplog.at_level(logging.INFO, logger="editorial.audit"):
        client.post("/login", data={"username": user.username, "password": "bad"})
        client.post("/login", data={"username": user.username, "password": PASSWORD})
    lines = [r.getMessage() for r in caplog.records if r.name == "editorial.audit"]
    assert any(line.startswith("login.failure") for line in lines)
    assert any(line.startswith(f"login.success user={user.username}") for line in lines)


def test_workflow_and_user_admin_are_audited(make_user, make_article, caplog):
    from editorial.domain import accounts, workflow
    from editorial.domain.models import AuditEvent
    from editorial.extensions import db

    admin = make_user(Role.ADMIN)
    editor = make_user(Role.EDITOR)
    article = make_article(state="review")
    with caplog.at_level(logging.INFO, logger="editorial.audit"):
        workflow.apply(
            db.session, article, "publish", editor, expected_version=article.version
        )
        accounts.change_role(db.session, admin, editor, "author")
        db.session.commit()
    lines = [r.getMessage() for r in caplog.records if r.name == "editorial.audit"]
    assert any(f"action=publish article={article.id}" in line for line in lines)
    assert any("user-admin action=user.role" in line for line in lines)
    events = db.session.scalars(db.select(AuditEvent.action)).all()
    assert "user.role" in events


@pytest.mark.parametrize("app_config", [{"TRUSTED_PROXIES": 1}])
def test_throttling_counts_the_real_client_behind_a_proxy(
    client, make_user, app_config
):
    user = make_user(Role.EDITOR)
    for _ in range(5):
        client.post(
            "/login",
            data={"username": user.username, "password": "bad"},
            headers={"X-Forwarded-For": "203.0.113.9"},
        )
    blocked = client.post(
        "/login",
        data={"username": user.username, "password": PASSWORD},
        headers={"X-Forwarded-For": "203.0.113.9"},
    )
    assert blocked.status_code == 429
    colleague = client.post(
        "/login",
        data={"username": user.username, "password": PASSWORD},
        headers={"X-Forwarded-For": "198.51.100.4"},
    )
    assert colleague.status_code == 303


def test_our_own_error_pages(app, client):
    from flask import abort

    @app.get("/boom/<int:code>")
    def boom(code: int):
        if code == 500:
            raise RuntimeError("an unexpected failure")
        abort(code)

    app.config["PROPAGATE_EXCEPTIONS"] = False
    for code, words in (
        (400, "Bad request"),
        (403, "Not allowed"),
        (404, "Page not found"),
        (410, "Article removed"),
        (500, "Something went wrong"),
    ):
        response = client.get(f"/boom/{code}")
        html = response.get_data(as_text=True)
        assert response.status_code == code
        assert f"<h1>{words}</h1>" in html
        assert '<html lang="en">' in html
        assert "Traceback" not in html and "RuntimeError" not in html
    fragment = client.get("/boom/404", headers={"HX-Request": "true"})
    assert fragment.status_code == 404
    assert "<html" not in fragment.get_data(as_text=True)
