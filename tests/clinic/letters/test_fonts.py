"""Tests for clinic.letters.fonts."""

from __future__ import annotations

from reportlab.pdfbase import pdfmetrics

from clinic.letters.fonts import BOLD, FONTS_DIR, ITALIC, REGULAR, ensure_fonts


def test_the_fonts_and_their_licence_ship_with_the_application() -> None:
    for name in (REGULAR, BOLD, ITALIC):
        assert (FONTS_DIR / f"{name}.ttf").is_file()
    assert "Bitstream" in (FONTS_DIR / "LICENSE-DejaVu.txt").read_text(encoding="utf-8")


def test_registering_twice_is_harmless() -> None:
    ensure_fonts()
    ensure_fonts()
    assert pdfmetrics.getFont(REGULAR).face.name


def test_the_font_has_glyphs_for_names_beyond_latin_1() -> None:
    ensure_fonts()
    face = pdfmetrics.getFont(REGULAR).face
    assert all(ord(ch) in face.charToGlyph for ch in "ZoëŁukaszÓSúilleabháinĞŞ")
