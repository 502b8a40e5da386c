"""Pure rendering helpers: Markdown bodies, plain text, JSON-LD, dates and slugs.

Markdown bodies follow PRODUCT.md section 8: raw HTML is shown as text, links
are only http, https and mailto, and there are no images yet. Body headings are
shifted down to h3/h4 so the page keeps its single h1 and its h2 sections.
This module imports neither Flask nor the database.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from datetime import UTC, datetime, tzinfo
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markupsafe import Markup

from editorial.domain.content import ArticleContent

__all__ = [
    "ALLOWED_ATTRIBUTES",
    "ALLOWED_TAGS",
    "ALLOWED_URL_SCHEMES",
    "EXTERNAL_LINK_REL",
    "display_date",
    "display_datetime",
    "faq_page_ld",
    "iso_datetime",
    "json_ld",
    "news_article_ld",
    "plain_text",
    "render_markdown",
    "slugify",
    "to_site_tz",
]

# --------------------------------------------------------------------------
# Markdown bodies
# --------------------------------------------------------------------------

ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        "p",
        "br",
        "em",
        "strong",
        "a",
        "ul",
        "ol",
        "li",
        "blockquote",
        "code",
        "pre",
        "h3",
        "h4",
        "hr",
    }
)
# `ol start` keeps "3. item" lists numbered as the author wrote them.
ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "title"}),
    "ol": frozenset({"start"}),
}
ALLOWED_URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})
EXTERNAL_LINK_REL = "nofollow noopener"

_ALLOWED_LINK_RE = re.compile(r"^(?:https?|mailto):", re.IGNORECASE)
_EXTERNAL_LINK_RE = re.compile(r"^https?:", re.IGNORECASE)
# Markdown level -> HTML tag: the page owns h1 (title) and h2 (sections).
_HEADING_TAGS = {1: "h3", 2: "h4"}
_DEEPEST_BODY_HEADING = "h4"


def _accept_any_link(url: str) -> bool:
    """Let markdown-it parse every link; `_filter_links` decides what survives."""
    return True


def _shift_headings(state: StateCore) -> None:
    """Core rule: render body headings as h3/h4 instead of h1..h6."""
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            level = int(token.tag[1:])
            token.tag = _HEADING_TAGS.get(level, _DEEPEST_BODY_HEADING)


def _filter_links(state: StateCore) -> None:
    """Core rule: unwrap non-http(s)/mailto links (text stays); rel on external."""
    for block in state.tokens:
        if not block.children:
            continue
        kept: list[Token] = []
        unwrapping = False
        for token in block.children:
            if token.type == "link_open":
                href = str(token.attrGet("href") or "")
                if not _ALLOWED_LINK_RE.match(href):
                    unwrapping = True
                    continue
                if _EXTERNAL_LINK_RE.match(href):
                    token.attrSet("rel", EXTERNAL_LINK_REL)
            elif token.type == "link_close" and unwrapping:
                unwrapping = False
                continue
            kept.append(token)
        block.children = kept


def _body_parser() -> MarkdownIt:
    """The Markdown parser for article bodies."""
    md = MarkdownIt(
        "commonmark", {"html": False, "linkify": False, "typographer": False}
    )
    md.disable("image")
    # Every target parses as a link; `_filter_links` then unwraps the unsafe ones,
    # so "[text](javascript:...)" reads as "text" rather than as Markdown source.
    md.validateLink = _accept_any_link  # type: ignore[method-assign]
    md.core.ruler.push("editorial_headings", _shift_headings)
    md.core.ruler.push("editorial_links", _filter_links)
    return md


_BODY_MD = _body_parser()


def _sanitize(html: str) -> str:
    """Second line of defence: nh3 with an explicit allow-list."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        # rel is set by the renderer; nh3 keeps it only with exactly this value.
        tag_attribute_values={"a": {"rel": {EXTERNAL_LINK_REL}}},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )


@lru_cache(maxsize=2048)
def render_markdown(text: str) -> Markup:
    """Render an article body's Markdown to sanitised HTML safe to embed.

    A pure function of the text, memoised: published bodies are rendered again
    for every uncached page view, and parsing plus sanitising is a fifth of the
    cost of an article page (bench/RESULTS.md).
    """
    html = _BODY_MD.render(text or "")
    return Markup(_sanitize(html).strip())


# --------------------------------------------------------------------------
# Plain text
# --------------------------------------------------------------------------


def _plain_parser() -> MarkdownIt:
    """A permissive parser used only to pull readable text out of Markdown."""
    md = MarkdownIt(
        "commonmark", {"html": False, "linkify": False, "typographer": False}
    )
    # Any link target is fine here: only the link text is kept.
    md.validateLink = _accept_any_link  # type: ignore[method-assign]
    return md


_PLAIN_MD = _plain_parser()
_WHITESPACE_RE = re.compile(r"\s+")


def _inline_text(children: Sequence[Token]) -> str:
    """Concatenate the readable text of inline tokens."""
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(_inline_text(child.children or ()))
    return "".join(parts)


