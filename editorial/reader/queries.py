"""The reader site's queries: a fixed handful per page, whatever the archive's size.

Lists read only the denormalised published_* columns of `articles` (never the
working copy, never a revision document), through the indexes
ix_articles_live_category (state, published_category_id, last_published_at) and
ix_articles_live_recent (state, last_published_at). No Flask import.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, bindparam, func, select, union_all
from sqlalchemy.orm import Session, joinedload

from editorial.domain import search
from editorial.domain.models import Article, Category, Correction, State, User

_TEASER_COLUMNS = (
    Article.id,
    Article.slug,
    Article.published_title,
    Article.published_summary,
    Article.published_category_id,
    Article.first_published_at,
    Article.last_published_at,
    Article.published_image,
)


@dataclass(frozen=True)
class Teaser:
    """What a list shows of a published article."""

    id: int
    slug: str
    title: str
    summary: str
    category_id: int | None
    first_published_at: datetime
    last_published_at: datetime
    author_name: str = ""
    # The lead image's teaser fields: alt, thumb and large (name, width,
    # height, mime), from Article.published_image; None without an image.
    image: dict[str, Any] | None = None

    @classmethod
    def from_row(cls, row, author_name: str = "") -> Teaser:
        return cls(
            id=row.id,
            slug=row.slug,
            title=row.published_title or "",
            summary=row.published_summary or "",
            category_id=row.published_category_id,
            first_published_at=row.first_published_at,
            last_published_at=row.last_published_at,
            author_name=author_name,
            image=_image(row.published_image),
        )


@lru_cache(maxsize=4096)
def _parsed_image(raw: str) -> Any:
    return json.loads(raw)


def _image(raw: str | None) -> dict[str, Any] | None:
    """The teaser image fields (parsed once per distinct value)."""
    return _parsed_image(raw) if raw else None


def _live() -> Select:
    return select(*_TEASER_COLUMNS).where(Article.state == State.PUBLISHED)


def live_categories(session: Session) -> list[Category]:
    """Every non-retired category in navigation order (one statement)."""
    return list(
        session.scalars(
            select(Category)
            .where(Category.retired.is_(False))
            .order_by(Category.position, Category.name)
        )
    )


def category_by_slug(categories: Iterable[Category], slug: str) -> Category | None:
    """The live category with this slug, among those already loaded."""
    return next((c for c in categories if c.slug == slug), None)


def search_hits(
    session: Session, query: str, page: int, per_page: int
) -> tuple[list[search.SearchHit], int, str | None]:
    """One page of search hits, their total, and what is wrong with the query
    (None when it ran; then no hits)."""
    try:
        hits, total = search.search(session, query, page, per_page)
    except search.QueryProblem as error:
        return [], 0, str(error)
    return hits, total, None


def by_freshness(categories: Iterable[Category]) -> list[Category]:
    """Categories with something published, the freshest publication first."""
    published = [c for c in categories if c.last_published_at is not None]
    return sorted(published, key=lambda c: (c.last_published_at, c.id), reverse=True)


@lru_cache(maxsize=64)
def _latest_statement(branches: int, per_category: int, exclude: bool) -> Any:
    """The UNION ALL statement for `branches` categories, built once per shape
    with bound parameters: building it anew cost more than running it."""
    parts = []
    for i in range(branches):
        branch = _live().where(Article.published_category_id == bindparam(f"c{i}"))
        if exclude:
            branch = branch.where(Article.id != bindparam("exclude"))
        branch = branch.order_by(
            Article.last_published_at.desc(), Article.id.desc()
        ).limit(per_category)
        # Wrapped, because SQLite refuses ORDER BY/LIMIT directly in a compound.
        parts.append(select(branch.subquery()))
    return parts[0] if len(parts) == 1 else union_all(*parts)


def latest_per_category(
    session: Session,
    category_ids: Sequence[int],
    per_category: int,
    *,
    exclude_article_id: int | None = None,
) -> dict[int, list[Teaser]]:
    """The latest published pieces of each category, as ONE UNION ALL statement.

    Each branch is an `ORDER BY last_published_at DESC LIMIT n` served by
    ix_articles_live_category, so the cost follows the number of categories asked
    for, never the number of articles.
    """
    if not category_ids:
        return {}
    statement = _latest_statement(
        len(category_ids), per_category, exclude_article_id is not None
    )
    params: dict[str, int] = {f"c{i}": cid for i, cid in enumerate(category_ids)}
    if exclude_article_id is not None:
        params["exclude"] = exclude_article_id
    rows = session.execute(statement, params)
    grouped: dict[int, list[Teaser]] = {cid: [] for cid in category_ids}
    for row in rows:
        grouped[row.published_category_id].append(Teaser.from_row(row))
    for teasers in grouped.values():
        teasers.sort(key=lambda t: (t.last_published_at, t.id), reverse=True)
    return grouped


def article_by_slug(session: Session, slug: str) -> Article | None:
    """The article with its category and author: one statement. Its published
    revision (the whole document) loads only if the page must be rendered."""
    if "\x00" in slug:
        return None  # no slug holds a NUL (and PostgreSQL refuses to compare one)
    return session.scalars(
        select(Article)
        .options(
            joinedload(Article.published_category),
            joinedload(Article.author),
        )
        .where(Article.slug == slug)
    ).first()


def category_articles(
    session: Session, category: Category, page: int, per_page: int
) -> tuple[list[Teaser], int]:
    """One page of a category's published pieces, newest first, and their total.

    The total is Category.published_count, kept by the workflow: no COUNT here.
    """
    category_id = category.id
    total = int(category.published_count or 0)
    offset = (page - 1) * per_page
    if total == 0 or offset >= total:
        return [], total
    rows = session.execute(
        _live()
        .where(Article.published_category_id == category_id)
        .order_by(Article.last_published_at.desc(), Article.id.desc())
        .limit(per_page)
        .offset(offset)
    )
    return [Teaser.from_row(row) for row in rows], total


def latest_with_authors(
    session: Session, limit: int, *, since: datetime | None = None
) -> list[Teaser]:
    """The latest publications site-wide (feed, news sitemap), with author names."""
    statement = (
        select(*_TEASER_COLUMNS, User.display_name)
        .join(User, User.id == Article.author_id)
        .where(Article.state == State.PUBLISHED)
    )
    if since is not None:
        # last >= first, so this filter is index-backed and loses nothing.
        statement = statement.where(
            Article.last_published_at >= since, Article.first_published_at >= since
        )
    statement = statement.order_by(
        Article.last_published_at.desc(), Article.id.desc()
    ).limit(limit)
    return [
        Teaser.from_row(row, author_name=row.display_name)
        for row in session.execute(statement)
    ]


def all_published(session: Session) -> list[tuple[str, datetime]]:
    """(slug, last_published_at) of every published article (the sitemap)."""
    rows = session.execute(
        select(Article.slug, Article.last_published_at)
        .where(Article.state == State.PUBLISHED)
        .order_by(Article.last_published_at.desc(), Article.id.desc())
    )
    return [(row.slug, row.last_published_at) for row in rows]


@dataclass(frozen=True)
class PublicCorrection:
    """A correction note as readers see it, with the article it corrects."""

    note: str
    published_at: datetime
    slug: str
    title: str


def corrections_for(session: Session, article_id: int) -> list[Correction]:
    """An article's correction notes, oldest first (ix_corrections_article)."""
    return list(
        session.scalars(
            select(Correction)
            .where(Correction.article_id == article_id)
            .order_by(Correction.published_at, Correction.id)
        )
    )


def _public_corrections() -> Select:
    # Only corrections of articles readers can see: an unpublished article's
    # notes leave the ledger with it.
    return (
        select(
            Correction.note,
            Correction.published_at,
            Article.slug,
            Article.published_title,
        )
        .join(Article, Article.id == Correction.article_id)
        .where(Article.state == State.PUBLISHED)
    )


def latest_corrections(
    session: Session, page: int, per_page: int
) -> tuple[list[PublicCorrection], int]:
    """One page of public correction notes, newest first, and their total."""
    total = session.scalar(
        select(func.count()).select_from(_public_corrections().subquery())
    )
    rows = session.execute(
        _public_corrections()
        .order_by(Correction.published_at.desc(), Correction.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    items = [
        PublicCorrection(r.note, r.published_at, r.slug, r.published_title or "")
        for r in rows
    ]
    return items, int(total or 0)


def newest_correction_at(session: Session) -> datetime | None:
    """When the newest public correction was published (the sitemap's lastmod)."""
    return session.scalar(
        _public_corrections()
        .with_only_columns(Correction.published_at)
        .order_by(Correction.published_at.desc())
        .limit(1)
    )
