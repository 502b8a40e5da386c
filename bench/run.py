"""The benchmark: seed, serve with gunicorn, load with wrk, print one table.

    python bench/run.py --articles 1000 100000            # full run, 10 s per cell
    python bench/run.py --articles 1000 --quick           # 2-second smoke run
    python bench/run.py --articles 1000 --database-url postgresql://postgres@127.0.0.1/bench

For each N it seeds (or reuses bench/out/bench-N.sqlite), counts SQL statements
per page in-process (cold and warm, cache on and off), then serves the real app
with gunicorn on loopback (editorial/gunicorn_conf.py's settings, access log off)
with the cache on and off, and a minimal WSGI app that returns the same bytes
from memory under the same settings: the limit. wrk, a second process, drives
each page at each concurrency for a bounded time. A "mixed" run loads the hot
page while a thread publishes an update every second. The table goes to stdout
and to bench/out/results-N.md (with the raw figures in results-N.json).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import seed as seeding  # noqa: E402
from bench.minimal_app import capture, fetch  # noqa: E402

OUT = ROOT / "bench" / "out"
LUA = ROOT / "bench" / "report.lua"
USER_AGENT = "editorial-bench"
READER_PAGES = ("article", "home", "category", "search")
DASHBOARD = "desk dashboard"


# --- results ---------------------------------------------------------------------


@dataclass
class Load:
    """One wrk run."""

    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    detail: dict[str, int]


@dataclass
class Cell:
    """A page at one concurrency under one server."""

    page: str
    path: str
    concurrency: int
    server: str  # "cache on", "cache off", "limit", "desk"
    load: Load | None = None
    note: str = ""


@dataclass
class Mixed:
    """The article page under load while an editor publishes every second."""

    server: str
    page: str
    concurrency: int
    load: Load | None = None
    published: int = 0
    failed: int = 0
    last_error: str = ""
    probes: int = 0
    stale: int = 0
    note: str = ""


@dataclass
class Result:
    articles: int
    database: str
    command: str
    started: str
    git: str
    machine: str
    settings: str
    seeding: str
    paths: dict[str, str] = field(default_factory=dict)
    status: dict[str, int] = field(default_factory=dict)
    statements: dict[str, dict[str, list[int] | None]] = field(default_factory=dict)
    cells: list[Cell] = field(default_factory=list)
    mixed: list[Mixed] = field(default_factory=list)


# --- load generation ---------------------------------------------------------------


def run_wrk(
    url: str,
    concurrency: int,
    duration: int,
    headers: dict[str, str],
    threads: int,
) -> Load:
    """wrk for `duration` seconds at `concurrency` connections; parse its JSON line."""
    cmd = [
        "wrk",
        f"-t{min(threads, concurrency)}",
        f"-c{concurrency}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA),
    ]
    for key, value in {"User-Agent": USER_AGENT, **headers}.items():
        cmd += ["-H", f"{key}: {value}"]
    cmd.append(url)
    done = subprocess.run(
        cmd, capture_output=True, text=True, timeout=duration + 60, check=False
    )
    match = re.search(r"^BENCH_JSON (\{.*\})$", done.stdout, re.MULTILINE)
    if done.returncode != 0 or not match:
        raise RuntimeError(f"wrk failed: {done.stdout}\n{done.stderr}")
    data = json.loads(match.group(1))
    seconds = data["duration_us"] / 1e6
    detail = {k: data[k] for k in ("status", "connect", "read", "write", "timeout")}
    return Load(
        rps=data["requests"] / seconds if seconds else 0.0,
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        requests=data["requests"],
        errors=sum(detail.values()),
        detail=detail,
    )


def warm_up(url: str, headers: dict[str, str], requests: int = 40) -> None:
    """A few parallel requests, so every worker has the page (and its cache) warm."""
    h = {"User-Agent": USER_AGENT, **headers}
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda _: fetch(url, h), range(requests)))


# --- servers --------------------------------------------------------------------------


def free_port(preferred: int) -> int:
    for port in range(preferred, preferred + 100):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port")


class Server:
    """One gunicorn master we started, with its own process group."""

    def __init__(self, name: str, target: str, env: dict[str, str], port: int):
        self.name = name
        self.target = target
        self.base = f"http://127.0.0.1:{port}"
        # Production refuses to start without SITE_URL, and answers its host only.
        self.env = {
            "SITE_URL": self.base,
            **env,
            "HOST": "127.0.0.1",
            "PORT": str(port),
        }
        self.proc: subprocess.Popen | None = None
        self.log = OUT / f"server-{name.replace(' ', '-')}.log"

    def start(self, ready_path: str) -> None:
        cmd = [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "python:bench.gunicorn_conf",
            self.target,
        ]
        with self.log.open("w") as log:
            self.proc = subprocess.Popen(
                cmd,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited; see {self.log}")
            try:
                status, _, _ = fetch(self.base + ready_path, timeout=2)
                if status < 500:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer in 60 s; see {self.log}")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    @contextmanager
    def running(self, ready_path: str):
        self.start(ready_path)
        try:
            yield self
        finally:
            self.stop()


def server_env(args: argparse.Namespace, url: str, extra: dict[str, str]) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        EDITORIAL_ENV=args.env,
        SECRET_KEY=args.secret_key,
        PYTHONPATH=str(ROOT),
    )
    env.pop("CACHE_TYPE", None)
    env.update(extra)
    return env


# --- the desk login ---------------------------------------------------------------


def _cookies(headers: list[tuple[str, str]]) -> dict[str, str]:
    jar = {}
    for key, value in headers:
        if key.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            jar[name.strip()] = rest.split(";", 1)[0]
    return jar


def login_cookie(base: str, username: str, password: str) -> tuple[str | None, str]:
    """Log in like a browser (CSRF token included); the Cookie header, or why not."""
    import urllib.request

    status, headers, body = fetch(base + "/login", {"User-Agent": USER_AGENT})
    if status != 200:
        return None, f"GET /login answered {status}"
    match = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', body) or re.search(
        rb'value="([^"]+)"[^>]*name="csrf_token"', body
    )
    jar = _cookies(headers)
    form = {"username": username, "password": password}
    if match:
        form["csrf_token"] = match.group(1).decode()
    request = urllib.request.Request(
        base + "/login",
        data=urllib.parse.urlencode(form).encode(),
        headers={
            "User-Agent": USER_AGENT,
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
        },
        method="POST",
    )
    from bench.minimal_app import _opener

    try:
        with _opener.open(request, timeout=30) as response:
            status, headers = response.status, list(response.headers.items())
    except urllib.error.HTTPError as error:
        status, headers = error.code, list(error.headers.items())
    if status not in (302, 303):
        return None, f"POST /login answered {status}"
    jar.update(_cookies(headers))
    cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
    check, _, _ = fetch(base + "/desk/", {"User-Agent": USER_AGENT, "Cookie": cookie})
    if check != 200:
        return None, f"/desk/ answered {check} after login"
    return cookie, ""


# --- SQL statements per request, in-process -----------------------------------------


@contextmanager
def environ(values: dict[str, str]):
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def build_app(env: dict[str, str], url: str):  # a Flask app
    """The app exactly as bench/wsgi_app.py builds it under this environment."""
    import warnings

    from editorial import create_app

    with environ(env), warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        overrides: dict[str, Any] = {
            "SQLALCHEMY_DATABASE_URI": seeding.normalise_url(url),
            # The test client speaks http; the cookie flag changes no query.
            "SESSION_COOKIE_SECURE": False,
            # The test client's host (production answers SITE_URL's host only).
            "SITE_URL": os.environ.get("SITE_URL") or "http://localhost",
        }
        if os.environ.get("CACHE_TYPE"):
            overrides["CACHE_TYPE"] = os.environ["CACHE_TYPE"]
        return create_app(overrides)


def count_statements(
    app, paths: dict[str, str], editor_id: int
) -> dict[str, list[int] | None]:
    """Statements for a cold and a warm GET of each page (None when not 200)."""
    from sqlalchemy import event

    from editorial.domain.models import User
    from editorial.extensions import cache, db

    with app.app_context():
        engine = db.engine
        cache.clear()
        editor = db.session.get(User, editor_id)
        login_id = editor.get_id()
    counts: dict[str, list[int] | None] = {}
    statements: list[str] = []

    request_thread = threading.get_ident()

    def before(conn, cursor, statement, parameters, context, executemany):
        # Only the request's own statements: the mail worker thread polls the
        # outbox once at the first request, and that is no cost of the page.
        if threading.get_ident() == request_thread:
            statements.append(statement)

    client = app.test_client()
    event.listen(engine, "before_cursor_execute", before)
    try:
        for page, path in paths.items():
            if page == DASHBOARD:
                with client.session_transaction() as session:
                    session["_user_id"] = login_id
                    session["_fresh"] = True
            runs = []
            for _ in range(2):
                statements.clear()
                response = client.get(path, headers={"User-Agent": USER_AGENT})
                runs.append(len(statements))
                if response.status_code != 200:
                    runs = None
                    break
            counts[page] = runs
    finally:
        event.remove(engine, "before_cursor_execute", before)
        with app.app_context():
            db.engine.dispose()
    return counts


# --- the mixed run ------------------------------------------------------------------


class Publisher(threading.Thread):
    """An editor publishing an update of one article every second, in-process."""

    def __init__(self, app, article_id: int, editor: str, probe_url: str | None):
        super().__init__(daemon=True)
        self.app = app
        self.article_id = article_id
        self.editor = editor
        self.probe_url = probe_url
        self.stop_event = threading.Event()
        self.published = 0
        self.failed = 0
        self.last_error = ""
        self.probes = 0
        self.stale = 0

    def run(self) -> None:
        from sqlalchemy import select

        from editorial.domain import editing, workflow
        from editorial.domain.models import Article, User
        from editorial.extensions import db

        tick = time.monotonic()
        n = 0
        while not self.stop_event.is_set():
            tick += 1.0
            n += 1
            marker = f"Bench update {n} at {secrets.token_hex(3)}"
            try:
                with self.app.app_context():
                    session = db.session
                    article = session.get(Article, self.article_id)
                    editor = session.scalar(
                        select(User).where(User.username == self.editor)
                    )
                    base = article.summary.split(" Bench update ", 1)[0]
                    editing.update_summary(
                        session,
                        article,
                        editor,
                        expected_version=article.summary_version,
                        summary=f"{base} {marker}.",
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
                self.published += 1
                self.probe(marker)
            except Exception as exc:  # counted and reported
                self.failed += 1
                self.last_error = f"{exc.__class__.__name__}: {exc}"[:200]
            self.stop_event.wait(max(0.0, tick - time.monotonic()))

    def probe(self, marker: str) -> None:
        """Right after the commit, do readers see the update? (3 GETs)"""
        if not self.probe_url:
            return
        for _ in range(3):
            _, _, body = fetch(self.probe_url, {"User-Agent": USER_AGENT})
            self.probes += 1
            if marker.encode() not in body:
                self.stale += 1


# --- orchestration ------------------------------------------------------------


def git_describe() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def gunicorn_settings() -> str:
    from editorial import gunicorn_conf

    return (
        f"gunicorn {gunicorn_conf.workers} {gunicorn_conf.worker_class} workers"
        f" x {gunicorn_conf.threads} thread(s), keepalive {gunicorn_conf.keepalive},"
        " access log off (bench/gunicorn_conf.py = editorial/gunicorn_conf.py)"
    )


def pick_targets(url: str, search_query: str) -> tuple[dict[str, str], int, int]:
    """Paths of the pages, the hot article's id and the editor's id."""
    from sqlalchemy import create_engine, text

    engine = create_engine(seeding.normalise_url(url))
    try:
        with engine.connect() as conn:
            article_id, slug = conn.execute(
                text(
                    "SELECT id, slug FROM articles WHERE state = 'published' "
                    "ORDER BY last_published_at DESC, id DESC LIMIT 1"
                )
            ).one()
            category = conn.scalar(
                text("SELECT slug FROM categories ORDER BY position, id LIMIT 1")
            )
            editor_id = conn.scalar(
                text("SELECT id FROM users WHERE username = :u"), {"u": seeding.EDITOR}
            )
    finally:
        engine.dispose()
    paths = {
        "article": f"/articles/{slug}",
        "home": "/",
        "category": f"/categories/{category}",
        "search": "/search?" + urllib.parse.urlencode({"q": search_query}),
    }
    return paths, article_id, editor_id


def measure(
    server: Server,
    label: str,
    paths: dict[str, str],
    status: dict[str, int],
    args: argparse.Namespace,
    headers: dict[str, str] | None = None,
) -> list[Cell]:
    cells = []
    for page, path in paths.items():
        for c in args.concurrency:
            cell = Cell(page, path, c, label)
            if status.get(page) != 200:
                cell.note = f"n/a ({status.get(page)})"
            else:
                url = server.base + path
                warm_up(url, headers or {})
                cell.load = run_wrk(url, c, args.duration, headers or {}, args.threads)
            cells.append(cell)
            _progress(cell)
    return cells


def _progress(cell: Cell) -> None:
    if cell.load:
        line = (
            f"  {cell.server:9} {cell.page:16} c={cell.concurrency:<3} "
            f"{cell.load.rps:8.1f} req/s  p50 {cell.load.p50_ms:7.2f} ms  "
            f"p99 {cell.load.p99_ms:7.2f} ms  errors {cell.load.errors}"
        )
    else:
        line = f"  {cell.server:9} {cell.page:16} c={cell.concurrency:<3} {cell.note}"
    print(line, file=sys.stderr, flush=True)


def mixed_run(
    server: Server,
    label: str,
    app,
    paths: dict[str, str],
    status: dict[str, int],
    article_id: int,
    args: argparse.Namespace,
) -> Mixed:
    page = "article" if status.get("article") == 200 else "home"
    c = max(args.concurrency)
    result = Mixed(label, page, c)
    if status.get(page) != 200:
        result.note = f"n/a ({status.get(page)})"
        return result
    url = server.base + paths[page]
    warm_up(url, {})
    publisher = Publisher(
        app, article_id, seeding.EDITOR, url if page == "article" else None
    )
    publisher.start()
    try:
        result.load = run_wrk(url, c, args.mixed_duration, {}, args.threads)
    finally:
        publisher.stop_event.set()
        publisher.join(timeout=30)
    result.published = publisher.published
    result.failed = publisher.failed
    result.last_error = publisher.last_error
    result.probes = publisher.probes
    result.stale = publisher.stale
    if page != "article":
        result.note = "article page n/a on this branch: home loaded instead"
    print(
        f"  mixed {label}: {result.load.rps:.1f} req/s p50 {result.load.p50_ms:.2f} "
        f"p99 {result.load.p99_ms:.2f} errors {result.load.errors}, "
        f"published {result.published} failed {result.failed}",
        file=sys.stderr,
        flush=True,
    )
    return result


def parse_env_pair(text_: str) -> tuple[str, str]:
    key, sep, value = text_.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError("expected KEY=VALUE")
    return key, value


def bench_one(n: int, args: argparse.Namespace) -> Result:
    url = args.database_url or f"sqlite:///{OUT / f'bench-{n}.sqlite'}"
    url = seeding.normalise_url(url)
    if args.reseed or not seeding.is_seeded(url, n):
        print(f"seeding {n:,} articles into {url} ...", file=sys.stderr, flush=True)
        report = seeding.seed(url, n, reset=True, password=args.password)
        seeded = f"seeded now in {report.seconds:.1f} s"
        print("\n".join(report.lines()), file=sys.stderr, flush=True)
    else:
        seeded = "reused an earlier seeding (bench/seed.py prints its time)"
    paths, article_id, editor_id = pick_targets(url, args.search_query)
    for extra in args.extra:
        paths[extra] = extra
    result = Result(
        articles=n,
        database=url.split("://", 1)[0],
        command=" ".join(["python", "bench/run.py", *sys.argv[1:]]),
        started=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        git=git_describe(),
        machine=f"{os.cpu_count()} CPU cores, {sys.platform}",
        settings=gunicorn_settings(),
        seeding=seeded,
        paths={**paths, DASHBOARD: "/desk/"},
    )
    cache_off = dict(args.cache_off_env)
    base_env = server_env(args, url, {})
    off_env = server_env(args, url, cache_off)

    print("SQL statements per request (in-process)", file=sys.stderr, flush=True)
    with_dashboard = {**paths, DASHBOARD: "/desk/"}
    on_app = build_app({k: v for k, v in base_env.items() if k != "CACHE_TYPE"}, url)
    result.statements["cache on"] = count_statements(on_app, with_dashboard, editor_id)
    off_app = build_app(off_env, url)
    result.statements["cache off"] = count_statements(off_app, paths, editor_id)

    pages_dir = OUT / f"pages-{n}"
    shutil.rmtree(pages_dir, ignore_errors=True)
    port = free_port(args.port)
    desk_password = args.password
    for label, env, app in (
        ("cache on", base_env, on_app),
        ("cache off", off_env, off_app),
    ):
        server = Server(label, "bench.wsgi_app:app", env, port)
        with server.running("/healthz"):
            print(f"{label}: {server.base}", file=sys.stderr, flush=True)
            if label == "cache on":
                manifest = capture(
                    server.base, paths.values(), pages_dir, {"User-Agent": USER_AGENT}
                )
                result.status = {
                    p: manifest[path]["status"] for p, path in paths.items()
                }
                cookie, why = login_cookie(server.base, seeding.EDITOR, desk_password)
                desk = {DASHBOARD: "/desk/"}
                if cookie:
                    result.status[DASHBOARD] = 200
                    result.cells += measure(
                        server, "desk", desk, result.status, args, {"Cookie": cookie}
                    )
                else:
                    result.status[DASHBOARD] = 0
                    result.cells += [
                        Cell(DASHBOARD, "/desk/", c, "desk", note=f"n/a ({why})")
                        for c in args.concurrency
                    ]
            result.cells += measure(server, label, paths, result.status, args)
            if not args.no_mixed:
                result.mixed.append(
                    mixed_run(
                        server, label, app, paths, result.status, article_id, args
                    )
                )
    limit_env = {**base_env, "MINIMAL_PAGES": str(pages_dir)}
    minimal = Server("limit", "bench.minimal_app:app", limit_env, port)
    first = next(iter(paths.values()))
    with minimal.running(first):
        print(f"limit: {minimal.base}", file=sys.stderr, flush=True)
        same_bytes(minimal.base, pages_dir)
        result.cells += measure(minimal, "limit", paths, result.status, args)
    return result


def same_bytes(base: str, pages_dir: Path) -> None:
    """The limit must hand over exactly what the real app answered."""
    manifest = json.loads((pages_dir / "manifest.json").read_text())
    for path, entry in manifest.items():
        status, headers, body = fetch(base + path, {"User-Agent": USER_AGENT})
        real = (pages_dir / entry["file"]).read_bytes()
        real_type = dict((k.lower(), v) for k, v in entry["headers"]).get(
            "content-type"
        )
        mine = dict((k.lower(), v) for k, v in headers).get("content-type")
        if (status, body, mine) != (entry["status"], real, real_type):
            raise RuntimeError(f"minimal app differs from the real app on {path}")


# --- the table ----------------------------------------------------------------------


def _f(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def _sql(counts: list[int] | None) -> tuple[str, str]:
    if not counts:
        return "n/a", "n/a"
    return str(counts[0]), str(counts[1])


def render(result: Result, others: list[dict[str, Any]]) -> str:
    by_key = {(c.page, c.concurrency, c.server): c for c in result.cells}
    lines = [
        f"## N = {result.articles:,} articles ({result.database})",
        "",
        f"- command: `{result.command}`",
        f"- when: {result.started}, commit {result.git}; {result.machine}",
        f"- server: {result.settings}; load: wrk from a second process",
        f"- seeding: {result.seeding}",
        "- pages: " + ", ".join(f"{k} `{v}`" for k, v in result.paths.items()),
        "",
        "| page | c | cache | req/s | p50 ms | p99 ms | SQL cold | SQL warm "
        "| limit req/s | limit p50 ms | % of limit | errors |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| ---: | ---: |",
    ]
    pages = [p for p in result.paths if p != DASHBOARD]
    concurrency = sorted({c.concurrency for c in result.cells})
    for page in pages:
        for c in concurrency:
            limit = by_key.get((page, c, "limit"))
            limit_load = limit.load if limit else None
            for server in ("cache on", "cache off"):
                cell = by_key.get((page, c, server))
                if cell is None:
                    continue
                cold, warm = _sql(result.statements.get(server, {}).get(page))
                if cell.load is None:
                    lines.append(
                        f"| {page} | {c} | {server[6:]} | {cell.note} | | | {cold} "
                        f"| {warm} | | | | |"
                    )
                    continue
                share = (
                    f"{100 * cell.load.rps / limit_load.rps:.0f}%"
                    if limit_load and limit_load.rps
                    else "—"
                )
                lines.append(
                    f"| {page} | {c} | {server[6:]} | {_f(cell.load.rps)} "
                    f"| {_f(cell.load.p50_ms, 2)} | {_f(cell.load.p99_ms, 2)} "
                    f"| {cold} | {warm} "
                    f"| {_f(limit_load.rps if limit_load else None)} "
                    f"| {_f(limit_load.p50_ms if limit_load else None, 2)} "
                    f"| {share} | {cell.load.errors} |"
                )
    for c in concurrency:
        cell = by_key.get((DASHBOARD, c, "desk"))
        if cell is None:
            continue
        cold, warm = _sql(result.statements.get("cache on", {}).get(DASHBOARD))
        if cell.load is None:
            lines.append(f"| {DASHBOARD} | {c} | — | {cell.note} | | | | | | | | |")
            continue
        lines.append(
            f"| {DASHBOARD} | {c} | — | {_f(cell.load.rps)} | "
            f"{_f(cell.load.p50_ms, 2)} | {_f(cell.load.p99_ms, 2)} | {cold} | {warm} "
            f"| | | | {cell.load.errors} |"
        )
    lines += [
        "",
        "SQL cold / warm: statements for the first and the second GET of the page "
        "in-process (the second is a cache hit when the cache is on). "
        "% of limit: requests/s against the minimal WSGI app serving the same bytes.",
    ]
    if result.mixed:
        lines += [
            "",
            "### Mixed: an editor publishes an update every second",
            "",
            "| cache | page | c | req/s | p50 ms | p99 ms | p99/p50 | errors "
            "| publishes ok / failed | stale reads after publish |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for m in result.mixed:
            if m.load is None:
                lines.append(
                    f"| {m.server[6:]} | {m.page} | {m.concurrency} | {m.note}"
                    " | | | | | | |"
                )
                continue
            ratio = m.load.p99_ms / m.load.p50_ms if m.load.p50_ms else 0.0
            stale = f"{m.stale} / {m.probes}" if m.probes else "not probed"
            lines.append(
                f"| {m.server[6:]} | {m.page} | {m.concurrency} | {_f(m.load.rps)} "
                f"| {_f(m.load.p50_ms, 2)} | {_f(m.load.p99_ms, 2)} | {ratio:.1f}× "
                f"| {m.load.errors} | {m.published} / {m.failed} | {stale} |"
            )
        notes = [m.note for m in result.mixed if m.note and m.load]
        errors = [m.last_error for m in result.mixed if m.last_error]
        if notes:
            lines += ["", f"Note: {notes[0]}."]
        if errors:
            lines += ["", f"Last publish error: `{errors[-1]}`"]
    lines += _targets(result)
    lines += _flat_cost(result, others)
    return "\n".join(lines) + "\n"


def _targets(result: Result) -> list[str]:
    """The issue's targets that this run can judge on its own."""
    checks = []
    for cell in result.cells:
        if cell.server not in ("cache on", "cache off") or cell.load is None:
            continue
        limit = next(
            (
                c
                for c in result.cells
                if c.server == "limit"
                and c.page == cell.page
                and c.concurrency == cell.concurrency
                and c.load
            ),
            None,
        )
        if limit is None or cell.page not in READER_PAGES:
            continue
        share = cell.load.rps / limit.load.rps if limit.load.rps else 0.0
        if cell.server == "cache on":
            checks.append(
                (
                    f"{cell.page} c={cell.concurrency} cached ≥ 50% of limit",
                    f"{share:.0%}",
                    share >= 0.5,
                )
            )
        elif cell.page == "article":
            checks.append(
                (
                    f"article c={cell.concurrency} uncached ≥ 15% of limit",
                    f"{share:.0%}",
                    share >= 0.15,
                )
            )
    off = (result.statements.get("cache off") or {}).get("article")
    on = (result.statements.get("cache on") or {}).get("article")
    if off:
        checks.append(("article uncached ≤ 4 SQL statements", str(off[0]), off[0] <= 4))
    if on:
        checks.append(("article cache hit: 0 SQL statements", str(on[1]), on[1] == 0))
    for m in result.mixed:
        if m.load:
            ratio = m.load.p99_ms / m.load.p50_ms if m.load.p50_ms else 0.0
            checks.append(
                (
                    f"mixed ({m.server}, {m.page}): no errors, p99 < 10× p50",
                    f"{m.load.errors} errors, {ratio:.1f}×",
                    m.load.errors == 0 and m.failed == 0 and ratio < 10,
                )
            )
    if not checks:
        return []
    lines = [
        "",
        "### Targets",
        "",
        "| target | measured | met |",
        "| --- | ---: | --- |",
    ]
    lines += [
        f"| {name} | {value} | {'yes' if ok else 'NO'} |" for name, value, ok in checks
    ]
    return lines


