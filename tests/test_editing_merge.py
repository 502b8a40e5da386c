"""Merge before conflict: a text block saved against an older version keeps
both writers' changes when they do not overlap (domain.editing over
domain.merge), and says whose changes it merged with; overlapping changes are
still the conflict."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser
from sqlalchemy import select

from editorial.domain import editing
from editorial.domain.errors import StaleBlock
from editorial.domain.models import Article, Revision, Role
from editorial.extensions import db

HX = {"HX-Request": "true"}
BODY = "First paragraph stays.\n\nSecond paragraph stays.\n\nThird one. It ends here."


def _fresh(article: Article) -> Article:
    db.session.expire_all()
    return db.session.get(Article, article.id)


@pytest.fixture
def story(make_user, make_article):
    author = make_user(Role.AUTHOR)
    editor = make_user(Role.EDITOR)
    article = make_article(author=author)
    section = article.sections[0]
    editing.update_section(
        db.session,
        article,
        author,
        section.id,
        expected_version=section.version,
        heading="What happened",
        body=BODY,
    )
    db.session.commit()
    return author, editor, _fresh(article)


def _save(article, user, version, body, heading="What happened"):
    section = article.sections[0]
    return editing.update_section(
        db.session,
        article,
        user,
        section.id,
        expected_version=version,
        heading=heading,
        body=body,
    )


def test_different_paragraphs_of_one_section_both_survive(story):
    author, editor, article = story
    seen = article.sections[0].version
    assert _save(article, editor, seen, BODY.replace("First", "The first")) is None
    db.session.commit()
    merged = _save(article, author, seen, BODY.replace("Third one.", "Third, edited."))
    db.session.commit()
    assert merged == editor.display_name
    body = _fresh(article).sections[0].body
    assert "The first paragraph stays." in body
    assert "Third, edited. It ends here." in body
    revision = db.session.scalar(
        select(Revision)
        .where(Revision.article_id == article.id)
        .order_by(Revision.number.desc())
        .limit(1)
    )
    # The revision records both writers.
    assert revision.created_by_id == author.id
    assert revision.merged_with_id == editor.id


def test_different_sentences_of_one_paragraph_both_survive(story):
    author, editor, article = story
    seen = article.sections[0].version
    _save(article, editor, seen, BODY.replace("Third one.", "Third one, indeed."))
    db.session.commit()
    _save(article, author, seen, BODY.replace("It ends here.", "It ends now."))
    db.session.commit()
    assert "Third one, indeed. It ends now." in _fresh(article).sections[0].body


def test_the_same_sentence_changed_twice_is_the_conflict_and_nothing_is_lost(story):
    author, editor, article = story
    seen = article.sections[0].version
    _save(article, editor, seen, BODY.replace("Second paragraph", "Editor's second"))
    db.session.commit()
    with pytest.raises(StaleBlock):
        _save(
            article, author, seen, BODY.replace("Second paragraph", "Author's second")
        )
    db.session.rollback()
    assert "Editor's second stays." in _fresh(article).sections[0].body


def test_a_heading_changed_on_one_side_merges_with_a_body_changed_on_the_other(
    story,
):
    author, editor, article = story
    seen = article.sections[0].version
    _save(article, editor, seen, BODY, heading="What happened on Monday")
    db.session.commit()
    _save(article, author, seen, BODY.replace("First", "1st"))
    db.session.commit()
    section = _fresh(article).sections[0]
    assert section.heading == "What happened on Monday"
    assert section.body.startswith("1st paragraph")


def test_summary_sentences_merge(make_user, make_article):
    author = make_user(Role.AUTHOR)
    editor = make_user(Role.EDITOR)
    article = make_article(author=author)
    editing.update_summary(
        db.session,
        article,
        author,
        expected_version=article.summary_version,
        summary="The council met. It voted on the budget.",
    )
    db.session.commit()
    seen = _fresh(article).summary_version
    editing.update_summary(
        db.session,
        article,
        editor,
        expected_version=seen,
        summary="The council met on Monday. It voted on the budget.",
    )
    db.session.commit()
    merged = editing.update_summary(
        db.session,
        article,
        author,
        expected_version=seen,
        summary="The council met. It passed the budget.",
    )
    db.session.commit()
    assert merged == editor.display_name
    assert _fresh(article).summary == "The council met on Monday. It passed the budget."


def test_over_http_the_second_writer_sees_merged_with_changes_by(story, login_as):
    author, editor, article = story
    section = article.sections[0]
    seen = section.version
    _save(article, editor, seen, BODY.replace("First", "The first"))
    db.session.commit()
    response = login_as(author).post(
        f"/desk/articles/{article.id}/sections/{section.id}",
        data={
            f"section-{section.id}.version": seen,
            f"section-{section.id}.heading": "What happened",
            f"section-{section.id}.body": BODY.replace("Third one.", "Third, edited."),
        },
        headers=HX,
    )
    assert response.status_code == 200
    tree = LexborHTMLParser(response.get_data(as_text=True))
    status = tree.css_first(f"#section-{section.id}-status").text().strip()
    assert status == f"Merged with changes by {editor.display_name}"
    shown = tree.css_first("#section-0-body").text()
    assert "The first paragraph" in shown and "Third, edited." in shown
