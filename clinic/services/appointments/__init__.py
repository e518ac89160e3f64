"""The appointment book: booking and outcomes, reading the book, series, sessions and set-up."""
