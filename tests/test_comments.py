"""domain.comments without HTTP: threads, permissions, resolve/reopen, outdated
quotes, and open threads as checklist errors for Publish (not for Submit)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from editorial.domain import comments, editing, workflow
from editorial.domain.errors import (
    ChecklistFailed,
    IllegalTransition,
    InvalidInput,
    NotFound,
)
from editorial.domain.models import Article, Comment, Role, State
from editorial.extensions import db


@pytest.fixture
def author(make_user):
    return make_user(Role.AUTHOR)


@pytest.fixture
def other(make_user):
    return make_user(Role.AUTHOR)


@pytest.fixture
def article(make_article, author):
    return make_article(author=author, state="review")


def _stored_open(article: Article) -> int:
    db.session.expire_all()
    return db.session.scalar(
        select(Article.open_comments).where(Article.id == article.id)
    )


def _comment_rows() -> int:
    return db.session.scalar(select(func.count()).select_from(Comment))


def test_a_thread_with_a_quote_and_replies(article, author, editor):
    root = comments.add_comment(
        db.session,
        article,
        editor,
        block="summary",
        body="Which council?",
        quote="approved the new budget",
    )
    first = comments.reply(db.session, article, author, root.id, body="The city's.")
    # Replying to a reply answers the same thread.
    second = comments.reply(db.session, article, editor, first.id, body="Say so.")
    db.session.commit()

    assert _stored_open(article) == 1
    threads = comments.threads_by_block(db.session, article, author)
    assert list(threads) == [("summary", None)]
    (thread,) = threads[("summary", None)]
    assert thread.root.body == "Which council?"
    assert thread.root.quote == "approved the new budget"
    assert [r.body for r in thread.replies] == ["The city's.", "Say so."]
    assert second.parent_id == root.id
    assert thread.outdated is False
    assert thread.dom_id == f"comment-{root.id}"


def test_a_thread_on_a_section_belongs_to_that_section(article, editor):
    section = article.sections[1]
    comments.add_comment(
        db.session,
        article,
        editor,
        block="section",
        section_id=section.id,
        body="Name the spokesperson.",
    )
    db.session.commit()
    threads = comments.threads_by_block(db.session, article, editor)
    assert list(threads) == [("section", section.id)]


def test_resolve_and_reopen_move_the_open_count(article, author, editor):
    a = comments.add_comment(db.session, article, editor, block="summary", body="One")
    comments.add_comment(db.session, article, editor, block="takeaways", body="Two")
    db.session.commit()
    assert _stored_open(article) == 2

    resolved = comments.resolve(db.session, article, editor, a.id)
    db.session.commit()
    assert resolved.resolved_by_id == editor.id
    assert resolved.resolved_at is not None
    assert _stored_open(article) == 1

    with pytest.raises(IllegalTransition, match="already resolved"):
        comments.resolve(db.session, article, editor, a.id)
    db.session.rollback()
    assert _stored_open(article) == 1

    # The article's author may reopen (and resolve) threads on their own piece.
    comments.reopen(db.session, article, author, a.id)
    db.session.commit()
    assert _stored_open(article) == 2
    assert db.session.get(Comment, a.id).resolved_at is None
    with pytest.raises(IllegalTransition, match="already open"):
        comments.reopen(db.session, article, author, a.id)


def test_resolving_a_reply_resolves_its_thread(article, author, editor):
    root = comments.add_comment(db.session, article, editor, block="meta", body="?")
    answer = comments.reply(db.session, article, author, root.id, body="Fixed.")
    comments.resolve(db.session, article, editor, answer.id)
    db.session.commit()
    assert db.session.get(Comment, root.id).resolved_at is not None
    assert _stored_open(article) == 0


def test_another_author_can_neither_read_nor_answer(article, editor, other):
    root = comments.add_comment(db.session, article, editor, block="summary", body="Q")
    db.session.commit()
    attempts = [
        lambda: comments.threads_by_block(db.session, article, other),
        lambda: comments.add_comment(
            db.session, article, other, block="summary", body="Mine"
        ),
        lambda: comments.reply(db.session, article, other, root.id, body="Mine"),
        lambda: comments.resolve(db.session, article, other, root.id),
        lambda: comments.reopen(db.session, article, other, root.id),
    ]
    for attempt in attempts:
        with pytest.raises(NotFound):
            attempt()
        db.session.rollback()
    assert _comment_rows() == 1
    assert _stored_open(article) == 1


def test_a_comment_of_another_article_is_not_found(
    article, make_article, author, editor
):
    elsewhere = make_article(author=author)
    root = comments.add_comment(
        db.session, elsewhere, editor, block="summary", body="Q"
    )
    db.session.commit()
    with pytest.raises(NotFound, match="no such comment"):
        comments.reply(db.session, article, editor, root.id, body="Crossed wires")
    with pytest.raises(NotFound, match="no such comment"):
        comments.resolve(db.session, article, editor, root.id)


def test_unknown_block_or_foreign_section_is_not_found(
    article, make_article, author, editor
):
    elsewhere = make_article(author=author)
    with pytest.raises(NotFound, match="no such block"):
        comments.add_comment(db.session, article, editor, block="lede", body="Q")
    with pytest.raises(NotFound, match="no such section"):
        comments.add_comment(
            db.session,
            article,
            editor,
            block="section",
            section_id=elsewhere.sections[0].id,
            body="Q",
        )
    db.session.rollback()
    assert _comment_rows() == 0


@pytest.mark.parametrize(
    ("body", "quote", "field", "message"),
    [
        ("", None, "comment", "Comment is required."),
        ("   \n ", None, "comment", "Comment is required."),
        (
            "x" * 2001,
            None,
            "comment",
            "Comment is too long (at most 2,000 characters).",
        ),
        (
            "Fine",
            "words that are not there",
            "quote",
            "These words are not in this block.",
        ),
        ("Fine", "y" * 501, "quote", "Quote is too long (at most 500 characters)."),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(
    article, editor, body, quote, field, message
):
    with pytest.raises(InvalidInput) as refused:
        comments.add_comment(
            db.session, article, editor, block="summary", body=body, quote=quote
        )
    db.session.rollback()
    assert (refused.value.field, refused.value.message) == (field, message)
    assert _comment_rows() == 0
    assert _stored_open(article) == 0


def test_an_empty_reply_is_refused(article, author, editor):
    root = comments.add_comment(db.session, article, editor, block="summary", body="Q")
    db.session.commit()
    with pytest.raises(InvalidInput) as refused:
        comments.reply(db.session, article, author, root.id, body=" ")
    assert (refused.value.field, refused.value.message) == (
        "reply",
        "Reply is required.",
    )


def test_a_quote_matches_across_spacing_and_case(article, editor):
    comment = comments.add_comment(
        db.session,
        article,
        editor,
        block="summary",
        body="Which one?",
        quote="The  council\napproved",
    )
    assert comment.quote == "The  council\napproved"


def test_a_quote_edited_away_is_outdated_and_still_shown(make_article, author, editor):
    article = make_article(author=author)
    kept = comments.add_comment(
        db.session, article, editor, block="summary", body="Fine", quote="The council"
    )
    gone = comments.add_comment(
        db.session,
        article,
        editor,
        block="summary",
        body="Which budget?",
        quote="the new budget",
    )
    db.session.commit()
    editing.update_summary(
        db.session,
        article,
        author,
        expected_version=article.summary_version,
        summary="The council approved the spending plan after a long debate.",
    )
    db.session.commit()

    (first, second) = comments.threads_by_block(db.session, article, editor)[
        ("summary", None)
    ]
    assert (first.root.id, first.outdated) == (kept.id, False)
    assert (second.root.id, second.outdated) == (gone.id, True)
    assert second.is_open  # outdated is not resolved: it still blocks Publish


def test_a_thread_on_a_removed_section_stays_open_and_outdated(
    make_article, author, editor
):
    article = make_article(author=author)
    section = article.sections[0]
    comments.add_comment(
        db.session,
        article,
        editor,
        block="section",
        section_id=section.id,
        body="Is this needed?",
    )
    db.session.commit()
    editing.remove_section(
        db.session, article, author, section.id, expected_version=section.version
    )
    db.session.commit()
    db.session.refresh(article)
    threads = comments.threads_by_block(db.session, article, editor)
    (thread,) = threads[("section", None)]
    assert thread.outdated is True
    assert _stored_open(article) == 1


# --- open threads and the workflow -------------------------------------------------


def test_open_comments_block_publish_but_not_submit(make_article, author, editor):
    draft = make_article(author=author)
    for body in ("First query", "Second query"):
        comments.add_comment(db.session, draft, editor, block="summary", body=body)
    db.session.commit()

    workflow.apply(db.session, draft, "submit", author, expected_version=draft.version)
    db.session.commit()
    assert draft.state == State.REVIEW

    with pytest.raises(ChecklistFailed) as refused:
        workflow.apply(
            db.session, draft, "publish", editor, expected_version=draft.version
        )
    db.session.rollback()
    messages = [(f.rule, f.severity, f.message) for f in refused.value.findings]
    assert messages == [("open-comments", "error", "2 open comments")]
    assert db.session.get(Article, draft.id).state == State.REVIEW


def test_one_open_comment_is_named_in_the_singular(make_article, author, editor):
    draft = make_article(author=author)
    comments.add_comment(db.session, draft, editor, block="faqs", body="Add one?")
    db.session.commit()
    with pytest.raises(ChecklistFailed) as refused:
        workflow.apply(
            db.session, draft, "publish", editor, expected_version=draft.version
        )
    assert [f.message for f in refused.value.findings] == ["1 open comment"]


def test_resolving_every_thread_lets_it_publish(make_article, author, editor):
    draft = make_article(author=author)
    root = comments.add_comment(db.session, draft, editor, block="summary", body="Q")
    db.session.commit()
    comments.resolve(db.session, draft, editor, root.id)
    db.session.commit()
    workflow.apply(db.session, draft, "publish", editor, expected_version=draft.version)
    db.session.commit()
    assert db.session.get(Article, draft.id).state == State.PUBLISHED


def test_open_comments_block_publish_update(make_article, author, editor):
    live = make_article(author=author, state="published")
    comments.add_comment(db.session, live, editor, block="summary", body="Update?")
    db.session.commit()
    with pytest.raises(ChecklistFailed):
        workflow.apply(
            db.session,
            live,
            "publish_update",
            editor,
            expected_version=live.version,
            kind="update",
        )


def test_a_thread_opened_after_the_article_was_loaded_still_blocks(
    make_article, author, editor
):
    """Publish re-checks the count in its own UPDATE, not the loaded value."""
    draft = make_article(author=author)
    draft_id, version = draft.id, draft.version
    assert draft.open_comments == 0
    with Session(db.engine) as other:
        elsewhere = other.get(Article, draft_id)
        comments.add_comment(
            other, elsewhere, other.merge(editor), block="summary", body="Wait"
        )
        other.commit()
    with pytest.raises(ChecklistFailed) as refused:
        workflow.apply(
            db.session,
            draft,
            "publish",
            editor,
            expected_version=version,
            # The in-memory copy the publishing editor had: no open comments.
            checker=lambda content: [],
        )
    db.session.rollback()
    assert [f.message for f in refused.value.findings] == ["1 open comment"]
    assert db.session.get(Article, draft_id).state == State.DRAFT
