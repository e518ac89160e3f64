"""Frozen entry point for the administrator's terminal tool."""

from cli.admin import main

raise SystemExit(main())
