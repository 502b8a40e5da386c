"""Steps many tests take through the domain: act on an article, edit its first
section, sign in with a CSRF token. Each commits, as a request would."""

from __future__ import annotations

from typing import Any

from editorial.domain import editing, workflow
from editorial.domain.models import Article, User
from editorial.extensions import db
from tests.conftest import PASSWORD
from tests.desk_helpers import parse


def act(article: Article, name: str, user: User, **kwargs: Any) -> None:
    """Apply a workflow action against the article's current version."""
    db.session.refresh(article)
    workflow.apply(
        db.session, article, name, user, expected_version=article.version, **kwargs
    )
    db.session.commit()


def edit_first_section(article: Article, user: User, body: str) -> None:
    """Replace the first section's body (heading kept), as its editor would."""
    db.session.refresh(article)
    section = article.sections[0]
    editing.update_section(
        db.session,
        article,
        user,
        section.id,
        expected_version=section.version,
        heading=section.heading,
        body=body,
    )
    db.session.commit()
    db.session.refresh(article)


def login_with_token(client: Any, user: User) -> None:
    """Sign in through the login form, its CSRF token included."""
    token = (
        parse(client.get("/login"))
        .css_first('input[name="csrf_token"]')
        .attributes["value"]
    )
    response = client.post(
        "/login",
        data={"username": user.username, "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 303
