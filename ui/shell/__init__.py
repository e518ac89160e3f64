"""The application shell: opening the site, signing in, the main window,
the idle lock. Modules' pages plug into ``main_window.PAGES``."""
