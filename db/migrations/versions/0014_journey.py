"""The treatment journey: referrals, episodes, modalities, recovery plans,
TOP forms and the national-return profile; existing people brought in.

Everyone with recorded activity (an attended appointment, a BBV event, a
vaccine dose, an OST prescription, a DRR/ATR order or a safe-storage event)
gets one episode from their first such day, marked ``reconstructed``. A
person on OST gets an OST prescribing modality from their first
prescription. A closed record closes its episode on the day it was closed,
with the closing reason mapped to an exit reason (a "planned exit" becomes
``completed_unrecorded``: successful, but never said whether drug free).

Revision ID: 0014_journey
Revises: 0008_join_modules
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_journey"
down_revision = "0008_join_modules"
branch_labels = None
depends_on = None


def _versioned() -> sa.Column[int]:
    return sa.Column("version", sa.Integer(), nullable=False)


def _staff(name: str, nullable: bool = False) -> sa.Column[int]:
    return sa.Column(name, sa.Integer(), sa.ForeignKey("staff.id"), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "journey_episodes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("people.id"), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        _staff("key_worker_id", True),
        sa.Column("client_type", sa.String(10), nullable=False),
        sa.Column("next_plan_due", sa.Date(), nullable=True),
        sa.Column("next_top_due", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("exit_reason", sa.String(40), nullable=True),
        sa.Column("exit_top_missing_reason", sa.String(200), nullable=False),
        sa.Column("overdose_risk_discussed", sa.Boolean(), nullable=True),
        sa.Column("naloxone_offered", sa.Boolean(), nullable=True),
        sa.Column("naloxone_accepted", sa.Boolean(), nullable=True),
        sa.Column("re_presentation", sa.Boolean(), nullable=False),
        sa.Column("reconstructed", sa.Boolean(), nullable=False),
        _staff("created_by", True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _versioned(),
    )
    op.create_index("ix_journey_episodes_person_id", "journey_episodes", ["person_id", "started_on"])
    op.create_index("ix_journey_episodes_open", "journey_episodes", ["ended_on", "started_on"])
    op.create_index("ix_journey_episodes_key_worker", "journey_episodes", ["key_worker_id", "ended_on"])
    op.create_index("ix_journey_episodes_plan_due", "journey_episodes", ["next_plan_due"])
    op.create_index("ix_journey_episodes_top_due", "journey_episodes", ["next_top_due"])
    op.create_index("ix_journey_episodes_worker_plan_due", "journey_episodes", ["key_worker_id", "next_plan_due"])
    op.create_index("ix_journey_episodes_worker_top_due", "journey_episodes", ["key_worker_id", "next_top_due"])
    op.create_table(
        "journey_referrals",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("people.id"), nullable=False),
        sa.Column("referred_on", sa.Date(), nullable=False),
        sa.Column("source", sa.String(30), nullable=False),
        sa.Column("referrer", sa.String(200), nullable=False),
        sa.Column("reason", sa.String(2000), nullable=False),
        sa.Column("requested", sa.String(30), nullable=False),
        sa.Column("first_contact_on", sa.Date(), nullable=True),
        _staff("first_contact_by", True),
        sa.Column("intervention_on", sa.Date(), nullable=True),
        sa.Column("episode_id", sa.Integer(), sa.ForeignKey("journey_episodes.id"), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("closed_reason", sa.String(200), nullable=False),
        _staff("recorded_by"),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        _versioned(),
    )
    op.create_index("ix_journey_referrals_person_id", "journey_referrals", ["person_id", "referred_on"])
    op.create_index("ix_journey_referrals_episode_id", "journey_referrals", ["episode_id"])
    op.create_index("ix_journey_referrals_contact", "journey_referrals",
                    ["first_contact_on", "closed_on", "referred_on"])
    op.create_index("ix_journey_referrals_waiting", "journey_referrals",
                    ["intervention_on", "closed_on", "referred_on"])
    op.create_table(
        "journey_modalities",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("episode_id", sa.Integer(), sa.ForeignKey("journey_episodes.id"), nullable=False),
        sa.Column("modality", sa.String(30), nullable=False),
        sa.Column("referred_on", sa.Date(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("drr_order_id", sa.Integer(), sa.ForeignKey("drr_orders.id"), nullable=True),
        sa.Column("ost_prescription_id", sa.Integer(), sa.ForeignKey("ost_prescriptions.id"), nullable=True),
        _staff("recorded_by", True),
        _versioned(),
    )
    op.create_index("ix_journey_modalities_episode_id", "journey_modalities", ["episode_id"])
    op.create_index("ix_journey_modalities_waiting", "journey_modalities", ["modality", "started_on", "referred_on"])
    op.create_table(
        "journey_plans",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("episode_id", sa.Integer(), sa.ForeignKey("journey_episodes.id"), nullable=False),
        sa.Column("agreed_on", sa.Date(), nullable=False),
        sa.Column("agreed_with_person", sa.Boolean(), nullable=False),
        sa.Column("last_reviewed_on", sa.Date(), nullable=False),
        _staff("recorded_by"),
        _versioned(),
        sa.UniqueConstraint("episode_id", name="uq_journey_plans_episode_id"),
    )
    op.create_table(
        "journey_plan_goals",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("plan_id", sa.Integer(), sa.ForeignKey("journey_plans.id"), nullable=False),
        sa.Column("goal", sa.String(1000), nullable=False),
        sa.Column("target_on", sa.Date(), nullable=False),
        sa.Column("achieved_on", sa.Date(), nullable=True),
    )
    op.create_index("ix_journey_plan_goals_plan_id", "journey_plan_goals", ["plan_id"])
    op.create_table(
        "journey_plan_reviews",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("plan_id", sa.Integer(), sa.ForeignKey("journey_plans.id"), nullable=False),
        sa.Column("reviewed_on", sa.Date(), nullable=False),
        sa.Column("notes", sa.String(2000), nullable=False),
        _staff("reviewed_by"),
    )
    op.create_index("ix_journey_plan_reviews_plan_id", "journey_plan_reviews", ["plan_id", "reviewed_on"])
    op.create_table(
        "journey_tops",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("episode_id", sa.Integer(), sa.ForeignKey("journey_episodes.id"), nullable=False),
        sa.Column("stage", sa.String(12), nullable=False),
        sa.Column("interview_on", sa.Date(), nullable=False),
        sa.Column("answers", sa.String(20000), nullable=False),
        _staff("recorded_by"),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_journey_tops_episode_id", "journey_tops", ["episode_id", "interview_on", "stage"])
    op.create_table(
        "journey_profiles",
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("people.id"), primary_key=True),
        sa.Column("ethnicity", sa.String(2), nullable=False),
        sa.Column("sexual_orientation", sa.String(20), nullable=False),
        sa.Column("religion", sa.String(30), nullable=False),
        sa.Column("disability", sa.String(20), nullable=False),
        sa.Column("primary_substance", sa.String(30), nullable=False),
        sa.Column("primary_route", sa.String(20), nullable=False),
        sa.Column("secondary_substance", sa.String(30), nullable=False),
        sa.Column("secondary_route", sa.String(20), nullable=False),
        sa.Column("injecting_status", sa.String(10), nullable=False),
        sa.Column("injecting_status_on", sa.Date(), nullable=True),
        sa.Column("last_injected_on", sa.Date(), nullable=True),
        _versioned(),
    )
    # The episodes are rebuilt from a SQLCipher site's own history (SQLite SQL).
    # A server database is new and empty here, or is moved in already at head.
    if op.get_bind().dialect.name == "sqlite":
        _reconstruct_episodes()


#: Each person's first recorded day of activity, from every module that dates it.
_FIRST_CONTACT = """
    SELECT person_id, MIN(day) AS first_day FROM (
        SELECT person_id, substr(start, 1, 10) AS day FROM appointments
            WHERE status IN ('arrived', 'in_progress', 'seen')
        UNION ALL SELECT person_id, event_date FROM bbv_events WHERE voided = 0
        UNION ALL SELECT person_id, given_on FROM vaccine_doses
        UNION ALL SELECT person_id, start_on FROM ost_prescriptions
        UNION ALL SELECT person_id, order_date FROM drr_orders
        UNION ALL SELECT person_id, event_on FROM safe_storage_events WHERE person_id IS NOT NULL
    ) GROUP BY person_id
