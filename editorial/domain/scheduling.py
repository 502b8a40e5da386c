"""Scheduled publishing (PRODUCT.md section 10), without Flask.

An editor's `Schedule` (domain.workflow) stores the minute in
`articles.publish_at` (naive UTC, indexed with the state). At that minute the
scheduler claims each due article and publishes it through `workflow.apply`,
exactly as `Publish` would, as the editor who scheduled it: the checklist and
that editor's permission are checked again then. If either fails, the article
goes back to In review with a note saying why (the history shows it), and the
editor is told.

Exactly once, however many schedulers run: each article is claimed with
`SELECT … FOR UPDATE SKIP LOCKED` inside its own transaction (PostgreSQL), so a
second scheduler skips the row the first holds and finds it published once the
first commits; the workflow's own version check would refuse a second
publication anyway. SQLite has no row locks: there, one scheduler per database
file is guaranteed by an exclusive lock file (editorial.scheduler).

This module never commits; the runner commits after each article.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from editorial.domain import notifications, workflow
from editorial.domain.errors import (
    ChecklistFailed,
    InvalidInput,
    NotAllowed,
    NotFound,
    StaleVersion,
)
from editorial.domain.models import Article, State, User, utcnow

log = logging.getLogger("editorial.scheduler")

# How many due ids one pass reads at a time (then claims them one by one).
BATCH = 100


# --- Publish at: the site's wall clock <-> UTC ------------------------------------


def _zone(tz_name: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def parse_publish_at(raw: object, tz_name: str) -> datetime:
    """A `Publish at` typed in the site's time zone, as naive UTC.

    Accepts the `datetime-local` form `YYYY-MM-DDTHH:MM` (a space for the T
    too). A wall time that does not exist on that day (the hour skipped when
    clocks go forward) is refused; one that happens twice (when clocks go back)
    is the first of the two, as the zone's abbreviation shown beside it says.

    Raises:
        InvalidInput: on the `publish_at` field, with a message for the editor.
    """
    text = raw.strip() if isinstance(raw, str) else ""
    if not text:
        raise InvalidInput("publish_at", "Publish at is required.")
    try:
        wall = datetime.strptime(text.replace(" ", "T")[:16], "%Y-%m-%dT%H:%M")
    except ValueError:
        raise InvalidInput(
            "publish_at", "Publish at needs a date and a time, like 2026-12-24 18:00."
        ) from None
    if len(text) > 19:
        raise InvalidInput(
            "publish_at", "Publish at needs a date and a time, like 2026-12-24 18:00."
        )
    zone = _zone(tz_name)
    local = wall.replace(tzinfo=zone, fold=0)
    utc = local.astimezone(UTC)
    if utc.astimezone(zone).replace(tzinfo=None) != wall:
        raise InvalidInput(
            "publish_at",
            f"{wall:%H:%M} does not exist on {wall:%Y-%m-%d} in {tz_name} "
            "(the clocks go forward); choose another time.",
        )
    return utc.replace(tzinfo=None)


def local_input_value(dt: datetime | None, tz_name: str) -> str:
    """A stored UTC minute as the `datetime-local` value in the site's zone."""
    if dt is None:
        return ""
    return dt.replace(tzinfo=UTC).astimezone(_zone(tz_name)).strftime("%Y-%m-%dT%H:%M")


# --- firing -----------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What happened to one due article."""

    article_id: int
    published: bool
    reason: str = ""  # why it went back to In review
    late_by: timedelta = timedelta(0)


def due_ids(session: Session, now: datetime) -> list[int]:
    """Ids of scheduled articles whose minute has come, oldest minute first."""
    stmt = (
        select(Article.id)
        .where(Article.state == State.SCHEDULED, Article.publish_at <= now)
        .order_by(Article.publish_at, Article.id)
        .limit(BATCH)
    )
    return list(session.scalars(stmt))


def claim(session: Session, article_id: int, now: datetime) -> Article | None:
    """Lock one due article for this transaction, or None if taken or no longer due.

    On PostgreSQL the row lock is held until commit; another scheduler's claim
    skips it instead of waiting. SQLite ignores the clause (one scheduler).
    """
    return session.scalars(
        select(Article)
        .where(
            Article.id == article_id,
            Article.state == State.SCHEDULED,
            Article.publish_at <= now,
        )
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    ).first()


def fire(
    session: Session,
    article: Article,
    *,
    now: datetime | None = None,
    on_failure: Callable[[Article, User | None, str], None] | None = None,
) -> Outcome:
    """Publish a claimed article as its scheduling editor, or send it back.

    `on_failure(article, editor, reason)` runs in the same transaction when the
    publication is refused (the notification hook).
    """
    now = now or utcnow()
    editor = article.scheduled_by
    due = article.publish_at or now
    try:
        if editor is None:
            raise NotAllowed("the editor who scheduled it no longer exists")
        workflow.apply(
            session,
            article,
            "publish_scheduled",
            editor,
            expected_version=article.version,
            now=now,
            internal=True,
        )
    except (NotAllowed, NotFound):
        reason = _permission_reason(editor)
    except ChecklistFailed as error:
        reason = _checklist_reason(error)
    else:
        log.info("published article=%s late_by=%s", article.id, now - due)
        return Outcome(article.id, True, late_by=now - due)
    note = f"Scheduled publication failed: {reason}"
    if workflow.return_to_review(session, article, note, now=now) is None:
        raise StaleVersion("The article changed while it was being published.")
    # The scheduling editor is told, in the same transaction.
    notifications.notify_schedule_failed(session, article, editor, note, now=now)
    if on_failure is not None:
        on_failure(article, editor, note)
    log.warning("scheduled publication failed article=%s: %s", article.id, reason)
    return Outcome(article.id, False, reason=note, late_by=now - due)


def _permission_reason(editor: User | None) -> str:
    if editor is None:
        return "the editor who scheduled it no longer exists."
    if not editor.active:
        return f"{editor.display_name}'s account is deactivated."
    return f"{editor.display_name} may no longer publish ({editor.role.label})."


def _checklist_reason(error: ChecklistFailed) -> str:
    errors = [f for f in error.findings if getattr(f, "severity", "") == "error"]
    shown = "; ".join(f"{f.block}: {f.message}" for f in errors[:3])
    more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
    return f"the checklist found {len(errors)} error(s): {shown}{more}."
