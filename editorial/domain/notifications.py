"""Notifications: who hears about what (PRODUCT.md section 11), and the inbox.

Every `notify_*` function writes its rows in the caller's transaction, so a
notification exists exactly when the event that caused it was committed. A
recipient with an e-mail address who has not turned mail off also gets a row in
the mail outbox (`domain.outbox`), sent after the commit by the mail worker.
Nobody is notified of their own act. No Flask import; nothing here commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, joinedload

from editorial.domain import outbox
from editorial.domain.errors import InvalidInput
from editorial.domain.models import Article, Notification, Transition, User, utcnow
from editorial.domain.policy import Permission, can

LIST_LIMIT = 100  # the inbox shows the newest hundred
EMAIL_MAX = 254


def notify(
    session: Session,
    recipients: Iterable[User | None],
    *,
    kind: str,
    message: str,
    article: Article | None = None,
    actor: User | None = None,
    now: datetime | None = None,
) -> list[Notification]:
    """Write one notification per recipient (never to the actor) and queue mail."""
    now = now or utcnow()
    chosen: dict[int, User] = {}
    for user in recipients:
        if user is None or not user.active or (actor and user.id == actor.id):
            continue
        chosen.setdefault(user.id, user)
    rows = [
        Notification(
            user_id=user.id,
            kind=kind,
            article_id=article.id if article else None,
            actor_id=actor.id if actor else None,
            message=message,
            created_at=now,
        )
        for user in chosen.values()
    ]
    session.add_all(rows)
    session.flush()
    for row, user in zip(rows, chosen.values(), strict=True):
        if user.email and user.email_notifications:
            outbox.enqueue(session, row, user.email, now)
    return rows


def reviewers(session: Session, article: Article) -> list[User]:
    """Everyone the policy lets review this article (editors and admins)."""
    users = session.scalars(
        select(User).where(User.active.is_(True)).order_by(User.id)
    ).all()
    return [u for u in users if can(u, Permission.REQUEST_CHANGES, article)]


def _name(user: User | None) -> str:
    return user.display_name if user else "Someone"


def notify_transition(
    session: Session, article: Article, transition: Transition, actor: User
) -> list[Notification]:
    """Submit → the reviewers; Request changes and Publish → the author."""
    title = f"“{article.title}”"
    if transition.action == "submit":
        recipients: list[User | None] = list(reviewers(session, article))
        message = f"{_name(actor)} submitted {title} for review."
    elif transition.action == "request_changes":
        recipients = [article.author]
        message = f"{_name(actor)} requested changes to {title}: {transition.note}"
    elif transition.action == "publish":
        recipients = [article.author]
        message = f"{_name(actor)} published {title}."
    else:
        return []
    return notify(
        session,
        recipients,
        kind=transition.action,
        message=message,
        article=article,
        actor=actor,
        now=transition.created_at,
    )


def notify_comment(
    session: Session,
    article: Article,
    commenter: User,
    participants: Iterable[User | None],
    *,
    is_reply: bool,
    excerpt: str = "",
    now: datetime | None = None,
) -> list[Notification]:
    """A new comment or reply: everyone in the thread, and the article's author."""
    verb = "replied on" if is_reply else "commented on"
    text = " ".join(excerpt.split())
    quoted = f": {text[:200]}{'…' if len(text) > 200 else ''}" if text else "."
    return notify(
        session,
        [*participants, article.author],
        kind="reply" if is_reply else "comment",
        message=f"{_name(commenter)} {verb} “{article.title}”{quoted}",
        article=article,
        actor=commenter,
        now=now,
    )


def notify_schedule_failed(
    session: Session,
    article: Article,
    editor: User | None,
    reason: str,
    *,
    now: datetime | None = None,
) -> list[Notification]:
    """A scheduled publication did not happen: tell the editor who scheduled it."""
    return notify(
        session,
        [editor],
        kind="schedule_failed",
        message=(
            f"The scheduled publication of “{article.title}” did not happen: {reason}"
        ),
        article=article,
        now=now,
    )


# --- the inbox -----------------------------------------------------------------


def unread_count(session: Session, user: Any) -> int:
    """The header's count: one COUNT over the (user_id, read_at) index."""
    return session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    )


def latest(session: Session, user: Any, limit: int = LIST_LIMIT) -> list[Notification]:
    """The user's newest notifications, with their article and actor."""
    return list(
        session.scalars(
            select(Notification)
            .where(Notification.user_id == user.id)
            .options(joinedload(Notification.article), joinedload(Notification.actor))
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        )
    )


def mark_read(
    session: Session, user: Any, notification_id: int, now: datetime | None = None
) -> bool:
    """Mark one of the user's own notifications read; False if it is not theirs."""
    exists = session.scalar(
        select(func.count()).where(
            Notification.id == notification_id, Notification.user_id == user.id
        )
    )
    if not exists:
        return False
    session.execute(
        update(Notification)
        .where(
            Notification.id == notification_id,
            Notification.user_id == user.id,
            Notification.read_at.is_(None),
        )
        .values(read_at=now or utcnow())
        .execution_options(synchronize_session=False)
    )
    return True


def mark_all_read(session: Session, user: Any, now: datetime | None = None) -> int:
    """Mark every unread notification of the user read; how many were."""
    return session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=now or utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount


def set_mail_preferences(user: User, *, email: Any, enabled: bool) -> None:
    """Set where the user's notifications are mailed, and whether they are."""
    raw = email.replace("\x00", "").strip() if isinstance(email, str) else ""
    if raw:
        if len(raw) > EMAIL_MAX:
            raise InvalidInput(
                "email", f"An e-mail address has at most {EMAIL_MAX} characters."
            )
        try:
            raw = validate_email(raw, check_deliverability=False).normalized
        except EmailNotValidError as error:
            raise InvalidInput(
                "email", f"That is not an e-mail address: {error}"
            ) from None
    user.email = raw or None
    user.email_notifications = bool(enabled)
