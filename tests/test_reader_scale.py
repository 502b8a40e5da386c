"""Reader pages cost a constant number of SQL statements, whatever the archive size.

The 2,000 articles are bulk-inserted straight into the tables (with their search
documents), as a large archive would look, rather than published one by one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import pytest
from sqlalchemy import event, insert, select

from editorial.domain import workflow
from editorial.domain.models import (
    Article,
    Category,
    SearchDocument,
    State,
    User,
    utcnow,
)
from editorial.extensions import db
from editorial.reader import queries
from tests.conftest import count_queries


@pytest.fixture
def app_config() -> dict[str, str]:
    """Rendering cost is measured with the page cache off (a hit costs 0 SQL
    statements: tests/test_page_cache.py)."""
    return {"CACHE_TYPE": "NullCache"}


def bulk_publish(
    *,
    count: int,
    categories: Sequence[Category],
    author: User,
    start: datetime,
    prefix: str = "bulk",
) -> None:
    """Insert `count` published articles (and their search documents) in bulk."""
    session = db.session
    rows = []
    for i in range(count):
        category = categories[i % len(categories)]
        when = start + timedelta(minutes=i)
        title = f"Archive council story {i}"
        summary = f"The council archive entry number {i}."
        rows.append(
            {
                "slug": f"{prefix}-{i}",
                "category_id": category.id,
                "author_id": author.id,
                "state": State.PUBLISHED,
                "title": title,
                "summary": summary,
                "published_title": title,
                "published_summary": summary,
                "published_category_id": category.id,
                "first_published_at": when,
                "last_published_at": when,
                "created_at": when,
                "updated_at": when,
            }
        )
    session.execute(insert(Article), rows)
    ids = session.execute(
        select(Article.id, Article.published_title, Article.published_summary).where(
            Article.slug.like(f"{prefix}-%")
        )
    ).all()
    session.execute(
        insert(SearchDocument),
        [
            {
                "article_id": row.id,
                "title": row.published_title,
                "summary": row.published_summary,
                "body": "Minutes of the council meeting, kept in the archive.",
            }
            for row in ids
        ],
    )
    workflow.refresh_category_freshness(session, {c.id for c in categories})
    session.commit()


def statements_per_page(client, paths: dict[str, str]) -> dict[str, int]:
    counts = {}
    for name, path in paths.items():
        with count_queries() as statements:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        counts[name] = len(statements)
    return counts


def test_statements_per_request_do_not_grow_with_the_archive(
    client, make_article, make_category, make_user
):
    categories = [make_category(f"Desk {i}") for i in range(5)]
    articles = [
        make_article(category=categories[i % 5], state="published") for i in range(10)
    ]
    current = articles[0]
    paths = {
        "article": f"/articles/{current.slug}",
        "home": "/",
        "category": f"/categories/{categories[0].slug}",
        "search": "/search?q=council",
        "feed": "/feed.xml",
        "news sitemap": "/news-sitemap.xml",
        "sitemap": "/sitemap.xml",
    }
    small = statements_per_page(client, paths)

    # A large archive: 2,000 articles, and more categories besides.
    extra = [make_category(f"Archive desk {i}") for i in range(20)]
    bulk_publish(
        count=1990,
        categories=categories + extra,
        author=make_user(),
        start=utcnow() - timedelta(days=60),
    )
    assert (
        db.session.scalar(
            select(db.func.count()).where(Article.state == State.PUBLISHED)
        )
        == 2000
    )
    large = statements_per_page(client, paths)

    assert large == small
    assert small["article"] <= 5  # article, revision, categories, widget, corrections
    assert small["home"] <= 3
    assert small["category"] <= 3
    assert small["search"] <= 3
    # A deep page of a long category costs the same as the first one.
    deep = statements_per_page(
        client, {"category": f"/categories/{categories[0].slug}?page=3"}
    )
    assert deep["category"] == small["category"]
    # The large archive really is on the pages.
    body = client.get("/search?q=council").get_data(as_text=True)
    # Search ranks the 500 most recent of the 2,000 matches (search.WINDOW).
    assert "More than 500 results" in body
    body = client.get(f"/articles/{current.slug}").get_data(as_text=True)
    assert body.count("Read Article") == 9


def test_the_widget_query_is_served_by_the_live_category_index(
    app, make_category, make_user
):
    categories = [make_category() for _ in range(4)]
    bulk_publish(
        count=200,
        categories=categories,
        author=make_user(),
        start=utcnow() - timedelta(days=5),
    )
    category_ids = [c.id for c in categories]
    captured: list[tuple[str, object]] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        captured.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        grouped = queries.latest_per_category(
            db.session, category_ids, 3, exclude_article_id=1
        )
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
    assert len(captured) == 1
    assert [len(v) for v in grouped.values()] == [3, 3, 3, 3]

    statement, parameters = captured[0]
    with db.engine.connect() as conn:
        if db.engine.dialect.name == "sqlite":
            plan = conn.exec_driver_sql(
                "EXPLAIN QUERY PLAN " + statement, parameters
            ).all()
            detail = " ".join(str(row[-1]) for row in plan)
        else:
            conn.exec_driver_sql("ANALYZE articles")
            conn.exec_driver_sql("SET enable_seqscan = off")
            plan = conn.exec_driver_sql("EXPLAIN " + statement, parameters).all()
            detail = "\n".join(str(row[0]) for row in plan)
    assert "ix_articles_live_category" in detail, detail
    assert "TEMP B-TREE" not in detail.upper()
