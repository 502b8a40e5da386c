"""The reader-page cache: hits cost no SQL, every change is seen at once."""

from __future__ import annotations

import pytest

from editorial import create_app
from editorial.domain import categories, editing, workflow
from editorial.domain.models import Article, Role, User
from editorial.extensions import db
from tests.conftest import FreshContextClient, base_config, count_queries


@pytest.fixture
def published(make_article, editor):
    article = make_article(state="review", title="Harbour bridge reopens")
    workflow.apply(
        db.session, article, "publish", editor, expected_version=article.version
    )
    db.session.commit()
    return article


def _edit_summary(article, user, text: str) -> None:
    db.session.refresh(article)
    editing.update_summary(
        db.session,
        article,
        user,
        expected_version=article.summary_version,
        summary=text,
    )
    db.session.commit()


def test_a_cache_hit_runs_no_sql(client, published):
    path = f"/articles/{published.slug}"
    with count_queries() as cold:
        first = client.get(path)
    with count_queries() as warm:
        second = client.get(path)
    assert first.status_code == second.status_code == 200
    assert len(cold) > 0
    assert warm == []
    assert second.get_data() == first.get_data()
    assert second.headers["ETag"] == first.headers["ETag"]
    assert (first.headers["X-Cache"], second.headers["X-Cache"]) == ("MISS", "HIT")


@pytest.mark.parametrize("path", ["/", "/feed.xml", "/sitemap.xml", "/search?q=bridge"])
def test_other_reader_pages_are_cached(client, published, path):
    client.get(path)
    with count_queries() as warm:
        assert client.get(path).status_code == 200
    assert warm == []


def test_publish_update_is_seen_at_once(client, published, editor):
    path = f"/articles/{published.slug}"
    assert "The bridge reopened" not in client.get(path).get_data(as_text=True)
    _edit_summary(published, editor, "The bridge reopened on Monday morning.")
    # An edit to the working copy alone changes nothing for readers...
    assert "The bridge reopened" not in client.get(path).get_data(as_text=True)
    db.session.refresh(published)
    workflow.apply(
        db.session,
        published,
        "publish_update",
        editor,
        expected_version=published.version,
        kind="update",
    )
    db.session.commit()
    # ...publishing it changes the article, home and feed at once.
    assert "The bridge reopened" in client.get(path).get_data(as_text=True)
    assert "The bridge reopened" in client.get("/").get_data(as_text=True)
    assert "The bridge reopened" in client.get("/feed.xml").get_data(as_text=True)


def test_unpublish_is_seen_at_once(client, published, editor):
    path = f"/articles/{published.slug}"
    assert client.get(path).status_code == 200
    workflow.apply(
        db.session,
        published,
        "unpublish",
        editor,
        expected_version=published.version,
        note="Legal review.",
    )
    db.session.commit()
    assert client.get(path).status_code == 410
    assert published.slug not in client.get("/sitemap.xml").get_data(as_text=True)


def test_a_rolled_back_action_keeps_the_cache(client, published, editor):
    path = f"/articles/{published.slug}"
    client.get(path)
    db.session.refresh(published)
    workflow.apply(
        db.session,
        published,
        "unpublish",
        editor,
        expected_version=published.version,
        note="Changed my mind.",
    )
    db.session.rollback()
    with count_queries() as warm:
        assert client.get(path).status_code == 200
    assert warm == []


def test_category_changes_are_seen_at_once(client, published, make_user):
    admin = make_user(Role.ADMIN)
    assert "Maritime" not in client.get("/").get_data(as_text=True)
    categories.rename_category(
        db.session, admin, published.published_category_id, "Maritime"
    )
    db.session.commit()
    assert "Maritime" in client.get("/").get_data(as_text=True)
    assert "Maritime" in client.get(f"/articles/{published.slug}").get_data(
        as_text=True
    )


def test_conditional_get_on_a_hit_is_304(client, published):
    path = f"/articles/{published.slug}"
    first = client.get(path)
    client.get(path)
    etag = first.headers["ETag"]
    with count_queries() as warm:
        again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert warm == []
    by_date = client.get(
        path, headers={"If-Modified-Since": first.headers["Last-Modified"]}
    )
    assert by_date.status_code == 304


