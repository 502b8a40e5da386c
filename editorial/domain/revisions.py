"""The revision log: one immutable copy of the working copy per change.

Block saves (editing) and workflow actions write through `write`, with one
numbering rule: a revision's number is the article's version after the change,
which every change has just incremented under the article's row lock, so two
concurrent changes never share a number. No Flask import; nothing here commits.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from editorial.domain.content import ArticleContent
from editorial.domain.models import Article, Revision, User

# Keys of the log beside the block kinds' (domain.blocks): the first revision,
# and the copy a workflow action acted on when no save had written it yet.
CREATED = "created"
WORKFLOW = "workflow"


def latest(session: Session, article_id: int) -> Revision | None:
    """The newest revision of an article (the working copy as last saved)."""
    return session.scalars(
        select(Revision)
        .where(Revision.article_id == article_id)
        .order_by(Revision.number.desc())
        .limit(1)
    ).first()


def write(
    session: Session, article: Article, user: User, block: str, now: datetime
) -> Revision:
    """Keep a copy of the working copy after a change that bumped the version."""
    session.expire(article)
    revision = Revision(
        article_id=article.id,
        number=article.version,
        block=block,
        content=article.working_content().to_json(),
        created_at=now,
        created_by_id=user.id,
    )
    session.add(revision)
    session.flush()
    return revision


def current(
    session: Session,
    article: Article,
    content: ArticleContent,
    user: User,
    now: datetime,
) -> Revision:
    """The revision holding exactly `content` (the working copy), written if
    missing. Called after the version was bumped, like every write."""
    found = latest(session, article.id)
    if found is not None and found.content == content.to_json():
        return found
    return write(session, article, user, WORKFLOW, now)
