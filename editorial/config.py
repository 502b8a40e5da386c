"""Configuration defaults and environment reading."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit


def _secret_key(instance_path: Path) -> str:
    """Read SECRET_KEY from the environment, or from a file generated once."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    path = instance_path / "secret_key"
    if not path.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        # Written once with owner-only permissions; never a constant in code.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text().strip()


def _database_url(instance_path: Path) -> str:
    """DATABASE_URL (PostgreSQL through psycopg 3) or a SQLite file in instance/."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgres://")
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url:
        return url
    return f"sqlite:///{instance_path / 'editorial.sqlite'}"


def _bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes"}


def load(instance_path: Path) -> dict[str, Any]:
    """Build the configuration mapping from defaults and the environment."""
    production = os.environ.get("EDITORIAL_ENV", "development") == "production"
    redis_url = os.environ.get("REDIS_URL") or None
    return {
        "ENV_NAME": "production" if production else "development",
        "SECRET_KEY": _secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": _database_url(instance_path),
        # pre_ping: survive a database restart (a dead pooled connection is
        # replaced instead of failing the request).
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SITE_NAME": os.environ.get("SITE_NAME", "Editorial"),
        "SITE_TIMEZONE": os.environ.get("SITE_TIMEZONE", "Europe/Berlin"),
        "SITE_URL": os.environ.get("SITE_URL", "").rstrip("/"),
        "SITE_LANGUAGE": os.environ.get("SITE_LANGUAGE", "en"),
        "REDIS_URL": redis_url,
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        # Image uploads (domain.media refuses files over 20 MB with a message;
        # past this limit of the whole request the answer is 413).
        "UPLOAD_MAX_CONTENT_LENGTH": 25 * 1024 * 1024,
        # Local directory for media (default instance/media), or an S3 bucket.
        "MEDIA_ROOT": os.environ.get("MEDIA_ROOT") or None,
        "MEDIA_S3_URL": os.environ.get("MEDIA_S3_URL") or None,
        "SESSION_COOKIE_HTTPONLY": True,
        # The cookie is sent only when the session changed. Refreshed on every
        # response, a background poll that started before an action answered
        # would send back the older cookie and wipe the action's flash message.
        "SESSION_REFRESH_EACH_REQUEST": False,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production or _bool("SESSION_COOKIE_SECURE"),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "HSTS": production and _bool("HSTS", True),
        "IDLE_TIMEOUT_SECONDS": 8 * 3600,
        "WTF_CSRF_TIME_LIMIT": None,  # the session's own lifetime bounds the token
        # NullCache turns the reader-page cache off (benchmarks compare both).
        "CACHE_TYPE": os.environ.get("CACHE_TYPE")
        or ("RedisCache" if redis_url else "SimpleCache"),
        "CACHE_REDIS_URL": redis_url,
        # Off: no whole-page caching, fragments stay (a page-cache miss each time).
        "READER_PAGE_CACHE": _bool("READER_PAGE_CACHE", True),
        "CACHE_DEFAULT_TIMEOUT": 300,
        "CACHE_NO_NULL_WARNING": True,
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_HEADERS_ENABLED": False,
        # The scheduler's pass interval; it also wakes after every minute boundary.
        "SCHEDULER_TICK_SECONDS": float(os.environ.get("SCHEDULER_TICK_SECONDS", "30")),
        "DEMO_PASSWORD": os.environ.get("DEMO_PASSWORD") or None,
        # Presence in the editor: how often it pings, and when a silent
        # colleague counts as gone (PRODUCT.md section 9: within 60 s).
        "PRESENCE_POLL_SECONDS": int(os.environ.get("PRESENCE_POLL_SECONDS", "10")),
        "PRESENCE_TIMEOUT_SECONDS": int(
            os.environ.get("PRESENCE_TIMEOUT_SECONDS", "45")
        ),
        # Number of reverse proxies in front that set X-Forwarded-For/-Proto;
        # 0 trusts none (client addresses drive login throttling).
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0") or 0),
        # Host names requests may name (comma-separated); unset: the SITE_URL
        # host, plus loopback in development (see `finish`).
        "TRUSTED_HOSTS": _list("TRUSTED_HOSTS"),
        # Notification e-mail: smtp://host:port (unset: mails go to the log).
        "SMTP_URL": os.environ.get("SMTP_URL") or None,
        "SMTP_TIMEOUT": float(os.environ.get("SMTP_TIMEOUT", "10") or 10),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "Editorial desk <desk@localhost>"),
        "MAIL_RETRY_SECONDS": float(os.environ.get("MAIL_RETRY_SECONDS", "30") or 30),
        "MAIL_POLL_SECONDS": float(os.environ.get("MAIL_POLL_SECONDS", "15") or 15),
        # None: a worker thread in each app process unless testing; "0" turns it
        # off where `flask mail-worker` runs as its own process.
        "MAIL_WORKER_THREAD": (
            _bool("MAIL_WORKER_THREAD", True)
            if os.environ.get("MAIL_WORKER_THREAD")
            else None
        ),
        # Wrong /preview/<token> addresses per client address (guessing).
        "PREVIEW_GUESS_LIMIT": os.environ.get(
            "PREVIEW_GUESS_LIMIT", "20 per 15 minutes"
        ),
    }


def _list(name: str) -> list[str] | None:
    raw = os.environ.get(name, "").strip()
    return [part.strip() for part in raw.split(",") if part.strip()] or None


LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")


def finish(config: dict[str, Any]) -> None:
    """Checks and defaults that depend on the final configuration.

    Production refuses to start without SITE_URL: absolute links (canonical,
    og:url, feeds, sitemaps) must never come from a request's Host header.
    TRUSTED_HOSTS defaults to the SITE_URL host, plus loopback in development.
    """
    site_url = (config.get("SITE_URL") or "").rstrip("/")
    production = config.get("ENV_NAME") == "production"
    if production and not site_url:
        raise RuntimeError(
            "SITE_URL is required in production (e.g. SITE_URL=https://news.example)."
        )
    if config.get("TRUSTED_HOSTS") is None:
        site_host = urlsplit(site_url).hostname if site_url else None
        hosts = [site_host] if site_host else []
        if not production:
            hosts += [h for h in LOOPBACK_HOSTS if h not in hosts]
        config["TRUSTED_HOSTS"] = hosts
