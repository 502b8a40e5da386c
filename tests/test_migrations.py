"""The migrations build the schema, and the models match them."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from editorial.domain.models import Base
from editorial.domain.search import include_name
from editorial.extensions import db


def test_migrations_built_every_table(app):
    tables = set(inspect(db.engine).get_table_names())
    assert {t.name for t in Base.metadata.sorted_tables} <= tables
    assert "alembic_version" in tables


def test_models_match_migrations(app):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "render_as_batch": True,
                "include_name": include_name,
            },
        )
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_reader_indexes_exist(app):
    indexes = {ix["name"] for ix in inspect(db.engine).get_indexes("articles")}
    assert {"ix_articles_live_category", "ix_articles_live_recent"} <= indexes
