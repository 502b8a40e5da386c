"""Presence: who else is in the editor, in which block; cheap; expires."""

from __future__ import annotations

from datetime import timedelta

import pytest
import redis

from editorial import create_app
from editorial.domain import presence
from editorial.domain.models import Presence, Role, utcnow
from editorial.extensions import db
from tests.conftest import FreshContextClient, base_config, count_queries


@pytest.fixture
def app_config():
    """The endpoint tests read the presence table: the database store, even in
    CI where REDIS_URL is set (the two-hosts test turns Redis on itself)."""
    return {"REDIS_URL": None}


def test_clean_block_accepts_known_blocks_only():
    assert presence.clean_block("summary") == "summary"
    assert presence.clean_block("section:12") == "section:12"
    assert presence.clean_block("section:x") == ""
    assert presence.clean_block("<script>") == ""
    assert presence.clean_block(None) == ""
    assert presence.clean_block("summary\n") == ""


def test_block_labels():
    sections = {7: (1, "Timeline / What's Next"), 9: (2, "")}
    assert presence.block_label("summary", sections) == "Quick summary"
    assert presence.block_label("meta", sections) == "Title and category"
    assert presence.block_label("takeaways", sections) == "Key takeaways"
    assert presence.block_label("faqs", sections) == "People also ask"
    assert presence.block_label("section:7", sections) == (
        "Section 2: Timeline / What's Next"
    )
    assert presence.block_label("section:9", sections) == "Section 3"
    assert presence.block_label("section:99", sections) == "Sections"
    assert presence.block_label("", sections) == "the article"


@pytest.fixture(params=["database", "redis"])
def store(request, app):
    if request.param == "database":
        return presence.DatabasePresence(db.session, timeout_seconds=60)
    url = request.getfixturevalue("redis_url")
    client = redis.Redis.from_url(url)
    client.flushdb()
    return presence.RedisPresence(client, timeout_seconds=60)


def test_a_ping_answers_the_others_not_oneself(store, make_article, make_user):
    article = make_article()
    elena, tom = make_user(username="elena"), make_user(username="tom")
    now = utcnow()
    assert store.ping(article.id, elena, "summary", now) == []
    others = store.ping(article.id, tom, "section:3", now + timedelta(seconds=1))
    assert [(c.name, c.block) for c in others] == [("Elena", "summary")]
    others = store.ping(article.id, elena, "meta", now + timedelta(seconds=2))
    assert [(c.name, c.block) for c in others] == [("Tom", "section:3")]


def test_presence_expires_after_the_timeout(store, make_article, make_user):
    article = make_article()
    elena, tom = make_user(username="elena"), make_user(username="tom")
    now = utcnow()
    store.ping(article.id, elena, "summary", now)
    assert [
        c.name for c in store.others(article.id, tom.id, now + timedelta(seconds=59))
    ] == ["Elena"]
    assert store.others(article.id, tom.id, now + timedelta(seconds=61)) == []


def test_leaving_removes_at_once(store, make_article, make_user):
    article = make_article()
    elena, tom = make_user(username="elena"), make_user(username="tom")
    store.ping(article.id, elena, "summary")
    store.leave(article.id, elena.id)
    assert store.ping(article.id, tom, "") == []


def test_presence_is_per_article(store, make_article, make_user):
    one, two = make_article(), make_article()
    elena, tom = make_user(username="elena"), make_user(username="tom")
    store.ping(one.id, elena, "summary")
    assert store.ping(two.id, tom, "summary") == []


# --- the endpoint ----------------------------------------------------------------