def test_desk_pages_and_htmx_requests_are_never_cached(
    client, published, editor, login_as
):
    login_as(editor)
    client.get("/desk/")
    with count_queries() as second:
        response = client.get("/desk/")
    assert response.status_code == 200
    assert second, "the desk must be rendered for every request"
    assert "X-Cache" not in response.headers
    client.get("/", headers={"HX-Request": "true"})
    with count_queries() as fragment:
        client.get("/", headers={"HX-Request": "true"})
    assert fragment


@pytest.mark.parametrize("app_config", [{"CACHE_TYPE": "NullCache"}])
def test_cache_off_renders_every_time(client, published, app_config):
    path = f"/articles/{published.slug}"
    client.get(path)
    with count_queries() as again:
        assert client.get(path).status_code == 200
    assert again


@pytest.fixture
def second_app(app):
    """More app instances on the same database; their pools closed afterwards."""
    made = []

    def factory(**extra):
        other = create_app(
            {**base_config(app.config["SQLALCHEMY_DATABASE_URI"]), **extra}
        )
        other.test_client_class = FreshContextClient
        made.append(other)
        return other

    yield factory
    for other in made:
        with other.app_context():
            db.engine.dispose()


def publish_update_through(app, article_id: int, editor_id: int, summary: str) -> None:
    """Edit the summary and publish the update through another app instance.

    Takes ids, not objects: touching the test's own objects inside the other
    app's context would make the test's session borrow the other app's pool.
    """
    with app.app_context():
        article = db.session.get(Article, article_id)
        user = db.session.get(User, editor_id)
        editing.update_summary(
            db.session,
            article,
            user,
            expected_version=article.summary_version,
            summary=summary,
        )
        db.session.commit()
        workflow.apply(
            db.session,
            article,
            "publish_update",
            user,
            expected_version=article.version,
            kind="update",
        )
        db.session.commit()
        db.session.remove()


def test_two_processes_on_one_host_share_freshness(
    client, published, editor, second_app
):
    """Two app instances (as two gunicorn workers), each with its own in-process
    cache: a publish through one is seen at once through the other."""
    other = second_app()
    other_client = other.test_client()
    path = f"/articles/{published.slug}"
    assert other_client.get(path).status_code == 200
    assert client.get(path).status_code == 200
    publish_update_through(
        other, published.id, editor.id, "Published through the second worker."
    )
    assert "through the second worker" in client.get(path).get_data(as_text=True)
    assert "through the second worker" in other_client.get(path).get_data(as_text=True)


def test_two_app_hosts_share_one_redis(
    published, editor, redis_url, tmp_path, second_app
):
    """Two app instances with separate instance folders (two hosts), one Redis
    and one database: a publish through one is seen at once through the other."""
    redis_config = {
        "REDIS_URL": redis_url,
        "CACHE_TYPE": "RedisCache",
        "CACHE_REDIS_URL": redis_url,
    }
    first = second_app(**redis_config)
    second = second_app(**redis_config)
    # Separate hosts: no shared instance folder, so only Redis can carry news.
    first.instance_path = str(tmp_path / "host-a")
    second.instance_path = str(tmp_path / "host-b")
    with first.app_context():
        from editorial.extensions import cache

        cache.clear()
    path = f"/articles/{published.slug}"
    a, b = first.test_client(), second.test_client()
    assert a.get(path).status_code == b.get(path).status_code == 200
    with count_queries() as warm:
        assert a.get(path).status_code == 200
    assert warm == []
    publish_update_through(
        second, published.id, editor.id, "Seen on every host at once."
    )
    assert "Seen on every host at once." in a.get(path).get_data(as_text=True)
    assert "Seen on every host at once." in b.get(path).get_data(as_text=True)


@pytest.mark.parametrize(("value", "expected"), [(None, True), ("0", False)])
def test_whole_page_caching_is_switched_by_the_environment(
    monkeypatch, tmp_path, value, expected
):
    from editorial import config

    if value is None:
        monkeypatch.delenv("READER_PAGE_CACHE", raising=False)
    else:
        monkeypatch.setenv("READER_PAGE_CACHE", value)
    assert config.load(tmp_path)["READER_PAGE_CACHE"] is expected
