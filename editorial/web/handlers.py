"""Request plumbing: extensions bound to the app, sessions, security headers,
error pages, template globals and the health check."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import (
    Flask,
    Response,
    g,
    jsonify,
    render_template,
    request,
    session,
)
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from editorial.domain import rendering
from editorial.domain.errors import DomainError
from editorial.domain.models import DB_INT_MAX, State, User, utcnow
from editorial.extensions import cache, csrf, db, htmx, limiter, login_manager, migrate
from editorial.web import media, page_cache
from editorial.web.fragments import is_fragment_request
from editorial.web.hosts import TrustedHosts

log = logging.getLogger("editorial")

# htmx 2 sends these; a boosted request or a history restore wants a whole page.
_DESK_PREFIXES = ("/desk", "/login", "/logout", "/account")
_SESSION_PATHS = _DESK_PREFIXES
# Requests the page sends by itself (the editor's presence ping every few
# seconds): they are not the user's activity, so they neither keep an idle
# session alive nor rewrite the session cookie.
_BACKGROUND_ENDPOINTS = frozenset({"desk.ping_presence", "desk.leave_presence"})


def _load_user(user_id: str) -> User | None:
    """Flask-Login loader: the id carries the session token, so rotating it ends
    every session of that user on the server."""
    raw_id, _, token = user_id.partition(":")
    if not raw_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(raw_id))
    if user is None or not user.active or user.session_token != token:
        return None
    return user


def _security_headers(response: Response) -> Response:
    """Headers on every response; desk pages are private and never indexed."""
    h = response.headers
    h.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; "
        "img-src 'self' data:; font-src 'self'; connect-src 'self'; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; "
        "frame-ancestors 'none'",
    )
    h.setdefault("X-Content-Type-Options", "nosniff")
    h.setdefault("X-Frame-Options", "DENY")
    h.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    h.setdefault(
        "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
    )
    from flask import current_app

    if current_app.config.get("HSTS"):
        h.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if request.path.startswith(_DESK_PREFIXES) or getattr(g, "private_page", False):
        h["Cache-Control"] = "private, no-store"
        h["X-Robots-Tag"] = "noindex"
    return response


def _idle_timeout() -> None:
    """End a desk session idle for longer than IDLE_TIMEOUT_SECONDS."""
    from flask import current_app
    from flask_login import current_user, logout_user

    # Reader pages never touch the session: they are the same for everyone and
    # must not carry `Vary: Cookie`, or no shared cache could keep them.
    if not request.path.startswith(_SESSION_PATHS):
        return
    if not current_user.is_authenticated:
        return
    now = int(utcnow().timestamp())
    last = session.get("seen")
    limit = current_app.config["IDLE_TIMEOUT_SECONDS"]
    if isinstance(last, int) and now - last > limit:
        logout_user()
        session.clear()
        return
    if request.endpoint in _BACKGROUND_ENDPOINTS:
        return
    # Written at most once a minute, so the cookie is not rewritten on every request.
    if not isinstance(last, int) or now - last > 60:
        session["seen"] = now


def _error_page(status: int, title: str, message: str) -> Response:
    if is_fragment_request():
        body = render_template("errors/_fragment.html", title=title, message=message)
    else:
        body = render_template(
            "errors/error.html", status=status, title=title, message=message
        )
    return Response(body, status=status, mimetype="text/html")


_TITLES = {
    400: ("Bad request", "The request could not be understood."),
    403: ("Not allowed", "You do not have permission to do that."),
    404: ("Page not found", "There is nothing at this address."),
    405: ("Not allowed", "That method is not allowed here."),
    409: ("Conflict", "Someone else changed this first."),
    410: ("Article removed", "This article has been removed."),
    413: ("Too large", "What you sent is too large (at most 1 MB)."),
    # An upload over its own limit (see web.media).
    "413-upload": ("Too large", "The image is larger than 20 MB."),
    422: ("Check your input", "Some values were refused."),
    429: ("Too many attempts", "Too many attempts — try again later."),
    500: ("Something went wrong", "An error occurred; nothing was saved."),
    503: ("Temporarily unavailable", "The newsroom is briefly unavailable."),
}


def _register_errors(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return _error_page(
            400,
            "Your form expired",
            "The security token was missing or wrong. Reload the page and try "
            "again; nothing was saved.",
        )

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        db.session.rollback()
        title, _ = _TITLES.get(error.status, _TITLES[400])
        return _error_page(error.status, title, error.message)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        status = error.code or 500
        key = "413-upload" if status == 413 and media.is_upload_request() else status
        title, default = _TITLES.get(key, (error.name, error.description or ""))
        message = default
        if status == 429:
            message = getattr(error, "description", None) or default
        return _error_page(status, title, message)

    @app.errorhandler(DataError)
    def data_error(error: DataError):
        # A value the database refuses (validation should have caught it first).
        db.session.rollback()
        log.warning("database refused a value: %s", error.orig.__class__.__name__)
        return _error_page(
            400, "Value not accepted", "A value was refused; nothing was saved."
        )

    @app.errorhandler(IntegrityError)
    def integrity_error(error: IntegrityError):
        # Two requests raced for the same unique value (a slug, a username).
        db.session.rollback()
        return _error_page(
            409,
            "Conflict",
            "Someone else saved the same thing at the same moment; nothing was "
            "saved. Reload and try again.",
        )

    @app.errorhandler(OperationalError)
    @app.errorhandler(PoolTimeout)
    def database_down(error: Exception):
        log.error("database unavailable: %s", error.__class__.__name__)
        try:
            db.session.rollback()
        except Exception:  # the connection itself may be gone
            db.session.remove()
        response = _error_page(503, *_TITLES[503])
        response.headers["Retry-After"] = "5"
        return response

    @app.errorhandler(500)
    def server_error(error: Exception):
        try:
            db.session.rollback()
        except Exception:
            db.session.remove()
        return _error_page(500, *_TITLES[500])


def _template_globals(app: Flask) -> None:
    tz = app.config["SITE_TIMEZONE"]
    app.jinja_env.globals.update(
        site_name=app.config["SITE_NAME"],
        site_language=app.config["SITE_LANGUAGE"],
        State=State,
    )
    app.jinja_env.filters["markdown"] = rendering.render_markdown
    app.jinja_env.filters["iso"] = lambda dt: rendering.iso_datetime(dt, tz)
    app.jinja_env.filters["date"] = lambda dt: rendering.display_date(dt, tz)
    app.jinja_env.filters["datetime"] = lambda dt: rendering.display_datetime(dt, tz)
    app.jinja_env.filters["clock"] = lambda dt: f"{rendering.to_site_tz(dt, tz):%H:%M}"
    app.jinja_env.filters["json_ld"] = rendering.json_ld


class PublicAwareSessionInterface(SecureCookieSessionInterface):
    """The cookie session, except that a response declared `Cache-Control:
    public` (a reader page, the same for everyone) does not `Vary: Cookie`.

    Flask marks the session accessed whenever anything reads it (Flask-Login
    does on every request), which would make every reader page vary by cookie
    and uncacheable for any shared cache.
    """

    def save_session(self, app: Flask, session: Any, response: Response) -> None:
        super().save_session(app, session, response)
        if response.cache_control.public and "Set-Cookie" not in response.headers:
            response.vary.discard("Cookie")


class BoundedIntConverter(IntegerConverter):
    """`<int:…>` limited to what a database integer column holds, so an absurd
    id in a URL is a 404 rather than an overflow error in the database."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", DB_INT_MAX)
        super().__init__(map, *args, **kwargs)


