"""DRR/ATR screens: the liaison worker's worklist page and the person's Probation tab."""

from ui.probation.page import ProbationPage
from ui.probation.tab import ProbationTab

__all__ = ["ProbationPage", "ProbationTab"]
