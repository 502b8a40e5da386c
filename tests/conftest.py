"""Shared fixtures, as in flaskr: app, client, login_as, make_user, make_article.

One schema per test session, built by the real migrations (SQLite file by
default, PostgreSQL when DATABASE_URL is set); every test starts from empty
tables, so each test sees a fresh database.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, event, text

from editorial import create_app
from editorial.domain import editing
from editorial.domain.models import Article, Base, Category, Role, User, utcnow
from editorial.extensions import cache, db, limiter

# One instance folder per test process (xdist workers included): the page
# cache's generation file must not be shared with another worker's tests.
# Keyed by process id: this module is imported twice (as conftest and tests.conftest).
INSTANCE_PATH = os.path.join(tempfile.gettempdir(), f"editorial-test-{os.getpid()}")
FAST_HASH = "pbkdf2:sha256:1000"  # tests only: real hashing, fewer rounds
PASSWORD = "correct horse battery"


# Under pytest-xdist each worker ("gw0", "gw1", ...) has a database and a
# Redis database of its own, so parallel workers never see each other's rows.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


def worker_redis_url() -> str | None:
    """TEST_REDIS_URL (CI), with this worker's own database number."""
    url = os.environ.get("TEST_REDIS_URL")
    if not url or not WORKER.startswith("gw"):
        return url
    base = re.sub(r"/\d*$", "", url)
    return f"{base}/{int(WORKER[2:]) + 1}"


def _database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        return f"{url}_{WORKER}" if WORKER else url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"


def _ensure_postgres_database(url: str) -> None:
    """Create the test database on the server when it does not exist yet."""
    import psycopg

    match = re.match(r"postgres(?:ql)?(?:\+psycopg)?://(.*)/([^/?]+)$", url)
    assert match, url
    admin = f"postgresql://{match.group(1)}/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (match.group(2),)
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{match.group(2)}"')


def base_config(url: str) -> dict[str, Any]:
    config: dict[str, Any] = {
        "TESTING": True,
        "INSTANCE_PATH": INSTANCE_PATH,
        "SQLALCHEMY_DATABASE_URI": url,
        "PASSWORD_HASH_METHOD": FAST_HASH,
        "WTF_CSRF_ENABLED": False,
        "SECRET_KEY": "test-only-secret",
        "SITE_NAME": "Editorial Test",
        "SITE_TIMEZONE": "Europe/Berlin",
        "SITE_URL": "http://localhost",
        "CACHE_TYPE": "SimpleCache",
        "RATELIMIT_STORAGE_URI": "memory://",
    }
    redis_url = worker_redis_url()
    if redis_url:
        config.update(
            REDIS_URL=redis_url,
            CACHE_TYPE="RedisCache",
            CACHE_REDIS_URL=redis_url,
            RATELIMIT_STORAGE_URI=redis_url,
        )
    return config


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = _database_url(tmp_path_factory)
    if url.startswith("postgres"):
        _ensure_postgres_database(url)
    return url


@pytest.fixture(scope="session")
def _schema(database_url: str) -> str:
    """Build the schema once with the real migrations."""
    from flask_migrate import downgrade, upgrade

    app = create_app(base_config(database_url))
    with app.app_context():
        with db.engine.begin() as conn:
            if db.engine.dialect.name == "postgresql":
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        upgrade()
        db.session.remove()
        db.engine.dispose()
    yield database_url
    del downgrade


def _empty_tables() -> None:
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with db.engine.begin() as conn:
        if db.engine.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                conn.execute(text(f"DELETE FROM {name}"))


@pytest.fixture
def app_config() -> dict[str, Any]:
    """Override per test module to change configuration."""
    return {}


class FreshContextClient(FlaskClient):
    """Each request runs in its own app context, as in production: its own `g`
    and its own database session, not the test's. Afterwards the test's session
    forgets what it loaded, so assertions read what the request committed."""

    def open(self, *args: Any, **kwargs: Any):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.expire_all()
        return response


# Every engine a test opened a connection on, whichever app made it: a test
# that builds an app of its own (a second host, a production app) must not
# leave pooled connections for the garbage collector to find open later.
_ENGINES: weakref.WeakSet[Engine] = weakref.WeakSet()


@event.listens_for(Engine, "engine_connect")
def _remember_engine(connection: Any) -> None:
    _ENGINES.add(connection.engine)


@pytest.fixture(autouse=True)
def _close_every_pool() -> Iterator[None]:
    """After each test (and after its app fixture), close every pool it used."""
    yield
    for engine in list(_ENGINES):
        engine.dispose()


@pytest.fixture
def app(_schema: str, app_config: dict[str, Any], tmp_path: Any) -> Iterator[Flask]:
    # Uploaded media go to this test's own directory, never to instance/.
    media = {"MEDIA_ROOT": str(tmp_path / "media")}
    app = create_app({**base_config(_schema), **media, **app_config})
    app.test_client_class = FreshContextClient
    with app.app_context():
        _empty_tables()
        if app.config.get("REDIS_URL"):  # presence, throttle and cache alike
            import redis

            with redis.Redis.from_url(app.config["REDIS_URL"]) as r:
                r.flushdb()
        cache.clear()
        limiter.reset()
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def htmx_headers() -> dict[str, str]:
    return {"HX-Request": "true"}


_counter = itertools.count(1)