def init_app(app: Flask) -> None:
    """Bind the extensions, sessions, headers, errors and the page cache to `app`."""
    app.url_map.converters["int"] = BoundedIntConverter
    app.session_interface = PublicAwareSessionInterface()
    proxies = app.config.get("TRUSTED_PROXIES", 0)
    if proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(Path(app.root_path) / "migrations"),
        render_as_batch=True,
        compare_type=True,
    )
    media.init_app(app)  # before CSRF: uploads may send more than 1 MB
    csrf.init_app(app)
    htmx.init_app(app)
    cache.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to use the desk."
    login_manager.session_protection = "basic"
    login_manager.user_loader(_load_user)
    app.permanent_session_lifetime = timedelta(
        seconds=app.config["IDLE_TIMEOUT_SECONDS"]
    )

    app.before_request(_idle_timeout)
    page_cache.install(app, cache)
    # Outermost: an unknown Host never reaches the page cache or a template.
    app.wsgi_app = TrustedHosts(
        app.wsgi_app, app.config["TRUSTED_HOSTS"], app.config["TRUSTED_PROXIES"]
    )
    app.after_request(_security_headers)
    _register_errors(app)
    _template_globals(app)

    @app.get("/healthz")
    def healthz():
        """200 when the app and its database answer, 503 when the database does not."""
        from sqlalchemy import text

        try:
            db.session.execute(text("SELECT 1"))
        except Exception:  # any failure means "not healthy"
            db.session.rollback()
            return jsonify(status="unavailable", database="down"), 503
        return jsonify(status="ok", database="up")
