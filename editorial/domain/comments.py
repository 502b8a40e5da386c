"""Comments on the blocks of an article: threads, replies, Resolve and reopen.

PRODUCT.md section 11. A thread is a root comment on one block (and, for a
section, one section), optionally quoting the words it is about, with replies
under it. Open threads are errors for Publish, Schedule and Publish update (not
for saving or submitting); `Article.open_comments` counts them, kept in the same
statement as each change so Publish can re-check "none open" in its own UPDATE.

Every function here asks the policy, never commits, and raises a DomainError
that says why it refused. No Flask import.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload

from editorial.domain import blocks, notifications
from editorial.domain.checklist import ERROR, Finding
from editorial.domain.errors import IllegalTransition, InvalidInput, NotFound
from editorial.domain.models import Article, ArticleSection, Comment, User, utcnow
from editorial.domain.policy import Permission, can

COMMENT_MAX = 2_000
QUOTE_MAX = 500

# The blocks a thread can belong to, by their registry key, with their label.
# Every kind of the registry but the lead image (its words are not commented on).
BLOCK_LABELS: dict[str, str] = {
    kind.key: kind.label for kind in blocks.KINDS if kind is not blocks.LEAD_IMAGE
}

# The workflow actions open threads block (PRODUCT.md section 11).
GATED_ACTIONS = frozenset({"publish", "schedule", "publish_update"})


@dataclass
class Thread:
    """A root comment, its replies in order, and whether its quote is gone."""

    root: Comment
    replies: list[Comment] = field(default_factory=list)
    outdated: bool = False

    @property
    def dom_id(self) -> str:
        return f"comment-{self.root.id}"

    @property
    def is_open(self) -> bool:
        return self.root.resolved_at is None


# --- reading ---------------------------------------------------------------------


def _require(user: User, permission: Permission, article: Article) -> None:
    # Someone who may not see an article's comments learns nothing about them:
    # 404, as for the article itself.
    if not can(user, permission, article):
        raise NotFound("No such article.")


def threads_by_block(
    session: Session, article: Article, user: User
) -> dict[tuple[str, int | None], list[Thread]]:
    """Every thread of the article, keyed by (block key, section id), oldest first.

    One query. Threads on a section that no longer exists are keyed
    ("section", None) and marked outdated, so their question is never lost.
    """
    _require(user, Permission.VIEW_COMMENTS, article)
    comments = session.scalars(
        select(Comment)
        .where(Comment.article_id == article.id)
        .options(joinedload(Comment.author), joinedload(Comment.resolved_by))
        .order_by(Comment.created_at, Comment.id)
    ).all()
    texts = _block_texts(article)
    roots: dict[int, Thread] = {}
    grouped: dict[tuple[str, int | None], list[Thread]] = defaultdict(list)
    for comment in comments:
        if comment.parent_id is None:
            key = (comment.block, comment.section_id)
            text = texts.get(key)
            if text is None:
                key = (comment.block, None)
            thread = Thread(comment, outdated=_is_outdated(comment.quote, text))
            roots[comment.id] = thread
            grouped[key].append(thread)
        elif comment.parent_id in roots:
            roots[comment.parent_id].replies.append(comment)
    return dict(grouped)


def _block_texts(article: Article) -> dict[tuple[str, int | None], str]:
    """The current words of each block a quote can come from."""
    texts: dict[tuple[str, int | None], str] = {
        ("meta", None): article.title,
        ("summary", None): article.summary,
        ("takeaways", None): "\n".join(t.text for t in article.takeaways),
        ("faqs", None): "\n".join(f"{f.question}\n{f.answer}" for f in article.faqs),
    }
    for section in article.sections:
        texts[("section", section.id)] = f"{section.heading}\n{section.body}"
    return texts


_SPACE_RE = re.compile(r"\s+")


def _normal(text: str) -> str:
    return _SPACE_RE.sub(" ", text).strip().casefold()


def _is_outdated(quote: str | None, text: str | None) -> bool:
    """The quoted words are no longer in their block (or the block is gone)."""
    if text is None:
        return True
    return bool(quote) and _normal(quote or "") not in _normal(text)


def open_count(session: Session, article_id: int) -> int:
    """Open threads on the article, as stored (not as loaded earlier)."""
    return int(
        session.scalar(select(Article.open_comments).where(Article.id == article_id))
        or 0
    )


def publishing_findings(session: Session, article: Article) -> list[Finding]:
    """The checklist error open threads make for Publish and Schedule."""
    count = open_count(session, article.id)
    if not count:
        return []
    first = session.scalar(
        select(Comment.id)
        .where(
            Comment.article_id == article.id,
            Comment.parent_id.is_(None),
            Comment.resolved_at.is_(None),
        )
        .order_by(Comment.created_at, Comment.id)
        .limit(1)
    )
    return [open_comments_finding(count, f"comment-{first}")]


def open_comments_finding(count: int, field_id: str) -> Finding:
    """ "2 open comments": resolve them before the text goes out."""
    return Finding(
        rule="open-comments",
        severity=ERROR,
        block="Comments",
        field=field_id,
        start=0,
        end=0,
        quote="",
        message=f"{count} open comment{'s' if count != 1 else ''}",
    )


# --- writing ---------------------------------------------------------------------


def _text(value: Any, field_name: str, label: str, maximum: int) -> str:
    text = (value if isinstance(value, str) else "").replace("\x00", "").strip()
    if not text:
        raise InvalidInput(field_name, f"{label} is required.")
    if len(text) > maximum:
        raise InvalidInput(
            field_name, f"{label} is too long (at most {maximum:,} characters)."
        )
    return text


def _section_text(
    session: Session, article: Article, block: str, section_id: Any
) -> tuple[int | None, str]:
    """Check the block (and section) exist in the database; return its words."""
    if block not in BLOCK_LABELS:
        raise NotFound("There is no such block.")
    if block != "section":
        return None, _block_texts(article)[(block, None)]
    number = section_id if isinstance(section_id, int) else None
    section = session.scalar(
        select(ArticleSection).where(
            ArticleSection.id == (number or 0),
            ArticleSection.article_id == article.id,
        )
    )
    if section is None:
        raise NotFound("There is no such section.")
    return section.id, f"{section.heading}\n{section.body}"


def add_comment(
    session: Session,
    article: Article,
    user: User,
    *,
    block: str,
    body: Any,
    section_id: int | None = None,
    quote: Any = None,
    now: datetime | None = None,
) -> Comment:
    """Start a thread on one block, optionally quoting the words it is about.

    Raises:
        NotFound: the user may not see the article, or no such block/section.
        InvalidInput: the comment is empty or too long ("comment"); the quote is
            too long or not in the block ("quote").
    """
    _require(user, Permission.COMMENT, article)
    text = _text(body, "comment", "Comment", COMMENT_MAX)
    section, words = _section_text(session, article, block, section_id)
    quoted = (quote if isinstance(quote, str) else "").replace("\x00", "").strip()
    if len(quoted) > QUOTE_MAX:
        raise InvalidInput(
            "quote", f"Quote is too long (at most {QUOTE_MAX} characters)."
        )
    if quoted and _is_outdated(quoted, words):
        raise InvalidInput("quote", "These words are not in this block.")
    comment = Comment(
        article_id=article.id,
        block=block,
        section_id=section,
        quote=quoted or None,
        body=text,
        author_id=user.id,
        created_at=now or utcnow(),
    )
    session.add(comment)
    _count_open(session, article, +1)
    session.flush()
    # In the same transaction: the article's author hears of it.
    notifications.notify_comment(
        session, article, user, [], is_reply=False, excerpt=text, now=now
    )
    return comment


def _thread_root(session: Session, article: Article, comment_id: int) -> Comment:
    """The root of the thread `comment_id` belongs to, on this article only."""
    comment = session.scalar(
        select(Comment).where(
            Comment.id == comment_id, Comment.article_id == article.id
        )
    )
    if comment is None:
        raise NotFound("There is no such comment.")
    if comment.parent_id is not None:
        comment = session.get(Comment, comment.parent_id) or comment
    return comment


def reply(
    session: Session,
    article: Article,
    user: User,
    comment_id: int,
    *,
    body: Any,
    now: datetime | None = None,
) -> Comment:
    """Answer a thread (a reply to a reply joins the same thread).

    Raises:
        NotFound: the user may not see the article, or no such comment on it.
        InvalidInput: the reply is empty or too long ("reply").
    """
    _require(user, Permission.COMMENT, article)
    root = _thread_root(session, article, comment_id)
    text = _text(body, "reply", "Reply", COMMENT_MAX)
    answer = Comment(
        article_id=article.id,
        parent_id=root.id,
        block=root.block,
        section_id=root.section_id,
        body=text,
        author_id=user.id,
        created_at=now or utcnow(),
    )
    session.add(answer)
    session.flush()
    # Everyone who wrote in the thread, and the article's author.
    participants = session.scalars(
        select(User)
        .join(Comment, Comment.author_id == User.id)
        .where((Comment.id == root.id) | (Comment.parent_id == root.id))
    ).unique()
    notifications.notify_comment(
        session, article, user, list(participants), is_reply=True, excerpt=text, now=now
    )
    return answer


def resolve(
    session: Session,
    article: Article,
    user: User,
    comment_id: int,
    *,
    now: datetime | None = None,
) -> Comment:
    """Mark a thread resolved; only one of two people resolving at once wins."""
    _require(user, Permission.RESOLVE_COMMENT, article)
    root = _thread_root(session, article, comment_id)
    done = session.execute(
        update(Comment)
        .where(Comment.id == root.id, Comment.resolved_at.is_(None))
        .values(resolved_at=now or utcnow(), resolved_by_id=user.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    if done != 1:
        raise IllegalTransition("This comment was already resolved.")
    _count_open(session, article, -1)
    session.refresh(root)
    return root


def reopen(session: Session, article: Article, user: User, comment_id: int) -> Comment:
    """Open a resolved thread again: it blocks Publish and Schedule once more."""
    _require(user, Permission.RESOLVE_COMMENT, article)
    root = _thread_root(session, article, comment_id)
    done = session.execute(
        update(Comment)
        .where(Comment.id == root.id, Comment.resolved_at.is_not(None))
        .values(resolved_at=None, resolved_by_id=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    if done != 1:
        raise IllegalTransition("This comment is already open.")
    _count_open(session, article, +1)
    session.refresh(root)
    return root


def _count_open(session: Session, article: Article, delta: int) -> None:
    """Move the article's open-thread count in the database, not in Python."""
    session.execute(
        update(Article)
        .where(Article.id == article.id)
        .values(open_comments=Article.open_comments + delta)
        .execution_options(synchronize_session=False)
    )
    session.expire(article, ["open_comments"])
