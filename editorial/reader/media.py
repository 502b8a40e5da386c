"""`/media/<name>`: uploaded image files, cached for a year under their hash name.

A file is public once an article's published page uses its image; until then
only signed-in desk users get it (privately cached), and anyone else a 404, the
same answer as for a name that does not exist.
"""

from __future__ import annotations

from flask import Response, abort, request
from flask_login import current_user

from editorial.domain import images
from editorial.domain.policy import Permission, can
from editorial.domain.storage import NAME_RE
from editorial.extensions import db
from editorial.reader import bp
from editorial.web import media

IMMUTABLE = "max-age=31536000, immutable"


def _desk_user() -> bool:
    return bool(
        current_user.is_authenticated and can(current_user, Permission.USE_DESK)
    )


@bp.get("/media/<name>")
def media_file(name: str):
    """One stored image file, with long immutable caching."""
    if not NAME_RE.fullmatch(name):
        abort(404)
    found = images.lookup_file(db.session, name)
    if found is None or not (found.public or _desk_user()):
        abort(404)
    data = media.storage().get(name)
    if data is None:
        abort(404)
    response = Response(data, mimetype=found.mime)
    response.set_etag(name.partition(".")[0])
    response.headers["Cache-Control"] = (
        f"public, {IMMUTABLE}" if found.public else f"private, {IMMUTABLE}"
    )
    return response.make_conditional(request)
