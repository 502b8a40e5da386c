"""Four-eyes publishing (PRODUCT.md section 11): the desk setting, the rule in the
workflow, the disabled button with its reason, and /desk/settings."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from editorial.domain import editing, settings, workflow
from editorial.domain.errors import NotAllowed
from editorial.domain.models import Article, AuditEvent, Role, State
from editorial.extensions import db
from tests.conftest import PASSWORD as PW
from tests.desk_helpers import parse

REFUSAL = (
    "Four-eyes publishing: you made the last change to the text, "
    "so another editor must check and publish it."
)


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN)


@pytest.fixture
def second_editor(make_user):
    return make_user(Role.EDITOR)


def _four_eyes(admin, on: bool = True) -> None:
    settings.update(db.session, admin, four_eyes=on)
    db.session.commit()


def _edit(article: Article, user) -> Article:
    db.session.refresh(article)
    editing.update_summary(
        db.session,
        article,
        user,
        expected_version=article.summary_version,
        summary="The council approved the new budget after a short debate.",
    )
    db.session.commit()
    db.session.refresh(article)
    return article


def _state(article: Article) -> State:
    db.session.expire_all()
    return db.session.get(Article, article.id).state


def test_an_editor_who_edited_cannot_publish(make_article, editor, admin):
    _four_eyes(admin)
    article = _edit(make_article(state="review"), editor)
    with pytest.raises(NotAllowed) as refused:
        workflow.apply(
            db.session, article, "publish", editor, expected_version=article.version
        )
    db.session.rollback()
    assert refused.value.message == REFUSAL
    assert _state(article) == State.REVIEW


def test_another_editor_can_publish(make_article, editor, second_editor, admin):
    _four_eyes(admin)
    article = _edit(make_article(state="review"), editor)
    workflow.apply(
        db.session, article, "publish", second_editor, expected_version=article.version
    )
    db.session.commit()
    assert _state(article) == State.PUBLISHED


def test_the_author_who_wrote_it_last_does_not_stop_an_editor(
    make_article, editor, admin
):
    _four_eyes(admin)
    article = make_article(state="review")  # the author made every change
    workflow.apply(
        db.session, article, "publish", editor, expected_version=article.version
    )
    db.session.commit()
    assert _state(article) == State.PUBLISHED


def test_publish_update_by_the_last_editor_is_refused_unless_a_typo_fix(
    make_article, editor, admin
):
    _four_eyes(admin)
    article = _edit(make_article(state="published"), editor)
    with pytest.raises(NotAllowed):
        workflow.apply(
            db.session,
            article,
            "publish_update",
            editor,
            expected_version=article.version,
            kind="update",
        )
    db.session.rollback()
    db.session.refresh(article)
    workflow.apply(
        db.session,
        article,
        "publish_update",
        editor,
        expected_version=article.version,
        kind="typo",
    )
    db.session.commit()
    assert db.session.get(Article, article.id).last_published_at is not None


def test_the_setting_off_restores_todays_behaviour(make_article, editor, admin):
    _four_eyes(admin, on=True)
    _four_eyes(admin, on=False)
    article = _edit(make_article(state="review"), editor)
    workflow.apply(
        db.session, article, "publish", editor, expected_version=article.version
    )
    db.session.commit()
    assert _state(article) == State.PUBLISHED


def test_off_by_default(make_article, editor):
    article = _edit(make_article(state="review"), editor)
    assert settings.four_eyes_enabled(db.session) is False
    workflow.apply(
        db.session, article, "publish", editor, expected_version=article.version
    )
    db.session.commit()
    assert _state(article) == State.PUBLISHED


def test_other_actions_are_not_four_eyes(make_article, editor, admin):
    _four_eyes(admin)
    article = _edit(make_article(state="review"), editor)
    workflow.apply(
        db.session,
        article,
        "request_changes",
        editor,
        expected_version=article.version,
        note="Check the figures.",
    )
    db.session.commit()
    assert _state(article) == State.DRAFT


def test_unavailable_reasons_name_the_refused_actions(
    make_article, editor, second_editor, admin
):
    _four_eyes(admin)
    article = _edit(make_article(state="review"), editor)
    assert workflow.unavailable_reasons(db.session, article, editor) == {
        "publish": REFUSAL,
        "schedule": REFUSAL,
    }
    assert workflow.unavailable_reasons(db.session, article, second_editor) == {}


def test_only_an_admin_changes_the_setting_and_it_is_audited(editor, admin):
    with pytest.raises(NotAllowed):
        settings.update(db.session, editor, four_eyes=True)
    db.session.rollback()
    assert settings.four_eyes_enabled(db.session) is False
    _four_eyes(admin)
    assert settings.four_eyes_enabled(db.session) is True
    details = db.session.scalars(
        select(AuditEvent.detail).where(AuditEvent.action == "settings")
    ).all()
    assert details == ["Four-eyes publishing on"]


# --- on the desk -------------------------------------------------------------------


def _publish_button(response):
    tree = parse(response)
    (button,) = [
        b for b in tree.css("#actions-block button") if b.text().strip() == "Publish"
    ]
    return tree, button


def test_the_button_is_disabled_with_its_reason(
    make_article, editor, second_editor, admin, app
):
    _four_eyes(admin)
    article = _edit(make_article(state="review"), editor)
    client = app.test_client()
    client.post("/login", data={"username": editor.username, "password": PW})
    tree, button = _publish_button(client.get(f"/desk/articles/{article.id}"))
    assert "disabled" in button.attributes
    described = button.attributes["aria-describedby"]
    assert tree.css_first(f"#{described}").text().strip() == REFUSAL

    other = app.test_client()
    other.post("/login", data={"username": second_editor.username, "password": PW})
    _, button = _publish_button(other.get(f"/desk/articles/{article.id}"))
    assert "disabled" not in button.attributes


def test_posting_publish_anyway_is_refused_by_the_server(
    make_article, editor, admin, app
):
    _four_eyes(admin)
    article = _edit(make_article(state="review"), editor)
    client = app.test_client()
    client.post("/login", data={"username": editor.username, "password": PW})
    response = client.post(
        f"/desk/articles/{article.id}/actions/publish",
        data={"version": article.version},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 403
    assert REFUSAL in parse(response).css_first("#actions-block").text()
    assert _state(article) == State.REVIEW


def test_settings_page_for_admins(admin, editor, app):
    client = app.test_client()
    client.post("/login", data={"username": admin.username, "password": PW})
    page = parse(client.get("/desk/settings"))
    label = page.css_first("label[for=four-eyes]")
    assert label.text().strip() == "Four-eyes publishing"
    assert "checked" not in page.css_first("#four-eyes").attributes
    saved = client.post("/desk/settings", data={"four_eyes": "1"})
    assert saved.status_code == 303
    assert saved.headers["Location"] == "/desk/settings"
    page = client.get("/desk/settings")
    assert "Four-eyes publishing is on." in page.get_data(as_text=True)
    assert "checked" in parse(page).css_first("#four-eyes").attributes
    assert settings.four_eyes_enabled(db.session) is True
    # An unchecked box is not sent at all: that turns it off.
    client.post("/desk/settings", data={})
    assert settings.four_eyes_enabled(db.session) is False

    desk = app.test_client()
    desk.post("/login", data={"username": editor.username, "password": PW})
    assert desk.get("/desk/settings").status_code == 403
    assert desk.post("/desk/settings", data={"four_eyes": "1"}).status_code == 403
    assert settings.four_eyes_enabled(db.session) is False
