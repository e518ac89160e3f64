"""User actions by name (Anki's ``aqt/operations``): what Save does is one jump away.

Each concept's module names its actions, one line each::

    record_dose = action(courses.record_dose)

``record_dose(actor, cmd)`` then returns the write ``ctx.write`` runs off the
UI thread, ``lambda uow: courses.record_dose(uow, actor, cmd)``. The action
takes what the service takes after its unit of work, so a widget calls it
with the actor and the command (or the ids and values) it has gathered.
A feature package imports these; they import only services.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeAlias, TypeVar

from clinic.permissions import Actor
from clinic.uow import UnitOfWork

P = ParamSpec("P")
T = TypeVar("T")
U = TypeVar("U")

#: A write the op layer runs with its own unit of work (ui/ops.py).
Write: TypeAlias = Callable[[UnitOfWork], T]


def action(service: Callable[Concatenate[UnitOfWork, Actor, P], T]) -> Callable[Concatenate[Actor, P], Write[T]]:
    """The user action that runs ``service`` for ``actor``, unstarted."""

    def start(actor: Actor, /, *args: P.args, **kwargs: P.kwargs) -> Write[T]:
        return lambda uow: service(uow, actor, *args, **kwargs)

    start.__name__, start.__doc__ = service.__name__, service.__doc__
    return start


def then(write: Write[T], fn: Callable[[T], U]) -> Write[U]:
    """``write``, its result handed to ``fn`` in the same unit of work: a
    screen's own wrapper of it, or a file written from what it read."""
    return lambda uow: fn(write(uow))
