"""The manager's audit screens: the trail viewer and "who has looked at
this record"."""

from ui.audit.page import AuditPage
from ui.audit.viewers import RecordViewersPanel

__all__ = ["AuditPage", "RecordViewersPanel"]
