"""Safe-storage boxes: the person's tab and the stock page."""
