"""The public site: what anonymous readers see (PRODUCT.md sections 2 and 5).

Every page reads only published data: the published snapshot (a revision) and the
denormalised published_* columns, never the working copy. Each page costs a small
constant number of statements, and answers with ETag, Last-Modified and a short
public Cache-Control, so a conditional GET gets a 304.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Response, abort, current_app, render_template, request

from editorial.domain import search as search_module
from editorial.domain.models import State, utcnow
from editorial.extensions import db
from editorial.reader import bp, feeds, fragments, pages, queries

HOME_PER_CATEGORY = 5
CATEGORY_PER_PAGE = 20
SEARCH_PER_PAGE = 10
CORRECTIONS_PER_PAGE = 20
FEED_ENTRIES = 50
NEWS_WINDOW = timedelta(days=2)
NEWS_MAX = 1000
MAX_AGE = 60  # seconds a shared cache may keep a reader page

_PAGE_RE = re.compile(r"[1-9][0-9]{0,6}")


def _page_number() -> int:
    """`?page=N`: a positive integer, or 404 (never a 500)."""
    raw = request.args.get("page")
    if raw is None:
        return 1
    if not _PAGE_RE.fullmatch(raw):
        abort(404)
    return int(raw)


def _page_count(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))


def _pagination(
    page: int, total: int, per_page: int, *, checked: bool = True
) -> dict[str, Any]:
    """The template's page, pages_total and page_links; 404 past the last page."""
    pages_total = _page_count(total, per_page)
    if checked and page > pages_total:
        abort(404)
    return {
        "page": page,
        "pages_total": pages_total,
        "page_links": page_window(page, pages_total),
    }


def _canonical(path: str, page: int) -> str:
    """A list's canonical address: page 1 without `?page`."""
    return pages.absolute(path + (f"?page={page}" if page > 1 else ""))


def _cacheable(
    body: str | bytes,
    last_modified: datetime | None,
    mimetype: str = "text/html",
) -> Response:
    """A public, briefly cacheable answer with validators; 304 when they match."""
    response = Response(body, mimetype=mimetype)
    data = body.encode() if isinstance(body, str) else body
    response.set_etag(hashlib.sha256(data).hexdigest()[:32])
    if last_modified is not None:
        response.last_modified = last_modified.replace(tzinfo=UTC)
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    return response.make_conditional(request)


@bp.get("/")
def home():
    """Home: the latest published pieces grouped by category, freshest first."""
    categories = queries.live_categories(db.session)
    fresh = queries.by_freshness(categories)
    latest = queries.latest_per_category(
        db.session, [c.id for c in fresh], HOME_PER_CATEGORY
    )
    groups = [(c, latest[c.id]) for c in fresh if latest.get(c.id)]
    html = render_template(
        "reader/home.html",
        nav_categories=categories,
        groups=groups,
        canonical=pages.absolute("/"),
    )
    return _cacheable(html, pages.freshest(categories))


@bp.get("/articles/<slug>")
def article(slug: str):
    """One published article: 404 if never published, 410 if unpublished."""
    found = queries.article_by_slug(db.session, slug)
    if found is None or found.first_published_at is None:
        abort(404)
    if found.state != State.PUBLISHED or found.published_revision_id is None:
        abort(410)
    page = fragments.article_page(found)
    return _cacheable(page.html, page.last_modified)


@bp.get("/categories/<slug>")
def category(slug: str):
    """A category's published pieces, newest first, 20 a page."""
    page = _page_number()
    categories = queries.live_categories(db.session)
    current = queries.category_by_slug(categories, slug) or abort(404)
    teasers, total = queries.category_articles(
        db.session, current, page, CATEGORY_PER_PAGE
    )
    html = render_template(
        "reader/category.html",
        nav_categories=categories,
        current_category_id=current.id,
        category=current,
        teasers=teasers,
        total=total,
        **_pagination(page, total, CATEGORY_PER_PAGE),
        canonical=_canonical(f"/categories/{current.slug}", page),
    )
    return _cacheable(html, current.last_published_at)