@lru_cache(maxsize=2048)
def plain_text(markdown: str) -> str:
    """Strip Markdown to one line of plain text (for search, feeds, meta tags)."""
    blocks: list[str] = []
    for token in _PLAIN_MD.parse(markdown or ""):
        if token.type == "inline":
            blocks.append(_inline_text(token.children or ()))
        elif token.type in ("fence", "code_block"):
            blocks.append(token.content)
    return _WHITESPACE_RE.sub(" ", " ".join(blocks)).strip()


# --------------------------------------------------------------------------
# JSON-LD
# --------------------------------------------------------------------------

_JSON_SCRIPT_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_JSON_SCRIPT_RE = re.compile("[<>&\u2028\u2029]")


def json_ld(data: dict[str, Any]) -> Markup:
    """Serialise data for a <script type="application/ld+json"> block, breakout-safe."""
    text = json.dumps(data, ensure_ascii=False)
    return Markup(_JSON_SCRIPT_RE.sub(lambda m: _JSON_SCRIPT_ESCAPES[m.group()], text))


def news_article_ld(
    *,
    content: ArticleContent,
    url: str,
    author_name: str,
    published: datetime,
    modified: datetime,
    site_name: str,
    image: str | None = None,
    images: Sequence[tuple[str, int, int]] = (),
    tz_name: str = "UTC",
    corrections: Sequence[tuple[str, datetime]] = (),
) -> dict[str, Any]:
    """NewsArticle structured data for a published article.

    Each correction note becomes a schema.org CorrectionComment (`correction`).
    `images` are (url, width, height) of the lead image's crops (16:9, 4:3,
    1:1), as Google's article guidance asks; `image` is a single plain URL.
    """
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": content.title,
        "description": content.summary,
        "datePublished": iso_datetime(published, tz_name),
        "dateModified": iso_datetime(modified, tz_name),
        "author": {"@type": "Person", "name": author_name},
        "publisher": {"@type": "Organization", "name": site_name},
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
    }
    if content.category_name:
        data["articleSection"] = content.category_name
    if images:
        data["image"] = [
            {"@type": "ImageObject", "url": url, "width": width, "height": height}
            for url, width, height in images
        ]
    elif image:
        data["image"] = [image]
    if corrections:
        data["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": note,
                "datePublished": iso_datetime(when, tz_name),
            }
            for note, when in corrections
        ]
    return data


def faq_page_ld(content: ArticleContent) -> dict[str, Any] | None:
    """FAQPage structured data from People Also Ask, or None without questions."""
    questions = [
        {
            "@type": "Question",
            "name": faq.question.strip(),
            "acceptedAnswer": {"@type": "Answer", "text": plain_text(faq.answer)},
        }
        for faq in content.faqs
        if faq.question.strip() and faq.answer.strip()
    ]
    if not questions:
        return None
    return {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": questions,
    }


# --------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _zone(tz_name: str) -> tzinfo:
    """The named IANA zone, or UTC when the name is empty or unknown."""
    try:
        return ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        return UTC


def to_site_tz(dt: datetime, tz_name: str) -> datetime:
    """Convert to the site's zone; naive datetimes are taken as UTC."""
    if dt.tzinfo is None or dt.utcoffset() is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(_zone(tz_name))


def iso_datetime(dt: datetime, tz_name: str) -> str:
    """ISO 8601 with seconds and offset, e.g. 2026-11-28T15:04:00+01:00."""
    return to_site_tz(dt, tz_name).isoformat(timespec="seconds")


def display_date(dt: datetime, tz_name: str) -> str:
    """Reader-facing date, e.g. "28 November 2026" (locale-independent)."""
    local = to_site_tz(dt, tz_name)
    return f"{local.day} {_MONTHS[local.month - 1]} {local.year}"


def display_datetime(dt: datetime, tz_name: str) -> str:
    """Reader-facing date and time to the minute, e.g. "28 November 2026, 15:04 CET"."""
    local = to_site_tz(dt, tz_name)
    zone = local.tzname() or "UTC"
    return f"{display_date(local, tz_name)}, {local:%H:%M} {zone}"


# --------------------------------------------------------------------------
# Slugs
# --------------------------------------------------------------------------

SLUG_FALLBACK = "article"
# Letters NFKD does not decompose into ASCII.
_TRANSLITERATE = str.maketrans(
    {
        "ß": "ss",
        "ẞ": "SS",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "þ": "th",
        "Þ": "Th",
        "ð": "d",
        "Ð": "D",
        "ı": "i",
    }
)
_APOSTROPHES_RE = re.compile("['\u2019\u02bc]")
_NON_ALNUM_RE = re.compile(r"[^a-z0-9]+")


def slugify(text: str, max_length: int = 80) -> str:
    """ASCII slug of text, cut at a word boundary; "article" if nothing is left."""
    if max_length < 1:
        raise ValueError("max_length must be at least 1")
    text = _APOSTROPHES_RE.sub("", (text or "").translate(_TRANSLITERATE))
    ascii_text = (
        unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    )
    slug = _NON_ALNUM_RE.sub("-", ascii_text.lower()).strip("-")
    if len(slug) > max_length:
        cut = slug[:max_length]
        if slug[max_length] != "-" and "-" in cut:
            cut = cut.rsplit("-", 1)[0]
        slug = cut.strip("-")
    return slug or SLUG_FALLBACK[:max_length]
