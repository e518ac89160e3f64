"""Quarterly reports: viewing one is audited, so each is a write."""

from __future__ import annotations

from clinic.services import reports
from clinic.services.harm_reduction import reports as harm_reduction_reports
from ui.operations import action

quarterly_kpis = action(reports.quarterly_kpis)
quarterly_counts = action(harm_reduction_reports.quarterly_counts)
