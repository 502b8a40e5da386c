"""The reader blueprint."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("reader", __name__)
