"""The desk: dashboard, article creation and the editor."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from editorial import editing, workflow
from editorial.desk.forms import NewArticleForm
from editorial.errors import InvalidInput
from editorial.extensions import db
from editorial.models import Article, Category, State
from editorial.policy import Permission, can
from editorial.web import hx_redirect

bp = Blueprint("desk", __name__, url_prefix="/desk")


@bp.before_request
@login_required
def _require_login():
    """Every desk page needs a signed-in user who may use the desk."""
    if not can(current_user, Permission.USE_DESK):
        abort(403)
    if current_user.must_change_password:
        return redirect(url_for("auth.change_password"))
    return None


@bp.get("/")
def dashboard():
    """The newsroom dashboard: articles grouped Drafts, In review, Published."""
    stmt = select(Article).order_by(Article.updated_at.desc()).limit(300)
    if not can(current_user, Permission.VIEW, _AnyArticle):
        stmt = stmt.where(Article.author_id == current_user.id)
    articles = db.session.scalars(stmt).all()
    groups = {state: [a for a in articles if a.state == state] for state in State}
    return render_template("desk/dashboard.html", groups=groups)


class _AnyArticle:
    """Stands for "someone else's article" when asking the policy about scope."""

    author_id = -1
    state = State.DRAFT


def _category_choices() -> list[tuple[str, str]]:
    rows = db.session.scalars(
        select(Category).where(Category.retired.is_(False)).order_by(Category.position)
    )
    return [(str(c.id), c.name) for c in rows]


@bp.route("/articles/new", methods=["GET", "POST"])
def new_article():
    """Ask for Title and Category, create the draft, open its editor."""
    form = NewArticleForm()
    form.category.choices = [("", "Choose…"), *_category_choices()]
    status = 200
    if form.validate_on_submit():
        try:
            article = editing.create_article(
                db.session,
                current_user,
                title=form.title.data,
                category_id=form.category.data,
            )
        except InvalidInput as error:
            getattr(form, error.field).errors.append(error.message)
            status = 422
        else:
            db.session.commit()
            return hx_redirect(
                url_for("desk.edit_article", article_id=article.id),
                "Draft created. Every block saves on its own.",
                "success",
            )
    elif request.method == "POST":
        status = 422
    return render_template("desk/new_article.html", form=form), status


@bp.get("/articles/<int:article_id>")
def edit_article(article_id: int):
    """The editor for one article (read-only where the policy says so)."""
    article = editing.get_article_for(db.session, article_id, current_user)
    return render_template(
        "desk/editor.html",
        article=article,
        actions=workflow.available_actions(article, current_user),
        may_edit=can(current_user, Permission.EDIT, article),
    )
