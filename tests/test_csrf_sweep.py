"""CSRF sweep: every POST route, signed in as an admin, without a token.

Each request carries the input a permitted request would accept (the
authorization sweep's `form_for`, which it uses to prove OK means done), so a
400 here is the missing token and nothing else. After each one the whole
database (every row of every table) and the media folder are what they were.
"""

from __future__ import annotations

import os

import pytest
from flask import Flask

from editorial.domain.models import Role
from editorial.extensions import db
from tests.desk_helpers import parse
from tests.steps import login_with_token
from tests.test_authz_sweep import _user, build_world, form_for, path_for, snapshot

# 43 POST routes when this was written; a sweep that finds far fewer has lost
# its rules (a renamed method set, a filter gone wrong), not gained safety.
MIN_POST_RULES = 40
MUST_COVER = {
    "desk.change_role",
    "desk.set_active",
    "desk.reset_password",
    "desk.create_user",
    "desk.apply_action",
    "desk.update_settings",
    "auth.login",
    "auth.change_password",
}


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def media_files(app: Flask) -> list[str]:
    root = app.config["MEDIA_ROOT"]
    return sorted(
        os.path.relpath(os.path.join(d, f), root)
        for d, _, files in os.walk(root)
        for f in files
    )


def _post_rules(app: Flask) -> list[tuple[str, str]]:
    return sorted(
        (rule.rule, rule.endpoint)
        for rule in app.url_map.iter_rules()
        if "POST" in rule.methods
    )


def test_every_post_route_refuses_a_request_without_the_token(
    app, client, make_user, make_category, make_article
):
    rules = _post_rules(app)
    assert len(rules) >= MIN_POST_RULES, rules
    assert MUST_COVER - {endpoint for _, endpoint in rules} == set()

    users = {
        "author": _user(make_user, Role.AUTHOR),
        "other": _user(make_user, Role.AUTHOR),
        "editor": _user(make_user, Role.EDITOR),
        "admin": _user(make_user, Role.ADMIN),
    }
    # One world for every route: an image used and one unused, an open and a
    # resolved thread (nothing may change it, so the routes can share it).
    world = build_world(
        make_user, make_category, make_article, users, "draft", "/comments+media"
    )
    # Building a path may add rows (a preview link, a notification): before
    # the snapshot, so each request is compared with the world it was sent to.
    requests = [
        (rule, endpoint, path_for(rule, world, "publish")) for rule, endpoint in rules
    ]
    forms = {rule: form_for(rule, world, "admin") for rule, _ in rules}
    login_with_token(client, users["admin"])
    before, files = snapshot(), media_files(app)
    assert before["articles"] and before["users"] and before["comments"]

    answered = []
    for rule, endpoint, path in requests:
        response = client.post(path, data=forms[rule])
        assert response.status_code == 400, (endpoint, response.status_code)
        assert "Your form expired" in response.get_data(as_text=True), endpoint
        assert snapshot() == before, f"{endpoint} changed the database"
        assert media_files(app) == files, f"{endpoint} stored a file"
        answered.append(endpoint)
    assert len(answered) == len(rules) >= MIN_POST_RULES

    # Still signed in as the admin (Sign out was refused too), and a request
    # that carries the token gets through: the 400s were the token, not the input.
    page = client.get("/desk/users")
    assert page.status_code == 200
    token = parse(page).css_first('meta[name="csrf-token"]').attributes["content"]
    target = world.target
    changed = client.post(
        f"/desk/users/{target.id}/role",
        data={"role": "editor"},
        headers={"X-CSRFToken": token},
    )
    assert changed.status_code in (200, 303)
    db.session.expire_all()
    assert db.session.get(type(target), target.id).role == Role.EDITOR
