"""Folding names for search: "O'Brien", "o brien" and "OBRIEN" all match.

Lower case, accents removed (Zoë -> zoe, Łukasz -> lukasz), and everything
that is not a letter or digit dropped (apostrophes, hyphens, spaces).
"""

from __future__ import annotations

import unicodedata

#: Letters that Unicode decomposition does not split into base + accent.
_SPECIAL = str.maketrans({"ł": "l", "ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "đ": "d", "ı": "i"})


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_SPECIAL))
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))
