"""What a change to reader pages invalidates: exactly what shows it.

Counted in SQL statements per request (0 = served from the page cache), with
the in-process cache and, in CI, with Redis (TEST_REDIS_URL).
"""

from __future__ import annotations

import threading
import time

import pytest
from flask import Flask

from editorial.domain import workflow
from editorial.domain.signals import LISTINGS
from editorial.extensions import db
from editorial.reader import fragments
from editorial.web.page_cache import PAGE_PREFIX, release_lock, try_lock
from tests.conftest import count_queries
from tests.steps import act, edit_first_section


def _warm(client, *paths: str) -> None:
    for path in paths:
        assert client.get(path).status_code == 200, path
        with count_queries() as statements:
            assert client.get(path).status_code == 200, path
        assert statements == [], path  # now a page-cache hit


def _statements(client, path: str) -> tuple[list[str], str]:
    with count_queries() as statements:
        response = client.get(path)
    return statements, response.get_data(as_text=True)


_change_body = edit_first_section


def _publish_update(article, editor, **kwargs) -> None:
    act(article, "publish_update", editor, **kwargs)


def test_a_body_only_update_on_a_leaves_every_other_page_warm(
    client, publish, make_category, editor
):
    x, y = make_category("Harbour"), make_category("Schools")
    a = publish(category=x, title="Ferry timetable changes")
    b = publish(category=y, title="New school opens")
    pages = [f"/articles/{b.slug}", "/", f"/categories/{y.slug}", "/feed.xml"]
    _warm(client, f"/articles/{a.slug}", *pages)

    _change_body(a, editor, "The ferry now leaves at seven, not six.")
    # A typo fix: the teaser and Last updated stay, so only A's own page changes.
    _publish_update(a, editor, kind="typo")

    statements, body = _statements(client, f"/articles/{a.slug}")
    assert "The ferry now leaves at seven, not six." in body
    assert statements != []
    for path in pages:
        assert _statements(client, path)[0] == [], path


def test_an_update_that_moves_the_lists_keeps_other_bodies_warm(
    client, publish, make_category, editor
):
    """Last updated moves, so lists refresh; B's rendered body is not redone."""
    x, y = make_category("Harbour"), make_category("Schools")
    a = publish(category=x, title="Ferry timetable changes")
    b = publish(category=y, title="New school opens")
    _warm(client, f"/articles/{a.slug}", f"/articles/{b.slug}")

    _change_body(a, editor, "The ferry now leaves at seven, not six.")
    _publish_update(a, editor, kind="update")

    statements, body = _statements(client, f"/articles/{b.slug}")
    assert "New school opens" in body
    # Recomposed (its widget shows A's category), but B's body came from the
    # fragment cache: its published revision was not loaded again.
    assert statements != []
    assert not [s for s in statements if "FROM revisions" in s]
    assert (
        "The ferry now leaves at seven" in _statements(client, f"/articles/{a.slug}")[1]
    )


def test_publishing_in_x_refreshes_x_lists_and_other_widgets_not_other_categories(
    client, publish, make_category
):
    x, y, z = make_category("Harbour"), make_category("Schools"), make_category("Arts")
    publish(category=x, title="Ferry timetable changes")
    y1 = publish(category=y, title="New school opens")
    publish(category=z, title="Gallery reopens")
    _warm(
        client,
        f"/articles/{y1.slug}",
        f"/categories/{x.slug}",
        f"/categories/{z.slug}",
        "/",
    )

    fresh = publish(category=x, title="Harbour crane arrives")

    for path in (f"/categories/{x.slug}", "/", f"/articles/{y1.slug}"):
        statements, body = _statements(client, path)
        assert "Harbour crane arrives" in body, path
        assert fresh.slug in body, path
    # A category that shows nothing of X stays warm.
    assert _statements(client, f"/categories/{z.slug}")[0] == []


def test_unpublishing_removes_the_article_from_every_list_at_once(
    client, publish, make_category, editor
):
    x, y = make_category("Harbour"), make_category("Schools")
    gone = publish(category=x, title="Ferry timetable changes")
    other = publish(category=y, title="New school opens")
    lists = [
        "/",
        f"/categories/{x.slug}",
        "/feed.xml",
        "/sitemap.xml",
        "/news-sitemap.xml",
        "/search?q=ferry",
        f"/articles/{other.slug}",
    ]
    _warm(client, f"/articles/{gone.slug}", *lists)
    for path in lists:
        assert gone.slug in client.get(path).get_data(as_text=True), path

    db.session.refresh(gone)
    workflow.apply(
        db.session,
        gone,
        "unpublish",
        editor,
        expected_version=gone.version,
        note="Legal asked us to take it down.",
    )
    db.session.commit()

    assert client.get(f"/articles/{gone.slug}").status_code == 410
    for path in lists:
        assert gone.slug not in client.get(path).get_data(as_text=True), path


@pytest.mark.parametrize("app_config", [{"READER_PAGE_CACHE": False}])
def test_a_page_cache_miss_is_one_indexed_lookup(client, publish, make_category):
    """With whole pages not cached, an article page is composed from fragments."""
    publish(category=make_category("Schools"), title="New school opens")
    article = publish(category=make_category("Harbour"), title="Ferry changes")
    path = f"/articles/{article.slug}"
    first, body = _statements(client, path)
    assert len(first) >= 3  # article, its revision, categories, the widget
    second, again = _statements(client, path)
    assert len(second) == 1
    assert "FROM articles" in second[0]
    assert again == body
    assert "New school opens" in again  # the widget, from its fragment


def test_a_stale_page_is_served_while_another_process_renders_it(
    app: Flask, publish, make_category
):
    client = app.test_client()
    article = publish(category=make_category("Harbour"), title="Ferry changes")
    path = f"/articles/{article.slug}"
    _warm(client, path)
    middleware = app.extensions["page_cache"]
    middleware.versions.bump([LISTINGS])
    key = PAGE_PREFIX + "localhost" + path + "?"  # host, path, query
    assert try_lock(middleware.backend, key)  # "another process" renders
    try:
        assert _statements(client, path)[0] == []  # the stale copy, no render
        assert client.get(path).headers["X-Cache"] == "STALE"
    finally:
        release_lock(middleware.backend, key)
    assert _statements(client, path)[0] != []  # now rendered afresh


def test_a_missing_fragment_is_rendered_once_across_processes(app: Flask):
    backend = app.extensions["page_cache"].backend
    key = "reader:fragment:test"
    calls: list[str] = []
    assert try_lock(backend, key)  # another process started rendering it

    def other_process_finishes() -> None:
        time.sleep(0.05)
        backend.set(key, "rendered elsewhere")
        release_lock(backend, key)

    worker = threading.Thread(target=other_process_finishes)
    worker.start()
    value = fragments.get_or_render(backend, key, lambda: calls.append("x") or "mine")
    worker.join()
    assert value == "rendered elsewhere"
    assert calls == []
    # A fragment nobody is rendering is rendered here, once, and stored.
    assert fragments.get_or_render(backend, "reader:fragment:t2", lambda: "here") == (
        "here"
    )
    assert backend.get("reader:fragment:t2") == "here"
