"""Images: uploaded media and their files; an article's lead image block.

Revision ID: 0009
Revises: 0010
Create Date: 2026-12-03 08:40:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0009"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "media",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_hash", sa.String(length=64), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("source_format", sa.String(length=10), nullable=False),
        sa.Column("original_name", sa.String(length=255), nullable=False),
        sa.Column("byte_size", sa.Integer(), nullable=False),
        sa.Column("alt", sa.Text(), nullable=False),
        sa.Column("caption", sa.Text(), nullable=False),
        sa.Column("credit", sa.Text(), nullable=False),
        sa.Column("renditions", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["users.id"], name=op.f("fk_media_uploaded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_media")),
        sa.UniqueConstraint("source_hash", name=op.f("uq_media_source_hash")),
    )
    with op.batch_alter_table("media", schema=None) as batch_op:
        batch_op.create_index("ix_media_created", ["created_at"], unique=False)

    op.create_table(
        "media_files",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("media_id", sa.Integer(), nullable=False),
        sa.Column("mime", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["media_id"],
            ["media.id"],
            name=op.f("fk_media_files_media_id_media"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("name", "media_id", name=op.f("pk_media_files")),
    )
    with op.batch_alter_table("media_files", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_media_files_media_id"), ["media_id"], unique=False
        )

    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "lead_image_version", sa.Integer(), server_default="1", nullable=False
            )
        )
        batch_op.add_column(sa.Column("lead_image_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("lead_alt", sa.Text(), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("lead_caption", sa.Text(), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("lead_credit", sa.Text(), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("published_image_id", sa.Integer(), nullable=True)
        )
        batch_op.add_column(sa.Column("published_image", sa.Text(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_articles_lead_image_id"), ["lead_image_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_articles_published_image_id"),
            ["published_image_id"],
            unique=False,
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_articles_lead_image_id_media"),
            "media",
            ["lead_image_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_articles_published_image_id_media"),
            "media",
            ["published_image_id"],
            ["id"],
        )


def downgrade():
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_articles_published_image_id_media"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_articles_lead_image_id_media"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_articles_published_image_id"))
        batch_op.drop_index(batch_op.f("ix_articles_lead_image_id"))
        batch_op.drop_column("published_image")
        batch_op.drop_column("published_image_id")
        batch_op.drop_column("lead_credit")
        batch_op.drop_column("lead_caption")
        batch_op.drop_column("lead_alt")
        batch_op.drop_column("lead_image_id")
        batch_op.drop_column("lead_image_version")

    with op.batch_alter_table("media_files", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_media_files_media_id"))
    op.drop_table("media_files")

    with op.batch_alter_table("media", schema=None) as batch_op:
        batch_op.drop_index("ix_media_created")
    op.drop_table("media")
