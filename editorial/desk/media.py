"""The lead image block of the editor, and the media library (`/desk/media`).

Uploads are plain multipart form posts (they work without JavaScript); htmx
sends the same form and swaps the block. Processing happens once, here, in the
request that uploads (domain.media); page views only read stored files.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, request, url_for
from flask_login import current_user

from editorial.desk import bp
from editorial.desk.editor import _save, _show_or_edit, _version
from editorial.domain import editing, images
from editorial.domain.errors import InvalidInput
from editorial.domain.models import Article, parse_db_int
from editorial.domain.policy import Permission, can
from editorial.extensions import db
from editorial.web import media
from editorial.web.fragments import hx_redirect, render_page_or_block

BLOCK = "lead_image_block"
FORM = "lead_image"


def _words() -> dict[str, str]:
    return {name: request.form.get(name, "") for name in ("alt", "caption", "credit")}


def _theirs(article: Article) -> list[tuple[str, str]]:
    image = article.working_lead_image()
    if image is None:
        return [("Lead image", "(none)")]
    return [
        ("Alt text", image.alt),
        ("Caption", image.caption),
        ("Credit", image.credit),
    ]


def _lead_save(
    article_id: int, saved: str, change: Callable[[Article], None]
) -> Response:
    return _save(
        article_id,
        block=BLOCK,
        form=FORM,
        anchor="lead-image-block",
        saved=saved,
        change=change,
        theirs=_theirs,
    )


@bp.get("/articles/<int:article_id>/lead-image")
def show_lead_image(article_id: int):
    """The lead image block, as saved."""
    return _show_or_edit(article_id, BLOCK, "show")


@bp.get("/articles/<int:article_id>/lead-image/edit")
def edit_lead_image(article_id: int):
    """The lead image block as a form (also "Use theirs" after a conflict)."""
    return _show_or_edit(article_id, BLOCK, "edit")


@bp.post("/articles/<int:article_id>/lead-image")
def upload_lead_image(article_id: int):
    """Upload a lead image with its words, or save the words of the current one."""
    change = _attach_or_reword(*_uploaded())
    return _lead_save(article_id, "Lead image saved.", change)


def _uploaded() -> tuple[bytes, str | None]:
    """The uploaded file's bytes (empty without a file) and its name."""
    upload = request.files.get("image")
    if upload is None:
        return b"", None
    with upload.stream:  # a large upload is a temporary file: close it now
        return (upload.read() if upload.filename else b""), upload.filename


def _attach_or_reword(data: bytes, filename: str | None) -> Callable[[Article], None]:
    """A new image (or the first one) is attached; otherwise only words change."""

    def change(article: Article) -> None:
        if data or article.lead_image_id is None:
            images.attach_upload(
                db.session,
                media.storage(),
                article,
                current_user,
                expected_version=_version(),
                data=data,
                filename=filename,
                **_words(),
            )
        else:
            images.update_words(
                db.session,
                article,
                current_user,
                expected_version=_version(),
                **_words(),
            )

    return change


@bp.post("/articles/<int:article_id>/lead-image/delete")
def delete_lead_image(article_id: int):
    """Take the lead image off the article (the library keeps the file)."""
    return _lead_save(
        article_id,
        "Lead image removed.",
        lambda article: editing.update_lead_image(
            db.session,
            article,
            current_user,
            expected_version=_version(),
            media_id=None,
            alt="",
            caption="",
            credit="",
        ),
    )


@bp.post("/articles/<int:article_id>/lead-image/reuse")
def reuse_lead_image(article_id: int):
    """Make an image from the library this article's lead image."""
    media_id = parse_db_int(request.form.get("media", "")) or 0
    return _lead_save(
        article_id,
        "Lead image chosen from the library.",
        lambda article: images.use_as_lead(
            db.session, article, current_user, media_id, expected_version=_version()
        ),
    )


# --- the media library -----------------------------------------------------------


def _target_article() -> Article | None:
    """`?article=N`: the article an image is being chosen for, if editable."""
    article_id = parse_db_int(request.values.get("article", ""))
    if article_id is None:
        return None
    article = db.session.get(Article, article_id)
    if article is None or not can(current_user, Permission.EDIT, article):
        return None
    return article


@bp.get("/media")
def media_library(errors: dict[int, str] | None = None, status: int = 200):
    """Every uploaded image, newest first; search by alt text, caption, credit."""
    page_number = parse_db_int(request.args.get("page", "1")) or 1
    query = request.args.get("q", "")
    return render_page_or_block(
        "desk/media.html",
        "library_block",
        status=status,
        library=images.library(db.session, query, page_number),
        query=query[: images.QUERY_MAX],
        article=_target_article(),
        may_delete=can(current_user, Permission.DELETE_MEDIA),
        errors=errors or {},
    )


@bp.post("/media/<int:media_id>/delete")
def delete_media(media_id: int):
    """Delete an unused image and its files (admins only)."""
    try:
        names = images.delete_media(db.session, current_user, media_id)
    except InvalidInput as error:
        db.session.rollback()
        return media_library(errors={media_id: error.message}, status=409)
    db.session.commit()
    images.discard(media.storage(), names)
    return hx_redirect(url_for("desk.media_library"), "Image deleted.", "success")
