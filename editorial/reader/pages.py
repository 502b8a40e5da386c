"""Reader pages rendered from content: the article page, shared with the desk preview.

`article_page` is the one way an article becomes a page. The reader view passes
the published snapshot; the desk preview passes the working copy with
`preview=True`, so what an editor previews is what readers will get.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime

from flask import current_app, render_template, url_for
from markupsafe import Markup

from editorial.domain import rendering
from editorial.domain.content import ArticleContent
from editorial.domain.models import Article, Category, utcnow
from editorial.extensions import db
from editorial.reader import queries

WIDGET_CATEGORIES = 3  # More from Categories: how many other categories
WIDGET_ARTICLES = 3  # ... and how many pieces of each


@dataclass(frozen=True)
class RenderedPage:
    """A page's HTML and the time of the newest publication it shows."""

    html: str
    last_modified: datetime | None


def site_url() -> str:
    """The site's absolute base URL, without a trailing slash."""
    configured = current_app.config.get("SITE_URL") or ""
    return configured.rstrip("/") or url_for("reader.home", _external=True).rstrip("/")


def absolute(path: str) -> str:
    """An absolute URL for a site path."""
    return site_url() + path


def freshest(categories: list[Category], *others: datetime | None) -> datetime | None:
    """The newest of the categories' publications and any other times given."""
    times = [c.last_published_at for c in categories if c.last_published_at]
    times.extend(t for t in others if t)
    return max(times) if times else None


def media_url(name: str) -> str:
    """The absolute address of a stored media file."""
    return absolute(url_for("reader.media_file", name=name))


def _crops(content: ArticleContent) -> list[tuple[str, int, int]]:
    image = content.lead_image
    if image is None:
        return []
    return [(media_url(r.name), r.width, r.height) for r in image.crops]


def more_from_categories(
    categories: list[Category],
    *,
    exclude_category_id: int | None,
    exclude_article_id: int | None,
) -> list[tuple[Category, list[queries.Teaser]]]:
    """PRODUCT.md section 2 item 10, in one statement.

    Other non-retired categories by freshest publication; one spare candidate,
    because the preview of a moved article may empty its old category.
    """
    candidates = [
        c for c in queries.by_freshness(categories) if c.id != exclude_category_id
    ][: WIDGET_CATEGORIES + 1]
    latest = queries.latest_per_category(
        db.session,
        [c.id for c in candidates],
        WIDGET_ARTICLES,
        exclude_article_id=exclude_article_id,
    )
    groups = [(c, latest[c.id]) for c in candidates if latest.get(c.id)]
    return groups[:WIDGET_CATEGORIES]


def render_widget(
    categories: list[Category],
    *,
    exclude_category_id: int | None,
    exclude_article_id: int | None = None,
) -> Markup:
    """More from Categories as HTML (empty when no other category has pieces)."""
    widget = more_from_categories(
        categories,
        exclude_category_id=exclude_category_id,
        exclude_article_id=exclude_article_id,
    )
    if not widget:
        return Markup("")
    return Markup(render_template("reader/_widget.html", widget=widget))


def render_article(
    content: ArticleContent,
    *,
    article: Article,
    preview: bool = False,
    widget_html: Markup | None = None,
    categories: list[Category] | None = None,
) -> RenderedPage:
    """The article page and its Last-Modified time (see `article_page`).

    `widget_html` given: use it for More from Categories (the reader's cached
    fragment, or a marker the caller replaces) instead of rendering the widget.
    """
    session = db.session
    tz = current_app.config["SITE_TIMEZONE"]
    if categories is None:
        categories = queries.live_categories(session)
    category = next((c for c in categories if c.id == content.category_id), None)
    if category is None and content.category_id is not None:
        # A retired category (not in navigation); the reader's query loaded it.
        category = session.get(Category, content.category_id)
    if category is not None:
        content = dataclasses.replace(content, category_name=category.name)

    now = utcnow()
    published_at = article.first_published_at or now
    if preview:
        updated_at = article.last_published_at or now
    else:
        updated_at = article.last_published_at or published_at
    canonical = absolute(url_for("reader.article", slug=article.slug))
    author_name = article.author.display_name if article.author else ""
    if widget_html is None:
        widget_html = render_widget(
            categories,
            exclude_category_id=content.category_id,
            exclude_article_id=article.id,
        )
    # Only a published article can have been corrected: drafts skip the query.
    corrections = (
        queries.corrections_for(session, article.id)
        if article.first_published_at
        else []
    )
    html = render_template(
        "reader/article.html",
        content=content,
        article=article,
        category=category,
        nav_categories=categories,
        current_category_id=category.id if category else None,
        preview=preview,
        author_name=author_name,
        published_at=published_at,
        updated_at=updated_at,
        canonical=canonical,
        description=rendering.plain_text(content.summary),
        corrections=corrections,
        news_ld=rendering.news_article_ld(
            content=content,
            url=canonical,
            author_name=author_name,
            published=published_at,
            modified=updated_at,
            site_name=current_app.config["SITE_NAME"],
            images=_crops(content),
            tz_name=tz,
            corrections=[(c.note, c.published_at) for c in corrections],
        ),
        og_image=_og_image(content),
        faq_ld=rendering.faq_page_ld(content),
        widget_html=widget_html,
    )
    return RenderedPage(html, freshest(categories, updated_at))


def _og_image(content: ArticleContent) -> dict[str, object] | None:
    """The social card's picture: the 16:9 crop (else the JPEG fallback)."""
    image = content.lead_image
    if image is None:
        return None
    card = image.of_kind("crop-16x9") or image.fallback
    if card is None:
        return None
    return {
        "url": media_url(card.name),
        "width": card.width,
        "height": card.height,
        "type": card.mime,
        "alt": image.alt,
    }


def article_page(
    content: ArticleContent, *, article: Article, preview: bool = False
) -> str:
    """The full HTML of an article page, exactly as readers see it.

    Args:
        content: what to show — the published snapshot for readers, the working
            copy (`article.working_content()`) for the desk preview.
        article: the article row (slug, author, first/last publication times; its
            id is left out of More from Categories).
        preview: add a "Preview — not published" banner and robots noindex, and
            date an unpublished article "now".

    Runs two statements of its own (categories; the widget's UNION ALL) and needs
    an application and request context.
    """
    return render_article(content, article=article, preview=preview).html
