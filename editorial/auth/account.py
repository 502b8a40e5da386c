"""The account page: where one's notifications are mailed, and whether."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from editorial.auth import bp
from editorial.domain import notifications
from editorial.domain.errors import InvalidInput
from editorial.extensions import db


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """Show and change one's e-mail address and the notification e-mail opt-out."""
    errors = _save_preferences() if request.method == "POST" else {}
    if request.method == "POST" and not errors:
        flash("Your settings are saved.", "success")
        return redirect(url_for("auth.account"), code=303)
    values = request.form if errors else None
    return render_template("auth/account.html", errors=errors, values=values), (
        422 if errors else 200
    )


def _save_preferences() -> dict[str, str]:
    """Save the submitted preferences; the refusal by field (empty when saved)."""
    try:
        notifications.set_mail_preferences(
            current_user,
            email=request.form.get("email", ""),
            enabled=request.form.get("email_notifications") == "1",
        )
    except InvalidInput as error:
        db.session.rollback()
        return {error.field: error.message}
    db.session.commit()
    return {}
