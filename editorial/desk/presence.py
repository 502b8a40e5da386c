"""Presence in the editor: the polled ping, and leaving."""

from __future__ import annotations

from flask import Response, current_app, redirect, request, url_for
from flask_login import current_user

from editorial.desk import bp
from editorial.domain import editing, presence
from editorial.domain.models import Article
from editorial.extensions import db
from editorial.web.fragments import is_fragment_request, render_page_or_block


def presence_store() -> presence.PresenceStore:
    """Redis when REDIS_URL is set (shared by every host), else the database."""
    timeout = current_app.config.get("PRESENCE_TIMEOUT_SECONDS", 45)
    url = current_app.config.get("REDIS_URL")
    if not url:
        return presence.DatabasePresence(db.session, timeout)
    client = current_app.extensions.get("presence_redis")
    if client is None:
        import redis

        client = redis.Redis.from_url(url, socket_timeout=2)
        current_app.extensions["presence_redis"] = client
    return presence.RedisPresence(client, timeout)


def colleagues(article: Article, found: list[presence.Colleague]) -> list[dict]:
    """Names and block labels, for the template (sections load only if named)."""
    sections = {}
    if any(c.block.startswith("section:") for c in found):
        sections = {s.id: (i, s.heading) for i, s in enumerate(article.sections)}
    return [
        {"name": c.name, "label": presence.block_label(c.block, sections)}
        for c in found
    ]


@bp.post("/articles/<int:article_id>/presence")
def ping_presence(article_id: int):
    """Note that the user is here (in which block); answer who else is."""
    article = editing.get_article_for(db.session, article_id, current_user)
    block = presence.clean_block(request.form.get("block"))
    found = presence_store().ping(article.id, current_user, block)
    db.session.commit()
    if not is_fragment_request():
        return redirect(url_for("desk.edit_article", article_id=article.id), 303)
    return render_page_or_block(
        "desk/editor.html",
        "presence_block",
        article=article,
        present=colleagues(article, found),
        poll_seconds=current_app.config.get("PRESENCE_POLL_SECONDS", 10),
    )


@bp.post("/articles/<int:article_id>/presence/leave")
def leave_presence(article_id: int):
    """The editor page closed: forget the user's presence at once."""
    article = editing.get_article_for(db.session, article_id, current_user)
    presence_store().leave(article.id, current_user.id)
    db.session.commit()
    return Response(status=204)
