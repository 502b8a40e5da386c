"""Command-line tools: `flask --app editorial create-user | seed-demo | ...`."""

from __future__ import annotations

import logging
import sqlite3
import sys
import threading
from pathlib import Path

import click
from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from editorial.domain import accounts, checklist, demo
from editorial.domain.errors import DomainError
from editorial.domain.models import Article, State
from editorial.extensions import db
from editorial.web import media


def init_app(app: Flask) -> None:
    app.cli.add_command(create_user)
    app.cli.add_command(seed_demo)
    app.cli.add_command(check_articles)
    app.cli.add_command(backup)
    app.cli.add_command(scheduler_command)


@click.command("create-user")
@click.argument("username")
@click.option("--name", "display_name", help="Display name (defaults to username).")
@click.option(
    "--role", type=click.Choice(["author", "editor", "admin"]), default="author"
)
@click.option("--password-stdin", is_flag=True, help="Read the password from stdin.")
def create_user(
    username: str, display_name: str | None, role: str, password_stdin: bool
) -> None:
    """Create a desk user; asks for the password (or reads it from stdin)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = accounts.create_user(
            db.session,
            username=username,
            display_name=display_name or username,
            password=password,
            role=role,
            method=current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"),
        )
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"Created {user.role.value} {user.username}.")


@click.command("seed-demo")
def seed_demo() -> None:
    """Fill an empty database with demo users, categories and articles."""
    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException("Refusing to add demo data in production.")
    try:
        result = demo.seed(
            db.session,
            password=current_app.config.get("DEMO_PASSWORD"),
            hash_method=current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"),
            storage=media.storage(),
        )
    except RuntimeError as error:
        db.session.rollback()
        click.echo(str(error))
        return
    except DomainError as error:  # e.g. a DEMO_PASSWORD too easy to guess
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(
        f"Demo: {result.published} published, {result.drafts} drafts, "
        f"{result.in_review} in review."
    )
    for username, password in result.passwords.items():
        click.echo(f"  {username:8} password: {password}")


@click.command("check-articles")
@click.option("--all", "show_all", is_flag=True, help="Also list warnings.")
def check_articles(show_all: bool) -> None:
    """Run the checklist over stored articles; exit 1 if a published one has errors.

    Published articles are checked as readers see them (the published snapshot);
    others as their working copy.
    """
    failing_published = 0
    stmt = (
        select(Article)
        .options(joinedload(Article.category), joinedload(Article.published_revision))
        .order_by(Article.id)
        .execution_options(yield_per=200)
    )
    for article in db.session.scalars(stmt):
        if article.state == State.PUBLISHED and article.published_revision:
            content = article.published_revision.article_content()
        else:
            content = article.working_content()
        findings = checklist.check_article(content)
        shown = [f for f in findings if show_all or f.severity == "error"]
        if not shown:
            continue
        if article.state == State.PUBLISHED and checklist.has_errors(findings):
            failing_published += 1
        click.echo(f"#{article.id} {article.slug} ({article.state.label})")
        for f in shown:
            click.echo(f"  {f.severity:7} {f.block}: {f.message} — “{f.quote}”")
    if failing_published:
        click.echo(f"{failing_published} published article(s) have errors.")
        sys.exit(1)
    click.echo("No published article has checklist errors.")


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup(path: Path) -> None:
    """Write a consistent copy of the database to PATH while the app runs.

    SQLite: the online backup API (a consistent snapshot even under writes).
    PostgreSQL: use pg_dump, which takes a consistent snapshot the same way.
    """
    engine = db.engine
    if engine.dialect.name != "sqlite":
        raise click.ClickException(
            "This database is PostgreSQL: back it up with pg_dump, e.g. "
            f'`pg_dump --format=custom --file {path} "$DATABASE_URL"`; '
            'restore with `pg_restore --clean --dbname "$DATABASE_URL" '
            f"{path}`."
        )
    if path.exists():
        raise click.ClickException(f"{path} exists; choose a new file.")
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = engine.raw_connection()
    try:
        source = raw.driver_connection
        target = sqlite3.connect(path)
        try:
            with target:
                source.backup(target)
        finally:
            target.close()
    finally:
        raw.close()
    with sqlite3.connect(path) as check:
        articles = check.execute("SELECT count(*) FROM articles").fetchone()[0]
        revisions = check.execute("SELECT count(*) FROM revisions").fetchone()[0]
    click.echo(f"Backed up {articles} articles and {revisions} revisions to {path}.")


@click.command("scheduler")
@click.option("--once", is_flag=True, help="Run one pass (catch-up) and exit.")
@click.option(
    "--tick",
    type=click.FloatRange(min=0.05, max=3600),
    default=None,
    help="Seconds between passes (default SCHEDULER_TICK_SECONDS, 30).",
)
def scheduler_command(once: bool, tick: float | None) -> None:
    """Publish scheduled articles at their minute (its own process in production).

    Any number may run against PostgreSQL; on SQLite a second one on the same
    database file stands by until the first stops (see editorial.scheduler).
    """
    from editorial import scheduler

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s"
    )
    stop = threading.Event()
    scheduler.install_signal_handlers(stop)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    scheduler.serve(
        app,
        tick=tick or float(app.config["SCHEDULER_TICK_SECONDS"]),
        once=once,
        stop=stop,
    )
