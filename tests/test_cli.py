"""Command-line tools: create-user, seed-demo, check-articles, backup."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import func, select

from editorial import create_app
from editorial.domain import editing, revisions
from editorial.domain.models import Article, Category, Revision, Role, State, User
from editorial.extensions import db
from tests.conftest import base_config


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def test_create_user_reads_password_from_stdin(runner):
    result = runner.invoke(
        args=[
            "create-user",
            "reporter",
            "--name",
            "Rea Porter",
            "--role",
            "editor",
            "--password-stdin",
        ],
        input="a long enough secret\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.username == "reporter"))
    assert user.role == Role.EDITOR and user.display_name == "Rea Porter"
    assert user.password_hash != "a long enough secret"


def test_create_user_refuses_a_short_password(runner):
    result = runner.invoke(
        args=["create-user", "shorty", "--password-stdin"], input="short\n"
    )
    assert result.exit_code != 0
    assert "at least 10 characters" in result.output
    assert db.session.scalar(select(User).where(User.username == "shorty")) is None


def test_seed_demo_fills_an_empty_database_once(app, runner):
    app.config["DEMO_PASSWORD"] = "demo password 1"
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "author1" in result.output
    counts = dict(
        db.session.execute(
            select(Article.state, func.count()).group_by(Article.state)
        ).all()
    )
    assert counts[State.PUBLISHED] == 50
    assert counts[State.REVIEW] == 1
    assert counts[State.DRAFT] >= 2
    assert db.session.scalar(select(func.count()).select_from(Category)) == 6
    per_category = (
        db.session.execute(
            select(func.count())
            .where(Article.state == State.PUBLISHED)
            .group_by(Article.published_category_id)
        )
        .scalars()
        .all()
    )
    assert max(per_category) == 25
    for username in ("author1", "author2", "editor1", "admin"):
        assert db.session.scalar(select(User).where(User.username == username))
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0
    assert "already has articles" in again.output
    assert (
        db.session.scalar(select(func.count()).where(Article.state == State.PUBLISHED))
        == 50
    )


def test_seed_demo_refuses_production(app, runner):
    app.config["ENV_NAME"] = "production"
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert "production" in result.output
    assert db.session.scalar(select(func.count()).select_from(Article)) == 0


def test_check_articles_exit_status(runner, make_user, make_article):
    editor = make_user(Role.EDITOR)
    article = make_article(state="published")
    result = runner.invoke(args=["check-articles"])
    assert result.exit_code == 0, result.output
    # A published snapshot with a lost value (as if an older rule let it through).
    editing.update_section(
        db.session,
        article,
        editor,
        article.sections[0].id,
        expected_version=article.sections[0].version,
        heading=article.sections[0].heading,
        body="The company accused its rival on , of copying the design.",
    )
    article.state = State.PUBLISHED
    db.session.flush()
    revision = revisions.latest(db.session, article.id)
    article.published_revision_id = revision.id
    db.session.commit()
    result = runner.invoke(args=["check-articles"])
    assert result.exit_code == 1
    assert article.slug in result.output
    assert "on ," in result.output


def test_backup_is_a_consistent_copy(app, runner, tmp_path, make_article):
    if db.engine.dialect.name != "sqlite":
        result = runner.invoke(args=["backup", str(tmp_path / "x.dump")])
        assert result.exit_code != 0 and "pg_dump" in result.output
        return
    for state in ("draft", "review", "published"):
        make_article(state=state)
    articles = db.session.scalar(select(func.count()).select_from(Article))
    revisions = db.session.scalar(select(func.count()).select_from(Revision))
    target = tmp_path / "backup.sqlite"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    expected_titles = set(db.session.scalars(select(Article.title)))
    # Restore = copy the file into place and start the app on it (README).
    restored_file = tmp_path / "restored.sqlite"
    restored_file.write_bytes(target.read_bytes())
    restored = create_app(base_config(f"sqlite:///{restored_file}"))
    with restored.app_context():
        assert db.session.scalar(select(func.count()).select_from(Article)) == articles
        assert (
            db.session.scalar(select(func.count()).select_from(Revision)) == revisions
        )
        assert set(db.session.scalars(select(Article.title))) == expected_titles
        live = db.session.scalar(
            select(Article).where(Article.state == State.PUBLISHED)
        )
        assert live.published_revision.article_content().title == live.title
        db.session.remove()
        db.engine.dispose()
    with sqlite3.connect(target) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    again = runner.invoke(args=["backup", str(target)])
    assert again.exit_code != 0 and "exists" in again.output
