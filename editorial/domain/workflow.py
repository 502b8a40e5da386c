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
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from editorial.domain import (
    checklist,
    comments,
    images,
    notifications,
    revisions,
    search,
    settings,
)
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
    ChangeKind,
    Correction,
    Revision,
    State,
    Transition,
    User,
    utcnow,
)
from editorial.domain.policy import Permission, can, four_eyes_refusal
from editorial.domain.signals import mark_reader_change, publication_tags

audit_log = logging.getLogger("editorial.audit")


# --- what each action does beyond the state (its row's `effect`) ---------------


@dataclass(frozen=True)
class Step:
    """One action being taken: what its effect reads and changes."""

    session: Session
    article: Article
    revision: Revision  # the revision holding the working copy acted on
    content: ArticleContent
    now: datetime
    user: User
    publish_at: datetime | None = None  # Schedule's minute
    kind: ChangeKind | None = None  # Publish update's `Kind of change`


Effect = Callable[[Step], None]


def _on_submit(step: Step) -> None:
    step.article.submitted_at = step.now
    step.article.submitted_revision_id = step.revision.id


def _on_back_to_draft(step: Step) -> None:
    step.article.submitted_at = None
    step.article.publish_at = None
    step.article.scheduled_by_id = None


def _category_slugs(session: Session, ids: set[int | None]) -> list[str]:
    """Slugs of these categories (already in the session: no statement)."""
    found = (session.get(Category, i) for i in ids if i is not None)
    return [c.slug for c in found if c is not None]


def _teaser(article: Article) -> tuple[Any, ...]:
    """What lists show of a published article, and where they place it."""
    return (
        article.published_title,
        article.published_summary,
        article.published_category_id,
        article.last_published_at,
    )


def _on_schedule(step: Step) -> None:
    # Publishes as this editor at that minute (their permission checked again).
    step.article.publish_at = step.publish_at
    step.article.scheduled_by_id = step.user.id


def publication_fields(
    content: ArticleContent,
    *,
    revision_id: int,
    now: datetime,
    kind: ChangeKind | None,
    first_published_at: datetime | None,
    last_published_at: datetime | None,
) -> dict[str, Any]:
    """The article columns a publication (or `Publish update`) sets: the snapshot
    pointer and what lists show of it. Pure, so the benchmark seeder writes the
    same rows in bulk."""
    image_id, image = images.published_image_fields(content.lead_image)
    # A typo fix keeps Last updated (and the feed's <updated>); everything else
    # moves it (section 10).
    if kind != ChangeKind.TYPO or last_published_at is None:
        last_published_at = now
    return {
        "published_revision_id": revision_id,
        "published_title": content.title,
        "published_summary": content.summary,
        "published_category_id": content.category_id,
        "published_image_id": image_id,
        "published_image": image,
        "first_published_at": first_published_at or now,
        "last_published_at": last_published_at,
    }


def _on_publish(step: Step) -> None:
    session, article, content = step.session, step.article, step.content
    old_category_id = article.published_category_id
    old_teaser = _teaser(article)
    _on_back_to_draft(step)  # no longer submitted nor scheduled
    fields = publication_fields(
        content,
        revision_id=step.revision.id,
        now=step.now,
        kind=step.kind,
        first_published_at=article.first_published_at,
        last_published_at=article.last_published_at,
    )
    for name, value in fields.items():
        setattr(article, name, value)
    session.flush()
    refresh_category_freshness(session, {old_category_id, content.category_id})
    search.index_article(session, article, content)
    # A body-only change leaves every list (and every other page) as it was.
    mark_reader_change(
        session,
        *publication_tags(
            article.slug,
            _category_slugs(session, {old_category_id, content.category_id}),
            listings=_teaser(article) != old_teaser,
        ),
    )


