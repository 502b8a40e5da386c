"""Shared preview links: `/preview/<token>` (PRODUCT.md section 11).

Anyone holding a working link sees the article's current working copy exactly
as readers will, with the preview banner. The answer is private and never
indexed or cached (the page cache skips /preview); wrong tokens are throttled
per client address, so links cannot be found by guessing.
"""

from __future__ import annotations

from flask import Response, current_app, g, render_template

from editorial.domain import previews
from editorial.domain.errors import Gone
from editorial.extensions import db, limiter
from editorial.reader import bp
from editorial.reader.pages import article_page


def _guess_limit() -> str:
    return current_app.config["PREVIEW_GUESS_LIMIT"]


@bp.get("/preview/<token>")
@limiter.limit(
    _guess_limit,
    # Only wrong tokens count: someone holding a real link is never throttled.
    deduct_when=lambda response: response.status_code == 404,
    error_message="Too many wrong preview addresses — try again later.",
)
def shared_preview(token: str):
    """The working copy of a shared article with the banner; 410 once it ended."""
    g.private_page = True  # Cache-Control: private, no-store; X-Robots-Tag: noindex
    try:
        article = previews.resolve(db.session, token, current_app.config["SECRET_KEY"])
    except Gone as error:
        page = render_template(
            "errors/error.html",
            status=410,
            title="Preview link ended",
            message=error.message,
        )
        return Response(page, status=410, mimetype="text/html")
    html = article_page(article.working_content(), article=article, preview=True)
    return Response(html, mimetype="text/html")
