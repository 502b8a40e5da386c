"""Sign in and out, with failed logins throttled (PRODUCT.md section 8)."""

from __future__ import annotations

import logging
import math
import time
from urllib.parse import urlsplit

from flask import (
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from limits import parse

from editorial.auth import bp
from editorial.auth.forms import ChangePasswordForm, LoginForm
from editorial.domain import accounts
from editorial.domain.errors import InvalidInput
from editorial.extensions import db, limiter

log = logging.getLogger("editorial.audit")

# Failures only: 5 per (username, address) or 30 per address in 15 minutes.
PAIR_LIMIT = parse("5/15 minutes")
ADDRESS_LIMIT = parse("30/15 minutes")


def _client_address() -> str:
    return request.remote_addr or "unknown"


def _throttle_keys(username: str) -> list[tuple]:
    address = _client_address()
    return [
        (PAIR_LIMIT, "login-pair", accounts.normalise_username(username)[:64], address),
        (ADDRESS_LIMIT, "login-address", address),
    ]


def _minutes_blocked(username: str) -> int:
    """Minutes until this attempt may be tried again; 0 when it is not throttled."""
    strategy = limiter.limiter
    waits = []
    for limit, *key in _throttle_keys(username):
        if not strategy.test(limit, *key):
            reset = strategy.get_window_stats(limit, *key).reset_time
            waits.append(max(1, math.ceil((reset - time.time()) / 60)))
    return max(waits, default=0)


def _count_failure(username: str) -> None:
    for limit, *key in _throttle_keys(username):
        limiter.limiter.hit(limit, *key)


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
    status = 200
    if request.method == "POST":
        username = request.form.get("username", "")
        minutes = _minutes_blocked(username)
        if minutes:
            log.warning("login.throttled address=%s", _client_address())
            message = (
                f"Too many attempts — try again in {minutes} "
                f"minute{'s' if minutes != 1 else ''}."
            )
            return render_template("auth/login.html", form=form, error=message), 429
        if form.validate_on_submit():
            user = accounts.authenticate(
                db.session,
                form.username.data,
                form.password.data,
                current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"),
            )
            if user is not None:
                # A new session at login: nothing from before survives (fixation).
                session.clear()
                login_user(user)
                session.permanent = True
                log.info(
                    "login.success user=%s address=%s", user.username, _client_address()
                )
                if user.must_change_password:
                    flash("Choose a new password to continue.", "info")
                    return redirect(url_for("auth.change_password"), code=303)
                return redirect(_safe_next(request.args.get("next")), code=303)
        _count_failure(username)
        log.warning("login.failure address=%s", _client_address())
        form.password.data = ""
        status = 401
        return render_template(
            "auth/login.html", form=form, error="Wrong username or password."
        ), status
    return render_template("auth/login.html", form=form, error=None)


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
    status = 200
    if form.validate_on_submit():
        try:
            accounts.change_own_password(
                db.session,
                current_user,
                form.current_password.data,
                form.password.data,
                current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"),
            )
        except InvalidInput as error:
            getattr(form, error.field).errors.append(error.message)
            status = 422
        else:
            db.session.commit()
            # The token rotated: sign in again on this browser with the new one.
            login_user(current_user)
            flash("Your password is changed.", "success")
            return redirect(url_for("desk.dashboard"), code=303)
    elif request.method == "POST":
        status = 422
    return render_template("auth/password.html", form=form), status
