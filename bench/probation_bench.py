"""Benchmark: the probation worklist (≤ 250 ms) and 200 probation letters in
one PDF (≤ 3 s) on large data (DESIGN §6).

``run(clinic, actor)`` times them on the site ``python -m bench`` builds
(seconds, median of three for the worklist), and the batch's CPU time.
"""

from __future__ import annotations

import statistics
import time

from sqlalchemy import select

from clinic.permissions import Actor
from clinic.services.probation import letters as probation_letters
from clinic.services.probation import worklist as probation_worklist
from clinic.services.probation.letter_data import build, load, sender
from clinic.uow import Clinic
from db.tables.probation import Notification


def run(clinic: Clinic, actor: Actor) -> dict[str, float]:
    samples = []
    for _ in range(3):
        with clinic.unit_of_work() as uow:
            t0 = time.perf_counter()
            probation_worklist.worklist(uow, actor)
            samples.append(time.perf_counter() - t0)
    with clinic.unit_of_work() as uow:
        ids = list(uow.session.execute(select(Notification.id).where(Notification.status == "due")
                                       .limit(200)).scalars())
        who, today = sender(uow, actor), uow.clock.today()
        t0 = time.perf_counter()
        loaded = load(uow, ids)  # the batch's few set-based reads, as prepare_batch does
        letters = [build(uow, i, who, today, loaded) for i in ids]
        built = time.perf_counter() - t0
        t0 = time.perf_counter()
        pdf = probation_letters.render(letters)
        rendered = time.perf_counter() - t0
    with clinic.unit_of_work(write=True) as uow:
        t0, cpu0 = time.perf_counter(), time.process_time()
        probation_letters.batch_print(uow, actor, ids)
        batch, batch_cpu = time.perf_counter() - t0, time.process_time() - cpu0
        uow.session.rollback()
    return {"worklist_s": statistics.median(samples), "letters": float(len(letters)), "build_200_s": built,
            "render_200_one_pdf_s": rendered, "pdf_mb": len(pdf) / 1e6, "batch_print_200_filed_s": batch,
            # what the batch would take on a quiet machine: this process's CPU (its database is in-process on SQLCipher)
            "batch_print_200_filed_cpu_s": batch_cpu}
