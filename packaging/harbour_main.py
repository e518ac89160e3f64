"""Frozen entry point for the application."""

from ui.app import main

raise SystemExit(main())
