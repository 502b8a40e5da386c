"""The workflow engine and the policy, tested without HTTP."""

from __future__ import annotations

from datetime import timedelta

import pytest

from editorial.domain import editing, revisions, workflow
from editorial.domain.errors import (
    ChecklistFailed,
    IllegalTransition,
    InvalidInput,
    NotAllowed,
    NotFound,
    StaleVersion,
)
from editorial.domain.models import Revision, Role, State, Transition, utcnow
from editorial.extensions import db
from tests.steps import act, edit_first_section

ACTORS = ("anonymous", "own_author", "other_author", "editor", "admin")
ACTIONS = (
    "submit",
    "withdraw",
    "request_changes",
    "publish",
    "publish_update",
    "unpublish",
    "schedule",
    "unschedule",
)
STATES = ("draft", "review", "published", "scheduled")

# Written out by hand from PRODUCT.md sections 1 and 3, independently of
# domain.policy: for each action, who may use it at all, and from which states.
MAY_USE = {
    "submit": {"own_author", "editor", "admin"},
    "withdraw": {"own_author"},
    "request_changes": {"editor", "admin"},
    "publish": {"editor", "admin"},
    "publish_update": {"editor", "admin"},
    "unpublish": {"editor", "admin"},
    # Section 10: editors schedule and unschedule.
    "schedule": {"editor", "admin"},
    "unschedule": {"editor", "admin"},
}
FROM_STATES = {
    "submit": {"draft"},
    "withdraw": {"review"},
    "request_changes": {"review"},
    "publish": {"draft", "review"},
    "publish_update": {"published"},
    "unpublish": {"published"},
    "schedule": {"draft", "review"},
    "unschedule": {"scheduled"},
}
TARGET = {
    "submit": "review",
    "withdraw": "draft",
    "request_changes": "draft",
    "publish": "published",
    "publish_update": "published",
    "unpublish": "draft",
    "schedule": "scheduled",
    "unschedule": "draft",
}
# Those who may not even see another author's article get 404, not 403.
CANNOT_SEE = {"anonymous", "other_author"}


def expected(actor: str, action: str, state: str) -> str:
    if actor in CANNOT_SEE:
        return "not_found"
    if actor not in MAY_USE[action]:
        return "not_allowed"
    if state not in FROM_STATES[action]:
        return "illegal"
    return "ok"


OUTCOME = {
    NotFound: "not_found",
    NotAllowed: "not_allowed",
    IllegalTransition: "illegal",
}


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("actor", ACTORS)
def test_every_action_for_every_role_in_every_state(
    make_user, make_article, actor, action, state
):
    author = make_user(Role.AUTHOR)
    people = {
        "anonymous": None,
        "own_author": author,
        "other_author": make_user(Role.AUTHOR),
        "editor": make_user(Role.EDITOR),
        "admin": make_user(Role.ADMIN),
    }
    article = make_article(author=author, state=state)
    version = article.version
    try:
        workflow.apply(
            db.session,
            article,
            action,
            people[actor],
            expected_version=version,
            note="Please check the second section.",
            publish_at=utcnow() + timedelta(hours=2),
            kind="update",
        )
    except tuple(OUTCOME) as error:
        outcome = OUTCOME[type(error)]
        db.session.rollback()
    else:
        db.session.commit()
        outcome = "ok"
    assert outcome == expected(actor, action, state)
    db.session.refresh(article)
    if outcome == "ok":
        assert article.state == State(TARGET[action])
        assert article.version == version + 1
    else:
        assert article.state == State(state)
        assert article.version == version


def test_buttons_are_exactly_the_allowed_actions(make_user, make_article):
    author = make_user(Role.AUTHOR)
    editor = make_user(Role.EDITOR)
    article = make_article(author=author, state="review")
    assert [a.label for a in workflow.available_actions(article, author)] == [
        "Withdraw"
    ]
    assert [a.label for a in workflow.available_actions(article, editor)] == [
        "Request changes",
        "Publish",
        "Schedule",
    ]
    assert workflow.available_actions(article, None) == []


