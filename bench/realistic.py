"""Reader speed under realistic traffic: Zipf over the archive, publishing all day.

    python bench/realistic.py --articles 1000 100000     # = make bench-realistic
    python bench/realistic.py --articles 1000 --quick    # a short smoke run

For each N it seeds (or reuses) bench/out/bench-N.sqlite as bench/run.py does,
works on a copy of it (the run publishes), starts a Redis of its own, and serves
under gunicorn with bench.gunicorn_conf and 2 sync workers, the page cache in
that Redis. wrk (bench/zipf.lua) walks a pre-drawn sequence of paths: 90%
articles, Zipf-distributed (s = 1) over the whole archive ranked by recency, and
10% listings (half the home page, half the category pages). Measured in one run:

- limit: the minimal WSGI app handing over one article page's bytes for every
  path (the same script and paths), and for the single URL;
- single URL: the newest article, cached, and with the page cache off;
- realistic: after a warm-up, first without publishing, then while a newsroom
  in this process publishes an update of a popular article every 10 s and a new
  article every 60 s, each time timing how long until every worker shows it;
- cold: the realistic article paths with the page cache off (fragments on).

Results go to bench/out/realistic-N.json and realistic-N.md, and to stdout.
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import json
import os
import random
import re
import secrets
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import run as base  # noqa: E402
from bench import seed as seeding  # noqa: E402
from bench.minimal_app import capture, fetch  # noqa: E402

OUT = base.OUT
LUA = ROOT / "bench" / "zipf.lua"
LISTING_SHARE = 0.10
UPDATE_EVERY = 10.0
NEW_EVERY = 60.0
FIRST_NEW_AT = 30.0
VISIBLE_STREAK = 10  # consecutive fresh answers (new connections: any worker)


@dataclass
class Run:
    """One wrk run over a path sequence (or a single URL)."""

    label: str
    server: str
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    hit: int = 0
    stale: int = 0
    miss: int = 0

    @property
    def hit_rate(self) -> float | None:
        counted = self.hit + self.stale + self.miss
        return (self.hit + self.stale) / counted if counted else None


@dataclass
class Publication:
    kind: str  # "update" or "new"
    at_s: float
    ok: bool
    visible_s: float | None = None
    error: str = ""


@dataclass
class Report:
    articles: int
    started: str
    git: str
    settings: str
    concurrency: int
    runs: list[Run] = field(default_factory=list)
    publications: list[Publication] = field(default_factory=list)
    paths: dict[str, Any] = field(default_factory=dict)


# --- the traffic --------------------------------------------------------------------


def archive(url: str) -> tuple[list[str], list[str]]:
    """Article paths by recency (newest first) and the category paths."""
    from sqlalchemy import create_engine, text

    engine = create_engine(seeding.normalise_url(url))
    try:
        with engine.connect() as conn:
            slugs = conn.scalars(
                text(
                    "SELECT slug FROM articles WHERE state = 'published' "
                    "ORDER BY last_published_at DESC, id DESC"
                )
            ).all()
            categories = conn.scalars(
                text("SELECT slug FROM categories WHERE NOT retired ORDER BY position")
            ).all()
    finally:
        engine.dispose()
    return [f"/articles/{s}" for s in slugs], [f"/categories/{c}" for c in categories]


def draw(
    articles: list[str], categories: list[str], count: int, rng: random.Random
) -> list[str]:
    """`count` paths: Zipf (s = 1) over articles by rank, 10% listings."""
    cumulative = []
    total = 0.0
    for rank in range(1, len(articles) + 1):
        total += 1.0 / rank
        cumulative.append(total)
    paths = []
    for _ in range(count):
        if rng.random() < LISTING_SHARE:
            paths.append("/" if rng.random() < 0.5 else rng.choice(categories))
        else:
            index = bisect.bisect_left(cumulative, rng.random() * total)
            paths.append(articles[min(index, len(articles) - 1)])
    return paths


def run_paths(
    base_url: str, paths_file: Path, label: str, server: str, args: argparse.Namespace
) -> Run:
    """wrk over the path sequence in `paths_file` for `duration` seconds."""
    cmd = [
        "wrk",
        "-t1",
        f"-c{args.concurrency}",
        f"-d{args.current_duration}s",
        "--timeout",
        "10s",
        "-H",
        f"User-Agent: {base.USER_AGENT}",
        "-s",
        str(LUA),
        base_url,
        "--",
        str(paths_file),
    ]
    done = subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        timeout=args.current_duration + 60,
        check=False,
    )
    match = re.search(r"^BENCH_JSON (\{.*\})$", done.stdout, re.MULTILINE)
    if done.returncode != 0 or not match:
        raise RuntimeError(f"wrk failed: {done.stdout}\n{done.stderr}")
    data = json.loads(match.group(1))
    seconds = data["duration_us"] / 1e6
    errors = sum(data[k] for k in ("connect", "read", "write", "status", "timeout"))
    result = Run(
        label=label,
        server=server,
        rps=data["requests"] / seconds if seconds else 0.0,
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        requests=data["requests"],
        errors=errors,
        hit=data["hit"],
        stale=data["stale"],
        miss=data["miss"],
    )
    _progress(result)
    return result


def run_single(base_url: str, path: str, label: str, server: str, args) -> Run:
    base.warm_up(base_url + path, {})
    load = base.run_wrk(base_url + path, args.concurrency, args.current_duration, {}, 1)
    result = Run(
        label, server, load.rps, load.p50_ms, load.p99_ms, load.requests, load.errors
    )
    _progress(result)
    return result


def _progress(run: Run) -> None:
    rate = f"hit {run.hit_rate:.0%}" if run.hit_rate is not None else ""
    print(
        f"  {run.server:10} {run.label:28} {run.rps:8.1f} req/s  p50 {run.p50_ms:7.2f}"
        f" ms  p99 {run.p99_ms:7.2f} ms  errors {run.errors}  {rate}",
        file=sys.stderr,
        flush=True,
    )


# --- a newsroom at work ----------------------------------------------------------


class Newsroom(threading.Thread):
    """Publishes through the domain, in this process, on a fixed schedule: an
    update of a popular article every 10 s, a new article every 60 s. After each
    commit it polls until every worker answers with the change."""

    def __init__(self, app, base_url: str, hot: list[int], seconds: float):
        super().__init__(daemon=True)
        self.app = app
        self.base_url = base_url
        self.hot = hot
        self.seconds = seconds
        self.stop_event = threading.Event()
        self.publications: list[Publication] = []
        self.rng = random.Random(17)

    def schedule(self) -> list[tuple[float, str]]:
        events = [(t * UPDATE_EVERY, "update") for t in range(1, 10_000)]
        events += [(FIRST_NEW_AT + t * NEW_EVERY, "new") for t in range(10_000)]
        return sorted(e for e in events if e[0] < self.seconds)

    def run(self) -> None:
        started = time.monotonic()
        for at, kind in self.schedule():
            if self.stop_event.wait(max(0.0, started + at - time.monotonic())):
                return
            entry = Publication(kind, at, ok=False)
            try:
                marker = f"Bench {kind} {secrets.token_hex(4)}"
                path = self.update(marker) if kind == "update" else self.new(marker)
                entry.ok = True
                entry.visible_s = self.visible(path, marker)
            except Exception as exc:  # counted and reported
                entry.error = f"{exc.__class__.__name__}: {exc}"[:300]
            self.publications.append(entry)

    def _people(self, session):
        from sqlalchemy import select

        from editorial.domain.models import User

        editor = session.scalar(select(User).where(User.username == seeding.EDITOR))
        author = session.scalar(select(User).where(User.username == "author1"))
        return editor, author

    def update(self, marker: str) -> str:
        from editorial.domain import editing, workflow
        from editorial.domain.models import Article
        from editorial.extensions import db

        with self.app.app_context():
            session = db.session
            article = session.get(Article, self.rng.choice(self.hot))
            editor, _ = self._people(session)
            kept = article.summary.split(" Bench update ", 1)[0]
            editing.update_summary(
                session,
                article,
                editor,
                expected_version=article.summary_version,
                summary=f"{kept} {marker}.",
            )
            session.refresh(article)
            workflow.apply(
                session,
                article,
                "publish_update",
                editor,
                expected_version=article.version,
                kind="update",
            )
            session.commit()
            return f"/articles/{article.slug}"

    def new(self, marker: str) -> str:
        from editorial.domain import demo, workflow
        from editorial.domain.models import Category, utcnow
        from editorial.extensions import db

        with self.app.app_context():
            session = db.session
            editor, author = self._people(session)
            category = session.get(Category, 1)
            story = (marker, "opens a new ferry route", "transit")
            article = demo._write(session, author, category, story, utcnow())
            session.flush()
            workflow.apply(
                session, article, "submit", author, expected_version=article.version
            )
            workflow.apply(
                session, article, "publish", editor, expected_version=article.version
            )
            session.commit()
        return "/"  # a new piece must reach the front page at once

    def visible(self, path: str, marker: str, limit: float = 10.0) -> float | None:
        """Seconds from the commit until VISIBLE_STREAK answers in a row (each a
        new connection, so any worker) show `marker`; None if not within limit."""
        committed = time.monotonic()
        streak_started = None
        streak = 0
        while time.monotonic() - committed < limit:
            _, _, body = fetch(self.base_url + path, {"User-Agent": base.USER_AGENT})
            if marker.encode() in body:
                streak_started = streak_started or time.monotonic()
                streak += 1
                if streak >= VISIBLE_STREAK:
                    return streak_started - committed
            else:
                streak, streak_started = 0, None
        return None


# --- orchestration ----------------------------------------------------------------


@contextlib.contextmanager
def redis_server(port: int) -> Iterator[str]:
    """A Redis of our own (no persistence), stopped afterwards."""
    proc = subprocess.Popen(
        ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            ping = subprocess.run(
                ["redis-cli", "-p", str(port), "ping"],
                capture_output=True,
                text=True,
                check=False,
            )
            if ping.stdout.strip() == "PONG":
                break
            time.sleep(0.1)
        else:
            raise RuntimeError("redis-server did not answer")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def working_copy(n: int, args: argparse.Namespace) -> str:
    """The seeded database for N, copied: the run publishes into it."""
    source = OUT / f"bench-{n}.sqlite"
    url = seeding.normalise_url(f"sqlite:///{source}")
    if args.reseed or not seeding.is_seeded(url, n):
        print(f"seeding {n:,} articles into {url} ...", file=sys.stderr, flush=True)
        print("\n".join(seeding.seed(url, n, reset=True).lines()), file=sys.stderr)
    copy = OUT / f"realistic-{n}.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, copy)
    return seeding.normalise_url(f"sqlite:///{copy}")


def bench_one(n: int, args: argparse.Namespace) -> Report:
    url = working_copy(n, args)
    articles, categories = archive(url)
    rng = random.Random(n)
    # Each run gets its own draw from the same distribution: a run that replayed
    # the warm-up's sequence would find exactly the pages the warm-up cached.
    files = {}
    for name in ("warm-up", "realistic", "publishing", "cold"):
        drawn = draw(articles, categories, args.draws, rng)
        if name == "cold":
            drawn = [p for p in drawn if p.startswith("/articles/")]
        files[name] = OUT / f"paths-{name}-{n}.txt"
        files[name].write_text("\n".join(drawn) + "\n")
        if name == "realistic":
            mixed = drawn
    report = Report(
        articles=n,
        started=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        git=base.git_describe(),
        settings="gunicorn, bench.gunicorn_conf, WEB_CONCURRENCY=2 (sync)",
        concurrency=args.concurrency,
        paths={
            "draws": len(mixed),
            "distinct": len(set(mixed)),
            "listings share": sum(not p.startswith("/articles/") for p in mixed)
            / len(mixed),
            "top article share": mixed.count(articles[0]) / len(mixed),
        },
    )
    newest = articles[0]
    port = base.free_port(args.port)
    with redis_server(base.free_port(args.redis_port)) as redis_url:
        extra = {"REDIS_URL": redis_url, "WEB_CONCURRENCY": "2"}
        env = base.server_env(args, url, extra)
        cold_env = base.server_env(args, url, {**extra, "READER_PAGE_CACHE": "0"})
        pages = OUT / f"pages-realistic-{n}"
        shutil.rmtree(pages, ignore_errors=True)

        server = base.Server("realistic", "bench.wsgi_app:app", env, port)
        with server.running("/healthz"):
            capture(server.base, [newest], pages, {"User-Agent": base.USER_AGENT})
            args.current_duration = args.duration
            report.runs.append(
                run_single(server.base, newest, "single URL (article)", "cached", args)
            )
            args.current_duration = args.warmup
            warm = run_paths(server.base, files["warm-up"], "warm-up", "cached", args)
            report.runs.append(warm)
            args.current_duration = args.duration
            report.runs.append(
                run_paths(server.base, files["realistic"], "realistic", "cached", args)
            )
            app = base.build_app({**env, "SITE_URL": server.base}, url)
            hot = _hot_ids(app, args.hot)
            newsroom = Newsroom(app, server.base, hot, args.publish_duration)
            newsroom.start()
            args.current_duration = args.publish_duration
            try:
                report.runs.append(
                    run_paths(
                        server.base,
                        files["publishing"],
                        "realistic + publishing",
                        "cached",
                        args,
                    )
                )
            finally:
                newsroom.stop_event.set()
                newsroom.join(timeout=60)
            report.publications = newsroom.publications
            _dispose(app)

        server = base.Server("cold", "bench.wsgi_app:app", cold_env, port)
        args.current_duration = args.duration
        with server.running("/healthz"):
            report.runs.append(
                run_single(
                    server.base, newest, "single URL (article)", "page cache off", args
                )
            )
            report.runs.append(
                run_paths(
                    server.base, files["cold"], "Zipf articles", "page cache off", args
                )
            )

        limit_env = {**env, "MINIMAL_PAGES": str(pages), "MINIMAL_FALLBACK": newest}
        server = base.Server("limit", "bench.minimal_app:app", limit_env, port)
        with server.running(newest):
            report.runs.append(
                run_single(server.base, newest, "single URL (article)", "limit", args)
            )
            report.runs.append(
                run_paths(
                    server.base, files["realistic"], "realistic paths", "limit", args
                )
            )
    return report


def _hot_ids(app, count: int) -> list[int]:
    """The ids of the most recent `count` articles: the ones readers read most."""
    from sqlalchemy import select

    from editorial.domain.models import Article
    from editorial.extensions import db

    with app.app_context():
        return list(
            db.session.scalars(
                select(Article.id)
                .where(Article.published_revision_id.is_not(None))
                .order_by(Article.last_published_at.desc())
                .limit(count)
            )
        )


def _dispose(app) -> None:
    from editorial.extensions import db

    with app.app_context():
        db.engine.dispose()


# --- the table --------------------------------------------------------------------


def _find(report: Report, server: str, label: str) -> Run | None:
    return next(
        (r for r in report.runs if r.server == server and r.label == label), None
    )


def render(report: Report, smaller: Report | None) -> str:
    limit_paths = _find(report, "limit", "realistic paths")
    limit_single = _find(report, "limit", "single URL (article)")
    lines = [
        f"### N = {report.articles:,} (realistic traffic)",
        "",
        f"- {report.started}, {report.git}; {report.settings}; wrk 1 thread, "
        f"{report.concurrency} connections",
        f"- paths: {report.paths['draws']:,} draws, {report.paths['distinct']:,} "
        f"distinct; listings {report.paths['listings share']:.1%}; the newest "
        f"article {report.paths['top article share']:.1%}",
        "",
        "| server | traffic | req/s | % of limit | p50 ms | p99 ms | errors | "
        "page-cache hits |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for run in report.runs:
        limit = limit_single if run.label.startswith("single") else limit_paths
        share = f"{run.rps / limit.rps:.0%}" if limit and limit.rps else ""
        rate = f"{run.hit_rate:.1%}" if run.hit_rate is not None else ""
        if run.stale:
            rate += f" ({run.stale:,} stale)"
        lines.append(
            f"| {run.server} | {run.label} | {run.rps:,.0f} | {share} | "
            f"{run.p50_ms:.2f} | {run.p99_ms:.2f} | {run.errors} | {rate} |"
        )
    lines += ["", "Publications during the publishing run:", ""]
    lines += [
        "| at s | kind | ok | visible on every worker after |",
        "| ---: | --- | --- | ---: |",
    ]
    for p in report.publications:
        seen = f"{p.visible_s:.3f} s" if p.visible_s is not None else "not in 10 s"
        lines.append(
            f"| {p.at_s:.0f} | {p.kind} | {'yes' if p.ok else p.error} | {seen} |"
        )
    lines += ["", *targets(report, smaller), ""]
    return "\n".join(lines)


def targets(report: Report, smaller: Report | None) -> list[str]:
    limit = _find(report, "limit", "realistic paths")
    limit_single = _find(report, "limit", "single URL (article)")
    cold = _find(report, "page cache off", "Zipf articles")
    cold_single = _find(report, "page cache off", "single URL (article)")
    busy = _find(report, "cached", "realistic + publishing")
    out = ["| target | result |", "| --- | --- |"]
    if cold and limit_single:
        out.append(
            f"| cold article page ≥ 15% of the limit | Zipf articles "
            f"{cold.rps / limit.rps:.1%}, single URL "
            f"{cold_single.rps / limit_single.rps:.1%} |"
        )
    if busy and limit:
        ok = busy.errors == 0 and busy.p99_ms < 10 * busy.p50_ms
        out.append(
            f"| realistic with publishing ≥ 50% of the limit, p99 < 10× p50, "
            f"0 errors | {busy.rps / limit.rps:.1%}, p99/p50 "
            f"{busy.p99_ms / busy.p50_ms:.1f}×, {busy.errors} errors "
            f"({'met' if ok else 'not met'} for latency and errors) |"
        )
    seen = [p.visible_s for p in report.publications if p.visible_s is not None]
    if report.publications:
        worst = f"{max(seen):.3f} s" if seen else "never"
        out.append(
            f"| a publish visible on every worker within 1 s | worst {worst} over "
            f"{len(report.publications)} publications, {len(seen)} seen |"
        )
    if smaller:
        for server, label in (
            ("cached", "realistic"),
            ("page cache off", "Zipf articles"),
        ):
            big, small = _find(report, server, label), _find(smaller, server, label)
            if big and small and small.p50_ms:
                out.append(
                    f"| p50 at {report.articles:,} within 1.15× of "
                    f"{smaller.articles:,} ({server}, {label}) | "
                    f"{big.p50_ms / small.p50_ms:.2f}× |"
                )
    return out


def load_report(path: Path) -> Report | None:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    data["runs"] = [Run(**r) for r in data["runs"]]
    data["publications"] = [Publication(**p) for p in data["publications"]]
    return Report(**data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[1000, 100000])
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--duration", type=int, default=20, help="seconds per run")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--publish-duration", type=int, default=125)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--draws", type=int, default=300_000)
    parser.add_argument("--hot", type=int, default=20, help="articles updated")
    parser.add_argument("--port", type=int, default=18860)
    parser.add_argument("--redis-port", type=int, default=16390)
    parser.add_argument("--env", default="production")
    parser.add_argument("--quick", action="store_true", help="short smoke run")
    args = parser.parse_args(argv)
    if args.quick:
        args.duration, args.warmup, args.publish_duration = 3, 3, 35
        args.draws = 20_000
    args.secret_key = os.environ.get("SECRET_KEY") or secrets.token_hex(32)
    for tool in ("wrk", "redis-server", "redis-cli"):
        if shutil.which(tool) is None:
            parser.error(f"{tool} is missing: apt-get install -y wrk redis-server")
    OUT.mkdir(parents=True, exist_ok=True)
    done: list[Report] = []
    for n in sorted(args.articles):
        report = bench_one(n, args)
        smaller = done[0] if done else load_report(OUT / "realistic-1000.json")
        if smaller and smaller.articles == report.articles:
            smaller = None
        table = render(report, smaller)
        (OUT / f"realistic-{n}.json").write_text(json.dumps(asdict(report), indent=2))
        (OUT / f"realistic-{n}.md").write_text(table)
        print(table, flush=True)
        done.append(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
