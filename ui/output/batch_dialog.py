"""Print many letters as one job, filing each on its own.

Rendering runs on a worker (200 letters take about a second) with a
progress bar and Cancel. A letter that cannot be made is listed by name and
left out; the others print as one PDF, one print job. Only after the
printer took the job is each letter filed, individually: a letter that
failed is never filed as printed, and one that cannot be filed does not
undo the others. Letters for people flagged "no post" are not printed but
filed as held for collection.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (QDialog, QHBoxLayout, QLabel, QListWidget, QProgressBar, QPushButton,
                               QVBoxLayout, QWidget)

from clinic.changes import Changes
from clinic.letters import render_batch
from clinic.services.letters import batch as letter_batch
from clinic.uow import UnitOfWork
from ui.output import printing

Items = Sequence[letter_batch.BatchItem] | Callable[[UnitOfWork], Sequence[letter_batch.BatchItem]]


@dataclass(frozen=True)
class Prepared:
    """What the worker hands back: PDFs and labels, never ORM objects."""

    pdf: bytes | None  # the print job (posted letters only)
    to_print: tuple[letter_batch.ToFile, ...]
    to_hold: tuple[letter_batch.ToFile, ...]
    failures: tuple[tuple[str, str], ...]
    cancelled: bool


class _Progress(QObject):
    changed = Signal(int, int)


def prepare(items: Sequence[letter_batch.BatchItem], *, on_progress: Callable[[int, int], None],
            should_cancel: Callable[[], bool]) -> Prepared:
    """Render the posted letters as one job and the held ones apart (worker thread)."""
    posted = [i for i in items if not _held(i)]
    held = [i for i in items if _held(i)]
    total = 2 * len(items)

    def step(base: int) -> Callable[[int, int], None]:
        return lambda n, _total: on_progress(min(total, base + n), total)

    out: dict[str, Any] = {}
    failures: list[tuple[str, str]] = []
    for name, group, base in (("print", posted, 0), ("hold", held, 2 * len(posted))):
        if not group:
            out[name] = ([], None)
            continue
        result = render_batch([i.data for i in group], on_progress=step(base), should_cancel=should_cancel)
        if result.cancelled:
            return Prepared(None, (), (), (), True)
        by_data = {id(i.data): i for i in group}
        out[name] = ([letter_batch.to_file(by_data[id(r.data)], r) for r in result.letters], result.pdf)
        failures += [(f.label, f.message) for f in result.failures]
    return Prepared(out["print"][1], tuple(out["print"][0]), tuple(out["hold"][0]), tuple(failures), False)


def _held(item: letter_batch.BatchItem) -> bool:
    recipient = getattr(item.data, "recipient", None)
    return bool(recipient is not None and recipient.no_post and item.person_id is not None)


class BatchPrintDialog(QDialog):
    #: Rendering finished (or was cancelled): ``prepared`` is set.
    ready = Signal()
    #: Printing and filing finished, or nothing will happen.
    batch_done = Signal()

    def __init__(self, ctx: Any, letters_to_render: Items, parent: QWidget | None = None, *,
                 title: str = "Print letters") -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.items = letters_to_render
        self.prepared: Prepared | None = None
        self.filed: list[letter_batch.BatchFiled] = []
        self.print_fn = printing.print_pdf  # replaceable: tests have no printer
        self._cancel = threading.Event()
        self._progress = _Progress()
        self._progress.changed.connect(self._on_progress)
        self.setWindowTitle(title)
        self.resize(560, 380)

        self.status = QLabel("Making the letters…", self)
        self.status.setWordWrap(True)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 0)
        self.failures = QListWidget(self)
        self.failures.setAccessibleName("Letters that could not be made")
        self.failures.hide()
        self.print_button = QPushButton("&Print…", self)
        self.print_button.setEnabled(False)
        self.cancel_button = QPushButton("Cancel", self)
        self.print_button.clicked.connect(self.print_and_file)
        self.cancel_button.clicked.connect(self.cancel)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.bar)
        layout.addWidget(self.failures, 1)
        layout.addLayout(buttons)
        self.start()

    # -- rendering ---------------------------------------------------------

    def start(self) -> None:
        items, cancel, progress = self.items, self._cancel, self._progress

        def run(uow: UnitOfWork) -> Prepared:  # worker thread
            chosen = list(items(uow) if callable(items) else items)
            if not chosen:
                raise ValueError("There are no letters to print.")
            return prepare(chosen, on_progress=progress.changed.emit, should_cancel=cancel.is_set)

        self.ctx.query(self, run).on_success(self._prepared).on_failure(self._failed).start()

    def _on_progress(self, done: int, total: int) -> None:
        self.bar.setRange(0, total)
        self.bar.setValue(done)

    def _prepared(self, prepared: Prepared) -> None:
        self.prepared = prepared
        self.bar.setRange(0, 1)
        self.bar.setValue(1)
        self.ready.emit()
        if prepared.cancelled:
            self._finish("Cancelled: nothing was printed or filed.")
            return
        self._show_failures(prepared.failures)
        n_print, n_hold = len(prepared.to_print), len(prepared.to_hold)
        parts = []
        if n_print:
            parts.append(f"{n_print} letter{'s' if n_print != 1 else ''} ready to print as one job")
        if n_hold:
            parts.append(f"{n_hold} to hold for collection (no post)")
        if not parts:
            self._finish("None of the letters could be made, so nothing was printed or filed.")
            return
        text = "; ".join(parts) + "."
        if prepared.failures:
            text += f" {len(prepared.failures)} could not be made and will not be printed (listed below)."
        self.status.setText(text)
        self.print_button.setText("&Print…" if n_print else "&File for collection")
        self.print_button.setEnabled(True)
        self.print_button.setDefault(True)
        self.print_button.setFocus()

    def _failed(self, error: BaseException) -> None:
        self._finish("The letters could not be made; nothing was printed or filed.")
        self.ctx.show_error(self, error)

    def _show_failures(self, failures: Sequence[tuple[str, str]]) -> None:
        self.failures.clear()
        for label, message in failures:
            self.failures.addItem(f"{label}: {message}")
        self.failures.setVisible(bool(failures))

    def cancel(self) -> None:
        if self.prepared is None:
            self._cancel.set()  # the worker stops at the next letter
            self.status.setText("Cancelling…")
            self.cancel_button.setEnabled(False)
        else:
            self.reject()

    def reject(self) -> None:
        self._cancel.set()
        super().reject()

    # -- printing and filing -------------------------------------------------

    def print_and_file(self) -> None:
        prepared = self.prepared
        if prepared is None:
            return
        self.print_button.setEnabled(False)
        if prepared.pdf is not None and prepared.to_print and not self.print_fn(prepared.pdf, self):
            self.status.setText("Not printed, so nothing was filed. You can try again.")
            self.print_button.setEnabled(True)
            return
        actor, to_print, to_hold = self.ctx.actor, prepared.to_print, prepared.to_hold

        def file(uow: UnitOfWork) -> letter_batch.BatchFiled:
            printed = letter_batch.file_batch(uow, actor, to_print, "printed")
            held = letter_batch.file_batch(uow, actor, to_hold, "printed")  # routed to held by the service
            return letter_batch.BatchFiled(printed.filed + held.filed, printed.failures + held.failures,
                                      Changes(printed.changes.areas | held.changes.areas,
                                                      printed.changes.person_ids | held.changes.person_ids))

        self.ctx.write(self, file).on_success(self._filed).on_failure(self._file_failed).start()

    def _filed(self, result: letter_batch.BatchFiled) -> None:
        self.filed.append(result)
        n = len(result.filed)
        text = f"{n} letter{'s' if n != 1 else ''} filed."
        failures = list(self.prepared.failures if self.prepared else ())
        if result.failures:
            text += f" {len(result.failures)} printed but could not be filed: file them again from the person's record."
            failures += [(label, f"not filed: {message}") for label, message in result.failures]
        self._show_failures(failures)
        self._finish(text)

    def _file_failed(self, error: BaseException) -> None:
        self._finish("The letters were printed but could not be filed; tell the administrator.")
        self.ctx.show_error(self, error)

    def _finish(self, text: str) -> None:
        self.status.setText(text)
        self.print_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText("Close")
        self.prepared = self.prepared or Prepared(None, (), (), (), True)
        self.batch_done.emit()
