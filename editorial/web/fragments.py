"""Page or block: the one place that decides whether a view answers with a whole
page or one htmx fragment, and redirects that work with and without htmx."""

from __future__ import annotations

from typing import Any

from flask import Response, flash, redirect, render_template, request
from htmx_flask import make_response as htmx_response
from jinja2_fragments.flask import render_block


def is_fragment_request() -> bool:
    """True when htmx asked for a block in place (not boosted, not a restore)."""
    return bool(
        getattr(request, "htmx", False)
        and not request.headers.get("HX-Boosted")
        and not request.headers.get("HX-History-Restore-Request")
    )


def render_page_or_block(
    template: str, block: str, *, status: int = 200, **context: Any
) -> Response:
    """Render the whole page, or just `block` of it for an htmx request."""
    if is_fragment_request():
        body = render_block(template, block, **context)
    else:
        body = render_template(template, **context)
    response = htmx_response(body, status)
    response.headers.add("Vary", "HX-Request")
    return response


def hx_redirect(location: str, message: str | None = None, category: str = "info"):
    """Navigate after an action: HX-Redirect for htmx, 303 for a plain form post."""
    if message:
        flash(message, category)
    if is_fragment_request():
        return htmx_response("", 204, redirect=location)
    return redirect(location, code=303)
