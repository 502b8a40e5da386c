"""full-text search over published articles

search_documents holds the plain text of each published article. The index over
it depends on the database: SQLite gets an FTS5 external-content table kept in
step by triggers, PostgreSQL a GIN expression index on to_tsvector('english', …).
Both are named in editorial.domain.search.FULL_TEXT_OBJECTS so that the model/migration
comparison ignores them (they have no SQLAlchemy model).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 10:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SQLITE_UP = (
    # External content: the text lives once, in search_documents.
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "title, summary, body, content='search_documents', "
    "content_rowid='article_id', tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_documents_ai AFTER INSERT ON search_documents BEGIN "
    "INSERT INTO search_fts(rowid, title, summary, body) "
    "VALUES (new.article_id, new.title, new.summary, new.body); END",
    "CREATE TRIGGER search_documents_ad AFTER DELETE ON search_documents BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title, summary, body) "
    "VALUES ('delete', old.article_id, old.title, old.summary, old.body); END",
    "CREATE TRIGGER search_documents_au AFTER UPDATE ON search_documents BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title, summary, body) "
    "VALUES ('delete', old.article_id, old.title, old.summary, old.body); "
    "INSERT INTO search_fts(rowid, title, summary, body) "
    "VALUES (new.article_id, new.title, new.summary, new.body); END",
)
SQLITE_DOWN = (
    "DROP TRIGGER IF EXISTS search_documents_au",
    "DROP TRIGGER IF EXISTS search_documents_ad",
    "DROP TRIGGER IF EXISTS search_documents_ai",
    "DROP TABLE IF EXISTS search_fts",
)
POSTGRES_UP = (
    "CREATE INDEX ix_search_documents_fts ON search_documents USING GIN "
    "(to_tsvector('english'::regconfig, title || ' ' || summary || ' ' || body))",
)
POSTGRES_DOWN = ("DROP INDEX IF EXISTS ix_search_documents_fts",)


def upgrade():
    op.create_table(
        "search_documents",
        sa.Column("article_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_search_documents_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_search_documents")),
    )
    dialect = op.get_bind().dialect.name
    for statement in {"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}.get(dialect, ()):
        op.execute(statement)
    _backfill()


def _backfill():
    """Index the articles already published when this migration runs."""
    from editorial.domain.content import ArticleContent
    from editorial.domain.search import document_text

    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT a.id, r.content FROM articles a "
            "JOIN revisions r ON r.id = a.published_revision_id "
            "WHERE a.state = 'published'"
        )
    ).all()
    documents = []
    for article_id, content in rows:
        title, summary, body = document_text(ArticleContent.from_json(content))
        documents.append(
            {"article_id": article_id, "title": title, "summary": summary, "body": body}
        )
    if documents:
        bind.execute(
            sa.text(
                "INSERT INTO search_documents (article_id, title, summary, body) "
                "VALUES (:article_id, :title, :summary, :body)"
            ),
            documents,
        )


def downgrade():
    dialect = op.get_bind().dialect.name
    for statement in {"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}.get(
        dialect, ()
    ):
        op.execute(statement)
    op.drop_table("search_documents")
