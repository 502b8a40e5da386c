"""Shared preview links: /preview/<token> shows the working copy to anyone who
holds a working link; revoked and expired links answer 410, wrong ones 404;
private, never indexed, never cached; guessing is throttled; creating and
revoking are audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from itsdangerous import URLSafeSerializer
from selectolax.lexbor import LexborHTMLParser
from sqlalchemy import select

from editorial.domain import editing, previews, workflow
from editorial.domain.errors import Gone, InvalidInput, NotFound
from editorial.domain.models import AuditEvent, PreviewLink, Role, utcnow
from editorial.extensions import db
from tests.conftest import count_queries

SECRET = "test-only-secret"  # tests/conftest.py base_config


@pytest.fixture
def author(make_user):
    return make_user(Role.AUTHOR)


@pytest.fixture
def draft(make_article, author):
    return make_article(author=author, title="Harbour bridge to reopen")


def _link(article, user, hours=24, now=None) -> str:
    link = previews.create(db.session, article, user, valid_for=hours, now=now)
    db.session.commit()
    return "/preview/" + previews.token_for(link, SECRET)


def _summary(article, user, text):
    db.session.refresh(article)
    editing.update_summary(
        db.session,
        article,
        user,
        expected_version=article.summary_version,
        summary=text,
    )
    db.session.commit()


# --- what the link shows ---------------------------------------------------------


def test_an_anonymous_visitor_sees_the_working_copy_with_the_banner(
    client, draft, author
):
    _summary(draft, author, "The bridge reopens on Monday, the council said.")
    response = client.get(_link(draft, author))
    assert response.status_code == 200
    tree = LexborHTMLParser(response.get_data(as_text=True))
    text = tree.body.text()
    assert "Preview — not published" in text
    assert [h.text(strip=True) for h in tree.css("h1")] == ["Harbour bridge to reopen"]
    assert "The bridge reopens on Monday, the council said." in text
    assert tree.css_first('meta[name="robots"]').attributes["content"] == "noindex"
    # The article itself is still not public.
    assert client.get(f"/articles/{draft.slug}").status_code == 404


def test_a_published_article_shows_its_unpublished_edits(
    client, make_article, author, editor
):
    article = make_article(author=author, state="published", title="Tram line opens")
    _summary(article, editor, "An edit waiting for Publish update.")
    path = _link(article, editor)
    assert "An edit waiting for Publish update." in client.get(path).get_data(
        as_text=True
    )
    reader = client.get(f"/articles/{article.slug}").get_data(as_text=True)
    assert "An edit waiting for Publish update." not in reader


def test_headers_private_noindex_and_never_cached(client, app, draft, author):
    path = _link(draft, author)
    first = client.get(path)
    assert first.headers["Cache-Control"] == "private, no-store"
    assert first.headers["X-Robots-Tag"] == "noindex"
    assert "Set-Cookie" not in first.headers
    # A second request renders again (SQL runs): it was not served from a cache…
    with count_queries() as statements:
        second = client.get(path)
    assert second.status_code == 200
    assert len(statements) > 0
    # … and the page cache holds nothing for it.
    backend = app.extensions["page_cache"].backend
    assert backend.get("reader:page:" + path + "?") is None
    # An edit shows at once.
    _summary(draft, author, "Changed after the link was shared.")
    assert "Changed after the link was shared." in client.get(path).get_data(
        as_text=True
    )


# --- revoked, expired, wrong -------------------------------------------------------


def test_a_revoked_link_answers_410_at_once(client, draft, author):
    path = _link(draft, author)
    assert client.get(path).status_code == 200
    link = db.session.scalar(select(PreviewLink))
    previews.revoke(db.session, draft, author, link.id)
    db.session.commit()
    response = client.get(path)
    assert response.status_code == 410
    assert "expired or was revoked" in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "Harbour bridge to reopen" not in response.get_data(as_text=True)


def test_an_expired_link_answers_410(client, draft, author):
    path = _link(draft, author, hours=1, now=utcnow() - timedelta(hours=1, seconds=5))
    assert client.get(path).status_code == 410


def test_a_link_works_until_its_expiry(draft, author):
    start = utcnow()
    link = previews.create(db.session, draft, author, valid_for=4, now=start)
    token = previews.token_for(link, SECRET)
    at = start + timedelta(hours=3, minutes=59)
    assert previews.resolve(db.session, token, SECRET, now=at).id == draft.id
    with pytest.raises(Gone):
        previews.resolve(db.session, token, SECRET, now=start + timedelta(hours=4))


def test_wrong_tokens_answer_404(client, draft, author):
    path = _link(draft, author)
    link = db.session.scalar(select(PreviewLink))
    forged_nonce = URLSafeSerializer(SECRET, salt="preview-link").dumps(
        [link.id, "not-the-nonce"]
    )
    other_secret = URLSafeSerializer("another-secret", salt="preview-link").dumps(
        [link.id, link.nonce]
    )
    no_such_row = URLSafeSerializer(SECRET, salt="preview-link").dumps(
        [link.id + 1000, link.nonce]
    )
    real = path.removeprefix("/preview/")
    # Change the signature's first character: its last one carries padding bits
    # that base64 decoding drops, so changing that one can leave it valid.
    payload, signature = real.rsplit(".", 1)
    flipped = "B" if signature[0] == "A" else "A"
    tampered = f"{payload}.{flipped}{signature[1:]}"
    for token in (
        tampered,
        "nothing-like-a-token",
        forged_nonce,
        other_secret,
        no_such_row,
        "a" * 500,
    ):
        response = client.get(f"/preview/{token}")
        assert response.status_code == 404, token
        assert response.headers["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("app_config", [{"PREVIEW_GUESS_LIMIT": "3 per minute"}])
def test_guessing_is_throttled_but_real_links_do_not_count(client, draft, author):
    path = _link(draft, author)
    for _ in range(5):
        assert client.get(path).status_code == 200
    for n in range(3):
        assert client.get(f"/preview/guess-{n}").status_code == 404
    throttled = client.get("/preview/guess-4")
    assert throttled.status_code == 429
    assert "Too many wrong preview addresses" in throttled.get_data(as_text=True)


# --- who may share; the audit log ------------------------------------------------


def test_create_and_revoke_are_audited(draft, author):
    link = previews.create(db.session, draft, author, valid_for="72")
    previews.revoke(db.session, draft, author, link.id)
    previews.revoke(db.session, draft, author, link.id)  # twice: nothing more
    db.session.commit()
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [(e.action, e.actor_id, e.detail) for e in events[-2:]] == [
        (
            "preview.create",
            author.id,
            f"article={draft.id} link={link.id} valid_for=72h",
        ),
        ("preview.revoke", author.id, f"article={draft.id} link={link.id}"),
    ]
    assert link.expires_at - link.created_at == timedelta(days=3)


def test_valid_for_is_one_hour_to_seven_days(draft, author):
    for hours in ("1", "4", "24", "72", "168"):
        previews.create(db.session, draft, author, valid_for=hours)
    for bad in ("0", "169", "2", "-1", "", "a week", None, "1e3"):
        with pytest.raises(InvalidInput) as refused:
            previews.create(db.session, draft, author, valid_for=bad)
        assert refused.value.field == "valid_for"
    db.session.commit()
    assert db.session.query(PreviewLink).count() == 5


def test_who_may_share(draft, author, make_user, editor):
    other = make_user(Role.AUTHOR)
    with pytest.raises(NotFound):
        previews.create(db.session, draft, other, valid_for=1)
    link = previews.create(db.session, draft, editor, valid_for=1)
    with pytest.raises(NotFound):
        previews.revoke(db.session, draft, other, link.id)
    inactive = make_user(Role.EDITOR, active=False)
    with pytest.raises(NotFound):
        previews.create(db.session, draft, inactive, valid_for=1)
    # A link of another article cannot be revoked through this one.
    elsewhere = previews.create(db.session, draft, author, valid_for=1)
    db.session.flush()
    second = editing.create_article(
        db.session, author, title="Another story", category_id=draft.category_id
    )
    with pytest.raises(NotFound):
        previews.revoke(db.session, second, author, elsewhere.id)


def test_an_author_may_share_a_piece_in_review(make_article, author):
    article = make_article(author=author, state="review")
    link = previews.create(db.session, article, author, valid_for=1)
    assert link.id is not None


# --- the editor's panel ------------------------------------------------------------


def test_share_preview_without_javascript(client, login_as, draft, author):
    login_as(author)
    response = client.post(
        f"/desk/articles/{draft.id}/previews", data={"valid_for": "168"}
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(
        f"/desk/articles/{draft.id}#share-block"
    )
    link = db.session.scalar(select(PreviewLink))
    assert link.expires_at - link.created_at == timedelta(days=7)
    page = client.get(f"/desk/articles/{draft.id}").get_data(as_text=True)
    tree = LexborHTMLParser(page)
    address = f"http://localhost/preview/{previews.token_for(link, SECRET)}"
    assert f"Preview link made: {address}" in tree.css_first(".flashes").text()
    panel = tree.css_first("#share-block")
    assert panel.css_first("h2").text() == "Share preview"
    assert [i.attributes["value"] for i in panel.css("input.share-address")] == [
        address
    ]
    assert [b.text() for b in panel.css("button")] == ["Revoke", "Share preview"]
    assert panel.css_first("label[for=valid-for]").text() == "Valid for"
    revoke = client.post(f"/desk/articles/{draft.id}/previews/{link.id}/revoke")
    assert revoke.status_code == 303
    db.session.refresh(link)
    assert link.revoked_at is not None
    assert client.get(address.removeprefix("http://localhost")).status_code == 410


def test_share_preview_with_htmx_answers_the_panel(
    client, login_as, draft, author, htmx_headers
):
    login_as(author)
    response = client.post(
        f"/desk/articles/{draft.id}/previews",
        data={"valid_for": "1"},
        headers=htmx_headers,
    )
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith('<section id="share-block"')
    assert "<html" not in body
    tree = LexborHTMLParser(body)
    assert len(tree.css("input.share-address")) == 1


def test_a_bad_valid_for_is_refused_next_to_the_field(
    client, login_as, draft, author, htmx_headers
):
    login_as(author)
    response = client.post(
        f"/desk/articles/{draft.id}/previews",
        data={"valid_for": "9999"},
        headers=htmx_headers,
    )
    assert response.status_code == 422
    tree = LexborHTMLParser(response.get_data(as_text=True))
    assert tree.css_first("#valid-for-error").text() == (
        "Choose how long the link works: from 1 hour to 7 days."
    )
    assert tree.css_first("#valid-for").attributes["aria-invalid"] == "true"
    assert db.session.query(PreviewLink).count() == 0


def test_another_author_cannot_share_or_revoke(
    client, login_as, draft, author, make_user
):
    link = previews.create(db.session, draft, author, valid_for=1)
    db.session.commit()
    login_as(make_user(Role.AUTHOR))
    assert (
        client.post(
            f"/desk/articles/{draft.id}/previews", data={"valid_for": "1"}
        ).status_code
        == 404
    )
    assert (
        client.post(f"/desk/articles/{draft.id}/previews/{link.id}/revoke").status_code
        == 404
    )
    db.session.refresh(link)
    assert link.revoked_at is None
    assert db.session.query(PreviewLink).count() == 1


def test_the_editor_lists_only_open_links(client, login_as, draft, author):
    previews.create(  # expired
        db.session, draft, author, valid_for=1, now=utcnow() - timedelta(hours=2)
    )
    revoked = previews.create(db.session, draft, author, valid_for=1)
    previews.revoke(db.session, draft, author, revoked.id)
    open_link = previews.create(db.session, draft, author, valid_for=24)
    db.session.commit()
    assert [x.id for x in previews.open_links(db.session, draft.id)] == [open_link.id]
    assert previews.has_open_link(db.session, draft.id)
    login_as(author)
    tree = LexborHTMLParser(
        client.get(f"/desk/articles/{draft.id}").get_data(as_text=True)
    )
    assert len(tree.css("#share-block input.share-address")) == 1


def test_unpublished_article_preview_still_works(client, make_article, author, editor):
    article = make_article(author=author, state="published", title="Ferry strike")
    path = _link(article, editor)
    workflow.apply(
        db.session,
        article,
        "unpublish",
        editor,
        expected_version=article.version,
        note="Legal review.",
    )
    db.session.commit()
    assert client.get(f"/articles/{article.slug}").status_code == 410
    assert client.get(path).status_code == 200
