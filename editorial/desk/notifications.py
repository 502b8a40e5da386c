"""The desk's notifications: the header link with the unread count, the list,
and mark-as-read (htmx in place, or a plain post and a 303 back)."""

from __future__ import annotations

from flask import abort, url_for
from flask_login import current_user

from editorial.desk import bp
from editorial.domain import notifications
from editorial.extensions import db
from editorial.web.fragments import (
    hx_redirect,
    is_fragment_request,
    render_page_or_block,
)

TEMPLATE = "desk/notifications.html"


@bp.app_context_processor
def _unread_helper() -> dict:
    """`unread_notifications()` for the desk header: one indexed COUNT, run only
    where the header is drawn for a signed-in user."""

    def unread() -> int:
        if not current_user.is_authenticated:
            return 0
        return notifications.unread_count(db.session, current_user)

    return {"unread_notifications": unread}


def _list(status: int = 200):
    return render_page_or_block(
        TEMPLATE,
        "list_block",
        status=status,
        items=notifications.latest(db.session, current_user),
        is_fragment=is_fragment_request(),
    )


@bp.get("/notifications")
def notifications_page():
    """The signed-in user's notifications, newest first, unread ones marked."""
    return _list()


def _after_marking(message: str):
    db.session.commit()
    if is_fragment_request():
        return _list()
    return hx_redirect(url_for("desk.notifications_page"), message, "success")


@bp.post("/notifications/<int:notification_id>/read")
def mark_notification_read(notification_id: int):
    """Mark one of one's own notifications read (anyone else's is a 404)."""
    if not notifications.mark_read(db.session, current_user, notification_id):
        abort(404)
    return _after_marking("Marked as read.")


@bp.post("/notifications/read")
def mark_all_notifications_read():
    """Mark every unread notification read."""
    count = notifications.mark_all_read(db.session, current_user)
    return _after_marking(f"{count} marked as read." if count else "Nothing unread.")
