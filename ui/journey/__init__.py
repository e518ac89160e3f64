"""Treatment journey screens: the Journey tab, the worklist and caseload pages."""
