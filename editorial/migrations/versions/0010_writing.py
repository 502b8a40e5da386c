"""Writing: presence rows; revisions record a merge and their block's version.

Revision ID: 0010
Revises: 0003
Create Date: 2026-12-03 08:50:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0010"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "presence",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("block", sa.String(length=40), nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_presence_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_presence_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", "user_id", name=op.f("pk_presence")),
    )
    with op.batch_alter_table("revisions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("merged_with_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("block_version", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("block_text", sa.Text(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_revisions_merged_with_id_users"),
            "users",
            ["merged_with_id"],
            ["id"],
        )


def downgrade():
    with op.batch_alter_table("revisions", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_revisions_merged_with_id_users"), type_="foreignkey"
        )
        batch_op.drop_column("block_text")
        batch_op.drop_column("block_version")
        batch_op.drop_column("merged_with_id")
    op.drop_table("presence")
