"""Sign in and out, with failed logins throttled (PRODUCT.md section 8)."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import (
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user

from editorial.auth import bp, throttle
from editorial.auth.forms import ChangePasswordForm, LoginForm
from editorial.domain import accounts
from editorial.domain.errors import InvalidInput
from editorial.domain.models import User
from editorial.extensions import db

log = logging.getLogger("editorial.audit")


def _client_address() -> str:
    return request.remote_addr or "unknown"


def _safe_next(target: str | None) -> str:
    """Follow `next` only to a local path on this site."""
    if target:
        parts = urlsplit(target)
        if (
            not parts.scheme
            and not parts.netloc
            and target.startswith("/")
            and not target.startswith("//")
            and "\\" not in target
        ):
            return target
    return url_for("desk.dashboard")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the login form; on POST, sign in or refuse with one same message."""
    if current_user.is_authenticated and request.method == "GET":
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    if request.method != "POST":
        return render_template("auth/login.html", form=form, error=None)
    outcome = _try_login(form)
    if isinstance(outcome, User):
        return _signed_in(outcome)
    error, status = outcome
    return render_template("auth/login.html", form=form, error=error), status


def _try_login(form: LoginForm) -> User | tuple[str, int]:
    """Count the attempt, then check it: the user, or the refusal and its status."""
    # Counted before the password is checked: parallel tries cannot pass 5.
    tried = throttle.attempt(
        throttle.login_keys(request.form.get("username", ""), _client_address())
    )
    if tried.blocked:
        log.warning("login.throttled address=%s", _client_address())
        return tried.message, 429
    user = form.validate_on_submit() and accounts.authenticate(
        db.session,
        form.username.data,
        form.password.data,
        current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"),
    )
    if user:
        tried.succeeded()
        return user
    log.warning("login.failure address=%s", _client_address())
    form.password.data = ""
    return "Wrong username or password.", 401


def _signed_in(user: User) -> Response:
    # A new session at login: nothing from before survives (fixation).
    session.clear()
    login_user(user)
    session.permanent = True
    log.info("login.success user=%s address=%s", user.username, _client_address())
    if user.must_change_password:
        flash("Choose a new password to continue.", "info")
        return redirect(url_for("auth.change_password"), code=303)
    return redirect(_safe_next(request.args.get("next")), code=303)


@bp.post("/logout")
def logout():
    """Sign out: the session ends here and on the server (old cookies stop working)."""
    if current_user.is_authenticated:
        accounts.end_sessions(current_user)
        db.session.commit()
        log.info("logout user=%s", current_user.username)
    logout_user()
    session.clear()
    flash("You are logged out.", "info")
    return redirect(url_for("auth.login"), code=303)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change one's own password (required after an admin's reset)."""
    form = ChangePasswordForm()
    if not form.validate_on_submit():
        status = 422 if request.method == "POST" else 200
        return render_template("auth/password.html", form=form), status
    status = _change_own_password(form)
    if status is not None:
        return render_template("auth/password.html", form=form), status
    db.session.commit()
    # The token rotated: sign in again on this browser with the new one.
    login_user(current_user)
    flash("Your password is changed.", "success")
    return redirect(url_for("desk.dashboard"), code=303)


def _change_own_password(form: ChangePasswordForm) -> int | None:
    """Check (throttled like login) and change; the error status, or None."""
    tried = throttle.attempt(throttle.password_change_keys(current_user.id))
    if tried.blocked:
        form.current_password.errors.append(tried.message)
        return 429
    try:
        accounts.change_own_password(
            db.session,
            current_user,
            form.current_password.data,
            form.password.data,
            current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"),
        )
    except InvalidInput as error:
        if error.field != "current_password":
            tried.succeeded()  # the current password was right
        getattr(form, error.field).errors.append(error.message)
        return 422
    tried.succeeded()
    return None
