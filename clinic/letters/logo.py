"""The letterhead logo: checked once, with a message staff can act on.

A logo is chosen in the site settings and then printed on every letter, so
a broken file must be caught by name, not surface as a reportlab traceback
halfway through a batch of probation letters.
"""

from __future__ import annotations

import io
from functools import lru_cache

from reportlab.lib.utils import ImageReader

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_FIX = "Choose another logo in Settings, or remove it."


@lru_cache(maxsize=4)
def logo_image(png: bytes) -> ImageReader:
    """The decoded logo, or ``ValueError`` saying why it cannot be used.

    Cached: a batch decodes its logo once, not once per letter.
    """
    if not png.startswith(_PNG_SIGNATURE):
        raise ValueError(f"The letterhead logo is not a PNG image. {_FIX}")
    try:
        image = ImageReader(io.BytesIO(png))
        width, height = image.getSize()
        # Decodes the whole file: a truncated PNG fails here. (Unannotated in types-reportlab.)
        image.getRGBData()  # type: ignore[no-untyped-call]
    except Exception as exc:  # PIL raises many types for a damaged file
        raise ValueError(f"The letterhead logo could not be read (the PNG file is damaged). {_FIX}") from exc
    if width < 1 or height < 1:
        raise ValueError(f"The letterhead logo is empty. {_FIX}")
    return image
