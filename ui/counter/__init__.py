"""The harm-reduction counter: NSP visits, naloxone, alcohol screens (issue 18)."""
