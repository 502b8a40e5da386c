"""Block saves (domain.editing), tested without HTTP: optimistic locking per
block, who may edit, and the address's rule."""

from __future__ import annotations

import pytest

from editorial.domain import editing
from editorial.domain.content import Section
from editorial.domain.errors import InvalidInput, NotAllowed, NotFound, StaleBlock
from editorial.domain.models import Role
from editorial.extensions import db


def test_stale_block_save_changes_nothing_and_names_who(make_user, make_article):
    author = make_user(Role.AUTHOR)
    editor = make_user(Role.EDITOR)
    article = make_article(author=author)
    start = article.summary_version
    editing.update_summary(
        db.session, article, editor, expected_version=start, summary="First wins."
    )
    db.session.commit()
    with pytest.raises(StaleBlock) as info:
        editing.update_summary(
            db.session, article, author, expected_version=start, summary="Second."
        )
    db.session.rollback()
    assert info.value.changed_by == editor.display_name
    assert info.value.changed_at is not None
    assert "Quick summary was changed by" in info.value.message
    db.session.refresh(article)
    assert article.summary == "First wins."


def test_two_saves_of_one_section_exactly_one_wins(make_user, make_article):
    author = make_user(Role.AUTHOR)
    editor = make_user(Role.EDITOR)
    article = make_article(author=author)
    section = article.sections[1]
    start = section.version
    results = []
    for user, body in ((author, "Author's text."), (editor, "Editor's text.")):
        try:
            editing.update_section(
                db.session,
                article,
                user,
                section.id,
                expected_version=start,
                heading=section.heading,
                body=body,
            )
            db.session.commit()
            results.append("saved")
        except StaleBlock:
            db.session.rollback()
            results.append("conflict")
    assert results == ["saved", "conflict"]
    db.session.refresh(section)
    assert section.body == "Author's text."


def test_saves_of_different_blocks_from_same_start_both_succeed(
    make_user, make_article
):
    author = make_user(Role.AUTHOR)
    editor = make_user(Role.EDITOR)
    article = make_article(author=author)
    summary_v, takeaways_v = article.summary_version, article.takeaways_version
    meta_v, section = article.meta_version, article.sections[0]
    section_v = section.version
    editing.update_summary(
        db.session, article, author, expected_version=summary_v, summary="New summary."
    )
    editing.add_item(
        db.session,
        article,
        editor,
        "takeaways",
        expected_version=takeaways_v,
        values={"takeaway": "A fourth point."},
    )
    editing.update_meta(
        db.session,
        article,
        editor,
        expected_version=meta_v,
        title="A new title",
        category_id=article.category_id,
    )
    editing.update_section(
        db.session,
        article,
        author,
        section.id,
        expected_version=section_v,
        heading="What Happened",
        body="It happened.",
    )
    db.session.commit()
    db.session.refresh(article)
    content = article.working_content()
    assert content.summary == "New summary."
    assert content.takeaways[-1] == "A fourth point."
    assert content.title == "A new title"
    assert content.sections[0] == Section("What Happened", "It happened.")


def test_author_cannot_edit_in_review_or_others_articles(make_user, make_article):
    author = make_user(Role.AUTHOR)
    article = make_article(author=author, state="review")
    with pytest.raises(NotAllowed):
        editing.update_summary(
            db.session,
            article,
            author,
            expected_version=article.summary_version,
            summary="Sneaky edit.",
        )
    db.session.rollback()
    other = make_article()
    with pytest.raises(NotFound):
        editing.update_summary(
            db.session,
            other,
            author,
            expected_version=other.summary_version,
            summary="Not mine.",
        )


def test_slug_fixed_after_first_publication(make_user, make_article):
    editor = make_user(Role.EDITOR)
    article = make_article(state="published")
    with pytest.raises(InvalidInput):
        editing.update_meta(
            db.session,
            article,
            editor,
            expected_version=article.meta_version,
            title=article.title,
            category_id=article.category_id,
            slug="new-address",
        )