def test_ping_endpoint_shows_who_else_is_here(
    app, make_article, make_user, login_as, htmx_headers
):
    author = make_user(Role.AUTHOR, username="elena")
    article = make_article(author=author)
    editor = make_user(Role.EDITOR, username="tom")
    section_id = article.sections[1].id
    other = app.test_client()
    other.post("/login", data={"username": "tom", "password": "correct horse battery"})
    other.post(
        f"/desk/articles/{article.id}/presence",
        data={"block": f"section:{section_id}"},
        headers=htmx_headers,
    )
    client = login_as(author)
    response = client.post(
        f"/desk/articles/{article.id}/presence",
        data={"block": "summary"},
        headers=htmx_headers,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.strip().startswith('<div id="presence"')
    assert "<html" not in html
    assert (
        'Also here: <span class="presence-who">'
        "Tom (Section 2: Official Position / Company Statement)</span>" in html
    )
    row = db.session.get(Presence, (article.id, author.id))
    assert row is not None and row.block == "summary"
    # The editor sees Elena in the summary.
    again = other.post(
        f"/desk/articles/{article.id}/presence", data={}, headers=htmx_headers
    ).get_data(as_text=True)
    assert "Elena (Quick summary)" in again
    assert editor.id != author.id


def test_ping_is_one_write_and_one_read(
    app, make_article, make_user, login_as, htmx_headers
):
    author = make_user(Role.AUTHOR, username="elena")
    article = make_article(author=author)
    client = login_as(author)
    url = f"/desk/articles/{article.id}/presence"
    client.post(url, data={"block": "summary"}, headers=htmx_headers)
    with count_queries() as statements:
        client.post(url, data={"block": "meta"}, headers=htmx_headers)
    presence_sql = [s for s in statements if "presence" in s.lower()]
    assert len(presence_sql) == 2
    assert presence_sql[0].lstrip().upper().startswith("INSERT INTO PRESENCE")
    assert presence_sql[1].lstrip().upper().startswith("SELECT")
    # The whole request: user, article, upsert, read (nothing per colleague).
    assert len(statements) <= 5, statements


def test_leave_endpoint_forgets_the_user(
    app, make_article, make_user, login_as, htmx_headers
):
    author = make_user(Role.AUTHOR, username="elena")
    article = make_article(author=author)
    client = login_as(author)
    client.post(f"/desk/articles/{article.id}/presence", headers=htmx_headers)
    assert db.session.get(Presence, (article.id, author.id)) is not None
    response = client.post(f"/desk/articles/{article.id}/presence/leave")
    assert response.status_code == 204
    assert db.session.get(Presence, (article.id, author.id)) is None


def test_ping_needs_sight_of_the_article(
    app, make_article, make_user, login_as, htmx_headers
):
    article = make_article()
    stranger = make_user(Role.AUTHOR)
    client = login_as(stranger)
    response = client.post(
        f"/desk/articles/{article.id}/presence", headers=htmx_headers
    )
    assert response.status_code == 404
    assert db.session.get(Presence, (article.id, stranger.id)) is None


def test_plain_post_redirects_to_the_editor(app, make_article, make_user, login_as):
    author = make_user(Role.AUTHOR)
    article = make_article(author=author)
    response = login_as(author).post(f"/desk/articles/{article.id}/presence")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/desk/articles/{article.id}")


def test_editor_page_lists_colleagues_and_polls(app, make_article, make_user, login_as):
    author = make_user(Role.AUTHOR, username="elena")
    article = make_article(author=author)
    editor = make_user(Role.EDITOR, username="tom")
    presence.DatabasePresence(db.session).ping(article.id, editor, "takeaways")
    db.session.commit()
    html = login_as(author).get(f"/desk/articles/{article.id}").get_data(as_text=True)
    assert 'Also here: <span class="presence-who">Tom (Key takeaways)</span>' in html
    assert 'hx-trigger="load, every 10s, presence-moved"' in html


def test_two_hosts_share_presence_through_redis(
    app, make_article, make_user, redis_url, htmx_headers
):
    """Two app instances (hosts) with REDIS_URL: each sees the other's user."""
    author = make_user(Role.AUTHOR, username="elena")
    article = make_article(author=author)
    make_user(Role.EDITOR, username="tom")
    redis.Redis.from_url(redis_url).flushdb()
    hosts = []
    for _ in range(2):
        host = create_app(
            {
                **base_config(app.config["SQLALCHEMY_DATABASE_URI"]),
                "REDIS_URL": redis_url,
            }
        )
        host.test_client_class = FreshContextClient
        hosts.append(host)
    a, b = hosts[0].test_client(), hosts[1].test_client()
    for client, name in ((a, "elena"), (b, "tom")):
        client.post(
            "/login", data={"username": name, "password": "correct horse battery"}
        )
    url = f"/desk/articles/{article.id}/presence"
    a.post(url, data={"block": "summary"}, headers=htmx_headers)
    html = b.post(url, data={"block": "meta"}, headers=htmx_headers).get_data(
        as_text=True
    )
    assert "Elena (Quick summary)" in html
    # Nothing was written to the table: Redis holds presence on these hosts.
    assert db.session.scalar(db.select(db.func.count()).select_from(Presence)) == 0
    for host in hosts:
        with host.app_context():
            db.engine.dispose()
