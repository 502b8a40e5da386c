"""The reader-page cache: rendered public pages served before Flask runs.

A WSGI middleware in front of the Flask app. A GET for a public page whose
rendered answer is in the cache is handed back without routing, sessions,
templates or SQL. A miss runs the app; a response marked `Cache-Control:
public` that sets no cookie and does not vary by cookie is stored.

Freshness by *tags* (editorial.domain.signals): every page depends on a few
tags, derived from its path before it is rendered — every page on `site`;
an article page on its own `article:<slug>` and on `listings` (for More from
Categories); a category page on `category:<slug>`; every other page (home,
feeds, sitemaps, search, corrections) on `listings`. A stored page records the
versions its tags had *before* it was rendered; a commit that changed reader
pages bumps only the tags it names, after it commits. So a typo fix on one
article leaves every other page warm, and a new publication refreshes the lists
without touching article bodies. Versions live in Redis when the cache is Redis
(one MGET fetches them together with the page, on every host), otherwise in
small files in the instance folder (one stat() per tag), which all processes on
a host share.

When a stale page is being re-rendered by another process (a short lock in the
cache), the stale copy is served meanwhile, so a hot page after a publish costs
one render, not one per waiting request.

The same versions key the rendered fragments of article pages
(editorial.reader.fragments): a page-cache miss composes the page from the
body (by revision) and the More from Categories widget (by category and the
listings version) instead of rendering both again.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session
from werkzeug.http import parse_date

from editorial.domain.signals import LISTINGS, READER_CHANGED, SITE

TAG_PREFIX = "reader:tag:"
PAGE_PREFIX = "reader:page:"
LOCK_PREFIX = "reader:lock:"
LOCK_SECONDS = 5
ENVIRON_VERSIONS = "editorial.tag_versions"

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

_ARTICLE_PATH = re.compile(r"/articles/([a-z0-9-]{1,200})")
_CATEGORY_PATH = re.compile(r"/categories/([a-z0-9-]{1,200})")


def tags_for_path(path: str) -> tuple[str, ...]:
    """The tags a reader page at `path` depends on (see the module docstring)."""
    if match := _ARTICLE_PATH.fullmatch(path):
        return (SITE, LISTINGS, f"article:{match.group(1)}")
    if match := _CATEGORY_PATH.fullmatch(path):
        return (SITE, f"category:{match.group(1)}")
    return (SITE, LISTINGS)


class TagVersions:
    """The current version of each tag, shared by every process (and host)."""

    def __init__(self, backend: Any, instance_path: str, shared: bool) -> None:
        self.backend = backend
        self.shared = shared  # True: the backend (Redis) is shared across hosts
        self.folder = Path(instance_path) / "reader-tags"

    def current_with(
        self, key: str | None, tags: Sequence[str]
    ) -> tuple[tuple[int, ...], Any]:
        """The tags' versions and the cached value for `key`, in one round trip."""
        if self.shared:
            names = [TAG_PREFIX + t for t in tags]
            if key is None:
                values = self.backend.get_many(*names)
                stored = None
            else:
                stored, *values = self.backend.get_many(key, *names)
            return tuple(int(v or 0) for v in values), stored
        versions = tuple(self._file_version(t) for t in tags)
        return versions, (self.backend.get(key) if key is not None else None)

    def current(self, tags: Sequence[str]) -> tuple[int, ...]:
        return self.current_with(None, tags)[0]

    def bump(self, tags: Iterable[str]) -> None:
        for tag in sorted(set(tags)):
            if self.shared:
                if not self.backend.inc(TAG_PREFIX + tag):
                    self.backend.set(TAG_PREFIX + tag, 1, timeout=0)
                continue
            self.folder.mkdir(parents=True, exist_ok=True)
            # The file's modification time (ns) is the version; touching it is
            # atomic, and every process on the host sees it at its next stat().
            path = self.folder / tag.replace(":", "-")
            now = time.time_ns()
            try:
                os.utime(path, ns=(now, now))
            except FileNotFoundError:
                path.touch()
                os.utime(path, ns=(now, now))

    def _file_version(self, tag: str) -> int:
        try:
            return os.stat(self.folder / tag.replace(":", "-")).st_mtime_ns
        except FileNotFoundError:
            return 0


