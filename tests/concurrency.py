"""Real concurrency for race tests: N threads released at once by a barrier.

Each thread gets its own test client, so each request runs in its own app
context with its own database connection and session, as under a threaded or
multi-worker server.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from flask import Flask
from flask.testing import FlaskClient

T = TypeVar("T")


def own_client(app: Flask) -> FlaskClient:
    """A plain test client (no shared app context), usable from any thread."""
    return FlaskClient(app, app.response_class, use_cookies=True)


def at_once(calls: list[Callable[[], T]]) -> list[T]:
    """Run every call in its own thread, all released together; their results."""
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], T]) -> T:
        barrier.wait(timeout=30)
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        futures = [pool.submit(run, call) for call in calls]
        return [f.result(timeout=120) for f in futures]
