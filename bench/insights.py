"""Measure /desk/insights on a seeded archive (1,000 and 100,000 articles).

    .venv/bin/python bench/insights.py --articles 1000 100000

Seeds with bench/seed.py (reused when already seeded), then gives the last 30
days a review history the seed does not have: a `submit` transition some hours
before each publication of the month, and 40 articles waiting in review. Then
an editor requests the page through the real app in-process (the test client:
routing, policy, queries, templates), and the median and 90th percentile of
`--requests` timings and the page's statement count are printed as a Markdown
table row for bench/RESULTS.md. Shared machines are noisy: compare sizes
measured in one run.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import event, text  # noqa: E402

from bench import seed as seeding  # noqa: E402

OUT = ROOT / "bench" / "out"
WAITING = 40


def add_review_history(url: str) -> int:
    """Submissions before the month's publications, and a queue waiting in review."""
    from editorial.domain.models import utcnow
    from editorial.extensions import db

    app = seeding.make_app(url)
    rng = random.Random(15)
    with app.app_context():
        conn = db.session.connection()
        if conn.scalar(text("SELECT count(*) FROM transitions WHERE action='submit'")):
            return 0  # done on an earlier run
        since = utcnow() - timedelta(days=31)
        rows = conn.execute(
            text(
                "SELECT article_id, actor_id, created_at FROM transitions"
                " WHERE action = 'publish' AND created_at >= :since"
            ),
            {"since": since},
        ).all()
        author = conn.scalar(text("SELECT id FROM users WHERE username='author1'"))
        submits = []
        for article_id, _actor, published in rows:
            published = seeding_time(published)
            submits.append(
                {
                    "article_id": article_id,
                    "actor_id": author,
                    "created_at": published - timedelta(minutes=rng.randint(20, 2880)),
                }
            )
        conn.execute(
            text(
                "INSERT INTO transitions (article_id, actor_id, action, from_state,"
                " to_state, created_at) VALUES (:article_id, :actor_id, 'submit',"
                " 'draft', 'review', :created_at)"
            ),
            submits,
        )
        oldest = conn.execute(
            text("SELECT id FROM articles ORDER BY id LIMIT :n"), {"n": WAITING}
        ).all()
        now = utcnow()
        for (article_id,) in oldest:
            conn.execute(
                text(
                    "UPDATE articles SET state='review', submitted_at=:at WHERE id=:id"
                ),
                {"at": now - timedelta(hours=rng.randint(1, 96)), "id": article_id},
            )
        db.session.commit()
        return len(submits)


def seeding_time(value):  # a datetime or its SQLite text
    from datetime import datetime

    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def measure(url: str, requests: int) -> tuple[float, float, int, int]:
    """(median ms, p90 ms, statements, publications shown) for the page."""
    from editorial.extensions import db

    app = seeding.make_app(url, TESTING=True, WTF_CSRF_ENABLED=False)
    client = app.test_client()
    response = client.post(
        "/login",
        data={"username": seeding.EDITOR, "password": seeding.DEFAULT_PASSWORD},
    )
    assert response.status_code == 303, response.status_code
    client.get("/desk/insights")  # warm the templates and the connection
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get("/desk/insights")
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    statements: list[str] = []
    with app.app_context():
        engine = db.engine

        def count(*args):
            statements.append(args[2])

        event.listen(engine, "before_cursor_execute", count)
        client.get("/desk/insights")
        event.remove(engine, "before_cursor_execute", count)
    body = client.get("/desk/insights").get_data(as_text=True)
    shown = body.split(" publication", 1)[0].rsplit(">", 1)[-1].strip()
    times.sort()
    p90 = times[max(0, int(len(times) * 0.9) - 1)]
    return statistics.median(times), p90, len(statements), int(shown or 0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[1000, 100000])
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    print("| articles | publications in 30 days | statements | median | p90 |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    for n in args.articles:
        url = f"sqlite:///{OUT / f'bench-{n}.sqlite'}"
        if not seeding.is_seeded(url, n):
            seeding.seed(url, n, reset=True)
        add_review_history(url)
        median, p90, statements, shown = measure(url, args.requests)
        print(f"| {n:,} | {shown:,} | {statements} | {median:.1f} ms | {p90:.1f} ms |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
