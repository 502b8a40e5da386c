"""Comment threads beside each block of the editor: post, reply, resolve, reopen.

Each view loads the article (404 for anyone who may not see it), calls
domain.comments (which asks the policy again), commits once, and answers with
the block's comment panel (htmx) or a 303 back to the editor with a flash.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, abort, flash, redirect, request, url_for
from flask_login import current_user
from jinja2_fragments.flask import render_block

from editorial.desk import bp
from editorial.desk.editor import (
    CHANGED_EVENT,
    Pending,
    comment_context,
    render_editor_block,
)
from editorial.domain import comments, editing
from editorial.domain.errors import IllegalTransition, InvalidInput
from editorial.domain.models import Article, Comment, parse_db_int
from editorial.extensions import db
from editorial.web.fragments import is_fragment_request

PANEL = "desk/_comments_panel.html"


def panel_id(block: str, section_id: int | None) -> str:
    """The comment panel's element id ("comments-summary", "comments-section-4")."""
    return f"comments-{block}" + (f"-{section_id}" if section_id else "")


def _place() -> tuple[str, int | None]:
    """The block (and section) a new comment is for, as the form names it."""
    block = request.form.get("block", "")
    if block not in comments.BLOCK_LABELS:
        abort(404)
    return block, parse_db_int(request.form.get("section", ""))


def _answer(
    article_id: int,
    place: Callable[[Article], tuple[str, int | None]],
    change: Callable[[Article], Comment],
    form: str | None,
    done: str,
) -> Response:
    """Run one comment change; answer with the panel, the page or a redirect.

    `form` names the form whose values and errors come back when refused (a new
    comment's form is named after its panel).
    """
    article = editing.get_article_for(db.session, article_id, current_user)
    block, section_id = place(article)
    form = form or "new-" + panel_id(block, section_id)
    try:
        change(article)
    except (InvalidInput, IllegalTransition) as error:
        db.session.rollback()
        article = editing.get_article_for(db.session, article_id, current_user)
        pending = Pending(form=form, values=dict(request.form))
        status = 409
        if isinstance(error, InvalidInput):
            pending.errors = {error.field: error.message}
            status = 422
        else:
            pending.message = error.message
        return _render(article, block, section_id, pending, status)
    db.session.commit()
    anchor = panel_id(block, section_id)
    if not is_fragment_request():
        flash(done, "success")
        return redirect(
            url_for("desk.edit_article", article_id=article_id) + "#" + anchor, 303
        )
    article = editing.get_article_for(db.session, article_id, current_user)
    response = _render(article, block, section_id, Pending(saved=form), 200)
    # The workflow and checklist panels show the open count: they reload.
    response.headers["HX-Trigger"] = CHANGED_EVENT
    return response


def _render(
    article: Article,
    block: str,
    section_id: int | None,
    pending: Pending,
    status: int,
) -> Response:
    if not is_fragment_request():
        return render_editor_block(
            article, "editor_block", status=status, pending=pending
        )
    body = render_block(
        PANEL,
        "comments_block",
        article=article,
        block=block,
        section_id=section_id,
        pending=pending,
        **comment_context(article),
    )
    response = Response(body, status=status, mimetype="text/html")
    response.headers.add("Vary", "HX-Request")
    return response


def _thread_place(comment_id: int) -> Callable[[Article], tuple[str, int | None]]:
    def place(article: Article) -> tuple[str, int | None]:
        comment = db.session.get(Comment, comment_id)
        if comment is None or comment.article_id != article.id:
            abort(404)
        return comment.block, comment.section_id

    return place


@bp.post("/articles/<int:article_id>/comments")
def add_comment(article_id: int):
    """Post comment: start a thread on one block, maybe quoting its words."""
    return _answer(
        article_id,
        lambda article: _place(),
        lambda article: comments.add_comment(
            db.session,
            article,
            current_user,
            block=_place()[0],
            section_id=_place()[1],
            body=request.form.get("comment"),
            quote=request.form.get("quote"),
        ),
        None,
        "Comment posted.",
    )


@bp.post("/articles/<int:article_id>/comments/<int:comment_id>/replies")
def reply_comment(article_id: int, comment_id: int):
    """Post reply: answer a thread."""
    return _answer(
        article_id,
        _thread_place(comment_id),
        lambda article: comments.reply(
            db.session,
            article,
            current_user,
            comment_id,
            body=request.form.get("reply"),
        ),
        f"reply-{comment_id}",
        "Reply posted.",
    )


@bp.post("/articles/<int:article_id>/comments/<int:comment_id>/resolve")
def resolve_comment(article_id: int, comment_id: int):
    """Resolve a thread: it no longer blocks Publish or Schedule."""
    return _answer(
        article_id,
        _thread_place(comment_id),
        lambda article: comments.resolve(db.session, article, current_user, comment_id),
        f"thread-{comment_id}",
        "Comment resolved.",
    )


@bp.post("/articles/<int:article_id>/comments/<int:comment_id>/reopen")
def reopen_comment(article_id: int, comment_id: int):
    """Reopen a resolved thread."""
    return _answer(
        article_id,
        _thread_place(comment_id),
        lambda article: comments.reopen(db.session, article, current_user, comment_id),
        f"thread-{comment_id}",
        "Comment reopened.",
    )
