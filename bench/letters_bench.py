"""Benchmark: letters (DESIGN §6: one letter ≤ 30 ms; 200 letters in one PDF ≤ 3 s).

No probation template exists yet, so the batch stands in with what a
probation letter will look like: one page on the full letterhead (with a
logo), a summary table and a few paragraphs, every recipient different.
``python -m bench.letters_bench`` prints milliseconds (median of runs).
``run()`` returns the same for the harness in ``bench/__main__.py``.
"""

from __future__ import annotations

import io
import json
import statistics
import time
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from PIL import Image

from clinic.clock import SITE_TZ
from clinic.letters import Letterhead, Recipient, Signatory, render, render_batch
from clinic.letters.templates.appointment_confirmation import AppointmentConfirmation
from clinic.letters.templates.appointment_details import Appointment
from clinic.letters.templates.gp_letter import LetterToGP

REPEATS = 5


def _logo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (480, 160), (20, 80, 120)).save(out, "PNG")
    return out.getvalue()


HEAD = Letterhead("Harbour Harm Reduction Service", ("1 Example Street", "Exampletown", "EX1 1AA"),
                  "01234 567890", "harbour.service@nhs.net", "PO Box 1, Exampletown EX1 1AA",
                  "This letter contains confidential information. If it has reached you in error, "
                  "please return it to the sender unopened.", _logo())
SIGNATORY = Signatory("Alex Reed", "DRR worker", "")
FORENAMES = ("Zoë", "Łukasz", "Siobhán", "Ali", "Chris", "Jo", "Maria", "Tomás")
SURNAMES = ("Ó Súilleabháin", "Nowak", "Ní Bhriain", "Khan", "O'Neill", "Bloggs", "Da Silva", "Øvergaard")


def probation_like(n: int) -> LetterToGP:
    name = f"{FORENAMES[n % 8]} {SURNAMES[n // 8 % 8]}"
    return LetterToGP(
        reference=f"P{n:06d}/1", date=date(2026, 11, 23), signatory=SIGNATORY, letterhead=HEAD,
        recipient=Recipient(f"Officer {n}", ("Probation Office", f"{n} Court Street", "Exampletown", "EX9 9ZZ")),
        patient_name=name, date_of_birth=date(1980 + n % 20, 1 + n % 12, 1 + n % 28), nhs_number=None,
        patient_address=(f"{n} Example Road", "Exampletown"),
        summary=(("Order", "Drug Rehabilitation Requirement, 12 months from 1 June 2026"),
                 ("Appointment", "Monday 16 November 2026, 10:30am"), ("Outcome", "Attended")),
        paragraphs=("This letter confirms attendance at the appointment above, as the order requires.",
                    "Please contact us on the number above if you need anything further."))


def confirmation(n: int) -> AppointmentConfirmation:
    return AppointmentConfirmation(
        reference=f"H{n:06d}/1", date=date(2026, 11, 23), signatory=SIGNATORY, letterhead=HEAD,
        recipient=Recipient(f"{FORENAMES[n % 8]} {SURNAMES[n % 8]}", (f"{n} Example Road", "Exampletown", "EX2 2BB")),
        appointment=Appointment(datetime(2026, 12, 7, 10, 30, tzinfo=SITE_TZ), ("1 Example Street", "Exampletown"),
                                "Alex Reed at reception"))


def _median_ms(fn: Callable[[], Any], repeats: int | None = None) -> dict[str, float]:
    """Wall time is the budget; CPU time shows what it would be on a quiet
    machine when other work shares the cores."""
    wall, cpu = [], []
    for _ in range(repeats or REPEATS):
        started, started_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return {"wall ms": round(statistics.median(wall), 1), "cpu ms": round(statistics.median(cpu), 1)}


def run() -> dict[str, Any]:
    started = time.perf_counter()
    render(confirmation(0))  # fonts are read and the logo decoded once per process
    first = round((time.perf_counter() - started) * 1000, 1)
    batch = [probation_like(n) for n in range(200)]
    return {
        "first letter in a process (fonts loaded)": first,
        "one letter rendered": _median_ms(lambda: render(confirmation(1)), 4 * REPEATS),
        "one probation-like letter rendered": _median_ms(lambda: render(probation_like(1)), 4 * REPEATS),
        "200 probation letters, one PDF (and 200 filed copies)": _median_ms(lambda: render_batch(batch)),
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=1))
