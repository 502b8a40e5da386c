"""Comments, replies and failed scheduled publications notify exactly the right
people, in the same transaction as the event."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from editorial.domain import comments, workflow
from editorial.domain.models import Article, Notification, Role, utcnow
from editorial.extensions import db
from editorial.scheduler import run_pass


def _inbox() -> list[tuple[str, str]]:
    """(recipient username, kind) of every notification, in order."""
    rows = db.session.scalars(select(Notification).order_by(Notification.id))
    return [(n.user.username, n.kind) for n in rows]


def test_a_comment_tells_the_author_and_a_reply_tells_the_thread(
    make_user, make_article
):
    author = make_user(Role.AUTHOR, username="reporter")
    editor = make_user(Role.EDITOR, username="nightdesk")
    lawyer = make_user(Role.EDITOR, username="legal")
    bystander = make_user(Role.EDITOR, username="sports")
    article = make_article(author=author, state="review")
    db.session.execute(db.delete(Notification))  # the submission's notices
    db.session.commit()

    root = comments.add_comment(
        db.session, article, editor, block="summary", body="Which operator?"
    )
    db.session.commit()
    assert _inbox() == [("reporter", "comment")]

    comments.reply(db.session, article, author, root.id, body="The ferry one.")
    db.session.commit()
    assert _inbox()[1:] == [("nightdesk", "reply")]

    comments.reply(db.session, article, lawyer, root.id, body="Fine by legal.")
    db.session.commit()
    assert sorted(_inbox()[2:]) == [("nightdesk", "reply"), ("reporter", "reply")]
    assert "sports" not in {name for name, _ in _inbox()}
    assert bystander.id is not None


def test_a_failed_scheduled_publication_tells_its_editor(make_user, make_article):
    editor = make_user(Role.EDITOR, username="schedulingeditor")
    article = make_article(state="review")
    workflow.apply(
        db.session,
        article,
        "schedule",
        editor,
        expected_version=article.version,
        publish_at=utcnow() + timedelta(hours=1),
    )
    editor.role = Role.AUTHOR  # demoted after scheduling
    db.session.commit()
    db.session.execute(db.delete(Notification))
    db.session.execute(
        update(Article)
        .where(Article.id == article.id)
        .values(publish_at=utcnow() - timedelta(seconds=5))
    )
    db.session.commit()

    outcomes = run_pass(db.session)

    assert [o.published for o in outcomes] == [False]
    assert _inbox() == [("schedulingeditor", "schedule_failed")]
    (note,) = db.session.scalars(select(Notification.message))
    assert "may no longer publish" in note
