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
    session: Session,
    article: Article,
    user: User,
    block: str,
    now: datetime,
    *,
    block_version: int | None = None,
    block_text: str | None = None,
    merged_with: User | None = None,
) -> Revision:
    """Keep a copy of the working copy after a change that bumped the version.

    A text block's save also records the block's new version and text: the
    base a later save against that version merges from (domain.merge).
    """
    session.expire(article)
    revision = Revision(
        article_id=article.id,
        number=article.version,
        block=block,
        content=article.working_content().to_json(),
        created_at=now,
        created_by_id=user.id,
        block_version=block_version,
        block_text=block_text,
        merged_with_id=merged_with.id if merged_with else None,
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


def block_base(
    session: Session, article_id: int, block: str, version: int
) -> Revision | None:
    """The revision that left `block` at `version` (its text is a merge base)."""
    return session.scalars(
        select(Revision)
        .where(
            Revision.article_id == article_id,
            Revision.block == block,
            Revision.block_version == version,
        )
        .order_by(Revision.number.desc())
        .limit(1)
    ).first()


def last_writer(session: Session, article_id: int, block: str) -> User | None:
    """Who saved `block` last (the colleague a merge kept the changes of)."""
    revision = session.scalars(
        select(Revision)
        .where(Revision.article_id == article_id, Revision.block == block)
        .order_by(Revision.number.desc())
        .limit(1)
    ).first()
    return revision.created_by if revision is not None else None
