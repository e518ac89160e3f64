"""The appointment book page, the series and day-sheet dialogs, clinic set-up."""
