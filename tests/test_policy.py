"""The policy's questions beyond `can`: administering, and which articles a
user sees (as a query filter that agrees with `can(user, VIEW, article)`)."""

from __future__ import annotations

from sqlalchemy import select

from editorial.domain.models import Article, Role
from editorial.domain.policy import (
    Permission,
    can,
    may_administer,
    sees_every_article,
    visible_articles,
)
from editorial.extensions import db


def test_only_admins_administer(make_user):
    assert may_administer(make_user(Role.ADMIN))
    assert not may_administer(make_user(Role.EDITOR))
    assert not may_administer(make_user(Role.AUTHOR))
    assert not may_administer(make_user(Role.ADMIN, active=False))
    assert not may_administer(None)


def test_editors_and_admins_see_every_article_authors_their_own(make_user):
    assert sees_every_article(make_user(Role.EDITOR))
    assert sees_every_article(make_user(Role.ADMIN))
    assert not sees_every_article(make_user(Role.AUTHOR))
    assert not sees_every_article(make_user(Role.EDITOR, active=False))


def test_visible_articles_is_the_query_twin_of_can_view(make_user, make_article):
    author, other = make_user(Role.AUTHOR), make_user(Role.AUTHOR)
    mine = make_article(author=author, filled=False)
    theirs = make_article(author=other, state="review")
    everyone = [
        author,
        other,
        make_user(Role.EDITOR),
        make_user(Role.ADMIN),
        make_user(Role.EDITOR, active=False),
    ]
    for user in everyone:
        seen = set(
            db.session.scalars(
                select(Article.id).where(
                    Article.id.in_([mine.id, theirs.id]), visible_articles(user)
                )
            )
        )
        expected = {a.id for a in (mine, theirs) if can(user, Permission.VIEW, a)}
        assert seen == expected, user.username
    assert (
        db.session.scalars(
            select(Article.id).where(visible_articles(author), Article.id == theirs.id)
        ).all()
        == []
    )
    assert (
        db.session.scalars(select(Article.id).where(visible_articles(None))).all() == []
    )
