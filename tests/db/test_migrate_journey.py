"""Migration 0014: existing people are brought into the journey, each with
one reconstructed episode from their first recorded contact."""

from __future__ import annotations

from datetime import date
from itertools import count
from pathlib import Path

from alembic import command
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from db import engine as engines
from db import migrate
from db.engine import set_foreign_keys
from db.keys import new_data_key
from db.tables.journey import Episode

_SERIAL = count()


def _insert(conn: Connection, table: str, **values: object) -> int:
    """A row with the given values and a plain placeholder in every other NOT NULL
    column (a referenced row of its own for a foreign key)."""
    for fk in conn.exec_driver_sql(f"PRAGMA foreign_key_list({table})").fetchall():
        column, target = fk[3], fk[2]
        notnull = {r[1]: r[3] for r in conn.exec_driver_sql(f"PRAGMA table_info({table})").fetchall()}
        if notnull[column] and column not in values:
            values[column] = _insert(conn, target)
    for _, name, kind, notnull, default, pk in conn.exec_driver_sql(f"PRAGMA table_info({table})").fetchall():
        if notnull and not pk and name not in values and default is None:
            kind = kind.upper()
            values[name] = ("2026-01-01" if kind == "DATE" else "2026-01-01 09:00:00" if kind.startswith("DATETIME")
                            else 0 if kind in ("INTEGER", "BOOLEAN") or kind.startswith(("FLOAT", "NUMERIC"))
                            else f"x{next(_SERIAL)}")
    cols = ", ".join(values)
    marks = ", ".join(f":{k}" for k in values)
    from sqlalchemy import text

    return conn.execute(text(f"INSERT INTO {table} ({cols}) VALUES ({marks})"), values).lastrowid  # type: ignore[return-value]


def test_people_with_activity_get_one_reconstructed_episode(tmp_path: Path) -> None:
    engine = engines.create(tmp_path / "old.db", new_data_key())
    cfg = migrate._config()
    with engine.connect() as conn:
        set_foreign_keys(conn, False)
        with conn.begin():
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0008_join_modules")
            staff = _insert(conn, "staff", username="n", roles="nurse")
            seen, closed, idle, on_ost = (_insert(conn, "people", status=s) for s in ("open", "closed", "open", "open"))
            kind = _insert(conn, "appointment_types", name="Key work")
            _insert(conn, "appointments", person_id=seen, clinician_id=staff, type_id=kind, created_by=staff,
                    start="2025-03-04 10:00:00.000000", status="seen")
            _insert(conn, "appointments", person_id=seen, clinician_id=staff, type_id=kind, created_by=staff,
                    start="2024-01-01 10:00:00.000000", status="dna")  # not a contact
            _insert(conn, "bbv_events", person_id=seen, staff_id=staff, event_date="2025-06-01", voided=0)
            _insert(conn, "vaccine_doses", person_id=closed, given_on="2024-05-06")
            _insert(conn, "person_status_history", person_id=closed, staff_id=staff, status="closed",
                    reason="planned_exit", effective_on="2025-01-31")
            _insert(conn, "ost_prescriptions", person_id=on_ost, prescriber_id=staff, start_on="2025-09-01",
                    end_on=None, next_review_due="2025-12-01")
        set_foreign_keys(conn, True)
    migrate.upgrade(engine)
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT person_id, started_on, ended_on, exit_reason, reconstructed, next_top_due FROM journey_episodes "
            "ORDER BY person_id").fetchall()
        modalities = conn.exec_driver_sql(
            "SELECT e.person_id, m.modality, m.started_on, m.ended_on FROM journey_modalities m "
            "JOIN journey_episodes e ON e.id = m.episode_id").fetchall()
    assert [tuple(r) for r in rows] == [
        (seen, "2025-03-04", None, None, 1, "2025-03-04"),
        (closed, "2024-05-06", "2025-01-31", "completed_unrecorded", 1, None),
        (on_ost, "2025-09-01", None, None, 1, "2025-09-01"),
    ]
    assert idle not in [r[0] for r in rows]
    assert [tuple(m) for m in modalities] == [(on_ost, "ost_prescribing", "2025-09-01", None)]
    with Session(engine) as session:  # the rows read back through the ORM as the services see them
        episodes = session.execute(select(Episode).order_by(Episode.person_id)).scalars().all()
        assert [e.started_on for e in episodes] == [date(2025, 3, 4), date(2024, 5, 6), date(2025, 9, 1)]
        assert all(e.reconstructed and e.created_at.year >= 2026 for e in episodes)
        assert episodes[1].exit_top_missing_reason == "Closed before episodes were recorded"
    engine.dispose()
