"""The manager's quarterly management-information report."""
