"""Editorial: a browser-based newsroom. `create_app` builds the Flask app."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Application factory: configuration, extensions, blueprints, handlers."""
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    from editorial import config as config_module

    app.config.from_mapping(config_module.load(Path(app.instance_path)))
    if config:
        app.config.from_mapping(config)

    from editorial import web

    web.init_app(app)
    return app
