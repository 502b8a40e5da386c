"""An article's history: transitions, revisions and block-by-block diffs."""

from __future__ import annotations

from flask import abort, current_app, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import defer, joinedload

from editorial.desk import bp
from editorial.domain import diff, editing, rendering, restore, workflow
from editorial.domain.errors import InvalidInput, StaleVersion
from editorial.domain.models import Article, Revision, Transition, parse_db_int
from editorial.domain.policy import Permission, can
from editorial.extensions import db
from editorial.web.fragments import hx_redirect, render_page_or_block

REVISIONS_SHOWN = 200
_BLOCK_NAMES = {
    "created": "Created",
    "meta": "Title and category",
    "summary": "Quick summary",
    "sections": "Sections (added, moved or removed)",
    "takeaways": "Key takeaways",
    "faqs": "People also ask",
    "workflow": "Workflow",
}


_SYSTEM_ACTIONS = {"schedule_failed": "Scheduled publication failed"}


def action_name(transition: Transition, tz_name: str) -> str:
    """A transition's action in words, with its kind of change or minute."""
    action = workflow.ACTIONS_BY_NAME.get(transition.action)
    words = _SYSTEM_ACTIONS.get(transition.action) or (
        action.label if action else transition.action
    )
    if transition.action == "publish_scheduled":
        words = "Published as scheduled"
    if transition.change_kind is not None:
        words += f": {transition.change_kind.label}"
    if transition.publish_at is not None:
        words += f" for {rendering.display_datetime(transition.publish_at, tz_name)}"
    return words


def block_name(block: str) -> str:
    """A revision's block key, in words."""
    if block.startswith("section:"):
        return "Section"
    restored = restore.restored_from(block)
    if restored is not None:
        return f"Restored revision {restored}"
    return _BLOCK_NAMES.get(block, block)


def _revision(article: Article, number: int) -> Revision | None:
    return db.session.scalar(
        select(Revision)
        .options(joinedload(Revision.created_by))
        .where(Revision.article_id == article.id, Revision.number == number)
    )


def _transitions(article: Article) -> list[Transition]:
    return list(
        db.session.scalars(
            select(Transition)
            .options(joinedload(Transition.actor), joinedload(Transition.revision))
            .where(Transition.article_id == article.id)
            .order_by(Transition.created_at.desc(), Transition.id.desc())
        )
    )


def _revisions(article: Article) -> list[Revision]:
    return list(
        db.session.scalars(
            select(Revision)
            .options(defer(Revision.content), joinedload(Revision.created_by))
            .where(Revision.article_id == article.id)
            .order_by(Revision.number.desc())
            .limit(REVISIONS_SHOWN)
        )
    )


def _previous(revision: Revision) -> Revision | None:
    return db.session.scalar(
        select(Revision)
        .where(
            Revision.article_id == revision.article_id,
            Revision.number < revision.number,
        )
        .order_by(Revision.number.desc())
        .limit(1)
    )


def _revision_changes(
    selected: Revision | None, previous: Revision | None, budget: diff.Budget
) -> list[diff.BlockDiff]:
    if selected is None:
        return []
    before = previous.article_content() if previous else None
    return diff.diff_content(before, selected.article_content(), budget)


def _since_submission(
    article: Article, budget: diff.Budget
) -> tuple[Revision | None, list[diff.BlockDiff] | None]:
    """The editor's second diff, computed only when asked for (`compare=submission`)."""
    if not (
        can(current_user, Permission.SEE_DIFF, article)
        and article.submitted_revision_id
    ):
        return None, None
    submitted = db.session.get(Revision, article.submitted_revision_id)
    if submitted is None or request.args.get("compare") != "submission":
        return submitted, None
    changes = diff.diff_content(
        submitted.article_content(), article.working_content(), budget
    )
    return submitted, changes


@bp.get("/articles/<int:article_id>/history")
def history(article_id: int):
    """Transitions with notes, every revision, and the diff of one revision."""
    article = editing.get_article_for(db.session, article_id, current_user)
    revisions = _revisions(article)
    wanted = parse_db_int(request.args.get("rev", ""))
    number = wanted if wanted is not None else (revisions[0].number if revisions else 0)
    selected = _revision(article, number)
    previous = _previous(selected) if selected else None
    budget = diff.Budget()  # one bound on diffing time for the whole request
    submitted, since_submission = _since_submission(article, budget)
    return render_page_or_block(
        "desk/history.html",
        "diff_block",
        article=article,
        transitions=_transitions(article),
        revisions=revisions,
        selected=selected,
        previous=previous,
        changes=_revision_changes(selected, previous, budget),
        submitted=submitted,
        since_submission=since_submission,
        describe_block=block_name,
        may_restore=can(current_user, Permission.EDIT, article),
        describe_action=lambda t: action_name(t, current_app.config["SITE_TIMEZONE"]),
    )


@bp.post("/articles/<int:article_id>/history/<int:number>/restore")
def restore_version(article_id: int, number: int):
    """`Restore this version`: the whole revision back into the working copy."""
    return _restore(article_id, number, restore.WHOLE)


@bp.post("/articles/<int:article_id>/history/<int:number>/restore/<block>")
def restore_block(article_id: int, number: int, block: str):
    """`Restore this block`: one block of a revision's diff."""
    return _restore(article_id, number, block)


def _restore(article_id: int, number: int, block: str):
    article = editing.get_article_for(db.session, article_id, current_user)
    revision = _revision(article, number)
    version = parse_db_int(request.form.get("version", ""))
    if revision is None or version is None:
        abort(404 if revision is None else 400)
    try:
        restore.restore(
            db.session, article, current_user, revision, block, expected_version=version
        )
    except (InvalidInput, StaleVersion) as error:
        db.session.rollback()
        back = url_for("desk.history", article_id=article_id, rev=number)
        return hx_redirect(back, error.message, "error")
    db.session.commit()
    done = (
        f"Restored revision {number}."
        if block == restore.WHOLE
        else (f"Restored a block of revision {number}.")
    )
    return hx_redirect(
        url_for("desk.edit_article", article_id=article_id), done, "success"
    )
