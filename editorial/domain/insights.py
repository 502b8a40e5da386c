"""Newsroom insights (PRODUCT.md section 11): the month at a glance.

Publications per day over the last 30 days, time in review (median and longest,
over reviews that ended in those 30 days), the articles waiting longest, and
counts per category. Every query reads an index — transitions by (action,
created_at), the review queue by (state, submitted_at), the denormalised
Category.published_count — so the page costs the same on a large archive as on
a small one, give or take the month's own publications. No Flask import.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased, joinedload

from editorial.domain.models import Article, Category, State, Transition, utcnow

DAYS = 30
WAITING_LIMIT = 10
# Reviews end with one of these, leaving In review.
REVIEW_ENDS = ("publish", "request_changes", "withdraw")
REVIEW_BUCKETS: tuple[tuple[str, timedelta | None], ...] = (
    ("under 1 hour", timedelta(hours=1)),
    ("1–4 hours", timedelta(hours=4)),
    ("4–24 hours", timedelta(hours=24)),
    ("1–3 days", timedelta(days=3)),
    ("over 3 days", None),
)


@dataclass(frozen=True)
class DayCount:
    day: date
    count: int


@dataclass(frozen=True)
class ReviewTimes:
    count: int
    median: timedelta | None
    longest: timedelta | None
    buckets: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class CategoryCount:
    name: str
    retired: bool
    published: int  # everything it has published now
    recent: int  # publications in the last 30 days
    in_review: int


@dataclass(frozen=True)
class Insights:
    start: date
    end: date
    days: tuple[DayCount, ...]
    reviews: ReviewTimes
    waiting: tuple[tuple[Article, timedelta], ...]
    categories: tuple[CategoryCount, ...]

    @property
    def publications(self) -> int:
        return sum(d.count for d in self.days)


def _local_day(moment: datetime, tz: ZoneInfo) -> date:
    return moment.replace(tzinfo=UTC).astimezone(tz).date()


def _utc_midnight(day: date, tz: ZoneInfo) -> datetime:
    local = datetime.combine(day, time(0), tzinfo=tz)
    return local.astimezone(UTC).replace(tzinfo=None)


def window(now: datetime, tz_name: str) -> tuple[date, date, datetime]:
    """The last 30 local days (today included) and where they start in UTC."""
    tz = ZoneInfo(tz_name)
    end = _local_day(now, tz)
    start = end - timedelta(days=DAYS - 1)
    return start, end, _utc_midnight(start, tz)


def _publications(
    session: Session, since: datetime
) -> list[tuple[datetime, int | None]]:
    """(time, category) of every Publish since `since`, from the transitions index."""
    rows = session.execute(
        select(Transition.created_at, Article.published_category_id)
        .join(Article, Article.id == Transition.article_id)
        .where(Transition.action == "publish", Transition.created_at >= since)
    ).all()
    return [(r[0], r[1]) for r in rows]


def per_day(
    moments: list[datetime], start: date, end: date, tz_name: str
) -> tuple[DayCount, ...]:
    """Count moments per local day from `start` to `end`, empty days included."""
    tz = ZoneInfo(tz_name)
    counts: dict[date, int] = {}
    for moment in moments:
        day = _local_day(moment, tz)
        counts[day] = counts.get(day, 0) + 1
    days = (end - start).days + 1
    return tuple(
        DayCount(start + timedelta(days=i), counts.get(start + timedelta(days=i), 0))
        for i in range(days)
    )


def review_times(session: Session, since: datetime) -> ReviewTimes:
    """How long the reviews that ended since `since` took, from their submission."""
    submit = aliased(Transition)
    submitted = (
        select(func.max(submit.created_at))
        .where(
            submit.article_id == Transition.article_id,
            submit.action == "submit",
            submit.created_at <= Transition.created_at,
        )
        .scalar_subquery()
    )
    rows = session.execute(
        select(Transition.created_at, submitted).where(
            Transition.action.in_(REVIEW_ENDS),
            Transition.created_at >= since,
            Transition.from_state == State.REVIEW,
        )
    ).all()
    spans = sorted(ended - began for ended, began in rows if began is not None)
    return summarise(spans)


def summarise(spans: list[timedelta]) -> ReviewTimes:
    """Median, longest and a histogram of review durations."""
    counts = [0] * len(REVIEW_BUCKETS)
    for span in spans:
        for i, (_, limit) in enumerate(REVIEW_BUCKETS):
            if limit is None or span < limit:
                counts[i] += 1
                break
    median = None
    if spans:
        seconds = statistics.median(s.total_seconds() for s in spans)
        median = timedelta(seconds=round(seconds))
    return ReviewTimes(
        count=len(spans),
        median=median,
        longest=max(spans) if spans else None,
        buckets=tuple(
            (label, n) for (label, _), n in zip(REVIEW_BUCKETS, counts, strict=True)
        ),
    )


def waiting_longest(
    session: Session, now: datetime, limit: int = WAITING_LIMIT
) -> tuple[tuple[Article, timedelta], ...]:
    """The articles in review the longest, oldest submission first."""
    articles = session.scalars(
        select(Article)
        .where(Article.state == State.REVIEW)
        .options(joinedload(Article.author), joinedload(Article.category))
        .order_by(Article.submitted_at.asc(), Article.id.asc())
        .limit(limit)
    ).all()
    return tuple((a, now - (a.submitted_at or now)) for a in articles)


def per_category(
    session: Session, recent: list[int | None]
) -> tuple[CategoryCount, ...]:
    """Published (kept on the category row), recent publications, in review."""
    in_review = dict(
        session.execute(
            select(Article.category_id, func.count())
            .where(Article.state == State.REVIEW)
            .group_by(Article.category_id)
        ).all()
    )
    recent_counts: dict[int, int] = {}
    for category_id in recent:
        if category_id is not None:
            recent_counts[category_id] = recent_counts.get(category_id, 0) + 1
    categories = session.scalars(
        select(Category).order_by(Category.retired, Category.position, Category.id)
    ).all()
    rows = [
        CategoryCount(
            name=c.name,
            retired=c.retired,
            published=c.published_count,
            recent=recent_counts.get(c.id, 0),
            in_review=in_review.get(c.id, 0),
        )
        for c in categories
    ]
    # A retired category with nothing to show is left out.
    return tuple(
        r for r in rows if not r.retired or r.published or r.recent or r.in_review
    )


def gather(session: Session, tz_name: str, now: datetime | None = None) -> Insights:
    """Everything the insights page shows, in five indexed statements."""
    now = now or utcnow()
    start, end, since = window(now, tz_name)
    publications = _publications(session, since)
    return Insights(
        start=start,
        end=end,
        days=per_day([t for t, _ in publications], start, end, tz_name),
        reviews=review_times(session, since),
        waiting=waiting_longest(session, now),
        categories=per_category(session, [c for _, c in publications]),
    )


def format_duration(span: timedelta | None) -> str:
    """'45 min', '3 h 20 min', '2 d 4 h' — the size a newsroom reads at a glance."""
    if span is None:
        return "—"
    minutes = max(0, int(span.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h {mins} min" if mins else f"{hours} h"
    return f"{mins} min"
