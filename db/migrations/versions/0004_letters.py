"""Filed letters: exact PDF bytes, hash, type, author, disposition.

Revision ID: 0004_letters
Revises: 0002_people
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_letters"
down_revision = "0002_people"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "letters",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("people.id"), nullable=True),
        sa.Column("letter_type", sa.String(60), nullable=False),
        sa.Column("category", sa.String(20), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("reference", sa.String(60), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("author_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("disposition", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=True),
        sa.Column("sent_method", sa.String(20), nullable=True),
        sa.Column("superseded_by_id", sa.Integer(), sa.ForeignKey("letters.id"), nullable=True),
    )
    op.create_index("ix_letters_person_id", "letters", ["person_id", "created_at"])
    op.create_index("ix_letters_disposition_status", "letters", ["disposition", "status"])


def downgrade() -> None:
    op.drop_table("letters")
