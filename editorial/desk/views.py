"""The desk blueprint: its guard, the dashboard and article creation.

The editor, history and admin views live in sibling modules on the same `bp`
(imported at the bottom so their routes register with it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import abort, redirect, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, literal, select, union_all
from sqlalchemy.orm import joinedload

from editorial.desk import bp
from editorial.desk.forms import NewArticleForm
from editorial.domain import editing
from editorial.domain.errors import InvalidInput
from editorial.domain.models import Article, Category, Role, State, User, parse_db_int
from editorial.domain.policy import Permission, can
from editorial.extensions import db
from editorial.web.fragments import hx_redirect, render_page_or_block

PAGE_SIZE = 25
COUNT_CAP = 1000  # groups larger than this show "1000+"
GROUP_HEADINGS = {
    State.DRAFT: "Drafts",
    State.REVIEW: "In review",
    State.SCHEDULED: "Scheduled",
    State.PUBLISHED: "Published",
}
EMPTY_LINES = {
    State.DRAFT: "No drafts.",
    State.REVIEW: "Nothing is waiting for review.",
    State.SCHEDULED: "Nothing is scheduled.",
    State.PUBLISHED: "Nothing published yet.",
}


@bp.before_request
@login_required
def _require_login():
    """Every desk page needs a signed-in user who may use the desk."""
    if not can(current_user, Permission.USE_DESK):
        abort(403)
    if current_user.must_change_password:
        return redirect(url_for("auth.change_password"))
    return None


class _AnyArticle:
    """Stands for "someone else's article" when asking the policy about scope."""

    author_id = -1
    state = State.DRAFT


def sees_all_articles(user: Any) -> bool:
    """Editors and admins see every article; authors only their own."""
    return can(user, Permission.VIEW, _AnyArticle)


# --- dashboard -------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """The dashboard's GET filters, parsed leniently (bad values are ignored)."""

    category: int | None = None
    author: int | None = None
    state: State | None = None
    q: str = ""

    @classmethod
    def from_args(cls, args: Any, may_filter_author: bool) -> Filters:
        def number(name: str) -> int | None:
            return parse_db_int(args.get(name, ""))

        try:
            state = State(args.get("state", ""))
        except ValueError:
            state = None
        return cls(
            category=number("category"),
            author=number("author") if may_filter_author else None,
            state=state,
            q=args.get("q", "").replace("\x00", "").strip()[:100],
        )

    def apply(self, stmt: Any) -> Any:
        if self.category is not None:
            stmt = stmt.where(Article.category_id == self.category)
        if self.author is not None:
            stmt = stmt.where(Article.author_id == self.author)
        if self.state is not None:
            stmt = stmt.where(Article.state == self.state)
        if self.q:
            escaped = (
                self.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            )
            stmt = stmt.where(Article.title.ilike(f"%{escaped}%", escape="\\"))
        return stmt

    @property
    def active(self) -> bool:
        return bool(self.category or self.author or self.state or self.q)


@dataclass(frozen=True)
class Group:
    """One dashboard group: a state's heading, its count and one page of rows."""

    state: State
    heading: str
    count: int
    rows: list[Article]
    page: int
    pages: int
    page_param: str
    queue: bool = False
    capped: bool = False


def _page_number(name: str) -> int:
    value = parse_db_int(request.args.get(name, "1"))
    return max(1, min(value, 10_000)) if value is not None else 1


def _groups(filters: Filters, see_all: bool) -> list[Group]:
    """Count per state in one query, then one joined query per group's page."""
    base = select(Article)
    if not see_all:
        base = base.where(Article.author_id == current_user.id)
    base = filters.apply(base)
    counts = _capped_counts(base)
    # Editors work the review queue first, oldest submission first.
    order = (
        (State.REVIEW, State.SCHEDULED, State.DRAFT, State.PUBLISHED)
        if see_all
        else (State.DRAFT, State.REVIEW, State.SCHEDULED, State.PUBLISHED)
    )
    groups = []
    for state in order:
        count = counts.get(state, 0)
        capped = count > COUNT_CAP
        param = f"{state.value}_page"
        pages = max(1, -(-count // PAGE_SIZE))
        page = _page_number(param) if capped else min(_page_number(param), pages)
        rows: list[Article] = []
        if count:
            sort = {
                State.REVIEW: (Article.submitted_at.asc(), Article.id.asc()),
                # Next to go out first.
                State.SCHEDULED: (Article.publish_at.asc(), Article.id.asc()),
            }.get(state, (Article.updated_at.desc(), Article.id.desc()))
            rows = list(
                db.session.scalars(
                    base.where(Article.state == state)
                    .options(
                        joinedload(Article.category),
                        joinedload(Article.author),
                        joinedload(Article.updated_by),
                    )
                    .order_by(*sort)
                    .limit(PAGE_SIZE)
                    .offset((page - 1) * PAGE_SIZE)
                )
            )
        if capped:
            # Past the cap the exact total is not counted: offer a next page
            # while this one is full.
            count = COUNT_CAP
            pages = page + 1 if len(rows) == PAGE_SIZE else page
        groups.append(
            Group(
                state=state,
                heading=GROUP_HEADINGS[state],
                count=count,
                rows=rows,
                page=page,
                pages=pages,
                page_param=param,
                queue=see_all and state == State.REVIEW,
                capped=capped,
            )
        )
    return groups


def _capped_counts(base: Any) -> dict[State, int]:
    """Articles per state, each counted only up to COUNT_CAP + 1, in one statement.

    Counting every row would make the dashboard slower as the archive grows; a
    newsroom needs "1,000+", not the exact size of its archive.
    """
    parts = []
    for state in State:
        capped = (
            base.with_only_columns(Article.id)
            .where(Article.state == state)
            .limit(COUNT_CAP + 1)
            .subquery()
        )
        parts.append(
            select(
                literal(state.value).label("state"), func.count().label("n")
            ).select_from(capped)
        )
    rows = db.session.execute(union_all(*parts)).all()
    return {State(row.state): row.n for row in rows}


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
    see_all = sees_all_articles(current_user)
    filters = Filters.from_args(request.args, see_all)
    categories = db.session.scalars(
        select(Category).order_by(Category.retired, Category.position, Category.id)
    ).all()
    authors = (
        db.session.scalars(select(User).order_by(User.display_name)).all()
        if see_all
        else []
    )
    return render_page_or_block(
        "desk/dashboard.html",
        "list_block",
        groups=_groups(filters, see_all),
        filters=filters,
        see_all=see_all,
        categories=categories,
        authors=authors,
        EMPTY_LINES=EMPTY_LINES,
        dashboard_url=dashboard_url,
        Role=Role,
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
            db.session.rollback()
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
    return render_page_or_block(
        "desk/new_article.html", "new_article_block", status=status, form=form
    )
