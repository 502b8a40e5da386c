"""Notifications: each event notifies exactly the right people, in the event's
own transaction; the header's unread count; the list and mark-as-read; the
account page's e-mail settings."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser
from sqlalchemy import select

from editorial.domain import notifications, workflow
from editorial.domain.models import MailOutbox, Notification, Role, User
from editorial.extensions import db
from tests.conftest import count_queries
from tests.steps import act


@pytest.fixture
def people(make_user) -> dict[str, User]:
    """Two authors, two editors, an admin, and an editor who left."""
    return {
        name: make_user(role, username=name, active=name != "gone")
        for name, role in (
            ("amara", Role.AUTHOR),
            ("jonas", Role.AUTHOR),
            ("elena", Role.EDITOR),
            ("tomasz", Role.EDITOR),
            ("sam", Role.ADMIN),
            ("gone", Role.EDITOR),
        )
    }


def _inbox() -> dict[str, list[str]]:
    """Who holds which notification kinds, by username."""
    rows = db.session.execute(
        select(User.username, Notification.kind)
        .join(User, User.id == Notification.user_id)
        .order_by(User.username, Notification.id)
    ).all()
    found: dict[str, list[str]] = {}
    for username, kind in rows:
        found.setdefault(username, []).append(kind)
    return found


def _act(article, name, user, note=None, kind=None):
    act(article, name, user, note=note, kind=kind)


def test_submit_notifies_every_active_editor_and_admin(make_article, people):
    article = make_article(author=people["amara"], title="Harbour tolls rise")
    _act(article, "submit", people["amara"])
    assert _inbox() == {"elena": ["submit"], "sam": ["submit"], "tomasz": ["submit"]}
    message = db.session.scalar(select(Notification.message).limit(1))
    assert message == "Amara submitted “Harbour tolls rise” for review."


def test_an_editor_submitting_is_not_told_of_their_own_act(make_article, people):
    article = make_article(author=people["amara"])
    _act(article, "submit", people["elena"])
    assert _inbox() == {"sam": ["submit"], "tomasz": ["submit"]}


def test_request_changes_and_publish_notify_the_author(make_article, people):
    article = make_article(author=people["amara"], title="Ferry timetable")
    _act(article, "submit", people["amara"])
    db.session.execute(db.delete(Notification))
    db.session.commit()
    _act(article, "request_changes", people["elena"], note="Check the dates.")
    assert _inbox() == {"amara": ["request_changes"]}
    assert db.session.scalar(select(Notification.message)) == (
        "Elena requested changes to “Ferry timetable”: Check the dates."
    )
    _act(article, "submit", people["amara"])
    _act(article, "publish", people["tomasz"])
    inbox = _inbox()
    assert inbox["amara"] == ["request_changes", "publish"]
    assert inbox["elena"] == ["submit"]
    assert inbox["sam"] == ["submit"]
    assert inbox["tomasz"] == ["submit"]
    assert db.session.scalar(
        select(Notification.message).where(Notification.kind == "publish")
    ) == ("Tomasz published “Ferry timetable”.")


def test_withdraw_unpublish_and_updates_notify_nobody(make_article, people):
    article = make_article(author=people["amara"], state="review")
    db.session.execute(db.delete(Notification))
    db.session.commit()
    _act(article, "withdraw", people["amara"])
    _act(article, "publish", people["elena"])
    db.session.execute(db.delete(Notification))
    db.session.commit()
    _act(article, "publish_update", people["elena"], kind="update")
    _act(article, "unpublish", people["elena"], note="Legal review.")
    assert _inbox() == {}


def test_an_editor_publishing_their_own_piece_hears_nothing(make_article, people):
    article = make_article(author=people["elena"])
    _act(article, "publish", people["elena"])
    assert _inbox() == {}


def test_a_refused_action_leaves_no_notification(
    client, login_as, make_article, people
):
    article = make_article(author=people["amara"], filled=False)
    login_as(people["amara"])
    response = client.post(
        f"/desk/articles/{article.id}/actions/submit",
        data={"version": article.version},
    )
    assert response.status_code == 422  # the checklist refused it
    assert _inbox() == {}


def test_a_rolled_back_action_takes_its_notifications_with_it(make_article, people):
    article = make_article(author=people["amara"])
    workflow.apply(
        db.session, article, "submit", people["amara"], expected_version=article.version
    )
    assert db.session.query(Notification).count() == 3  # written with the act…
    db.session.rollback()
    assert db.session.query(Notification).count() == 0  # … and gone with it


def test_comment_notifies_the_thread_and_the_author(make_article, people):
    article = make_article(author=people["amara"], title="Bridge works")
    notifications.notify_comment(
        db.session,
        article,
        people["elena"],
        [people["elena"], people["tomasz"], people["gone"]],
        is_reply=False,
        excerpt="Is the   date right?",
    )
    db.session.commit()
    assert _inbox() == {"amara": ["comment"], "tomasz": ["comment"]}
    assert db.session.scalar(select(Notification.message).limit(1)) == (
        "Elena commented on “Bridge works”: Is the date right?"
    )


def test_a_reply_by_the_author_notifies_the_thread_only(make_article, people):
    article = make_article(author=people["amara"], title="Bridge works")
    notifications.notify_comment(
        db.session,
        article,
        people["amara"],
        [people["elena"], people["amara"]],
        is_reply=True,
    )
    db.session.commit()
    assert _inbox() == {"elena": ["reply"]}


def test_a_failed_schedule_notifies_its_editor(make_article, people):
    article = make_article(author=people["amara"], title="Budget vote")
    notifications.notify_schedule_failed(
        db.session, article, people["tomasz"], "the checklist found 2 errors."
    )
    db.session.commit()
    assert _inbox() == {"tomasz": ["schedule_failed"]}
    assert db.session.scalar(select(Notification.message)) == (
        "The scheduled publication of “Budget vote” did not happen: "
        "the checklist found 2 errors."
    )


def test_mail_is_queued_only_for_addresses_that_want_it(make_article, people):
    people["elena"].email = "elena@example.org"
    people["tomasz"].email = "tomasz@example.org"
    people["tomasz"].email_notifications = False
    db.session.commit()
    article = make_article(author=people["amara"])
    _act(article, "submit", people["amara"])
    assert db.session.scalars(select(MailOutbox.to_address)).all() == [
        "elena@example.org"
    ]


# --- the desk: header count, list, mark as read -----------------------------------


def _link_text(page: str) -> str:
    return LexborHTMLParser(page).css_first("#notifications-link").text()


def test_the_header_count_and_mark_as_read_without_javascript(
    client, login_as, make_article, people
):
    for title in ("One", "Two", "Three"):
        _act(
            make_article(author=people["amara"], title=title), "submit", people["amara"]
        )
    login_as(people["elena"])
    assert _link_text(client.get("/desk/").get_data(as_text=True)) == (
        "Notifications (3)"
    )
    page = LexborHTMLParser(client.get("/desk/notifications").get_data(as_text=True))
    assert [h.text() for h in page.css("h1")] == ["Notifications"]
    assert len(page.css("li.notification.unread")) == 3
    first = db.session.scalars(
        select(Notification).where(Notification.user_id == people["elena"].id)
    ).first()
    response = client.post(f"/desk/notifications/{first.id}/read")
    assert response.status_code == 303
    assert response.headers["Location"] == "/desk/notifications"
    assert _link_text(client.get("/desk/").get_data(as_text=True)) == (
        "Notifications (2)"
    )
    client.post("/desk/notifications/read")
    assert _link_text(client.get("/desk/").get_data(as_text=True)) == "Notifications"
    # Tomasz's notifications were not touched.
    unread = db.session.scalar(
        select(db.func.count())
        .select_from(Notification)
        .where(
            Notification.user_id == people["tomasz"].id, Notification.read_at.is_(None)
        )
    )
    assert unread == 3


def test_mark_as_read_with_htmx_updates_the_list_and_the_header(
    client, login_as, make_article, people, htmx_headers
):
    for title in ("One", "Two"):
        _act(
            make_article(author=people["amara"], title=title), "submit", people["amara"]
        )
    login_as(people["elena"])
    first = db.session.scalars(
        select(Notification).where(Notification.user_id == people["elena"].id)
    ).first()
    response = client.post(f"/desk/notifications/{first.id}/read", headers=htmx_headers)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "<html" not in body
    tree = LexborHTMLParser(body)
    assert tree.css_first("#notifications-list") is not None
    link = tree.css_first("#notifications-link")
    assert link.attributes["hx-swap-oob"] == "true"
    assert link.text() == "Notifications (1)"
    assert len(tree.css("li.notification.unread")) == 1


def test_nobody_marks_another_users_notification(
    client, login_as, make_article, people
):
    _act(make_article(author=people["amara"]), "submit", people["amara"])
    theirs = db.session.scalars(
        select(Notification).where(Notification.user_id == people["tomasz"].id)
    ).one()
    login_as(people["elena"])
    assert client.post(f"/desk/notifications/{theirs.id}/read").status_code == 404
    db.session.refresh(theirs)
    assert theirs.read_at is None


def test_the_header_count_is_one_indexed_count(client, login_as, make_article, people):
    _act(make_article(author=people["amara"]), "submit", people["amara"])
    login_as(people["elena"])
    client.get("/desk/")
    with count_queries() as statements:
        client.get("/desk/")
    touching = [s for s in statements if "FROM notifications" in s]
    assert len(touching) == 1
    assert touching[0].lstrip().upper().startswith("SELECT COUNT(*)")
    if db.engine.dialect.name == "sqlite":
        with db.engine.connect() as conn:
            plan = conn.exec_driver_sql(
                "EXPLAIN QUERY PLAN " + touching[0], (people["elena"].id,)
            ).all()
        assert "ix_notifications_unread" in " ".join(str(r) for r in plan)


def test_an_author_has_a_notifications_page_too(client, login_as, make_article, people):
    article = make_article(author=people["amara"], state="review")
    _act(article, "request_changes", people["elena"], note="Sources, please.")
    login_as(people["amara"])
    page = client.get("/desk/notifications").get_data(as_text=True)
    assert "Elena requested changes to" in page
    assert f'href="/desk/articles/{article.id}"' in page


# --- the account page -----------------------------------------------------------


def test_account_page_sets_the_address_and_the_opt_out(client, login_as, people):
    user = people["elena"]
    login_as(user)
    page = LexborHTMLParser(client.get("/account").get_data(as_text=True))
    assert page.css_first("label[for=email]").text() == "E-mail address"
    assert "checked" in page.css_first("#email_notifications").attributes
    response = client.post(
        "/account", data={"email": " Elena@Example.ORG ", "email_notifications": "1"}
    )
    assert response.status_code == 303
    db.session.refresh(user)
    assert (user.email, user.email_notifications) == ("Elena@example.org", True)
    client.post("/account", data={"email": "elena@example.org"})
    db.session.refresh(user)
    assert (user.email, user.email_notifications) == ("elena@example.org", False)


@pytest.mark.parametrize(
    "bad", ["not an address", "two@@example.org", "x" * 250 + "@example.org"]
)
def test_a_bad_address_is_refused_next_to_the_field(client, login_as, people, bad):
    user = people["elena"]
    user.email = "elena@example.org"
    db.session.commit()
    login_as(user)
    response = client.post("/account", data={"email": bad})
    assert response.status_code == 422
    tree = LexborHTMLParser(response.get_data(as_text=True))
    assert (
        tree.css_first("#email-error")
        .text()
        .startswith(("That is not an e-mail address", "An e-mail address has at most"))
    )
    assert tree.css_first("#email").attributes["value"] == bad
    db.session.refresh(user)
    assert (user.email, user.email_notifications) == ("elena@example.org", True)


def test_an_empty_address_means_no_mail(make_article, people, client, login_as):
    login_as(people["elena"])
    client.post("/account", data={"email": "", "email_notifications": "1"})
    _act(make_article(author=people["amara"]), "submit", people["amara"])
    assert db.session.query(MailOutbox).count() == 0
    assert db.session.query(Notification).count() == 3
