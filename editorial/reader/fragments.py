"""Cached fragments of the article page: what a page-cache miss is built from.

An article page is two parts that change for different reasons:
- the *main* part (everything but More from Categories): changes only when the
  article's published revision (or its Last updated) changes, or the whole site
  does (`site` tag: navigation, category names) — keyed by those;
- the *widget* (More from Categories): the same for every article of a
  category, changes when the lists do — keyed by category and the `listings`
  version.
A page-cache miss therefore costs one indexed lookup of the article and one
round trip for both fragments; the rest is string assembly. Tag versions come
from the page cache (editorial.web.page_cache), which read them before the page
was rendered.

Stampedes: the first process to miss a fragment renders it under a short lock
in the cache; the others wait briefly for it (and render it themselves only if
it does not come).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from flask import current_app, request
from markupsafe import Markup

from editorial.domain.models import Article, Category
from editorial.domain.signals import LISTINGS, SITE
from editorial.extensions import db
from editorial.reader import pages, queries
from editorial.web.page_cache import ENVIRON_VERSIONS, release_lock, try_lock

WIDGET_MARKER = "<!--editorial:more-from-categories-->"
FRAGMENT_PREFIX = "reader:fragment:"
WAIT_SECONDS = 0.5
FRAGMENT_SECONDS = 24 * 3600  # keys change with what they show; this only frees space

T = TypeVar("T")


def _cache() -> Any:
    middleware = current_app.extensions.get("page_cache")
    if middleware is None or current_app.config.get("CACHE_TYPE") == "NullCache":
        return None
    return middleware


def tag_versions(tags: Sequence[str]) -> tuple[int, ...]:
    """The tags' versions as the page cache read them for this request (or now)."""
    known = request.environ.get(ENVIRON_VERSIONS) or {}
    if all(t in known for t in tags):
        return tuple(known[t] for t in tags)
    middleware = _cache()
    if middleware is None:
        return tuple(0 for _ in tags)
    try:
        return middleware.versions.current(tags)
    except Exception:  # a cache outage: render, do not fail
        return tuple(0 for _ in tags)


def _get_many(backend: Any, keys: Sequence[str]) -> list[Any]:
    try:
        return list(backend.get_many(*keys))
    except Exception:
        return [None] * len(keys)


def get_or_render(backend: Any, key: str, render: Callable[[], T]) -> T:
    """The cached value of `key`, rendering (once across processes) on a miss."""
    if not try_lock(backend, key):
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(0.01)
            (value,) = _get_many(backend, [key])
            if value is not None:
                return value
        return render()
    try:
        value = render()
        with contextlib.suppress(Exception):
            backend.set(key, value, timeout=FRAGMENT_SECONDS)
        return value
    finally:
        release_lock(backend, key)


class _Categories:
    """The live categories, loaded at most once per request and only if needed."""

    def __init__(self) -> None:
        self._value: list[Category] | None = None

    def __call__(self) -> list[Category]:
        if self._value is None:
            self._value = queries.live_categories(db.session)
        return self._value


def article_page(article: Article) -> pages.RenderedPage:
    """A published article's page, composed from its cached fragments."""
    categories = _Categories()

    def main() -> tuple[str, datetime | None]:
        # The published revision (the whole document) loads only here.
        content = article.published_revision.article_content()
        page = pages.render_article(
            content,
            article=article,
            widget_html=Markup(WIDGET_MARKER),
            categories=categories(),
        )
        return page.html, article.last_published_at

    def widget() -> tuple[str, datetime | None]:
        live = categories()
        html = pages.render_widget(
            live, exclude_category_id=article.published_category_id
        )
        return str(html), pages.freshest(live)

    middleware = _cache()
    if middleware is None:
        (main_html, updated), (widget_html, fresh) = main(), widget()
    else:
        site, listings = tag_versions((SITE, LISTINGS))
        stamp = (
            article.last_published_at.timestamp() if article.last_published_at else 0
        )
        # The host too: without SITE_URL, canonical links are built from it.
        main_key = (
            f"{FRAGMENT_PREFIX}article:{article.id}:{article.published_revision_id}"
            f":{stamp}:{site}:{request.host.lower()}"
        )
        widget_key = (
            f"{FRAGMENT_PREFIX}widget:{article.published_category_id}:{listings}:{site}"
        )
        backend = middleware.backend
        found_main, found_widget = _get_many(backend, [main_key, widget_key])
        main_html, updated = found_main or get_or_render(backend, main_key, main)
        widget_html, fresh = found_widget or get_or_render(backend, widget_key, widget)
    html = main_html.replace(WIDGET_MARKER, widget_html, 1)
    times = [t for t in (updated, fresh) if t is not None]
    return pages.RenderedPage(html, max(times) if times else None)
