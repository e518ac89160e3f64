"""Join the second round's branches into one head.

Each of the second round's capabilities (staff guards, the server's audit
head, the loops, the counter, the journey, safeguarding, the audit MAC) was
written side by side on top of 0008_join_modules; from here on every
revision has a single parent again.

Revision ID: 0016_join_session2
Revises: 0009_audit_mac, 0010_staff_guards, 0011_server_audit_head, 0012_loops, 0013_counter, 0014_journey,
         0015_safeguarding
"""

from __future__ import annotations

revision = "0016_join_session2"
down_revision = ("0009_audit_mac", "0010_staff_guards", "0011_server_audit_head", "0012_loops", "0013_counter",
                 "0014_journey", "0015_safeguarding")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
