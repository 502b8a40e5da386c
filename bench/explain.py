"""Query plans of the reader pages: every statement a page runs, EXPLAINed.

    python bench/explain.py --database-url sqlite:///bench/out/bench-100000.sqlite
    python bench/explain.py --database-url postgresql://postgres@127.0.0.1:5432/bench

Each reader page is requested in-process (cache off); every SQL statement it
runs is captured with its parameters and explained on the same database
(SQLite: EXPLAIN QUERY PLAN; PostgreSQL: EXPLAIN). Markdown goes to stdout.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import event, select, text  # noqa: E402

from editorial import create_app  # noqa: E402
from editorial.domain.models import Article, Category, State  # noqa: E402
from editorial.extensions import db  # noqa: E402


def pages() -> dict[str, str]:
    """One URL of each reader page, picked from the data."""
    article = db.session.scalar(
        select(Article.slug)
        .where(Article.state == State.PUBLISHED)
        .order_by(Article.last_published_at.desc())
        .limit(1)
    )
    category = db.session.scalar(
        select(Category.slug).where(Category.retired.is_(False)).limit(1)
    )
    return {
        "article": f"/articles/{article}",
        "home": "/",
        "category": f"/categories/{category}",
        "category, page 3": f"/categories/{category}?page=3",
        "search": "/search?q=harbour",
        "feed": "/feed.xml",
    }


def explain(statement: str, parameters: Any) -> list[str]:
    conn = db.session.connection().connection.driver_connection
    dialect = db.engine.dialect.name
    if dialect == "sqlite":
        rows = conn.execute(f"EXPLAIN QUERY PLAN {statement}", parameters).fetchall()
        return [f"{'  ' * 0}{row[3]}" for row in rows]
    with conn.cursor() as cur:
        cur.execute(f"EXPLAIN {statement}", parameters)
        return [row[0] for row in cur.fetchall()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    args = parser.parse_args()
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": args.database_url,
            "CACHE_TYPE": "NullCache",
            "TESTING": True,
        }
    )
    with app.app_context():
        dialect = db.engine.dialect.name
        captured: list[tuple[str, Any]] = []

        def before(conn, cursor, statement, parameters, context, executemany):
            captured.append((statement, parameters))

        client = app.test_client()
        print(f"## Query plans on {dialect} ({args.database_url.split('@')[-1]})\n")
        for name, url in pages().items():
            captured.clear()
            event.listen(db.engine, "before_cursor_execute", before)
            try:
                status = client.get(url).status_code
            finally:
                event.remove(db.engine, "before_cursor_execute", before)
            print(f"### {name}: `{url}` → {status}, {len(captured)} statements\n")
            for i, (statement, parameters) in enumerate(captured, 1):
                first_line = " ".join(statement.split())[:110]
                print(f"{i}. `{first_line}…`")
                print("```")
                for line in explain(statement, parameters):
                    print(line)
                print("```")
            print()
        db.session.execute(text("SELECT 1"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
