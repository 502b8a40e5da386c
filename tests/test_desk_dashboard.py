"""The desk dashboard and New article: pages, fragments, filters, permissions."""

from __future__ import annotations

from sqlalchemy import select, update

from editorial.domain.models import Article, Role, State
from editorial.extensions import db
from tests.conftest import count_queries
from tests.desk_helpers import is_fragment, parse


def _group_titles(response, state: str) -> list[str]:
    section = parse(response).css_first(f'section[aria-labelledby="group-{state}"]')
    assert section is not None
    return [a.text() for a in section.css("tbody td:first-child a")]


def test_anonymous_is_sent_to_login(client):
    response = client.get("/desk/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_author_sees_own_articles_grouped(make_user, make_article, login_as):
    author, other = make_user(Role.AUTHOR), make_user(Role.AUTHOR)
    make_article(author=author, title="Mine draft")
    make_article(author=author, title="Mine in review", state="review")
    make_article(author=other, title="Someone else's")
    client = login_as(author)
    response = client.get("/desk/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    tree = parse(response)
    headings = [h.text(deep=False).strip() for h in tree.css(".group h2")]
    assert headings == ["Drafts", "In review", "Scheduled", "Published"]
    assert _group_titles(response, "draft") == ["Mine draft"]
    assert _group_titles(response, "review") == ["Mine in review"]
    assert "Someone else" not in html
    assert "Nothing published yet." in html
    assert "(1)" in tree.css_first("#group-draft").text()
    assert "(0)" in tree.css_first("#group-published").text()
    assert response.headers["Cache-Control"] == "private, no-store"


def test_empty_dashboard_shows_every_group_with_empty_line(make_user, login_as):
    client = login_as(make_user(Role.AUTHOR))
    html = client.get("/desk/").get_data(as_text=True)
    for text in (
        "Drafts",
        "In review",
        "Published",
        "Scheduled",
        "No drafts.",
        "Nothing is waiting for review.",
        "Nothing published yet.",
        "Nothing is scheduled.",
    ):
        assert text in html


def test_editor_sees_review_queue_first_oldest_first(make_user, make_article, login_as):
    editor = make_user(Role.EDITOR)
    old = make_article(title="Submitted first", state="review")
    new = make_article(title="Submitted later", state="review")
    make_article(title="A draft")
    db.session.execute(
        update(Article)
        .where(Article.id == new.id)
        .values(submitted_at=old.submitted_at.replace(year=old.submitted_at.year + 1))
    )
    db.session.commit()
    response = login_as(editor).get("/desk/")
    headings = [h.text(deep=False).strip() for h in parse(response).css(".group h2")]
    assert headings == ["In review", "Scheduled", "Drafts", "Published"]
    assert _group_titles(response, "review") == ["Submitted first", "Submitted later"]
    assert _group_titles(response, "draft") == ["A draft"]
    row = parse(response).css_first('section[aria-labelledby="group-draft"] tbody tr')
    assert "Category" in row.text() and "by" in row.text()


def test_filters_and_htmx_list_fragment(
    make_user, make_article, make_category, login_as, htmx_headers
):
    editor = make_user(Role.EDITOR)
    a1, a2 = make_user(Role.AUTHOR), make_user(Role.AUTHOR)
    sport, news = make_category("Sport"), make_category("News")
    make_article(author=a1, category=sport, title="Cup final tonight")
    make_article(author=a2, category=news, title="Council budget 50% done")
    client = login_as(editor)

    page = client.get(f"/desk/?category={sport.id}")
    assert _group_titles(page, "draft") == ["Cup final tonight"]
    page = client.get(f"/desk/?author={a2.id}")
    assert _group_titles(page, "draft") == ["Council budget 50% done"]
    page = client.get("/desk/?q=50%25")
    assert _group_titles(page, "draft") == ["Council budget 50% done"]
    page = client.get("/desk/?q=cup")
    assert _group_titles(page, "draft") == ["Cup final tonight"]
    page = client.get("/desk/?state=published")
    assert _group_titles(page, "draft") == []
    assert "No drafts match these filters." in page.get_data(as_text=True)
    # The filter form keeps its values on reload (same URL → same list).
    assert (
        parse(page).css_first("#filter-state option[selected]").attributes["value"]
        == "published"
    )

    fragment = client.get("/desk/?q=cup", headers=htmx_headers)
    assert fragment.status_code == 200
    assert is_fragment(fragment, "article-list")
    assert _group_titles(fragment, "draft") == ["Cup final tonight"]
    assert "HX-Request" in fragment.headers["Vary"]
    # A history restore asks for the whole page again.
    restore = client.get(
        "/desk/?q=cup", headers={**htmx_headers, "HX-History-Restore-Request": "true"}
    )
    assert "<html" in restore.get_data(as_text=True)


def test_bad_filter_values_are_ignored(make_user, make_article, login_as):
    make_article(title="A draft")
    make_article(title="In review", state="review")
    make_article(title="Out now", state="published")
    client = login_as(make_user(Role.EDITOR))
    plain = client.get("/desk/")
    response = client.get("/desk/?category=abc&author=-1&state=nope&draft_page=x")
    assert response.status_code == 200
    # Ignored, not applied: the same articles as with no filter at all, and
    # no filter shows a value it did not understand.
    for state in ("draft", "review", "published"):
        assert _group_titles(response, state) == _group_titles(plain, state)
    assert _group_titles(response, "draft") == ["A draft"]
    assert _group_titles(response, "review") == ["In review"]
    assert _group_titles(response, "published") == ["Out now"]
    tree = parse(response)
    for name in ("category", "author", "state"):
        chosen = tree.css_first(f"#filter-{name} option[selected]")
        assert chosen is None or chosen.attributes.get("value") in ("", None), name


def test_author_cannot_filter_by_other_author(make_user, make_article, login_as):
    author, other = make_user(Role.AUTHOR), make_user(Role.AUTHOR)
    make_article(author=other, title="Other's")
    response = login_as(author).get(f"/desk/?author={other.id}")
    assert "Other&#39;s" not in response.get_data(as_text=True)
    assert "Other's" not in response.get_data(as_text=True)


def test_pagination_per_group(make_user, make_article, make_category, login_as):
    author = make_user(Role.AUTHOR)
    category = make_category()
    for n in range(27):
        make_article(
            author=author, category=category, title=f"Piece {n:02d}", filled=False
        )
    client = login_as(author)
    first = client.get("/desk/")
    assert len(_group_titles(first, "draft")) == 25
    assert "Page 1 of 2" in first.get_data(as_text=True)
    second = client.get("/desk/?draft_page=2")
    assert len(_group_titles(second, "draft")) == 2


def _count_dashboard(client) -> int:
    with count_queries() as statements:
        response = client.get("/desk/")
    assert response.status_code == 200
    return len(statements)


def test_dashboard_statement_count_is_constant(
    make_user, make_article, make_category, login_as
):
    editor = make_user(Role.EDITOR)
    authors = [make_user(Role.AUTHOR) for _ in range(3)]
    categories = [make_category() for _ in range(3)]
    client = login_as(editor)

    def add(n: int) -> None:
        for i in range(n):
            make_article(
                author=authors[i % 3], category=categories[i % 3], filled=False
            )

    def spread() -> None:
        # Every group holds articles, so every group runs its page query.
        db.session.execute(
            update(Article).where(Article.id % 3 == 0).values(state=State.REVIEW)
        )
        db.session.execute(
            update(Article).where(Article.id % 3 == 1).values(state=State.PUBLISHED)
        )
        db.session.commit()

    add(5)
    spread()
    small = _count_dashboard(client)
    add(55)
    spread()
    assert db.session.scalar(select(db.func.count()).select_from(Article)) == 60
    large = _count_dashboard(client)
    assert small == large


def test_new_article_page_fragment_and_post(
    make_user, make_category, login_as, htmx_headers
):
    author = make_user(Role.AUTHOR)
    category = make_category("World")
    client = login_as(author)
    page = client.get("/desk/articles/new")
    assert page.status_code == 200 and "<html" in page.get_data(as_text=True)
    fragment = client.get("/desk/articles/new", headers=htmx_headers)
    assert is_fragment(fragment, "new-article")

    refused = client.post("/desk/articles/new", data={"title": "", "category": ""})
    assert refused.status_code == 422
    assert parse(refused).css_first("#title-error") is not None

    created = client.post(
        "/desk/articles/new",
        data={"title": "Floods in the north", "category": str(category.id)},
    )
    assert created.status_code == 303
    article = db.session.scalar(select(Article))
    assert created.headers["Location"] == f"/desk/articles/{article.id}"
    assert [s.heading for s in article.sections][0] == "What Happened / Key Details"

    via_htmx = client.post(
        "/desk/articles/new",
        data={"title": "Second", "category": str(category.id)},
        headers=htmx_headers,
    )
    assert via_htmx.status_code == 204
    assert via_htmx.headers["HX-Redirect"].startswith("/desk/articles/")


def test_retired_category_is_not_offered_for_new_articles(
    make_user, make_category, login_as
):
    make_category("Active one")
    retired = make_category("Old one", retired=True)
    client = login_as(make_user(Role.AUTHOR))
    html = client.get("/desk/articles/new").get_data(as_text=True)
    assert "Active one" in html and "Old one" not in html
    refused = client.post(
        "/desk/articles/new", data={"title": "X", "category": str(retired.id)}
    )
    assert refused.status_code == 422


def test_large_groups_are_counted_only_up_to_a_cap(
    client, make_user, make_article, login_as, monkeypatch
):
    from editorial.desk import queries

    monkeypatch.setattr(queries, "COUNT_CAP", 3)
    monkeypatch.setattr(queries, "PAGE_SIZE", 2)
    author = make_user(Role.AUTHOR)
    for n in range(5):
        make_article(author=author, title=f"Capped draft {n}", filled=False)
    login_as(author)
    page = client.get("/desk/").get_data(as_text=True)
    assert "(3+)" in page
    assert "Page 1<" in page and "Page 1 of" not in page
    assert "draft_page=2" in page
    last = client.get("/desk/?draft_page=3").get_data(as_text=True)
    assert "Capped draft 0" in last
    assert "draft_page=4" not in last


def test_scheduled_group_lists_the_next_to_go_out_first(
    make_user, make_article, login_as
):
    editor = make_user(Role.EDITOR)
    later = make_article(title="Goes out Friday", state="scheduled")
    sooner = make_article(title="Goes out Thursday", state="scheduled")
    db.session.execute(
        update(Article)
        .where(Article.id == later.id)
        .values(publish_at=sooner.publish_at.replace(year=sooner.publish_at.year + 1))
    )
    db.session.commit()
    response = login_as(editor).get("/desk/")
    assert _group_titles(response, "scheduled") == [
        "Goes out Thursday",
        "Goes out Friday",
    ]
    row = parse(response).css_first(
        'section[aria-labelledby="group-scheduled"] tr td[data-label="State"]'
    )
    assert row.text().startswith("Scheduled for ")
