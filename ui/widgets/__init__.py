"""Small widgets shared by every screen (form rows with inline errors,
date ranges). Reusable: nothing here knows about a particular module."""
