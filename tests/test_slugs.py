"""An address taken by someone else's draft is suffixed silently: the writer
learns the address chosen, never that another draft exists (issue 13, hole 9)."""

from __future__ import annotations

from editorial.domain.models import Article, Role
from editorial.extensions import db


def test_a_taken_address_is_suffixed_without_revealing_the_other_draft(
    make_user, make_article, login_as
):
    someone = make_user(Role.AUTHOR)
    make_article(author=someone, title="Secret merger talks")  # another's draft
    writer = make_user(Role.AUTHOR)
    mine = make_article(author=writer, title="My story")
    client = login_as(writer)
    response = client.post(
        f"/desk/articles/{mine.id}/meta",
        data={
            "title": "My story",
            "category": mine.category_id,
            "slug": "secret-merger-talks",
            "version": mine.meta_version,
        },
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "already taken" not in page
    assert "The article&#39;s address is /articles/secret-merger-talks-2." in page
    assert db.session.get(Article, mine.id).slug == "secret-merger-talks-2"


def test_a_free_address_is_kept_as_asked(make_user, make_article, login_as):
    writer = make_user(Role.AUTHOR)
    mine = make_article(author=writer, title="My story")
    response = login_as(writer).post(
        f"/desk/articles/{mine.id}/meta",
        data={
            "title": "My story",
            "category": mine.category_id,
            "slug": "a-better-address",
            "version": mine.meta_version,
        },
        follow_redirects=True,
    )
    assert "The article&#39;s address is" not in response.get_data(as_text=True)
    assert db.session.get(Article, mine.id).slug == "a-better-address"
