"""Editorial: a browser-based newsroom. `create_app` builds the Flask app."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Application factory: configuration, extensions, blueprints, handlers."""
    # INSTANCE_PATH lets tests (and several apps on one host) keep their own
    # instance folder: the secret key, the SQLite file, the page-cache generation.
    # EDITORIAL_INSTANCE_PATH does the same for separate processes that must
    # share one (the web app and its scheduler).
    instance_path = (
        (config or {}).get("INSTANCE_PATH")
        or os.environ.get("EDITORIAL_INSTANCE_PATH")
        or str(ROOT / "instance")
    )
    app = Flask(
        __name__,
        instance_path=str(instance_path),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    from editorial import config as config_module

    app.config.from_mapping(config_module.load(Path(app.instance_path)))
    if config:
        app.config.from_mapping(config)
    config_module.finish(app.config)

    from editorial import cli, mail
    from editorial.auth import account as _account  # noqa: F401 - routes on bp
    from editorial.auth import bp as auth_bp
    from editorial.auth import views as _auth_views  # noqa: F401 - routes on bp
    from editorial.desk import (  # noqa: F401
        admin,
        comments,
        editor,
        history,
        presence,
        settings,
        views,
    )
    from editorial.desk import bp as desk_bp
    from editorial.desk import insights as _insights  # noqa: F401
    from editorial.desk import media as _desk_media  # noqa: F401
    from editorial.desk import notifications as _notifications  # noqa: F401
    from editorial.desk import sharing as _sharing  # noqa: F401
    from editorial.reader import bp as reader_bp
    from editorial.reader import media as _reader_media  # noqa: F401
    from editorial.reader import previews as _previews  # noqa: F401
    from editorial.reader import views as _reader_views  # noqa: F401
    from editorial.web import handlers

    handlers.init_app(app)
    mail.init_app(app)
    app.register_blueprint(auth_bp)
    app.register_blueprint(desk_bp)
    app.register_blueprint(reader_bp)
    cli.init_app(app)
    return app
