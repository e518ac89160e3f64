"""Staff passwords know when they were set, so a temporary one expires.

Existing temporary passwords start their week on the day of the upgrade.

Revision ID: 0010_staff_guards
Revises: 0008_join_modules
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_staff_guards"
down_revision = "0008_join_modules"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("staff", sa.Column("password_set_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE staff SET password_set_at = CURRENT_TIMESTAMP WHERE must_change_password")


def downgrade() -> None:
    with op.batch_alter_table("staff") as batch:
        batch.drop_column("password_set_at")
