"""Where an uncached article request spends its time (cProfile, in-process).

    python bench/profile_article.py sqlite:///$PWD/bench/out/bench-100000.sqlite

Prints the plain time per request (no profiler) and the profiled share of the
main parts; bench/RESULTS.md quotes it.
"""

from __future__ import annotations

import cProfile
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from editorial import create_app  # noqa: E402
from editorial.domain.models import Article, State  # noqa: E402
from editorial.extensions import db  # noqa: E402

PARTS = {
    "whole request (Flask wsgi_app)": ("flask/app.py", "wsgi_app"),
    "Jinja2 render_template": ("flask/templating.py", "render_template"),
    "  of which url_for": ("flask/app.py", "url_for"),
    "SQLAlchemy, ORM execute": ("orm/session.py", "_execute_internal"),
    "ETag hash and conditional response": ("reader/views.py", "_cacheable"),
    "after-request hooks": ("flask/app.py", "process_response"),
}


def main(url: str, n: int = 500) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "CACHE_TYPE": "NullCache"})
    with app.app_context():
        slug = db.session.scalar(
            select(Article.slug)
            .where(Article.state == State.PUBLISHED)
            .order_by(Article.id.desc())
            .limit(1)
        )
    client = app.test_client()
    path = f"/articles/{slug}"
    for _ in range(50):
        client.get(path)
    started = time.perf_counter()
    for _ in range(n):
        client.get(path)
    plain = (time.perf_counter() - started) * 1000 / n
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(n):
        client.get(path)
    profiler.disable()
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]

    def cumulative(file_part: str, function: str) -> float:
        return sum(
            v[3] for k, v in stats.items() if k[2] == function and file_part in k[0]
        )

    whole = cumulative(*PARTS["whole request (Flask wsgi_app)"])
    print(f"plain: {plain:.2f} ms per uncached article request (no profiler)")
    print("| part | profiled ms | share |\n| --- | ---: | ---: |")
    for name, (file_part, function) in PARTS.items():
        seconds = cumulative(file_part, function)
        print(f"| {name} | {seconds * 1000 / n:.2f} | {seconds / whole:.0%} |")


if __name__ == "__main__":
    main(sys.argv[1])
