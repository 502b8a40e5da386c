"""The real app for the benchmark, as wsgi.py builds it, plus one switch.

CACHE_TYPE in the environment (e.g. NullCache for "cache off") overrides the
cache backend that editorial/config.py derives; everything else comes from the
environment exactly as in production.
"""

from __future__ import annotations

import os

from editorial import create_app

_overrides = (
    {"CACHE_TYPE": os.environ["CACHE_TYPE"]} if os.environ.get("CACHE_TYPE") else {}
)
app = create_app(_overrides)
