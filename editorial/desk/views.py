"""The desk blueprint: its guard, the dashboard and article creation.

The editor, history and admin views live in sibling modules on the same `bp`
(imported at the bottom so their routes register with it).
"""

from __future__ import annotations

from typing import Any

from flask import abort, redirect, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from editorial.desk import bp, queries
from editorial.desk.forms import NewArticleForm
from editorial.domain import editing
from editorial.domain.errors import InvalidInput
from editorial.domain.models import Article, Category, State
from editorial.domain.policy import Permission, can, may_administer
from editorial.extensions import db
from editorial.web.fragments import hx_redirect, render_page_or_block


@bp.before_request
@login_required
def _require_login():
    """Every desk page needs a signed-in user who may use the desk."""
    if not can(current_user, Permission.USE_DESK):
        abort(403)
    if current_user.must_change_password:
        return redirect(url_for("auth.change_password"))
    return None


@bp.app_context_processor
def _policy_helpers() -> dict[str, Any]:
    """What the desk header asks the policy: whether to show the admin links."""
    return {"may_administer": lambda: may_administer(current_user)}


# --- dashboard -------------------------------------------------------------------


DASHBOARD_ARGS = frozenset(
    {"category", "author", "state", "q"} | {f"{s.value}_page" for s in State}
)


def dashboard_url(**changes: Any) -> str:
    """The current dashboard URL with some query arguments changed."""
    # Only the dashboard's own arguments: others would reach url_for as its
    # keywords (`endpoint`, `_scheme`, …) and break the page.
    args = {k: v for k, v in request.args.items() if v and k in DASHBOARD_ARGS}
    args.update({k: v for k, v in changes.items()})
    return url_for("desk.dashboard", **{k: v for k, v in args.items() if v})


@bp.get("/")
def dashboard():
    """The newsroom dashboard: Drafts, In review, Published; filters for editors."""
    found = queries.dashboard(db.session, current_user, request.args)
    return render_page_or_block(
        "desk/dashboard.html",
        "list_block",
        groups=found.groups,
        filters=found.filters,
        see_all=found.see_all,
        categories=found.categories,
        authors=found.authors,
        EMPTY_LINES=queries.EMPTY_LINES,
        dashboard_url=dashboard_url,
    )


# --- new article -----------------------------------------------------------------


def category_choices(keep: int | None = None) -> list[Category]:
    """Categories a writer may choose: active ones, plus the article's own."""
    return list(
        db.session.scalars(
            select(Category)
            .where((Category.retired.is_(False)) | (Category.id == (keep or 0)))
            .order_by(Category.position, Category.id)
        )
    )


@bp.route("/articles/new", methods=["GET", "POST"])
def new_article():
    """Ask for Title and Category, create the draft, open its editor."""
    form = NewArticleForm()
    form.category.choices = [("", "Choose…")] + [
        (str(c.id), c.name) for c in category_choices()
    ]
    if form.validate_on_submit() and (article := _create_draft(form)):
        return hx_redirect(
            url_for("desk.edit_article", article_id=article.id),
            "Draft created. Every block saves on its own.",
            "success",
        )
    status = 422 if request.method == "POST" else 200
    return render_page_or_block(
        "desk/new_article.html", "new_article_block", status=status, form=form
    )


def _create_draft(form: NewArticleForm) -> Article | None:
    """Create and commit the draft, or put the refusal next to its field."""
    try:
        article = editing.create_article(
            db.session,
            current_user,
            title=form.title.data,
            category_id=form.category.data,
        )
    except InvalidInput as error:
        db.session.rollback()
        getattr(form, error.field).errors.append(error.message)
        return None
    db.session.commit()
    return article
