"""The workflow: states, the action table, and `apply` (PRODUCT.md section 3).

`apply` asks the policy, checks the state, the article's version and the
checklist, then changes state, snapshot, history and version together. It never
commits: the caller commits once (or rolls back), so an action is one
transaction. No Flask import here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from editorial.domain import checklist, notifications, search
from editorial.domain.content import NOTE_MAX, ArticleContent
from editorial.domain.errors import (
    ChecklistFailed,
    IllegalTransition,
    InvalidInput,
    NotAllowed,
    NotFound,
    StaleVersion,
)
from editorial.domain.models import (
    Article,
    Category,
    Revision,
    State,
    Transition,
    User,
    utcnow,
)
from editorial.domain.policy import Permission, can
from editorial.domain.signals import mark_reader_change

audit_log = logging.getLogger("editorial.audit")


@dataclass(frozen=True)
class Action:
    """One row of the workflow table."""

    name: str
    label: str  # the button text, exactly as PRODUCT.md section 3 gives it
    sources: frozenset[State]
    target: State
    permission: Permission
    needs: str | None = None  # "note" or "reason": a required text field
    runs_checklist: bool = False


ACTIONS: tuple[Action, ...] = (
    Action(
        "submit",
        "Submit for review",
        frozenset({State.DRAFT}),
        State.REVIEW,
        Permission.SUBMIT,
        runs_checklist=True,
    ),
    Action(
        "withdraw",
        "Withdraw",
        frozenset({State.REVIEW}),
        State.DRAFT,
        Permission.WITHDRAW,
    ),
    Action(
        "request_changes",
        "Request changes",
        frozenset({State.REVIEW}),
        State.DRAFT,
        Permission.REQUEST_CHANGES,
        needs="note",
    ),
    Action(
        "publish",
        "Publish",
        frozenset({State.DRAFT, State.REVIEW}),
        State.PUBLISHED,
        Permission.PUBLISH,
        runs_checklist=True,
    ),
    Action(
        "publish_update",
        "Publish update",
        frozenset({State.PUBLISHED}),
        State.PUBLISHED,
        Permission.PUBLISH_UPDATE,
        runs_checklist=True,
    ),
    Action(
        "unpublish",
        "Unpublish",
        frozenset({State.PUBLISHED}),
        State.DRAFT,
        Permission.UNPUBLISH,
        needs="reason",
    ),
)
ACTIONS_BY_NAME: dict[str, Action] = {a.name: a for a in ACTIONS}

Checker = Callable[[ArticleContent], Sequence[Any]]


def get_action(name: str) -> Action:
    """Look an action up by name; an unknown name is a 404, not a crash."""
    try:
        return ACTIONS_BY_NAME[name]
    except KeyError:
        raise NotFound(f"There is no action called {name!r}.") from None


def available_actions(article: Article, user: User | None) -> list[Action]:
    """The actions this user may take on this article now: these drive the buttons."""
    return [
        a
        for a in ACTIONS
        if article.state in a.sources and can(user, a.permission, article)
    ]


def latest_revision(session: Session, article_id: int) -> Revision | None:
    """The newest revision of an article (the working copy as last saved)."""
    return session.scalars(
        select(Revision)
        .where(Revision.article_id == article_id)
        .order_by(Revision.number.desc())
        .limit(1)
    ).first()


def apply(
    session: Session,
    article: Article,
    action_name: str,
    user: User,
    *,
    expected_version: int,
    note: str | None = None,
    checker: Checker = checklist.check_article,
    now: datetime | None = None,
) -> Transition:
    """Perform a workflow action, or raise the error that says why not.

    Raises:
        NotFound: unknown action, or the user may not see the article.
        NotAllowed: the policy refuses this user this action.
        IllegalTransition: the action does not apply to the current state.
        StaleVersion: the article changed since `expected_version`.
        InvalidInput: a required note or reason is missing or too long.
        ChecklistFailed: the checklist has errors (with every finding).
    """
    action = get_action(action_name)
    if not can(user, Permission.VIEW, article):
        raise NotFound("No such article.")
    if not can(user, action.permission, article):
        raise NotAllowed(f"You may not {action.label.lower()} this article.")
    if article.state not in action.sources:
        raise IllegalTransition(
            f"“{action.label}” does not apply to an article that is "
            f"{article.state.label.lower()}."
        )
    if expected_version != article.version:
        raise StaleVersion(
            "This article changed since you opened it. Review the latest "
            "version, then try again."
        )
    text = (note or "").replace("\x00", "").strip()
    if action.needs:
        label = "Note" if action.needs == "note" else "Reason"
        if not text:
            raise InvalidInput(action.needs, f"{label} is required.")
        if len(text) > NOTE_MAX:
            raise InvalidInput(
                action.needs, f"{label} is too long (at most {NOTE_MAX} characters)."
            )
    content = article.working_content()
    if action.runs_checklist:
        findings = list(checker(content))
        if checklist.has_errors(findings):
            raise ChecklistFailed(findings)

    now = now or utcnow()
    from_state = article.state
    # The version check again, in the database, so two editors racing on one
    # article cannot both act: only one UPDATE matches.
    claimed = session.execute(
        update(Article)
        .where(Article.id == article.id, Article.version == expected_version)
        .values(version=Article.version + 1, state=action.target)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise StaleVersion(
            "This article changed since you opened it. Review the latest "
            "version, then try again."
        )
    session.refresh(article)
    revision = _current_revision(session, article, content, user, now)
    _EFFECTS[action.name](session, article, revision, content, now)
    transition = _record_transition(
        session, article, action, user, from_state, text or None, revision, now
    )
    # In the same transaction: the notification exists exactly when the act does.
    notifications.notify_transition(session, article, transition, user)
    audit_log.info(
        "workflow action=%s article=%s user=%s from=%s to=%s revision=%s",
        action.name,
        article.id,
        user.username,
        from_state.value,
        action.target.value,
        revision.number,
    )
    return transition


def _current_revision(
    session: Session,
    article: Article,
    content: ArticleContent,
    user: User,
    now: datetime,
) -> Revision:
    """The revision holding exactly the working copy, written if missing."""
    latest = latest_revision(session, article.id)
    document = content.to_json()
    if latest is not None and latest.content == document:
        return latest
    revision = Revision(
        article_id=article.id,
        number=(latest.number + 1) if latest else 1,
        block="workflow",
        content=document,
        created_at=now,
        created_by_id=user.id,
    )
    session.add(revision)
    session.flush()
    return revision


def _record_transition(
    session: Session,
    article: Article,
    action: Action,
    user: User,
    from_state: State,
    note: str | None,
    revision: Revision,
    now: datetime,
) -> Transition:
    transition = Transition(
        article_id=article.id,
        actor_id=user.id,
        action=action.name,
        from_state=from_state,
        to_state=action.target,
        note=note,
        revision_id=revision.id,
        created_at=now,
    )
    session.add(transition)
    session.flush()
    return transition


def _on_submit(session, article, revision, content, now) -> None:  # noqa: ANN001
    article.submitted_at = now
    article.submitted_revision_id = revision.id


def _on_back_to_draft(session, article, revision, content, now) -> None:  # noqa: ANN001
    article.submitted_at = None


def _on_publish(session, article, revision, content, now) -> None:  # noqa: ANN001
    old_category_id = article.published_category_id
    article.submitted_at = None
    article.published_revision_id = revision.id
    article.published_title = content.title
    article.published_summary = content.summary
    article.published_category_id = content.category_id
    article.first_published_at = article.first_published_at or now
    article.last_published_at = now
    session.flush()
    refresh_category_freshness(session, {old_category_id, content.category_id})
    search.index_article(session, article, content)
    mark_reader_change(session)


def _on_unpublish(session, article, revision, content, now) -> None:  # noqa: ANN001
    old_category_id = article.published_category_id
    # Readers must not see any of it any more; first_published_at stays, so the
    # public URL answers 410 Gone rather than 404.
    article.published_revision_id = None
    article.published_title = None
    article.published_summary = None
    article.published_category_id = None
    article.submitted_at = None
    session.flush()
    refresh_category_freshness(session, {old_category_id})
    search.remove_article(session, article.id)
    mark_reader_change(session)


_EFFECTS: dict[str, Callable[..., None]] = {
    "submit": _on_submit,
    "withdraw": _on_back_to_draft,
    "request_changes": _on_back_to_draft,
    "publish": _on_publish,
    "publish_update": _on_publish,
    "unpublish": _on_unpublish,
}


def refresh_category_freshness(session: Session, category_ids: set[int | None]) -> None:
    """Recompute Category.last_published_at and published_count for these ids.

    One indexed MAX and COUNT each, at publication time, so reader pages never
    aggregate over a category's articles.
    """
    for category_id in category_ids - {None}:
        freshest, count = session.execute(
            select(func.max(Article.last_published_at), func.count()).where(
                Article.state == State.PUBLISHED,
                Article.published_category_id == category_id,
            )
        ).one()
        session.execute(
            update(Category)
            .where(Category.id == category_id)
            .values(last_published_at=freshest, published_count=count)
            .execution_options(synchronize_session="fetch")
        )


def last_note_for_author(session: Session, article: Article) -> Transition | None:
    """The editor's latest "Request changes" note, if no submission came after it."""
    last = session.scalars(
        select(Transition)
        .where(Transition.article_id == article.id)
        .order_by(Transition.created_at.desc(), Transition.id.desc())
        .limit(1)
    ).first()
    if last is not None and last.action == "request_changes":
        return last
    return None
