"""The printed recovery plan's data: the open (or latest) episode's plan,
its goals and reviews, the key worker and the next review date."""

from __future__ import annotations

from typing import Any

from clinic.errors import Refused
from clinic.permissions import Actor, Permission, require
from clinic.services.journey.record import record_of
from clinic.uow import UnitOfWork


def recovery_plan_handout(uow: UnitOfWork, actor: Actor, person_id: int) -> dict[str, Any]:
    """The template's fields (``RecoveryPlanHandout``) for this person's plan."""
    require(actor, Permission.JOURNEY_READ)
    record = record_of(uow, actor, person_id)
    episode = record.open_episode or next((e for e in record.episodes if e.plan), None)
    if episode is None or episode.plan is None:
        raise Refused("There is no recovery plan to print: agree one on the Journey tab first.")
    plan = episode.plan
    return {"agreed_on": plan.agreed_on, "goals": tuple((g.goal, g.target_on, g.achieved_on) for g in plan.goals),
            "reviewed_on": tuple(r.reviewed_on for r in plan.reviews),
            "next_review_due": episode.next_plan_due if episode.open else None,
            "key_worker": episode.key_worker_name}
