"""DRR/ATR orders and everything that goes to Probation: attendance, links to bookings, letters."""
