"""The machine's limit: a WSGI app that hands over the real app's bytes from memory.

Each page is fetched once from the running real server (or read from files
written by `capture`), then served as is: same status, same headers (less the
ones gunicorn writes itself and cookies), same body. Run it under the same
gunicorn settings as the real app, and its requests/s is what this machine can
do for that page when the application costs nothing.

    MINIMAL_PAGES=bench/out/pages-1000 \
        gunicorn -c python:bench.gunicorn_conf bench.minimal_app:app
    MINIMAL_SOURCE=http://127.0.0.1:8000 MINIMAL_PATHS="/,/login" \
        gunicorn -c python:bench.gunicorn_conf bench.minimal_app:app
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

# Written by gunicorn itself, or not part of "the same bytes" for a reader.
_SKIP_HEADERS = {
    "date",
    "server",
    "connection",
    "keep-alive",
    "transfer-encoding",
    "set-cookie",
    "content-length",
    "x-cache",  # the real app's page-cache state; the limit has no cache
}
_REASONS = {200: "OK", 404: "NOT FOUND", 410: "GONE", 302: "FOUND", 303: "SEE OTHER"}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def fetch(
    url: str, headers: Mapping[str, str] | None = None, timeout: float = 30
) -> tuple[int, list[tuple[str, str]], bytes]:
    """GET a URL without following redirects: status, headers, body."""
    request = urllib.request.Request(url, headers=dict(headers or {}))
    try:
        with _opener.open(request, timeout=timeout) as response:
            return response.status, list(response.headers.items()), response.read()
    except urllib.error.HTTPError as error:
        return error.code, list(error.headers.items()), error.read()


def capture(
    base_url: str,
    paths: Iterable[str],
    dest: Path,
    headers: Mapping[str, str] | None = None,
) -> dict[str, dict[str, Any]]:
    """Fetch each path once and write it under `dest` with a manifest."""
    dest.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, dict[str, Any]] = {}
    for n, path in enumerate(paths):
        status, page_headers, body = fetch(base_url.rstrip("/") + path, headers)
        name = f"page-{n}.bin"
        (dest / name).write_bytes(body)
        manifest[path] = {
            "status": status,
            "headers": [
                [k, v] for k, v in page_headers if k.lower() not in _SKIP_HEADERS
            ],
            "file": name,
            "length": len(body),
        }
    (dest / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return manifest


Page = tuple[str, list[tuple[str, str]], bytes]


def _page(status: int, headers: Sequence[Sequence[str]], body: bytes) -> Page:
    out = [(k, v) for k, v in headers if k.lower() not in _SKIP_HEADERS]
    out.append(("Content-Length", str(len(body))))
    return f"{status} {_REASONS.get(status, 'STATUS')}", out, body


def load_pages() -> dict[str, Page]:
    """From MINIMAL_PAGES (a capture directory) or MINIMAL_SOURCE + MINIMAL_PATHS."""
    pages: dict[str, Page] = {}
    directory = os.environ.get("MINIMAL_PAGES")
    if directory:
        root = Path(directory)
        manifest = json.loads((root / "manifest.json").read_text())
        for path, entry in manifest.items():
            body = (root / entry["file"]).read_bytes()
            pages[path] = _page(entry["status"], entry["headers"], body)
    source = os.environ.get("MINIMAL_SOURCE")
    if source:
        for path in filter(None, os.environ.get("MINIMAL_PATHS", "/").split(",")):
            status, headers, body = fetch(source.rstrip("/") + path)
            pages[path] = _page(status, headers, body)
    if not pages:
        raise RuntimeError("Set MINIMAL_PAGES or MINIMAL_SOURCE (and MINIMAL_PATHS).")
    return pages


_NOT_FOUND: Page = ("404 NOT FOUND", [("Content-Type", "text/plain")], b"not captured")


def make_app(pages: Mapping[str, Page]) -> Callable[..., Iterable[bytes]]:
    """The WSGI callable: one dict lookup, then the stored bytes."""

    # MINIMAL_FALLBACK: the page to hand over for any path not captured, so the
    # realistic benchmark's many URLs can be driven against the limit too.
    fallback = pages.get(os.environ.get("MINIMAL_FALLBACK", ""), _NOT_FOUND)

    def app(environ: dict[str, Any], start_response: Callable[..., Any]):
        query = environ.get("QUERY_STRING")
        key = environ.get("PATH_INFO", "/") + (f"?{query}" if query else "")
        status, headers, body = pages.get(key, fallback)
        start_response(status, headers)
        return [body]

    return app


def __getattr__(name: str) -> Any:
    # `app` is built on first access, so importing this module needs no pages.
    if name == "app":
        built = make_app(load_pages())
        globals()["app"] = built
        return built
    raise AttributeError(name)
