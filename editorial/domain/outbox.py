"""The mail outbox: notification e-mails queued in the event's transaction and
delivered after it commits by a worker that retries.

A worker claims due rows one by one with a conditional UPDATE (so two workers,
in two processes or on two hosts, never send the same row), sends them with no
transaction open, then marks each sent or schedules its next attempt with an
exponential back-off. Plain SQLAlchemy; no Flask, no network here.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from editorial.domain.models import MailOutbox, Notification

MAIL_QUEUED = "mail_queued"  # session.info flag: wake the worker after commit
MAX_ATTEMPTS = 12
LEASE = timedelta(minutes=5)  # a claim a crashed worker left behind expires
MAX_DELAY = timedelta(hours=1)


def enqueue(
    session: Session, notification: Notification, to_address: str, now: datetime
) -> MailOutbox:
    """Queue the e-mail for `notification` in the current transaction."""
    row = MailOutbox(
        notification_id=notification.id,
        to_address=to_address,
        created_at=now,
        next_attempt_at=now,
        attempts=0,
    )
    session.add(row)
    session.info[MAIL_QUEUED] = True
    return row


def _due(now: datetime):  # a SQL condition
    return (
        MailOutbox.sent_at.is_(None),
        MailOutbox.next_attempt_at <= now,
        MailOutbox.attempts < MAX_ATTEMPTS,
        or_(MailOutbox.claimed_until.is_(None), MailOutbox.claimed_until < now),
    )


def claim_due(session: Session, now: datetime, limit: int = 20) -> list[int]:
    """Claim up to `limit` due rows for this worker; the ids it won."""
    candidates = session.scalars(
        select(MailOutbox.id).where(*_due(now)).order_by(MailOutbox.id).limit(limit)
    ).all()
    claimed = []
    for row_id in candidates:
        won = session.execute(
            update(MailOutbox)
            .where(MailOutbox.id == row_id, *_due(now))
            .values(claimed_until=now + LEASE, attempts=MailOutbox.attempts + 1)
            .execution_options(synchronize_session=False)
        ).rowcount
        if won == 1:
            claimed.append(row_id)
    return claimed


def mark_sent(session: Session, row_id: int, now: datetime) -> None:
    session.execute(
        update(MailOutbox)
        .where(MailOutbox.id == row_id)
        .values(sent_at=now, claimed_until=None, last_error=None)
        .execution_options(synchronize_session=False)
    )


def retry_delay(attempts: int, base: timedelta) -> timedelta:
    """Back-off after the `attempts`-th failure: base, 2×base, 4×base … ≤ 1 hour."""
    return min(base * (2 ** max(attempts - 1, 0)), MAX_DELAY)


def mark_failed(
    session: Session,
    row_id: int,
    attempts: int,
    error: str,
    now: datetime,
    base: timedelta,
) -> None:
    session.execute(
        update(MailOutbox)
        .where(MailOutbox.id == row_id)
        .values(
            claimed_until=None,
            last_error=error[:500],
            next_attempt_at=now + retry_delay(attempts, base),
        )
        .execution_options(synchronize_session=False)
    )
