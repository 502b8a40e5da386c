"""CSRF on: block posts without a token are refused; htmx sends it as a header."""

from __future__ import annotations

import pytest

from editorial.domain.models import Article, Role
from editorial.extensions import db
from tests.desk_helpers import parse
from tests.steps import login_with_token


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def test_block_post_needs_the_token(client, make_user, make_article):
    author = make_user(Role.AUTHOR)
    article = make_article(author=author)
    login_with_token(client, author)
    page = client.get(f"/desk/articles/{article.id}")
    tree = parse(page)
    token = tree.css_first('meta[name="csrf-token"]').attributes["content"]
    form_token = tree.css_first('#editor-form input[name="csrf_token"]')
    assert form_token is not None and form_token.attributes["value"]

    refused = client.post(
        f"/desk/articles/{article.id}/summary",
        data={"version": article.summary_version, "summary": "No token."},
        headers={"HX-Request": "true"},
    )
    assert refused.status_code == 400
    db.session.expire_all()
    assert db.session.get(Article, article.id).summary != "No token."

    saved = client.post(
        f"/desk/articles/{article.id}/summary",
        data={"version": article.summary_version, "summary": "With the header."},
        headers={"HX-Request": "true", "X-CSRFToken": token},
    )
    assert saved.status_code == 200
    db.session.expire_all()
    assert db.session.get(Article, article.id).summary == "With the header."

    plain = client.post(
        f"/desk/articles/{article.id}/summary",
        data={
            "version": db.session.get(Article, article.id).summary_version,
            "summary": "With the field.",
            "csrf_token": form_token.attributes["value"],
        },
    )
    assert plain.status_code == 303


def test_action_post_needs_the_token(client, make_user, make_article):
    author = make_user(Role.AUTHOR)
    article = make_article(author=author)
    login_with_token(client, author)
    refused = client.post(
        f"/desk/articles/{article.id}/actions/submit",
        data={"version": article.version},
    )
    assert refused.status_code == 400
    db.session.expire_all()
    assert db.session.get(Article, article.id).state.value == "draft"
