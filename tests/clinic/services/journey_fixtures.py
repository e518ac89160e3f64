"""Helpers for journey tests: a complete TOP and a person walked to an episode."""

from __future__ import annotations

from datetime import date

from clinic import top
from clinic.permissions import Actor
from clinic.services.journey import episodes as svc
from clinic.services.journey import top as journey_top
from clinic.uow import Clinic


def complete_top(**over: object) -> dict[str, object]:
    answers: dict[str, object] = {}
    for item in top.ITEMS:
        if item.when_positive is None:
            answers[item.key] = {top.Kind.DAYS: 0, top.Kind.AMOUNT: 0, top.Kind.YES_NO: False,
                                 top.Kind.RATING: 12, top.Kind.TEXT: "x"}[item.kind]
    return answers | over


def referral(clinic: Clinic, actor: Actor, person_id: int, on: date, **kw: object) -> int:
    with clinic.unit_of_work(write=True) as uow:
        return svc.record_referral(uow, actor, svc.RecordReferral(person_id, on, kw.pop("source", "gp"),  # type: ignore[arg-type]
                                                                  **kw)).id  # type: ignore[arg-type]


def episode(clinic: Clinic, actor: Actor, person_id: int, on: date, *, referral_id: int | None = None,
            key_worker_id: int | None = None, modalities: tuple[svc.NewModality, ...] = ()) -> int:
    with clinic.unit_of_work(write=True) as uow:
        return svc.open_episode(uow, actor, svc.OpenEpisode(person_id, on, referral_id, key_worker_id,
                                                            modalities)).id


def record_top(clinic: Clinic, actor: Actor, episode_id: int, stage: str, on: date, **over: object) -> int:
    with clinic.unit_of_work(write=True) as uow:
        return journey_top.record_top(uow, actor, journey_top.RecordTop(episode_id, stage, on,
                                                                        complete_top(**over))).id
