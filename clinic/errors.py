"""Refusals as data: what a service says when it will not do something.

A service that refuses raises one of these; the form that called it puts the
message by ``field`` when it names one of its fields, else on its message
line. ``Refused`` is a ``ValueError`` so callers that already catch bad input
keep working. ``PermissionDenied`` lives in ``clinic.permissions`` beside the
matrix it enforces and is re-exported here so a form imports one module.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from clinic.permissions import PermissionDenied
from db.site import SiteError

__all__ = ["Conflict", "NotFound", "PermissionDenied", "Refused", "refused_as"]


class Refused(ValueError):
    """Bad input or a rule that says no. ``field`` is the name of the command
    field the message is about (``"taken_on"``, ``"box_number"``), or None."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class Conflict(Refused):
    """Someone else changed the record since it was read."""


class NotFound(Refused):
    """The record asked for does not exist (or is not visible to this user)."""


@contextmanager
def refused_as(field: str) -> Iterator[None]:
    """A pure rule's ``ValueError`` (``clinic/vaccines.py`` knows no commands)
    said about the command field ``field``; a ``Refused`` keeps its own field."""
    try:
        yield
    except Refused:
        raise
    except ValueError as exc:
        raise Refused(str(exc), field=field) from exc


class Unavailable(Refused, SiteError):
    """The site cannot be reached or written just now: the server went away
    mid-session, or this copy was moved to a server. Nothing was saved; the
    form shows the sentence on its message line and keeps what was typed.
    Also a ``SiteError``, so ``harbour-admin`` reports it as before."""