@pytest.fixture
def make_user(app: Flask) -> Callable[..., User]:
    from editorial.domain import accounts

    def factory(
        role: Role | str = Role.AUTHOR,
        username: str | None = None,
        active: bool = True,
        password: str = PASSWORD,
    ) -> User:
        role = Role(role)
        name = username or f"{role.value}{next(_counter)}"
        user = accounts.create_user(
            db.session,
            username=name,
            display_name=name.title(),
            password=password,
            role=role,
            method=FAST_HASH,
        )
        user.active = active
        db.session.commit()
        return user

    return factory


@pytest.fixture
def make_category(app: Flask) -> Callable[..., Category]:
    def factory(name: str | None = None, retired: bool = False) -> Category:
        n = next(_counter)
        name = name or f"Category {n}"
        category = Category(
            name=name,
            slug=f"{name.lower().replace(' ', '-')}",
            position=n,
            retired=retired,
        )
        db.session.add(category)
        db.session.commit()
        return category

    return factory


def fill_article(article: Article, user: User) -> Article:
    """Fill every block with clean copy that passes the checklist."""
    s = db.session
    editing.update_summary(
        s,
        article,
        user,
        expected_version=article.summary_version,
        summary="The council approved the new budget after a long debate.",
    )
    for i, section in enumerate(list(article.sections)):
        editing.update_section(
            s,
            article,
            user,
            section.id,
            expected_version=section.version,
            heading=section.heading,
            body=f"Paragraph {i + 1} explains what the council decided and why.",
        )
    for text_ in (
        "The budget passed by nine votes to four.",
        "Bus fares stay the same next year.",
        "A review follows in the spring.",
    ):
        s.refresh(article)
        editing.add_item(
            s,
            article,
            user,
            "takeaways",
            expected_version=article.takeaways_version,
            values={"takeaway": text_},
        )
    s.refresh(article)
    editing.add_item(
        s,
        article,
        user,
        "faqs",
        expected_version=article.faqs_version,
        values={
            "question": "When does the budget take effect?",
            "answer": "In January.",
        },
    )
    s.refresh(article)
    return article


@pytest.fixture
def make_article(app: Flask, make_user, make_category) -> Callable[..., Article]:
    from editorial.domain import workflow

    def factory(
        author: User | None = None,
        category: Category | None = None,
        title: str | None = None,
        state: str = "draft",
        filled: bool = True,
    ) -> Article:
        author = author or make_user(Role.AUTHOR)
        category = category or make_category()
        article = editing.create_article(
            db.session,
            author,
            title=title or f"Council story {next(_counter)}",
            category_id=category.id,
        )
        if filled:
            fill_article(article, author)
        if state in ("review", "published", "scheduled"):
            workflow.apply(
                db.session, article, "submit", author, expected_version=article.version
            )
        if state in ("published", "scheduled"):
            editor = db.session.scalar(
                db.select(User).where(User.role == Role.EDITOR).limit(1)
            ) or make_user(Role.EDITOR)
        if state == "published":
            workflow.apply(
                db.session, article, "publish", editor, expected_version=article.version
            )
        if state == "scheduled":
            # Tomorrow, so nothing fires during the test unless it says so.
            workflow.apply(
                db.session,
                article,
                "schedule",
                editor,
                expected_version=article.version,
                publish_at=utcnow() + timedelta(days=1),
            )
        db.session.commit()
        return article

    return factory


@pytest.fixture
def editor(make_user) -> User:
    return make_user(Role.EDITOR)


@pytest.fixture
def publish(make_article, editor):
    """Publish a new filled article at a given time (default: now)."""
    from editorial.domain import workflow

    def do(category=None, title=None, when=None, **kwargs):
        article = make_article(category=category, title=title, **kwargs)
        workflow.apply(
            db.session,
            article,
            "publish",
            editor,
            expected_version=article.version,
            now=when,
        )
        db.session.commit()
        return article

    return do


@pytest.fixture
def login_as(client: FlaskClient) -> Callable[[User], FlaskClient]:
    def do_login(user: User, password: str = PASSWORD) -> FlaskClient:
        response = client.post(
            "/login", data={"username": user.username, "password": password}
        )
        assert response.status_code == 303, response.get_data(as_text=True)[:500]
        return client

    return do_login


@contextmanager
def count_queries() -> Iterator[list[str]]:
    """Collect the SQL statements run inside the block."""
    statements: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)


@pytest.fixture(scope="session")
def s3_server() -> Iterator[str]:
    """A real S3-compatible HTTP server: moto's standalone server (moto[server]),
    on TEST_S3_PORT (plus the xdist worker number) or a free port. Yields its
    endpoint URL."""
    import socket

    from moto.server import ThreadedMotoServer

    base = os.environ.get("TEST_S3_PORT")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    if base:
        port = int(base) + int(worker or 0)
    else:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3_url(s3_server: str) -> str:
    """MEDIA_S3_URL for a fresh, empty bucket on the S3 server."""
    import boto3
    from botocore.config import Config

    bucket = f"media-{next(_counter)}-{os.getpid()}"
    boto3.client(
        "s3",
        endpoint_url=f"http://{s3_server}",
        aws_access_key_id="test-key",
        aws_secret_access_key="test-secret",
        region_name="us-east-1",
        config=Config(s3={"addressing_style": "path"}),
    ).create_bucket(Bucket=bucket)
    return f"s3://test-key:test-secret@{s3_server}/{bucket}/uploads"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_url() -> Iterator[str]:
    """TEST_REDIS_URL (CI), or a redis-server of our own when one is installed."""
    url = worker_redis_url()
    if url:
        yield url
        return
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("REDIS: redis-server is not installed (CI installs it)")
    port = _free_port()
    process = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)