def _on_unpublish(step: Step) -> None:
    session, article = step.session, step.article
    old_category_id = article.published_category_id
    # Readers must not see any of it any more; first_published_at stays, so the
    # public URL answers 410 Gone rather than 404.
    article.published_revision_id = None
    article.published_title = None
    article.published_summary = None
    article.published_category_id = None
    article.published_image_id = None
    article.published_image = None
    article.submitted_at = None
    session.flush()
    refresh_category_freshness(session, {old_category_id})
    search.remove_article(session, article.id)
    mark_reader_change(
        session,
        *publication_tags(
            article.slug, _category_slugs(session, {old_category_id}), listings=True
        ),
    )


# --- the table -------------------------------------------------------------------

KIND_LABEL = "Kind of change"
CORRECTION_NOTE = "Correction note"


@dataclass(frozen=True)
class Action:
    """One row of the workflow table: everything the engine, the buttons and the
    messages know about an action."""

    name: str
    label: str  # the button text, exactly as PRODUCT.md section 3 gives it
    sources: frozenset[State]
    target: State
    permission: Permission
    effect: Effect  # what it does beyond the state change
    message: str = ""  # said after it succeeded ("{publish_at}": the minute)
    style: str = ""  # its button's class: "primary", "danger" or ordinary ("")
    needs: str | None = None  # "note", "reason" or "publish_at": a required field
    needs_label: str = ""  # that field's label
    runs_checklist: bool = False
    # Internal actions are never offered as buttons nor accepted from a request:
    # the scheduler takes them (publish_scheduled).
    internal: bool = False
    asks_kind: bool = False  # Publish update: `Kind of change` (section 10)

    @property
    def kind_label(self) -> str:
        """The label of the `Kind of change` choice, for an action that asks it."""
        return KIND_LABEL if self.asks_kind else ""


ACTIONS: tuple[Action, ...] = (
    Action(
        "submit",
        "Submit for review",
        frozenset({State.DRAFT}),
        State.REVIEW,
        Permission.SUBMIT,
        _on_submit,
        message="Submitted for review.",
        style="primary",
        runs_checklist=True,
    ),
    Action(
        "withdraw",
        "Withdraw",
        frozenset({State.REVIEW}),
        State.DRAFT,
        Permission.WITHDRAW,
        _on_back_to_draft,
        message="Withdrawn: the article is a draft again.",
    ),
    Action(
        "request_changes",
        "Request changes",
        frozenset({State.REVIEW}),
        State.DRAFT,
        Permission.REQUEST_CHANGES,
        _on_back_to_draft,
        message="Changes requested: the article is back with its author.",
        needs="note",
        needs_label="Note",
    ),
    Action(
        "publish",
        "Publish",
        frozenset({State.DRAFT, State.REVIEW}),
        State.PUBLISHED,
        Permission.PUBLISH,
        _on_publish,
        message="Published.",
        style="primary",
        runs_checklist=True,
    ),
    Action(
        "publish_update",
        "Publish update",
        frozenset({State.PUBLISHED}),
        State.PUBLISHED,
        Permission.PUBLISH_UPDATE,
        _on_publish,
        message="Update published.",
        style="primary",
        runs_checklist=True,
        asks_kind=True,
    ),
    Action(
        "unpublish",
        "Unpublish",
        frozenset({State.PUBLISHED}),
        State.DRAFT,
        Permission.UNPUBLISH,
        _on_unpublish,
        message="Unpublished: the public address now answers 410 Gone.",
        style="danger",
        needs="reason",
        needs_label="Reason",
    ),
    Action(
        "schedule",
        "Schedule",
        frozenset({State.DRAFT, State.REVIEW}),
        State.SCHEDULED,
        Permission.SCHEDULE,
        _on_schedule,
        message="Scheduled: it publishes at {publish_at}.",
        style="primary",
        needs="publish_at",
        needs_label="Publish at",
        runs_checklist=True,
    ),
    Action(
        "unschedule",
        "Unschedule",
        frozenset({State.SCHEDULED}),
        State.DRAFT,
        Permission.UNSCHEDULE,
        _on_back_to_draft,
        message="Unscheduled: the article is a draft again.",
        style="danger",
    ),
    # What the scheduler does at the minute: Publish, as the scheduling editor,
    # with the same permission and checklist (domain.scheduling).
    Action(
        "publish_scheduled",
        "Publish",
        frozenset({State.SCHEDULED}),
        State.PUBLISHED,
        Permission.PUBLISH,
        _on_publish,
        message="Published.",
        runs_checklist=True,
        internal=True,
    ),
)
ACTIONS_BY_NAME: dict[str, Action] = {a.name: a for a in ACTIONS}

