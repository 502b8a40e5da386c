"""How punctual is scheduled publishing? (`make bench-scheduler`)

    python bench/bench_scheduler.py                 # 50 schedules over 2 minutes

Seeds a small database (bench/seed.py), writes `--articles` complete pieces
through the domain and has an author submit them, then an editor schedules
them for the next minutes (half each), as the Schedule button does. A real
scheduler process (`flask --app editorial scheduler`) and the real app under
gunicorn (2 workers) run beside; a poller asks for each article's page until it
answers 200. For each piece: the delay from its scheduled minute to its first
200, whether readers got a 200 too early, and how many publish transitions it
has (must be one). Writes bench/out/scheduler.json and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import run as base  # noqa: E402
from bench import seed as seeding  # noqa: E402
from bench.minimal_app import fetch  # noqa: E402

OUT = base.OUT


def prepare(app, count: int, minutes: int) -> list[tuple[str, datetime]]:
    """Write, submit and schedule `count` pieces over the next `minutes` minutes;
    their slugs and scheduled minutes (UTC)."""
    from sqlalchemy import select

    from editorial.domain import demo, workflow
    from editorial.domain.models import Category, User, utcnow
    from editorial.extensions import db

    with app.app_context():
        session = db.session
        editor = session.scalar(select(User).where(User.username == seeding.EDITOR))
        author = session.scalar(select(User).where(User.username == "author1"))
        category = session.get(Category, 1)
        now = utcnow()
        # The first minute boundary at least 40 s away: time to finish writing.
        first = (now + timedelta(seconds=100)).replace(second=0, microsecond=0)
        planned = []
        for n in range(count):
            story = (f"Ferry line {n} {secrets.token_hex(3)}", "adds a stop", "transit")
            article = demo._write(session, author, category, story, now)
            session.flush()
            workflow.apply(
                session, article, "submit", author, expected_version=article.version
            )
            minute = first + timedelta(minutes=n % minutes)
            workflow.apply(
                session,
                article,
                "schedule",
                editor,
                expected_version=article.version,
                publish_at=minute,
            )
            planned.append((article.slug, minute))
        session.commit()
        db.engine.dispose()
    return planned


def poll(server: str, planned: list[tuple[str, datetime]], deadline: float) -> dict:
    """First 200 per slug (wall clock, UTC), and early answers before the minute."""
    seen: dict[str, datetime] = {}
    early: list[str] = []
    while len(seen) < len(planned) and time.time() < deadline:
        for slug, minute in planned:
            if slug in seen:
                continue
            status, _, _ = fetch(
                f"{server}/articles/{slug}", {"User-Agent": base.USER_AGENT}
            )
            now = datetime.now(UTC).replace(tzinfo=None)
            if status == 200:
                seen[slug] = now
                if now < minute:
                    early.append(slug)
        time.sleep(0.05)
    return {"seen": seen, "early": early}


def publish_counts(url: str) -> dict[str, int]:
    from sqlalchemy import create_engine, text

    engine = create_engine(seeding.normalise_url(url))
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT a.slug, count(t.id) FROM articles a LEFT JOIN transitions t"
                    " ON t.article_id = a.id"
                    " AND t.action IN ('publish', 'publish_scheduled')"
                    " GROUP BY a.slug"
                )
            ).all()
    finally:
        engine.dispose()
    return dict(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=50)
    parser.add_argument("--minutes", type=int, default=2)
    parser.add_argument("--port", type=int, default=18960)
    args = parser.parse_args(argv)
    args.env = "production"
    args.secret_key = os.environ.get("SECRET_KEY") or secrets.token_hex(32)
    OUT.mkdir(parents=True, exist_ok=True)
    url = seeding.normalise_url(f"sqlite:///{OUT / 'scheduler.sqlite'}")
    seeding.seed(url, 8, reset=True)
    instance = OUT / "scheduler-instance"
    instance.mkdir(exist_ok=True)
    env = base.server_env(
        args,
        url,
        {"WEB_CONCURRENCY": "2", "EDITORIAL_INSTANCE_PATH": str(instance)},
    )
    server = base.Server("scheduler-web", "bench.wsgi_app:app", env, args.port)
    with server.running("/healthz"):
        app = base.build_app({**env, "SITE_URL": server.base}, url)
        planned = prepare(app, args.articles, args.minutes)
        with (OUT / "scheduler-process.log").open("w") as log:
            scheduler = subprocess.Popen(
                [sys.executable, "-m", "flask", "--app", "editorial", "scheduler"],
                cwd=ROOT,
                env={**env, "SITE_URL": server.base},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            try:
                last = max(m for _, m in planned)
                deadline = last.replace(tzinfo=UTC).timestamp() + 120
                result = poll(server.base, planned, deadline)
            finally:
                scheduler.terminate()
                scheduler.wait(timeout=30)
    counts = publish_counts(url)
    delays = sorted(
        (result["seen"][slug] - minute).total_seconds()
        for slug, minute in planned
        if slug in result["seen"]
    )
    once = sum(counts.get(slug) == 1 for slug, _ in planned)
    summary = {
        "started": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "git": base.git_describe(),
        "schedules": len(planned),
        "minutes": args.minutes,
        "published": len(delays),
        "published exactly once": once,
        "early answers": len(result["early"]),
        "delay s": {
            "min": delays[0] if delays else None,
            "median": statistics.median(delays) if delays else None,
            "p95": delays[int(0.95 * (len(delays) - 1))] if delays else None,
            "max": delays[-1] if delays else None,
        },
        "delays": delays,
    }
    (OUT / "scheduler.json").write_text(json.dumps(summary, indent=2))
    d = summary["delay s"]
    print(
        "| schedules | published | exactly once | 200 before the minute | "
        "delay min | median | p95 | max |\n"
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n"
        f"| {len(planned)} | {len(delays)} | {once} | {len(result['early'])} | "
        + " | ".join(
            f"{d[k]:.2f} s" if d[k] is not None else "n/a"
            for k in ("min", "median", "p95", "max")
        )
        + " |"
    )
    return 0 if len(delays) == len(planned) == once and not result["early"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
