"""Share preview: make and revoke `/preview/<token>` links from the editor.

Both answer with the editor's share panel for htmx, or a 303 back to the editor
with a message for a plain form post.
"""

from __future__ import annotations

from flask import current_app, request, url_for
from flask_login import current_user

from editorial.desk import bp
from editorial.desk.editor import render_editor_block
from editorial.domain import editing, previews
from editorial.domain.errors import InvalidInput
from editorial.domain.models import PreviewLink
from editorial.domain.policy import Permission, can
from editorial.extensions import db
from editorial.reader.pages import absolute
from editorial.web.fragments import hx_redirect, is_fragment_request

SHARE_BLOCK = "share_block"


def preview_address(link: PreviewLink) -> str:
    """The absolute address of a preview link."""
    token = previews.token_for(link, current_app.config["SECRET_KEY"])
    return absolute(url_for("reader.shared_preview", token=token))


@bp.context_processor
def _sharing_helpers() -> dict:
    """What the editor's share panel needs; computed only when it is rendered."""
    return {
        "open_preview_links": lambda article: previews.open_links(
            db.session, article.id
        ),
        "preview_address": preview_address,
        "may_share_preview": lambda article: can(
            current_user, Permission.SHARE_PREVIEW, article
        ),
        "VALID_FOR": previews.VALID_FOR,
        "DEFAULT_VALID_FOR": previews.DEFAULT_HOURS,
    }


def _back(article_id: int, message: str):
    if is_fragment_request():
        return render_editor_block(editing_article(article_id), SHARE_BLOCK)
    url = url_for("desk.edit_article", article_id=article_id) + "#share-block"
    return hx_redirect(url, message, "success")


def editing_article(article_id: int):
    return editing.get_article_for(db.session, article_id, current_user)


@bp.post("/articles/<int:article_id>/previews")
def share_preview(article_id: int):
    """Share preview: a link that works for the chosen time (`Valid for`)."""
    article = editing_article(article_id)
    try:
        link = previews.create(
            db.session, article, current_user, valid_for=request.form.get("valid_for")
        )
    except InvalidInput as error:
        db.session.rollback()
        return render_editor_block(
            editing_article(article_id), SHARE_BLOCK, status=422, share_error=error
        )
    db.session.commit()
    return _back(article_id, f"Preview link made: {preview_address(link)}")


@bp.post("/articles/<int:article_id>/previews/<int:link_id>/revoke")
def revoke_preview(article_id: int, link_id: int):
    """Revoke: the link stops working at once (410)."""
    article = editing_article(article_id)
    previews.revoke(db.session, article, current_user, link_id)
    db.session.commit()
    return _back(article_id, "Preview link revoked.")