Checker = Callable[[ArticleContent], Sequence[Any]]

# How far ahead a schedule may reach: a typo in the year is caught, not kept.
SCHEDULE_HORIZON = timedelta(days=366 * 5)


def get_action(name: str, *, internal: bool = False) -> Action:
    """Look an action up by name; an unknown name is a 404, not a crash.

    Internal actions exist only for the caller that says so (the scheduler).
    """
    action = ACTIONS_BY_NAME.get(name)
    if action is None or (action.internal and not internal):
        raise NotFound(f"There is no action called {name!r}.")
    return action


def available_actions(article: Article, user: User | None) -> list[Action]:
    """The actions this user may take on this article now: these drive the buttons."""
    return [
        a
        for a in ACTIONS
        if not a.internal
        and article.state in a.sources
        and can(user, a.permission, article)
    ]


def unavailable_reasons(
    session: Session, article: Article, user: User | None
) -> dict[str, str]:
    """Why some offered actions cannot be taken by this user now (Four-eyes).

    The button is shown disabled with this text; `apply` refuses for the same
    reason, so the page and the server cannot disagree.
    """
    enabled = settings.four_eyes_enabled(session)
    reasons = {}
    for action in available_actions(article, user):
        reason = four_eyes_refusal(user, article, action.name, enabled=enabled)
        if reason:
            reasons[action.name] = reason
    return reasons


def parse_kind(raw: object) -> ChangeKind:
    """The `Kind of change` of a Publish update, or InvalidInput."""
    try:
        return ChangeKind(raw)
    except ValueError:
        raise InvalidInput(
            "kind", "Choose the kind of change: Typo fix, Update or Correction."
        ) from None