def test_deactivated_editor_can_do_nothing(make_user, make_article):
    editor = make_user(Role.EDITOR, active=False)
    article = make_article(state="review")
    with pytest.raises(NotFound):
        workflow.apply(
            db.session, article, "publish", editor, expected_version=article.version
        )


@pytest.mark.parametrize(
    ("action", "state"), [("request_changes", "review"), ("unpublish", "published")]
)
def test_note_or_reason_is_required(make_user, make_article, action, state):
    editor = make_user(Role.EDITOR)
    article = make_article(state=state)
    with pytest.raises(InvalidInput) as info:
        workflow.apply(
            db.session,
            article,
            action,
            editor,
            expected_version=article.version,
            note="   ",
        )
    assert info.value.field in ("note", "reason")
    db.session.rollback()
    db.session.refresh(article)
    assert article.state == State(state)


def test_transition_is_recorded_with_revision(make_user, make_article):
    editor = make_user(Role.EDITOR)
    article = make_article(state="review")
    workflow.apply(
        db.session,
        article,
        "request_changes",
        editor,
        expected_version=article.version,
        note="Add the vote count.",
    )
    db.session.commit()
    last = db.session.scalars(
        db.select(Transition).order_by(Transition.id.desc())
    ).first()
    assert (last.action, last.from_state, last.to_state) == (
        "request_changes",
        State.REVIEW,
        State.DRAFT,
    )
    assert last.actor_id == editor.id
    assert last.note == "Add the vote count."
    assert last.revision is not None
    assert last.revision.article_content().title == article.title
    assert workflow.last_note_for_author(db.session, article).note == (
        "Add the vote count."
    )


def test_failure_mid_transition_changes_nothing(make_user, make_article, monkeypatch):
    editor = make_user(Role.EDITOR)
    article = make_article(state="review")
    before = (article.state, article.version, article.published_revision_id)
    transitions = db.session.scalar(db.select(db.func.count()).select_from(Transition))
    revisions = db.session.scalar(db.select(db.func.count()).select_from(Revision))

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(workflow, "_record_transition", explode)
    with pytest.raises(RuntimeError):
        workflow.apply(
            db.session, article, "publish", editor, expected_version=article.version
        )
    db.session.rollback()
    db.session.refresh(article)
    assert (article.state, article.version, article.published_revision_id) == before
    assert article.published_title is None
    assert (
        db.session.scalar(db.select(db.func.count()).select_from(Transition))
        == transitions
    )
    assert (
        db.session.scalar(db.select(db.func.count()).select_from(Revision)) == revisions
    )


def test_stale_workflow_action_is_refused(make_user, make_article):
    editor = make_user(Role.EDITOR)
    article = make_article(state="review")
    seen = article.version
    editing.update_summary(
        db.session,
        article,
        editor,
        expected_version=article.summary_version,
        summary="A late correction to the summary.",
    )
    db.session.commit()
    with pytest.raises(StaleVersion):
        workflow.apply(db.session, article, "publish", editor, expected_version=seen)
    db.session.rollback()
    db.session.refresh(article)
    assert article.state == State.REVIEW


def test_published_snapshot_unchanged_until_publish_update(make_user, make_article):
    editor = make_user(Role.EDITOR)
    article = make_article(state="published")
    published = article.published_revision
    first_published = article.last_published_at
    editing.update_summary(
        db.session,
        article,
        editor,
        expected_version=article.summary_version,
        summary="An updated summary, not yet public.",
    )
    db.session.commit()
    db.session.refresh(article)
    assert article.published_revision_id == published.id
    assert article.published_summary != "An updated summary, not yet public."
    assert "not yet public" not in article.published_revision.content
    workflow.apply(
        db.session,
        article,
        "publish_update",
        editor,
        expected_version=article.version,
        kind="update",
    )
    db.session.commit()
    db.session.refresh(article)
    assert article.published_summary == "An updated summary, not yet public."
    assert "not yet public" in article.published_revision.content
    assert article.last_published_at >= first_published
    assert article.state == State.PUBLISHED