"""

_EXIT_FOR_CLOSE = """
    CASE h.reason WHEN 'planned_exit' THEN 'completed_unrecorded' WHEN 'dropped_out' THEN 'dropped_out'
                  WHEN 'transferred' THEN 'transferred_community' WHEN 'died' THEN 'died'
                  ELSE 'not_known' END
"""


def _reconstruct_episodes() -> None:
    """One episode per person with activity, in SQL so it is quick on a big site."""
    op.execute(f"""
        INSERT INTO journey_episodes (person_id, started_on, key_worker_id, client_type, next_plan_due,
                                      next_top_due, ended_on, exit_reason, exit_top_missing_reason,
                                      re_presentation, reconstructed, created_by, created_at, version)
        SELECT f.person_id, f.first_day, NULL, 'drug', date(f.first_day, '+21 days'), f.first_day, NULL, NULL,
               '', 0, 1, NULL, strftime('%Y-%m-%d %H:%M:%f', 'now'), 1
        FROM ({_FIRST_CONTACT}) AS f JOIN people p ON p.id = f.person_id
        WHERE p.status != 'merged' AND f.first_day IS NOT NULL
    """)
    # A closed record closes its episode: the latest closing in its history,
    # never before the episode's start.
    op.execute(f"""
        UPDATE journey_episodes SET
            ended_on = (SELECT MAX(h.effective_on, journey_episodes.started_on) FROM person_status_history h
                        WHERE h.person_id = journey_episodes.person_id AND h.status = 'closed'
                        ORDER BY h.effective_on DESC, h.id DESC LIMIT 1),
            exit_reason = (SELECT {_EXIT_FOR_CLOSE} FROM person_status_history h
                           WHERE h.person_id = journey_episodes.person_id AND h.status = 'closed'
                           ORDER BY h.effective_on DESC, h.id DESC LIMIT 1),
            exit_top_missing_reason = 'Closed before episodes were recorded',
            next_plan_due = NULL, next_top_due = NULL
        WHERE reconstructed = 1
          AND person_id IN (SELECT id FROM people WHERE status = 'closed')
    """)
    op.execute("""
        INSERT INTO journey_modalities (episode_id, modality, referred_on, started_on, ended_on,
                                        ost_prescription_id, recorded_by, version)
        SELECT e.id, 'ost_prescribing', o.start_on, o.start_on,
               CASE WHEN EXISTS (SELECT 1 FROM ost_prescriptions x WHERE x.person_id = e.person_id
                                 AND x.end_on IS NULL) THEN e.ended_on
                    ELSE COALESCE((SELECT MAX(end_on) FROM ost_prescriptions x WHERE x.person_id = e.person_id),
                                  e.ended_on) END,
               o.id, NULL, 1
        FROM journey_episodes e
        JOIN ost_prescriptions o ON o.id = (SELECT id FROM ost_prescriptions WHERE person_id = e.person_id
                                            ORDER BY start_on, id LIMIT 1)
        WHERE e.reconstructed = 1
    """)


def downgrade() -> None:
    for table in ("journey_profiles", "journey_tops", "journey_plan_reviews", "journey_plan_goals", "journey_plans",
                  "journey_modalities", "journey_referrals", "journey_episodes"):
        op.drop_table(table)
