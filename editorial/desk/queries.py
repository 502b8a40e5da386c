"""The dashboard's queries: filters, groups per state, capped counts.

Plain SQLAlchemy over a session; no Flask here (the view passes the request's
arguments in as a mapping).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, literal, select, union_all
from sqlalchemy.orm import Session, joinedload

from editorial.domain.models import Article, Category, State, User, parse_db_int
from editorial.domain.policy import Actor, sees_every_article, visible_articles

PAGE_SIZE = 25
COUNT_CAP = 1000  # groups larger than this show "1000+"
GROUP_HEADINGS = {
    State.DRAFT: "Drafts",
    State.REVIEW: "In review",
    State.SCHEDULED: "Scheduled",
    State.PUBLISHED: "Published",
}
EMPTY_LINES = {
    State.DRAFT: "No drafts.",
    State.REVIEW: "Nothing is waiting for review.",
    State.SCHEDULED: "Nothing is scheduled.",
    State.PUBLISHED: "Nothing published yet.",
}


@dataclass(frozen=True)
class Filters:
    """The dashboard's GET filters, parsed leniently (bad values are ignored)."""

    category: int | None = None
    author: int | None = None
    state: State | None = None
    q: str = ""

    @classmethod
    def from_args(cls, args: Mapping[str, str], may_filter_author: bool) -> Filters:
        def number(name: str) -> int | None:
            return parse_db_int(args.get(name, ""))

        try:
            state = State(args.get("state", ""))
        except ValueError:
            state = None
        return cls(
            category=number("category"),
            author=number("author") if may_filter_author else None,
            state=state,
            q=args.get("q", "").replace("\x00", "").strip()[:100],
        )

    def apply(self, stmt: Any) -> Any:
        if self.category is not None:
            stmt = stmt.where(Article.category_id == self.category)
        if self.author is not None:
            stmt = stmt.where(Article.author_id == self.author)
        if self.state is not None:
            stmt = stmt.where(Article.state == self.state)
        if self.q:
            escaped = (
                self.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            )
            stmt = stmt.where(Article.title.ilike(f"%{escaped}%", escape="\\"))
        return stmt

    @property
    def active(self) -> bool:
        return bool(self.category or self.author or self.state or self.q)


@dataclass(frozen=True)
class Group:
    """One dashboard group: a state's heading, its count and one page of rows."""

    state: State
    heading: str
    count: int
    rows: list[Article]
    page: int
    pages: int
    page_param: str
    queue: bool = False
    capped: bool = False


@dataclass(frozen=True)
class Dashboard:
    """Everything the dashboard shows: the groups and the filters' choices."""

    filters: Filters
    see_all: bool
    groups: list[Group]
    categories: list[Category]
    authors: list[User]


def dashboard(session: Session, user: Actor, args: Mapping[str, str]) -> Dashboard:
    """The dashboard of `user` for these GET arguments (filters and pages)."""
    see_all = sees_every_article(user)
    filters = Filters.from_args(args, see_all)
    categories = session.scalars(
        select(Category).order_by(Category.retired, Category.position, Category.id)
    ).all()
    authors = (
        session.scalars(select(User).order_by(User.display_name)).all()
        if see_all
        else []
    )
    return Dashboard(
        filters=filters,
        see_all=see_all,
        groups=groups(session, user, filters, args),
        categories=list(categories),
        authors=list(authors),
    )


def page_number(args: Mapping[str, str], name: str) -> int:
    """A page argument, clamped to 1 … 10,000 (bad values are page 1)."""
    value = parse_db_int(args.get(name, "1"))
    return max(1, min(value, 10_000)) if value is not None else 1


def groups(
    session: Session, user: Actor, filters: Filters, args: Mapping[str, str]
) -> list[Group]:
    """Count per state in one query, then one joined query per group's page."""
    see_all = sees_every_article(user)
    base = filters.apply(select(Article).where(visible_articles(user)))
    counts = _capped_counts(session, base)
    # Editors work the review queue first, oldest submission first.
    order = (
        (State.REVIEW, State.SCHEDULED, State.DRAFT, State.PUBLISHED)
        if see_all
        else (State.DRAFT, State.REVIEW, State.SCHEDULED, State.PUBLISHED)
    )
    found = []
    for state in order:
        count = counts.get(state, 0)
        capped = count > COUNT_CAP
        param = f"{state.value}_page"
        pages = max(1, -(-count // PAGE_SIZE))
        wanted = page_number(args, param)
        page = wanted if capped else min(wanted, pages)
        rows = _page_rows(session, base, state, page) if count else []
        if capped:
            # Past the cap the exact total is not counted: offer a next page
            # while this one is full.
            count = COUNT_CAP
            pages = page + 1 if len(rows) == PAGE_SIZE else page
        found.append(
            Group(
                state=state,
                heading=GROUP_HEADINGS[state],
                count=count,
                rows=rows,
                page=page,
                pages=pages,
                page_param=param,
                queue=see_all and state == State.REVIEW,
                capped=capped,
            )
        )
    return found


def _page_rows(session: Session, base: Any, state: State, page: int) -> list[Article]:
    sort = {
        State.REVIEW: (Article.submitted_at.asc(), Article.id.asc()),
        # Next to go out first.
        State.SCHEDULED: (Article.publish_at.asc(), Article.id.asc()),
    }.get(state, (Article.updated_at.desc(), Article.id.desc()))
    return list(
        session.scalars(
            base.where(Article.state == state)
            .options(
                joinedload(Article.category),
                joinedload(Article.author),
                joinedload(Article.updated_by),
            )
            .order_by(*sort)
            .limit(PAGE_SIZE)
            .offset((page - 1) * PAGE_SIZE)
        )
    )


def _capped_counts(session: Session, base: Any) -> dict[State, int]:
    """Articles per state, each counted only up to COUNT_CAP + 1, in one statement.

    Counting every row would make the dashboard slower as the archive grows; a
    newsroom needs "1,000+", not the exact size of its archive.
    """
    parts = []
    for state in State:
        capped = (
            base.with_only_columns(Article.id)
            .where(Article.state == state)
            .limit(COUNT_CAP + 1)
            .subquery()
        )
        parts.append(
            select(
                literal(state.value).label("state"), func.count().label("n")
            ).select_from(capped)
        )
    rows = session.execute(union_all(*parts)).all()
    return {State(row.state): row.n for row in rows}
