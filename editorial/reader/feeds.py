"""Machine-readable documents: the Atom feed and the two sitemaps (no Flask import).

Built with xml.etree, so every value is escaped and the result is well-formed.
Namespaces are declared on the root element (`xmlns`, `xmlns:news`) and the
children use the plain or prefixed names, which keeps the output free of the
ns0: prefixes ElementTree would otherwise invent.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from datetime import datetime
from urllib.parse import urlsplit

from editorial.domain.models import Category
from editorial.domain.rendering import iso_datetime
from editorial.reader.queries import Teaser

ATOM_NS = "http://www.w3.org/2005/Atom"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
MEDIA_NS = "http://search.yahoo.com/mrss/"


def _sub(
    parent: ET.Element, tag: str, value: str | None = None, **attrs: str
) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if value is not None:
        element.text = value
    return element


def _serialise(root: ET.Element) -> bytes:
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def article_path(slug: str) -> str:
    return f"/articles/{slug}"


def category_path(slug: str) -> str:
    return f"/categories/{slug}"


def entry_id(base_url: str, teaser: Teaser) -> str:
    """A tag: URI that survives a change of domain or scheme (RFC 4151)."""
    host = urlsplit(base_url).hostname or "localhost"
    return f"tag:{host},{teaser.first_published_at:%Y-%m-%d}:article-{teaser.id}"


def atom_feed(
    entries: Sequence[Teaser],
    *,
    base_url: str,
    title: str,
    tz_name: str,
    now: datetime | None = None,
    media_path: Callable[[str], str] = lambda name: f"/media/{name}",
) -> bytes:
    """The Atom feed (RFC 4287) of the latest publications.

    An entry with a lead image carries it twice, for both kinds of reader: an
    Atom `enclosure` link, and Media RSS `media:content` with its size.
    """
    feed = ET.Element("feed", {"xmlns": ATOM_NS, "xmlns:media": MEDIA_NS})
    _sub(feed, "id", base_url + "/")
    _sub(feed, "title", title)
    updated = max((e.last_published_at for e in entries), default=None)
    # An empty feed still needs <updated>; the epoch says "nothing yet".
    _sub(
        feed,
        "updated",
        iso_datetime(updated or now or datetime(1970, 1, 1), tz_name),
    )
    _sub(feed, "link", rel="self", href=base_url + "/feed.xml")
    _sub(feed, "link", rel="alternate", type="text/html", href=base_url + "/")
    for teaser in entries:
        entry = _sub(feed, "entry")
        url = base_url + article_path(teaser.slug)
        _sub(entry, "id", entry_id(base_url, teaser))
        _sub(entry, "title", teaser.title)
        _sub(entry, "updated", iso_datetime(teaser.last_published_at, tz_name))
        _sub(
            entry,
            "published",
            iso_datetime(teaser.first_published_at, tz_name),
        )
        author = _sub(entry, "author")
        _sub(author, "name", teaser.author_name)
        _sub(entry, "summary", teaser.summary, type="text")
        _sub(entry, "link", rel="alternate", type="text/html", href=url)
        large = (teaser.image or {}).get("large")
        if large:
            href = base_url + media_path(large["name"])
            _sub(entry, "link", rel="enclosure", type=large["mime"], href=href)
            content = _sub(
                entry,
                "media:content",
                url=href,
                medium="image",
                type=large["mime"],
                width=str(large["width"]),
                height=str(large["height"]),
            )
            if teaser.image and teaser.image.get("alt"):
                _sub(content, "media:description", teaser.image["alt"], type="plain")
    return _serialise(feed)


def sitemap(
    articles: Sequence[tuple[str, datetime]],
    categories: Sequence[Category],
    *,
    base_url: str,
    tz_name: str,
    corrections_at: datetime | None = None,
) -> bytes:
    """sitemaps.org urlset: every published article, every category page, and
    the corrections ledger."""
    urlset = ET.Element("urlset", {"xmlns": SITEMAP_NS})
    for slug, last_published_at in articles:
        url = _sub(urlset, "url")
        _sub(url, "loc", base_url + article_path(slug))
        _sub(url, "lastmod", iso_datetime(last_published_at, tz_name))
    for category in categories:
        url = _sub(urlset, "url")
        _sub(url, "loc", base_url + category_path(category.slug))
        if category.last_published_at is not None:
            _sub(
                url,
                "lastmod",
                iso_datetime(category.last_published_at, tz_name),
            )
    url = _sub(urlset, "url")
    _sub(url, "loc", base_url + "/corrections")
    if corrections_at is not None:
        _sub(url, "lastmod", iso_datetime(corrections_at, tz_name))
    return _serialise(urlset)


def news_sitemap(
    entries: Sequence[Teaser],
    *,
    base_url: str,
    name: str,
    language: str,
    tz_name: str,
) -> bytes:
    """Google News sitemap: publication name and language, date and title."""
    urlset = ET.Element("urlset", {"xmlns": SITEMAP_NS, "xmlns:news": NEWS_NS})
    for teaser in entries:
        url = _sub(urlset, "url")
        _sub(url, "loc", base_url + article_path(teaser.slug))
        news = _sub(url, "news:news")
        publication = _sub(news, "news:publication")
        _sub(publication, "news:name", name)
        _sub(publication, "news:language", language)
        _sub(
            news,
            "news:publication_date",
            iso_datetime(teaser.first_published_at, tz_name),
        )
        _sub(news, "news:title", teaser.title)
    return _serialise(urlset)