@bp.get("/search")
def search():
    """Full-text search over published articles, best match first."""
    page = _page_number()
    query = request.args.get("q", "")
    categories = queries.live_categories(db.session)
    hits, total, problem = queries.search_hits(db.session, query, page, SEARCH_PER_PAGE)
    html = render_template(
        "reader/search.html",
        nav_categories=categories,
        categories_by_id={c.id: c for c in categories},
        query=query if len(query) <= search_module.QUERY_MAX else "",
        problem=problem,
        hits=hits,
        total=total,
        more=total >= search_module.WINDOW,
        # A refused query has no pages: its page number is not checked.
        **_pagination(page, total, SEARCH_PER_PAGE, checked=problem is None),
    )
    return _cacheable(html, pages.freshest(categories))


@bp.get("/corrections")
def corrections():
    """The corrections ledger: public correction notes, newest first, 20 a page."""
    page = _page_number()
    items, total = queries.latest_corrections(db.session, page, CORRECTIONS_PER_PAGE)
    html = render_template(
        "reader/corrections.html",
        nav_categories=queries.live_categories(db.session),
        items=items,
        **_pagination(page, total, CORRECTIONS_PER_PAGE),
        canonical=_canonical("/corrections", page),
    )
    newest = items[0].published_at if items and page == 1 else None
    return _cacheable(html, newest)


@bp.get("/feed.xml")
def feed():
    """Atom feed of the 50 latest publications."""
    entries = queries.latest_with_authors(db.session, FEED_ENTRIES)
    body = feeds.atom_feed(
        entries,
        base_url=pages.site_url(),
        title=current_app.config["SITE_NAME"],
        tz_name=current_app.config["SITE_TIMEZONE"],
    )
    last = max((e.last_published_at for e in entries), default=None)
    return _cacheable(body, last, "application/atom+xml")


@bp.get("/sitemap.xml")
def sitemap():
    """Every published article and every category page, with lastmod."""
    categories = queries.live_categories(db.session)
    articles = queries.all_published(db.session)
    body = feeds.sitemap(
        articles,
        categories,
        base_url=pages.site_url(),
        tz_name=current_app.config["SITE_TIMEZONE"],
        corrections_at=queries.newest_correction_at(db.session),
    )
    return _cacheable(body, pages.freshest(categories), "application/xml")


@bp.get("/news-sitemap.xml")
def news_sitemap():
    """Google News sitemap: the last two days' articles, at most 1,000."""
    entries = queries.latest_with_authors(
        db.session, NEWS_MAX, since=utcnow() - NEWS_WINDOW
    )
    body = feeds.news_sitemap(
        entries,
        base_url=pages.site_url(),
        name=current_app.config["SITE_NAME"],
        language=current_app.config["SITE_LANGUAGE"],
        tz_name=current_app.config["SITE_TIMEZONE"],
    )
    last = max((e.last_published_at for e in entries), default=None)
    return _cacheable(body, last, "application/xml")


@bp.get("/robots.txt")
def robots():
    """Crawlers: both sitemaps, and keep out of the desk."""
    base = pages.site_url()
    body = (
        "User-agent: *\n"
        "Disallow: /desk/\n"
        "\n"
        f"Sitemap: {base}/sitemap.xml\n"
        f"Sitemap: {base}/news-sitemap.xml\n"
    )
    return _cacheable(body, None, "text/plain")


def page_window(page: int, pages_total: int, radius: int = 2) -> list[int | None]:
    """Numbered page links: first, last and those around `page`; None is a gap."""
    shown = sorted(
        {1, pages_total}
        | set(range(max(1, page - radius), min(pages_total, page + radius) + 1))
    )
    window: list[int | None] = []
    for number in shown:
        if window and number - (window[-1] or 0) > 1:
            window.append(None)
        window.append(number)
    return window
