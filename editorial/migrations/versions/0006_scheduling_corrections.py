"""Scheduled publishing and the corrections ledger (PRODUCT.md section 10).

Articles get `publish_at` (indexed with state: the scheduler's claim) and the
editor who scheduled them; transitions record the kind of a publish update and
the minute a schedule named; corrections hold the public correction notes.

Revision ID: 0006
Revises: 0003
Create Date: 2026-12-03 08:40:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("publish_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("scheduled_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_articles_scheduled_by_id_users", "users", ["scheduled_by_id"], ["id"]
        )
        batch_op.create_index(
            "ix_articles_state_publish_at", ["state", "publish_at"], unique=False
        )

    with op.batch_alter_table("transitions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "change_kind",
                sa.Enum(
                    "typo",
                    "update",
                    "correction",
                    name="changekind",
                    native_enum=False,
                    length=20,
                ),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("publish_at", sa.DateTime(), nullable=True))

    op.create_table(
        "corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=False),
        sa.Column("transition_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_corrections_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_corrections_created_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["transition_id"],
            ["transitions.id"],
            name=op.f("fk_corrections_transition_id_transitions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_corrections")),
    )
    with op.batch_alter_table("corrections", schema=None) as batch_op:
        batch_op.create_index(
            "ix_corrections_article", ["article_id", "published_at"], unique=False
        )
        batch_op.create_index(
            "ix_corrections_published", ["published_at", "id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("corrections", schema=None) as batch_op:
        batch_op.drop_index("ix_corrections_published")
        batch_op.drop_index("ix_corrections_article")
    op.drop_table("corrections")

    with op.batch_alter_table("transitions", schema=None) as batch_op:
        batch_op.drop_column("publish_at")
        batch_op.drop_column("change_kind")

    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_index("ix_articles_state_publish_at")
        batch_op.drop_constraint(
            "fk_articles_scheduled_by_id_users", type_="foreignkey"
        )
        batch_op.drop_column("scheduled_by_id")
        batch_op.drop_column("publish_at")
