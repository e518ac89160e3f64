"""Background work: the one way the UI talks to the database.

Modelled on Anki's CollectionOp/QueryOp and taskman. ``op(uow)`` runs on a
worker thread with its own unit of work; its result (plain data, never ORM
objects) comes back on the UI thread through a queued signal. Writes go
through a single-thread executor so they are serialised; reads run in
parallel. The executors are Python's, not QThreadPool with
``QRunnable.create``: PySide keeps a wrapper for each created runnable that
outlives the auto-deleted C++ object, and a later Qt object at the same
address was handed back as that stale wrapper (crashes in the GUI tests).

If the widget that started an op has been closed by the time it finishes,
the result is dropped (stale work must not touch dead widgets). While the
screen is locked no read starts and a read that finishes is dropped, so no
client data reaches a screen nobody has unlocked; the unlock reloads every
screen. Periodic reads use ``every`` (a timer that stops on lock). Errors are
never swallowed: without an ``on_failure`` the context's error handler
shows them.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from clinic.changes import Changes
from clinic.uow import UnitOfWork

T = TypeVar("T")

_WRITES = ThreadPoolExecutor(max_workers=1, thread_name_prefix="harbour-write")
_READS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="harbour-read")
_running: set[Op[Any]] = set()  # keeps each op alive until it reports
_pending: set[Future[None]] = set()


def wait_for_all(timeout: float = 30.0) -> None:
    """Let every started op finish its work (on quit, and in tests)."""
    wait(list(_pending), timeout=timeout)


class _Relay(QObject):
    """Lives on the UI thread; the worker emits, Qt queues to here.

    Owned by the application until ``deleteLater`` after the result is
    handled: deleting it from Python inside its own queued emission (when
    the op's last reference goes) would free the sender mid-dispatch.
    """

    done = Signal(object, object)  # (result, error)


class Op(Generic[T]):
    """One piece of background work and what to do with its result."""

    def __init__(self, ctx: Any, parent: QWidget | None, work: Callable[[], T], *, pool: ThreadPoolExecutor,
                 read: bool = False) -> None:
        self._ctx = ctx
        self._read = read
        self._parent = parent
        self._work = work
        self._pool = pool
        self._success: Callable[[T], None] | None = None
        self._failure: Callable[[BaseException], None] | None = None
        self._relay = _Relay(QCoreApplication.instance())
        self._relay.done.connect(self._finish)
        self.finished = self._relay.done

    def on_success(self, fn: Callable[[T], None]) -> Op[T]:
        self._success = fn
        return self

    def on_failure(self, fn: Callable[[BaseException], None]) -> Op[T]:
        self._failure = fn
        return self

    def _held_by_lock(self) -> bool:
        return self._read and self._ctx is not None and getattr(self._ctx, "is_locked", False)

    def start(self) -> Op[T]:
        if self._held_by_lock():
            self._relay.deleteLater()
            return self  # the unlock reloads every screen
        _running.add(self)
        relay, work = self._relay, self._work

        def run() -> None:  # worker thread: never touch widgets here
            try:
                result = work()
            except BaseException as exc:
                relay.done.emit(None, exc)
            else:
                relay.done.emit(result, None)

        future = self._pool.submit(run)
        _pending.add(future)
        future.add_done_callback(_pending.discard)
        return self

    def _finish(self, result: Any, error: BaseException | None) -> None:
        self._relay.deleteLater()
        _running.discard(self)
        if self._parent is not None and not shiboken6.isValid(self._parent):
            return  # its screen has gone: drop the result
        if self._held_by_lock():
            return  # locked meanwhile: client data stays off the screen
        if error is not None:
            if self._failure is not None:
                self._failure(error)
            elif self._ctx is not None:
                self._ctx.show_error(self._parent, error)
            else:
                raise error
            return
        changes = result if isinstance(result, Changes) else getattr(result, "changes", None)
        if isinstance(changes, Changes) and self._ctx is not None:
            self._ctx.changes_applied.emit(changes, self._parent)
        if self._success is not None:
            self._success(result)


def _in_unit_of_work(clinic: Any, fn: Callable[[UnitOfWork], T], *, write: bool) -> Callable[[], T]:
    def work() -> T:
        with clinic.unit_of_work(write=write) as uow:
            return fn(uow)

    return work


def query(ctx: Any, parent: QWidget | None, fn: Callable[[UnitOfWork], T]) -> Op[T]:
    """A read. Runs in parallel with other reads."""
    return Op(ctx, parent, _in_unit_of_work(ctx.clinic, fn, write=False), pool=_READS, read=True)


def write(ctx: Any, parent: QWidget | None, fn: Callable[[UnitOfWork], T]) -> Op[T]:
    """A change. Writes run one at a time, in order."""
    return Op(ctx, parent, _in_unit_of_work(ctx.clinic, fn, write=True), pool=_WRITES)


def task(parent: QWidget | None, work: Callable[[], T]) -> Op[T]:
    """Slow work before anyone is signed in (opening a site, key derivation).
    Handle failures with ``on_failure``: there is no context to show them."""
    return Op(None, parent, work, pool=_WRITES)


class Periodic(QTimer):
    """A repeating timer for a periodic read: stopped while the screen is
    locked, started again on unlock (``every`` makes one)."""

    def __init__(self, ctx: Any, parent: QObject, interval_ms: int, fn: Callable[[], None]) -> None:
        super().__init__(parent)
        self.setInterval(interval_ms)
        self.timeout.connect(fn)
        ctx.locked.connect(self.stop)
        ctx.unlocked.connect(self.start)
        if not ctx.is_locked:
            self.start()


def every(ctx: Any, parent: QObject, interval_ms: int, fn: Callable[[], None]) -> Periodic:
    return Periodic(ctx, parent, interval_ms, fn)


_collector: QTimer | None = None


def collect_garbage_on_the_ui_thread(app: QCoreApplication, interval_ms: int = 5_000) -> None:
    """Python's cycle collector runs in whichever thread happens to allocate;
    run on a worker, it can free a Qt object that belongs to the UI thread,
    and the process crashes (seen in the GUI tests). As Anki does, automatic
    collection is turned off and a UI-thread timer collects instead. Once per
    application."""
    global _collector
    if _collector is not None:
        return
    gc.disable()
    _collector = QTimer(app)
    _collector.setInterval(interval_ms)
    _collector.timeout.connect(lambda: gc.collect())
    _collector.start()
