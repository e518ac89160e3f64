"""The DejaVu fonts every letter is set in, registered with reportlab once.

reportlab's built-in fonts cover only Latin-1, so "Łukasz" would print with
a missing glyph; DejaVu covers every name we are likely to be given. The
files ship in ``resources/fonts/`` (beside ``clinic/`` at the repository
root) so a letter looks the same on every workstation.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONTS_DIR = Path(__file__).resolve().parents[2] / "resources" / "fonts"

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"


@cache
def ensure_fonts() -> None:
    """Register the fonts (and the family, so ``<b>``/``<i>`` work); safe to
    call any number of times: the files are read once per process."""
    for name in (REGULAR, BOLD, ITALIC):
        path = FONTS_DIR / f"{name}.ttf"
        if not path.is_file():
            raise FileNotFoundError(f"Letter font missing: {path} (the installation is incomplete)")
        pdfmetrics.registerFont(TTFont(name, str(path)))
    # Bold italic is never used on purpose; map it to bold rather than fail.
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, ITALIC)
    addMapping(REGULAR, 1, 1, BOLD)
