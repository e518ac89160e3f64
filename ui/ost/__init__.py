"""OST: the person's OST tab, its dialogs, and the OST worklists page."""