def try_lock(backend: Any, name: str) -> bool:
    """A short cross-process lock (the cache's atomic add); False if taken."""
    try:
        return bool(backend.add(LOCK_PREFIX + name, 1, timeout=LOCK_SECONDS))
    except Exception:  # without a cache, everyone renders
        return True


def release_lock(backend: Any, name: str) -> None:
    with contextlib.suppress(Exception):
        backend.delete(LOCK_PREFIX + name)


# The X-Cache header of a page the cache answered: a fresh stored copy, the
# previous copy while another process renders the new one, or rendered now.
HIT, STALE, MISS = "HIT", "STALE", "MISS"


class PageCache:
    """WSGI middleware serving cached public pages."""

    def __init__(
        self,
        app: WSGIApp,
        backend: Any,
        versions: TagVersions,
        *,
        timeout: int = 300,
        enabled: bool = True,
    ) -> None:
        self.app = app
        self.backend = backend
        self.versions = versions
        self.timeout = timeout
        self.enabled = enabled

    def __call__(
        self, environ: dict[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]:
        if not self.enabled or not self._cacheable_request(environ):
            return self.app(environ, start_response)
        # The host is part of the key: without SITE_URL (development), absolute
        # links come from it, and one host's page must not be served to another.
        key = (
            PAGE_PREFIX
            + environ.get("HTTP_HOST", "").lower()
            + environ.get("PATH_INFO", "")
            + "?"
            + environ.get("QUERY_STRING", "")
        )
        tags = tags_for_path(environ.get("PATH_INFO", ""))
        try:
            versions, stored = self.versions.current_with(key, tags)
        except Exception:  # a cache outage must not take pages down
            return self.app(environ, start_response)
        environ[ENVIRON_VERSIONS] = dict(zip(tags, versions, strict=True))
        if stored is not None:
            try:
                page_versions, status, headers, body = stored
            except (TypeError, ValueError):  # a foreign or corrupt entry is a miss
                page_versions = None
            if page_versions == versions:
                return self._serve(environ, start_response, status, headers, body, HIT)
            if page_versions is not None and not try_lock(self.backend, key):
                # Someone is rendering the fresh copy right now: serve this one.
                return self._serve(
                    environ, start_response, status, headers, body, STALE
                )
            try:
                return self._render_and_store(environ, start_response, key, versions)
            finally:
                release_lock(self.backend, key)
        return self._render_and_store(environ, start_response, key, versions)

    @staticmethod
    def _cacheable_request(environ: dict[str, Any]) -> bool:
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return False
        path = environ.get("PATH_INFO", "")
        if path.startswith(
            (
                "/desk",
                "/login",
                "/logout",
                "/account",
                "/static",
                "/healthz",
                "/media",
                # Shared previews are private: never stored, never served from here.
                "/preview",
            )
        ):
            return False
        # htmx fragments are desk-only; never mix them with whole pages.
        return not environ.get("HTTP_HX_REQUEST")

    def _serve(
        self,
        environ: dict[str, Any],
        start_response: StartResponse,
        status: str,
        headers: list[tuple[str, str]],
        body: bytes,
        state: str,
    ) -> Iterable[bytes]:
        # Which copy this is, as CDNs say it (operators and the benchmark read it).
        headers = [*headers, ("X-Cache", state)]
        if _not_modified(environ, headers):
            kept = [
                (k, v)
                for k, v in headers
                if k.lower() not in ("content-length", "content-type")
            ]
            start_response("304 NOT MODIFIED", kept)
            return [b""]
        start_response(status, headers)
        if environ.get("REQUEST_METHOD") == "HEAD":
            return [b""]
        return [body]

    def _render_and_store(
        self,
        environ: dict[str, Any],
        start_response: StartResponse,
        key: str,
        versions: tuple[int, ...],
    ) -> Iterable[bytes]:
        captured: dict[str, Any] = {}

        # A conditional request may answer 304 with no body: render in full so
        # the stored copy is complete, then answer the condition ourselves.
        inner = dict(environ)
        inner.pop("HTTP_IF_NONE_MATCH", None)
        inner.pop("HTTP_IF_MODIFIED_SINCE", None)
        inner["REQUEST_METHOD"] = "GET"
        chunks: list[bytes] = []

        def collect(status: str, headers: list[tuple[str, str]], exc_info=None):
            captured["status"] = status
            captured["headers"] = headers
            return chunks.append

        result = self.app(inner, collect)
        try:
            for chunk in result:
                chunks.append(chunk)
        finally:
            close = getattr(result, "close", None)
            if close:
                close()
        status, headers = captured["status"], captured["headers"]
        body = b"".join(chunks)
        if self._storable(status, headers):
            # Serving matters more than storing: a cache outage is only a miss.
            with contextlib.suppress(Exception):
                self.backend.set(
                    key, (versions, status, headers, body), timeout=self.timeout
                )
        return self._serve(environ, start_response, status, headers, body, MISS)

    @staticmethod
    def _storable(status: str, headers: list[tuple[str, str]]) -> bool:
        if not status.startswith(("200", "410")):
            return False
        names = {k.lower(): v for k, v in headers}
        if "set-cookie" in names:
            return False
        if "cookie" in names.get("vary", "").lower():
            return False
        return "public" in names.get("cache-control", "")


def _not_modified(environ: dict[str, Any], headers: list[tuple[str, str]]) -> bool:
    """Does the client's copy still match (If-None-Match, else If-Modified-Since)?"""
    names = {k.lower(): v for k, v in headers}
    if_none_match = environ.get("HTTP_IF_NONE_MATCH")
    if if_none_match:
        etag = names.get("etag")
        tags = {part.strip() for part in if_none_match.split(",")}
        return etag is not None and (etag in tags or "*" in tags)
    since = parse_date(environ.get("HTTP_IF_MODIFIED_SINCE"))
    modified = parse_date(names.get("last-modified"))
    return since is not None and modified is not None and modified <= since


def install(app: Any, cache: Any) -> PageCache:
    """Put the page cache in front of `app` and bump tag versions after commits.

    `READER_PAGE_CACHE = False` turns off whole-page caching only (fragments
    stay: a page-cache miss as it happens in production); `CACHE_TYPE =
    "NullCache"` turns off both.
    """
    backend = cache.cache
    shared = type(backend).__name__.startswith("Redis")
    versions = TagVersions(backend, app.instance_path, shared)
    middleware = PageCache(
        app.wsgi_app,
        backend,
        versions,
        timeout=int(app.config.get("READER_CACHE_SECONDS", 300)),
        enabled=app.config.get("CACHE_TYPE") != "NullCache"
        and bool(app.config.get("READER_PAGE_CACHE", True)),
    )
    app.wsgi_app = middleware
    app.extensions["page_cache"] = middleware
    _listen_for_commits()
    return middleware


def _listen_for_commits() -> None:
    """After a commit that changed reader pages, bump the tags it named."""
    if event.contains(Session, "after_commit", _after_commit):
        return
    event.listen(Session, "after_commit", _after_commit)
    event.listen(Session, "after_rollback", _after_rollback)


def _after_commit(session: Session) -> None:
    tags = session.info.pop(READER_CHANGED, None)
    if tags:
        from flask import current_app, has_app_context

        if has_app_context():
            middleware = current_app.extensions.get("page_cache")
            if middleware is not None:
                middleware.versions.bump(tags)


def _after_rollback(session: Session) -> None:
    session.info.pop(READER_CHANGED, None)
