"""Letters: filing a written letter, opening the filed copy, sent, returned, collected."""

from __future__ import annotations

from clinic.services.letters import filing
from ui.operations import action

file_rendered = action(filing.file_rendered)
filed_pdf = action(filing.filed_pdf)
mark_sent = action(filing.mark_sent)
mark_returned = action(filing.mark_returned)
mark_collected = action(filing.mark_collected)
