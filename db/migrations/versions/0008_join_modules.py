"""Join the module branches into one head.

The modules' first revisions were written side by side, each on top of
0002_people; from here on every revision has a single parent.

Revision ID: 0008_join_modules
Revises: 0005_bbv_vaccination, 0006_ost_safe_storage, 0007_probation
"""

from __future__ import annotations

revision = "0008_join_modules"
down_revision = ("0005_bbv_vaccination", "0006_ost_safe_storage", "0007_probation")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
