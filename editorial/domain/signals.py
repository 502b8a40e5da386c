"""Flags the domain sets on a session for infrastructure to act on after commit.

Plain SQLAlchemy; no Flask. A transaction that changes what readers see names
*what* it changed as tags; after it commits, the reader-page cache
(editorial.web.page_cache) bumps the version of each tag, so exactly the cached
pages and fragments that show those things go stale, on every process and host.

The tags:
- `SITE`: everything (navigation, category names): every page depends on it.
- `LISTINGS`: which articles are published and what their teasers say — home,
  category pages, feeds, sitemaps, search, More from Categories, /corrections.
- `article_tag(slug)`: one article's own page (its body, its 410).
- `category_tag(slug)`: one category's page.
Slugs, not ids, because the cache finds a page's tags from its path before it
renders it (an article's slug never changes once published; a category's never).
Calling `mark_reader_change(session)` with no tags means `SITE` (safe, coarse).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

READER_CHANGED = "reader_pages_changed"
SITE = "site"
LISTINGS = "listings"


def article_tag(slug: str) -> str:
    """The tag of one article's own page."""
    return f"article:{slug}"


def category_tag(slug: str) -> str:
    """The tag of one category's page."""
    return f"category:{slug}"


def mark_reader_change(session: Session, *tags: str) -> None:
    """Note that this transaction changes what readers see (by default: all)."""
    pending: set[str] = session.info.setdefault(READER_CHANGED, set())
    pending.update(tags or (SITE,))


def publication_tags(
    article_slug: str,
    category_slugs: Iterable[str | None],
    *,
    listings: bool,
) -> tuple[str, ...]:
    """Tags for a change to one article's publication: its page, and, when its
    teaser or its place in the lists changed, the lists and its categories."""
    tags = [article_tag(article_slug)]
    if listings:
        tags.append(LISTINGS)
        tags.extend(category_tag(c) for c in category_slugs if c)
    return tuple(tags)
