"""The audit chain key (M6): kept in the encrypted database so a rekey does not orphan the chain.

The key itself is derived from the data key and written, with the marker row
that starts the keyed chain, by the first open (``db.audit.ensure_keyed``):
a migration has no key.

Revision ID: 0009_audit_mac
Revises: 0008_join_modules
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_audit_mac"
down_revision = "0008_join_modules"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_chain",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("mac_key", sa.String(64), nullable=False),
    )
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_chain_no_{verb.lower()} BEFORE {verb} ON audit_chain "
                "BEGIN SELECT RAISE(ABORT, 'the audit chain key is written once'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER audit_chain_no_delete")
        op.execute("DROP TRIGGER audit_chain_no_update")
    op.drop_table("audit_chain")
