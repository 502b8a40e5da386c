"""gunicorn settings for the benchmark: exactly editorial.gunicorn_conf, except
that the access log is off unless BENCH_ACCESS_LOG=1 (both the real app and the
minimal app run with this file, so they are measured under the same settings).
"""

from __future__ import annotations

import os

from editorial.gunicorn_conf import *  # noqa: F403

if os.environ.get("BENCH_ACCESS_LOG") != "1":
    accesslog = None
