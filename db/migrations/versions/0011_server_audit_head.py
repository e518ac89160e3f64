"""The server back end: the audit chain's head row, the site key file in the
database, and on PostgreSQL the append-only triggers on the audit trail.

``audit_head`` holds the (seq, hash) of the newest audit row; every append
locks it, so two workstations writing at once queue instead of forking the
chain. It starts at the current end of the trail.

``site_key_file`` holds a server site's key slots (a SQLCipher site keeps
them in ``harbour.keys`` beside the file and leaves this table empty).

On PostgreSQL, 0001's SQLite triggers were skipped; the same rule is made
here in PL/pgSQL, with TRUNCATE forbidden too, and the head may only move
forward. ``site_settings.value`` becomes NOT NULL as its model says, so
models and migrations agree on both back ends; ``people.postcode`` widens
to 20 (PostgreSQL enforces lengths, SQLite never did).

Revision ID: 0011_server_audit_head
Revises: 0008_join_modules
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_server_audit_head"
down_revision = "0008_join_modules"
branch_labels = None
depends_on = None

_PG_APPEND_ONLY = """
CREATE FUNCTION harbour_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only';
END $$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION harbour_audit_append_only();
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION harbour_audit_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION harbour_audit_append_only();
CREATE FUNCTION harbour_audit_head_forward() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR NEW.seq < OLD.seq THEN
        RAISE EXCEPTION 'the audit head only moves forward';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER audit_head_forward BEFORE UPDATE OR DELETE ON audit_head
    FOR EACH ROW EXECUTE FUNCTION harbour_audit_head_forward();
CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head
    FOR EACH STATEMENT EXECUTE FUNCTION harbour_audit_append_only();
"""

_PG_DROP = """
DROP TRIGGER audit_head_no_truncate ON audit_head;
DROP TRIGGER audit_head_forward ON audit_head;
DROP FUNCTION harbour_audit_head_forward();
DROP TRIGGER audit_log_no_truncate ON audit_log;
DROP TRIGGER audit_log_no_delete ON audit_log;
DROP TRIGGER audit_log_no_update ON audit_log;
DROP FUNCTION harbour_audit_append_only();
"""


def upgrade() -> None:
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_table(
        "site_key_file",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("content", sa.Text(), nullable=False),
    )
    op.execute(
        "INSERT INTO audit_head (id, seq, hash) "
        "SELECT 1, COALESCE(MAX(seq), 0), "
        "COALESCE((SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1), '" + "0" * 64 + "') FROM audit_log"
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_APPEND_ONLY)
    # The model always said NOT NULL (a JSON null is stored as 'null'); now the table does too.
    with op.batch_alter_table("site_settings") as batch:
        batch.alter_column("value", existing_type=sa.JSON(), nullable=False)
    # SQLite never enforced String(10); PostgreSQL does, and the register keeps
    # an unrecognised postcode as typed (with a warning).
    with op.batch_alter_table("people") as batch:
        batch.alter_column("postcode", existing_type=sa.String(10), type_=sa.String(20), existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.alter_column("postcode", existing_type=sa.String(20), type_=sa.String(10), existing_nullable=False)
    with op.batch_alter_table("site_settings") as batch:
        batch.alter_column("value", existing_type=sa.JSON(), nullable=True)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_DROP)
    op.drop_table("site_key_file")
    op.drop_table("audit_head")
