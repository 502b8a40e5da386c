"""The reader-page cache: rendered public pages served before Flask runs.

A WSGI middleware in front of the Flask app. A GET for a public page whose
rendered answer is in the cache is handed back without routing, sessions,
templates or SQL. A miss runs the app; a response marked `Cache-Control:
public` that sets no cookie and does not vary by cookie is stored.

Freshness: every stored page records the *generation* it was rendered under.
Publishing, updating, unpublishing and category changes bump the generation
after their transaction commits, so every process sees every page as stale at
once. The generation lives in Redis when the cache is Redis (one MGET fetches
it together with the page), otherwise in a small file in the instance folder
(one stat() per request), which all processes on a host share.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session
from werkzeug.http import parse_date

from editorial.domain.signals import READER_CHANGED

GENERATION_KEY = "reader:generation"
PAGE_PREFIX = "reader:page:"

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


class Generation:
    """The current generation number, shared by every process."""

    def __init__(self, backend: Any, instance_path: str, shared: bool) -> None:
        self.backend = backend
        self.shared = shared  # True: the backend (Redis) is shared across processes
        self.path = Path(instance_path) / "reader-generation"

    def current_with(self, key: str) -> tuple[int, Any]:
        """The generation and the cached value for `key`, in one round trip."""
        if self.shared:
            gen, value = self.backend.get_many(GENERATION_KEY, key)
            return int(gen or 0), value
        return self._file_generation(), self.backend.get(key)

    def current(self) -> int:
        if self.shared:
            return int(self.backend.get(GENERATION_KEY) or 0)
        return self._file_generation()

    def bump(self) -> None:
        if self.shared:
            if not self.backend.inc(GENERATION_KEY):
                self.backend.set(GENERATION_KEY, 1, timeout=0)
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # The file's modification time (ns) is the generation; touching it is
        # atomic, and every process on the host sees it at its next stat().
        now = time.time_ns()
        try:
            os.utime(self.path, ns=(now, now))
        except FileNotFoundError:
            self.path.touch()
            os.utime(self.path, ns=(now, now))

    def _file_generation(self) -> int:
        try:
            return os.stat(self.path).st_mtime_ns
        except FileNotFoundError:
            return 0


class PageCache:
    """WSGI middleware serving cached public pages."""

    def __init__(
        self,
        app: WSGIApp,
        backend: Any,
        generation: Generation,
        *,
        timeout: int = 300,
        enabled: bool = True,
    ) -> None:
        self.app = app
        self.backend = backend
        self.generation = generation
        self.timeout = timeout
        self.enabled = enabled

    def __call__(
        self, environ: dict[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]:
        if not self.enabled or not self._cacheable_request(environ):
            return self.app(environ, start_response)
        key = (
            PAGE_PREFIX
            + environ.get("PATH_INFO", "")
            + "?"
            + environ.get("QUERY_STRING", "")
        )
        try:
            gen, stored = self.generation.current_with(key)
        except Exception:  # noqa: BLE001 - a cache outage must not take pages down
            return self.app(environ, start_response)
        if stored is not None:
            try:
                page_gen, status, headers, body = stored
            except (TypeError, ValueError):  # a foreign or corrupt entry is a miss
                page_gen = None
            if page_gen == gen:
                return self._serve(environ, start_response, status, headers, body)
        return self._render_and_store(environ, start_response, key, gen)

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
    ) -> Iterable[bytes]:
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
        gen: int,
    ) -> Iterable[bytes]:
        captured: dict[str, Any] = {}

        # A conditional request may answer 304 with no body: render in full so
        # the stored copy is complete, then answer the condition ourselves.
        inner = dict(environ)
        inner.pop("HTTP_IF_NONE_MATCH", None)
        inner.pop("HTTP_IF_MODIFIED_SINCE", None)
        inner["REQUEST_METHOD"] = "GET"
        chunks: list[bytes] = []

        def collect(status: str, headers: list[tuple[str, str]], exc_info=None):  # noqa: ANN001, ANN202
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
                    key, (gen, status, headers, body), timeout=self.timeout
                )
        return self._serve(environ, start_response, status, headers, body)

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
    """Put the page cache in front of `app` and bump generations after commits."""
    backend = cache.cache
    shared = type(backend).__name__.startswith("Redis")
    generation = Generation(backend, app.instance_path, shared)
    middleware = PageCache(
        app.wsgi_app,
        backend,
        generation,
        timeout=int(app.config.get("READER_CACHE_SECONDS", 300)),
        enabled=app.config.get("CACHE_TYPE") != "NullCache",
    )
    app.wsgi_app = middleware
    app.extensions["page_cache"] = middleware
    _listen_for_commits()
    return middleware


def _listen_for_commits() -> None:
    """After a commit that changed reader pages, bump the app's generation."""
    if event.contains(Session, "after_commit", _after_commit):
        return
    event.listen(Session, "after_commit", _after_commit)
    event.listen(Session, "after_rollback", _after_rollback)


def _after_commit(session: Session) -> None:
    if session.info.pop(READER_CHANGED, False):
        from flask import current_app, has_app_context

        if has_app_context():
            middleware = current_app.extensions.get("page_cache")
            if middleware is not None:
                middleware.generation.bump()


def _after_rollback(session: Session) -> None:
    session.info.pop(READER_CHANGED, None)