def _flat_cost(result: Result, others: list[dict[str, Any]]) -> list[str]:
    """p50 at this N against p50 at the other sizes measured on the same database."""
    mine = {
        (c.page, c.concurrency, c.server): c.load.p50_ms
        for c in result.cells
        if c.load and c.server != "limit"
    }
    lines: list[str] = []
    for other in others:
        if other["articles"] == result.articles or other["database"] != result.database:
            continue
        small, large = sorted([other["articles"], result.articles])
        rows = []
        for cell in other["cells"]:
            if not cell["load"] or cell["server"] == "limit":
                continue
            key = (cell["page"], cell["concurrency"], cell["server"])
            if key not in mine:
                continue
            theirs = cell["load"]["p50_ms"]
            p_small, p_large = (
                (theirs, mine[key])
                if other["articles"] == small
                else (mine[key], theirs)
            )
            limit = 1.3 if cell["page"] == DASHBOARD else 1.15
            ratio = p_large / p_small if p_small else 0.0
            rows.append(
                f"| {key[0]} | {key[1]} | {key[2]} | {p_small:.2f} | {p_large:.2f} "
                f"| {ratio:.2f}× | ≤ {limit}× {'yes' if ratio <= limit else 'NO'} |"
            )
        if rows:
            lines += [
                "",
                f"### Flat cost: p50 at {large:,} against {small:,} articles",
                "",
                f"| page | c | server | p50 ms at {small:,} | p50 ms at {large:,} "
                "| ratio | target |",
                "| --- | ---: | --- | ---: | ---: | ---: | --- |",
                *rows,
            ]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[1000, 100000])
    parser.add_argument(
        "--database-url",
        help="default: a SQLite file bench/out/bench-N.sqlite per N (reused)",
    )
    parser.add_argument("--reseed", action="store_true", help="seed even if reusable")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--mixed-duration", type=int, help="default: 2 × --duration")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[8, 32])
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument("--quick", action="store_true", help="2-second smoke run")
    parser.add_argument("--no-mixed", action="store_true")
    parser.add_argument("--port", type=int, default=18760)
    parser.add_argument("--search-query", default="harbour")
    parser.add_argument(
        "--extra",
        nargs="*",
        default=[],
        help="more paths to measure beside the reader pages (e.g. /login /healthz)",
    )
    parser.add_argument("--env", default="production", help="EDITORIAL_ENV")
    parser.add_argument(
        "--cache-off-env",
        type=parse_env_pair,
        action="append",
        default=None,
        help="environment that turns the cache off (default CACHE_TYPE=NullCache)",
    )
    parser.add_argument(
        "--password", default=os.environ.get("BENCH_PASSWORD", seeding.DEFAULT_PASSWORD)
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.duration = 2
    args.mixed_duration = args.mixed_duration or 2 * args.duration
    args.cache_off_env = args.cache_off_env or [("CACHE_TYPE", "NullCache")]
    args.secret_key = os.environ.get("SECRET_KEY") or secrets.token_hex(32)
    if shutil.which("wrk") is None:
        parser.error("wrk is missing: apt-get install -y wrk")
    OUT.mkdir(parents=True, exist_ok=True)

    for n in args.articles:
        result = bench_one(n, args)
        suffix = (
            "" if result.database == "sqlite" else f"-{result.database.split('+')[0]}"
        )
        others = []
        for path in sorted(OUT.glob("results-*.json")):
            try:
                others.append(json.loads(path.read_text()))
            except (OSError, ValueError):
                continue
        table = render(result, others)
        (OUT / f"results-{n}{suffix}.json").write_text(
            json.dumps(asdict(result), indent=2)
        )
        (OUT / f"results-{n}{suffix}.md").write_text(table)
        print(table, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
