"""Media plumbing: the configured storage, and the larger body limit of uploads.

Every request may send at most MAX_CONTENT_LENGTH (1 MB); the upload endpoints
listed here accept UPLOAD_MAX_CONTENT_LENGTH instead. The limit is raised before
CSRF protection parses the form, which is why this hook is installed first.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, request

from editorial.domain.storage import MediaStorage, storage_for

UPLOAD_ENDPOINTS = frozenset({"desk.upload_lead_image"})


def storage() -> MediaStorage:
    """The app's media storage (disk or S3, from the configuration)."""
    return current_app.extensions["editorial.media_storage"]


def is_upload_request() -> bool:
    return request.endpoint in UPLOAD_ENDPOINTS


def _upload_limit() -> None:
    if is_upload_request():
        request.max_content_length = current_app.config["UPLOAD_MAX_CONTENT_LENGTH"]


def init_app(app: Flask) -> None:
    """Build the storage once and raise the body limit of upload endpoints.

    Call before CSRFProtect.init_app: its hook reads the form.
    """
    root = app.config.get("MEDIA_ROOT") or str(Path(app.instance_path) / "media")
    app.extensions["editorial.media_storage"] = storage_for(
        app.config.get("MEDIA_S3_URL"), root
    )
    app.before_request(_upload_limit)
