"""Desk settings (admins): Four-eyes publishing."""

from __future__ import annotations

from flask import abort, request, url_for
from flask_login import current_user

from editorial.desk import bp
from editorial.domain import settings as settings_domain
from editorial.domain.policy import Permission, can
from editorial.extensions import db
from editorial.web.fragments import hx_redirect, render_page_or_block


@bp.get("/settings")
def settings():
    """The newsroom's settings, as a form."""
    if not can(current_user, Permission.MANAGE_SETTINGS):
        abort(403)
    return render_page_or_block(
        "desk/settings.html",
        "settings_block",
        settings=settings_domain.current(db.session),
    )


@bp.post("/settings")
def update_settings():
    """Save the settings (the change goes to the audit log)."""
    if not can(current_user, Permission.MANAGE_SETTINGS):
        abort(403)
    four_eyes = request.form.get("four_eyes") == "1"
    settings_domain.update(db.session, current_user, four_eyes=four_eyes)
    db.session.commit()
    state = "on" if four_eyes else "off"
    return hx_redirect(
        url_for("desk.settings"), f"Four-eyes publishing is {state}.", "success"
    )