def test_checklist_errors_block_publishing(make_user, make_article):
    editor = make_user(Role.EDITOR)
    article = make_article(filled=False)
    with pytest.raises(ChecklistFailed) as info:
        workflow.apply(
            db.session, article, "publish", editor, expected_version=article.version
        )
    assert info.value.findings
    db.session.rollback()
    db.session.refresh(article)
    assert article.state == State.DRAFT


def test_unpublish_clears_the_public_snapshot(make_user, make_article):
    editor = make_user(Role.EDITOR)
    article = make_article(state="published")
    category = article.published_category
    assert category.last_published_at is not None
    assert category.published_count == 1
    workflow.apply(
        db.session,
        article,
        "unpublish",
        editor,
        expected_version=article.version,
        note="Legal asked us to pull it.",
    )
    db.session.commit()
    db.session.refresh(article)
    db.session.refresh(category)
    assert article.state == State.DRAFT
    assert article.published_revision_id is None
    assert article.first_published_at is not None
    assert category.last_published_at is None
    assert category.published_count == 0


def test_publish_update_is_blocked_by_a_checklist_error(make_user, make_article):
    editor = make_user(Role.EDITOR)
    article = make_article(state="published")
    published = article.published_revision_id
    transitions = db.session.query(Transition).count()
    edit_first_section(article, editor, "The vote was TK to four.")
    version = article.version
    with pytest.raises(ChecklistFailed) as failed:
        workflow.apply(
            db.session,
            article,
            "publish_update",
            editor,
            expected_version=version,
            kind="update",
        )
    db.session.rollback()
    # Severities written out, not read from RULES: a placeholder is an error.
    assert ("placeholder", "error") in {
        (f.rule, f.severity) for f in failed.value.findings
    }
    assert failed.value.message == "The checklist found 1 error to fix first."
    db.session.expire_all()
    db.session.refresh(article)
    assert article.state == State.PUBLISHED
    assert article.version == version
    assert article.published_revision_id == published
    assert "TK" not in article.published_revision.content
    assert db.session.query(Transition).count() == transitions


def test_publish_update_goes_ahead_over_a_warning(make_user, make_article):
    """A doubled word is a warning (advice): the update is published."""
    editor = make_user(Role.EDITOR)
    article = make_article(state="published")
    edit_first_section(article, editor, "The vote was was nine to four.")
    from editorial.domain import checklist

    found = checklist.check_article(article.working_content())
    assert {(f.rule, f.severity) for f in found} == {("doubled-word", "warning")}
    act(article, "publish_update", editor, kind="update")
    db.session.refresh(article)
    assert "was was nine" in article.published_revision.content


def test_every_action_row_carries_its_own_facts():
    """Effect, message, button style and field labels live on the row."""
    for action in workflow.ACTIONS:
        assert callable(action.effect), action.name
        assert action.message, action.name
        assert action.style in ("primary", "danger", ""), action.name
        assert bool(action.needs) == bool(action.needs_label), action.name
        assert bool(action.kind_label) == action.asks_kind, action.name
    assert workflow.get_action("request_changes").needs_label == "Note"
    assert workflow.get_action("unpublish").needs_label == "Reason"
    assert workflow.get_action("publish_update").kind_label == "Kind of change"


def test_saves_and_actions_number_revisions_by_one_rule(make_user, make_article):
    """A revision's number is the article's version after the change, whether a
    block save or a workflow action wrote it."""
    author = make_user(Role.AUTHOR)
    article = make_article(author=author)
    saved = revisions.latest(db.session, article.id)
    act(article, "submit", author)  # the copy the last save kept: reused
    act(article, "withdraw", author)
    assert revisions.latest(db.session, article.id).id == saved.id
    article.category.name = "Renamed desk"  # the copy changes without a block save
    db.session.commit()
    act(article, "submit", author)  # no revision holds that copy: one is written
    submitted = revisions.latest(db.session, article.id)
    assert (submitted.block, submitted.number) == ("workflow", article.version)
    act(article, "withdraw", author)
    edit_first_section(article, author, "A new first paragraph.")
    edited = revisions.latest(db.session, article.id)
    assert edited.block.startswith("section:")
    assert edited.number == article.version > submitted.number