def apply(
    session: Session,
    article: Article,
    action_name: str,
    user: User,
    *,
    expected_version: int,
    note: str | None = None,
    publish_at: datetime | None = None,
    kind: ChangeKind | str | None = None,
    correction_note: str | None = None,
    checker: Checker = checklist.check_article,
    now: datetime | None = None,
    typo_fix: bool = False,
    internal: bool = False,
) -> Transition:
    """Perform a workflow action, or raise the error that says why not.

    `publish_at` (naive UTC) is the Schedule's minute; `kind` and
    `correction_note` are the Publish update's `Kind of change` and note.

    Raises:
        NotFound: unknown action, or the user may not see the article.
        NotAllowed: the policy refuses this user this action (Four-eyes
            publishing included: `typo_fix` exempts a Publish update).
        IllegalTransition: the action does not apply to the current state.
        StaleVersion: the article changed since `expected_version`.
        InvalidInput: a required note or reason is missing or too long.
        ChecklistFailed: the checklist has errors (with every finding).
    """
    action = get_action(action_name, internal=internal)
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
        raise StaleVersion()
    now = now or utcnow()
    text = (note or "").replace("\x00", "").strip()
    if action.needs == "publish_at":
        publish_at = _future_minute(publish_at, now)
    elif action.needs:
        text = _required_text(note, action.needs, action.needs_label)
    change_kind = parse_kind(kind) if action.asks_kind else None
    correction = ""
    if change_kind == ChangeKind.CORRECTION:
        correction = _required_text(correction_note, "correction_note", CORRECTION_NOTE)
    refusal = four_eyes_refusal(
        user,
        article,
        action.name,
        enabled=settings.four_eyes_enabled(session),
        typo_fix=typo_fix or change_kind == ChangeKind.TYPO,
    )
    if refusal:
        raise NotAllowed(refusal)
    content = article.working_content()
    gated = action.name in comments.GATED_ACTIONS
    if action.runs_checklist:
        findings = list(checker(content))
        if gated:
            findings += comments.publishing_findings(session, article)
        # The checklist reads the correction note like any other published text.
        findings += checklist.check_text(
            correction, CORRECTION_NOTE, field="correction_note"
        )
        if checklist.has_errors(findings):
            raise ChecklistFailed(findings)

    from_state = article.state
    # The version check again, in the database, so two editors racing on one
    # article cannot both act: only one UPDATE matches.
    # Every save bumps the version, so it also proves the last writer is still
    # the one Four-eyes was checked against; a thread opened meanwhile does not
    # bump it, so the count is re-checked in the same statement.
    claim = update(Article).where(
        Article.id == article.id, Article.version == expected_version
    )
    if gated:
        claim = claim.where(Article.open_comments == 0)
    claimed = session.execute(
        claim.values(
            version=Article.version + 1, state=action.target
        ).execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        found = comments.publishing_findings(session, article) if gated else []
        if found:
            raise ChecklistFailed(found)
        raise StaleVersion()
    session.refresh(article)
    revision = revisions.current(session, article, content, user, now)
    action.effect(
        Step(
            session,
            article,
            revision,
            content,
            now,
            user,
            publish_at=publish_at,
            kind=change_kind,
        )
    )
    transition = _record_transition(
        session, article, action, user, from_state, text or None, revision, now
    )
    transition.change_kind = change_kind
    if action.needs == "publish_at":
        transition.publish_at = publish_at
    if correction:
        session.add(
            Correction(
                article_id=article.id,
                note=correction,
                published_at=now,
                transition_id=transition.id,
                created_by_id=user.id,
            )
        )
        mark_reader_change(session)
    session.flush()
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


def _required_text(raw: str | None, field: str, label: str) -> str:
    """A required note: present and within NOTE_MAX once cleaned, or InvalidInput."""
    text = (raw or "").replace("\x00", "").replace("\r\n", "\n").strip()
    if not text:
        raise InvalidInput(field, f"{label} is required.")
    if len(text) > NOTE_MAX:
        raise InvalidInput(
            field, f"{label} is too long (at most {NOTE_MAX} characters)."
        )
    return text


def _future_minute(publish_at: datetime | None, now: datetime) -> datetime:
    """`Publish at`, to the minute, in the future and within the horizon."""
    if publish_at is None:
        raise InvalidInput("publish_at", "Publish at is required.")
    if publish_at.tzinfo is not None:
        raise ValueError("publish_at must be naive UTC")
    minute = publish_at.replace(second=0, microsecond=0)
    if minute <= now:
        raise InvalidInput("publish_at", "Publish at must be in the future.")
    if minute > now + SCHEDULE_HORIZON:
        raise InvalidInput(
            "publish_at", "Publish at is too far ahead (at most five years)."
        )
    return minute


def return_to_review(
    session: Session,
    article: Article,
    reason: str,
    *,
    now: datetime | None = None,
) -> Transition | None:
    """A scheduled publication failed: back to In review, with the reason as note.

    Re-checks the state and version in the database (an editor may have
    unscheduled it meanwhile); None when the article was no longer scheduled.
    The transition has no actor: the scheduler took it, on the editor's behalf.
    """
    now = now or utcnow()
    version = article.version
    claimed = session.execute(
        update(Article)
        .where(
            Article.id == article.id,
            Article.version == version,
            Article.state == State.SCHEDULED,
        )
        .values(
            version=Article.version + 1,
            state=State.REVIEW,
            publish_at=None,
            scheduled_by_id=None,
            submitted_at=func.coalesce(Article.submitted_at, now),
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        return None
    session.refresh(article)
    latest = revisions.latest(session, article.id)
    transition = Transition(
        article_id=article.id,
        actor_id=None,
        action="schedule_failed",
        from_state=State.SCHEDULED,
        to_state=State.REVIEW,
        note=reason[:NOTE_MAX],
        revision_id=latest.id if latest else None,
        created_at=now,
    )
    session.add(transition)
    session.flush()
    audit_log.info(
        "workflow action=schedule_failed article=%s from=scheduled to=review",
        article.id,
    )
    return transition


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
