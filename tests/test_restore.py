"""Restore from history (domain.restore and the history page's buttons): a
whole revision or one block, as a new revision, under the editing policy."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser
from sqlalchemy import func, select

from editorial.domain import editing, restore
from editorial.domain.errors import NotAllowed, NotFound, StaleVersion
from editorial.domain.models import Article, Revision, Role
from editorial.extensions import db


def _fresh(article: Article) -> Article:
    db.session.expire_all()
    return db.session.get(Article, article.id)


def _revision_now(article: Article) -> Revision:
    return db.session.scalar(
        select(Revision)
        .where(Revision.article_id == article.id)
        .order_by(Revision.number.desc())
        .limit(1)
    )


def _revisions(article: Article) -> list[tuple[int, str]]:
    return [
        (r.number, r.content)
        for r in db.session.scalars(
            select(Revision)
            .where(Revision.article_id == article.id)
            .order_by(Revision.number)
        )
    ]


def _rewrite(article: Article, user) -> None:
    """Change summary, a section, the title and the takeaways after `old`."""
    editing.update_summary(
        db.session,
        article,
        user,
        expected_version=article.summary_version,
        summary="A later summary.",
    )
    section = article.sections[0]
    editing.update_section(
        db.session,
        article,
        user,
        section.id,
        expected_version=section.version,
        heading="A later heading",
        body="A later body.",
    )
    editing.update_meta(
        db.session,
        article,
        user,
        expected_version=article.meta_version,
        title="A later title",
        category_id=article.category_id,
    )
    db.session.refresh(article)
    editing.remove_item(
        db.session,
        article,
        user,
        "takeaways",
        article.takeaways[0].id,
        expected_version=article.takeaways_version,
    )
    db.session.commit()


@pytest.fixture
def story(make_user, make_article):
    author = make_user(Role.AUTHOR)
    article = make_article(author=author)
    old = _revision_now(article)
    kept = old.article_content()
    _rewrite(article, author)
    return author, _fresh(article), old, kept


def test_restore_this_version_brings_every_block_back_as_a_new_revision(story):
    author, article, old, kept = story
    before = _revisions(article)
    versions = (article.summary_version, article.sections[0].version)
    new = restore.restore(
        db.session, article, author, old, expected_version=article.version
    )
    db.session.commit()
    saved = _fresh(article)
    assert saved.working_content().summary == kept.summary
    assert saved.title == kept.title
    assert saved.working_content().sections == kept.sections
    assert saved.working_content().takeaways == kept.takeaways
    # A new revision, marked as a restore; the older ones are untouched.
    assert new.number == max(n for n, _ in before) + 1
    assert new.block == f"restore:{old.number}"
    assert restore.restored_from(new.block) == old.number
    assert _revisions(saved)[:-1] == before
    # Open editors of the restored blocks now get a conflict, not an overwrite.
    assert saved.summary_version == versions[0] + 1
    assert saved.sections[0].version == versions[1] + 1


def test_restore_this_block_changes_only_that_block(story):
    author, article, old, kept = story
    restore.restore(
        db.session, article, author, old, "summary", expected_version=article.version
    )
    db.session.commit()
    saved = _fresh(article)
    assert saved.summary == kept.summary
    assert saved.title == "A later title"
    assert saved.sections[0].body == "A later body."
    restore.restore(
        db.session, saved, author, old, "section-0", expected_version=saved.version
    )
    db.session.commit()
    saved = _fresh(article)
    assert saved.working_content().sections[0] == kept.sections[0]
    assert saved.title == "A later title"
    restore.restore(
        db.session, saved, author, old, "takeaways", expected_version=saved.version
    )
    db.session.commit()
    assert _fresh(article).working_content().takeaways == kept.takeaways


def test_a_restore_over_a_newer_change_is_refused_and_writes_nothing(story):
    author, article, old, _ = story
    seen = article.version
    editing.update_summary(
        db.session,
        article,
        author,
        expected_version=article.summary_version,
        summary="Newer still.",
    )
    db.session.commit()
    count = len(_revisions(article))
    with pytest.raises(StaleVersion):
        restore.restore(db.session, article, author, old, expected_version=seen)
    db.session.rollback()
    assert _fresh(article).summary == "Newer still."
    assert len(_revisions(article)) == count


def test_restores_follow_the_editing_policy(story, make_user, make_article):
    author, article, old, _ = story
    other = make_user(Role.AUTHOR)
    with pytest.raises(NotFound):  # someone else's draft: not even seen
        restore.restore(
            db.session, article, other, old, expected_version=article.version
        )
    db.session.rollback()
    editor = make_user(Role.EDITOR)
    restore.restore(
        db.session, article, editor, old, "title", expected_version=article.version
    )
    db.session.commit()
    assert _fresh(article).title == old.article_content().title
    for state, who in (("review", author), ("scheduled", editor)):
        held = make_article(author=author, state=state)
        first = _revision_now(held)
        with pytest.raises(NotAllowed):  # read-only to its author / to everyone
            restore.restore(
                db.session, held, who, first, "summary", expected_version=held.version
            )
        db.session.rollback()


def test_a_revision_of_another_article_or_an_unknown_block_is_refused(
    story, make_article
):
    author, article, old, _ = story
    other = make_article(author=author)
    with pytest.raises(NotFound):
        restore.restore(db.session, other, author, old, expected_version=other.version)
    db.session.rollback()
    from editorial.domain.errors import InvalidInput

    with pytest.raises(InvalidInput):
        restore.restore(
            db.session,
            article,
            author,
            old,
            "nonsense",
            expected_version=article.version,
        )


# --- over HTTP -------------------------------------------------------------------


def test_history_offers_restore_buttons_only_to_who_may_edit(
    story, login_as, make_user, make_article
):
    author, article, old, kept = story
    page = login_as(author).get(
        f"/desk/articles/{article.id}/history?rev={old.number + 4}"
    )
    assert page.status_code == 200
    tree = LexborHTMLParser(page.get_data(as_text=True))
    buttons = [b.text() for b in tree.css("#diff-block button")]
    assert "Restore this version" in buttons
    assert "Restore this block" in buttons
    client = login_as(author)
    client.get("/logout")
    # An editor sees them on a draft; nobody on a scheduled article.
    editor = make_user(Role.EDITOR)
    tree = LexborHTMLParser(
        login_as(editor)
        .get(f"/desk/articles/{article.id}/history")
        .get_data(as_text=True)
    )
    assert tree.css_first("#diff-block .restore-form") is not None
    # An article in review is read-only to its author: no restore offered.
    held = make_article(author=author, state="review")
    client.get("/logout")
    page = login_as(author).get(f"/desk/articles/{held.id}/history")
    tree = LexborHTMLParser(page.get_data(as_text=True))
    assert tree.css_first("#diff-block") is not None
    assert tree.css_first(".restore-form") is None


def test_restore_over_http_redirects_to_the_editor_with_the_text_back(story, login_as):
    author, article, old, kept = story
    seen = article.version
    client = login_as(author)
    response = client.post(
        f"/desk/articles/{article.id}/history/{old.number}/restore/summary",
        data={"version": article.version},
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/desk/articles/{article.id}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"Restored a block of revision {old.number}." in page
    assert _fresh(article).summary == kept.summary
    history = client.get(f"/desk/articles/{article.id}/history").get_data(as_text=True)
    assert f"Restored revision {old.number}" in history
    # A stale page is sent back to the history with the reason.
    stale = client.post(
        f"/desk/articles/{article.id}/history/{old.number}/restore",
        data={"version": seen},
    )
    assert stale.status_code == 303
    assert "/history" in stale.headers["Location"]
    count = db.session.scalar(
        select(func.count())
        .select_from(Revision)
        .where(Revision.article_id == article.id)
    )
    assert count == len(_revisions(article))
