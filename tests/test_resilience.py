"""Database faults: the app answers 503 during an outage and recovers after it."""

from __future__ import annotations

import os
import subprocess

import pytest

from editorial.extensions import db

PG_CTL = os.environ.get("PG_CTL")
PGDATA = os.environ.get("PGDATA")


def _pg_ctl(*args: str) -> None:
    subprocess.run(
        ["runuser", "-u", "postgres", "--", PG_CTL, "-D", PGDATA, *args],
        check=True,
        capture_output=True,
        timeout=60,
    )


@pytest.mark.serial  # stops the server every worker uses: runs alone
@pytest.mark.skipif(
    not (PG_CTL and PGDATA), reason="needs the PostgreSQL server that .ci/run starts"
)
def test_survives_a_postgres_restart(app, client, make_article):
    assert db.engine.dialect.name == "postgresql"
    make_article(state="published")
    # Warm the pool: these connections die with the server.
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 200
    _pg_ctl("-m", "fast", "-w", "stop")
    try:
        down = client.get("/healthz")
        assert down.status_code == 503
        # A page rendered before the outage is still served from the cache...
        assert client.get("/").status_code == 200
        # ...one that needs the database gets a clear 503 page, not a crash.
        page = client.get("/search?q=outage")
        assert page.status_code == 503
        assert "briefly unavailable" in page.get_data(as_text=True)
        assert page.headers["Retry-After"] == "5"
    finally:
        _pg_ctl(
            "-w", "-l", f"{PGDATA}/log", "-o", os.environ.get("PG_OPTS", ""), "start"
        )
    # pool_pre_ping replaces the dead connections: no request fails after restart.
    assert client.get("/healthz").status_code == 200
    assert client.get("/search?q=outage").status_code == 200


def test_database_errors_answer_503_not_500(app, client, monkeypatch):
    from sqlalchemy.exc import OperationalError
    from sqlalchemy.orm import Session

    def down(self, *args, **kwargs):
        raise OperationalError("SELECT", {}, Exception("server closed the connection"))

    monkeypatch.setattr(Session, "execute", down)
    monkeypatch.setattr(Session, "scalars", down)
    response = client.get("/")
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "<h1>" in page
    assert "briefly unavailable" in page
    assert response.headers["Retry-After"] == "5"
    # What went wrong stays in the log, not on the page.
    assert "OperationalError" not in page and "server closed" not in page
