"""Tests for clinic.letters.document."""

from __future__ import annotations

import pytest

from clinic.letters import REGISTRY
from clinic.letters.document import Cancelled, Part, build, split
from clinic.letters.fonts import ensure_fonts
from tests.clinic.letters.samples import confirmation, day_sheet, gp_letter, pages_text


def parts(*letters: object) -> list[Part]:
    ensure_fonts()  # the registry does this before building a body; so must a test run on its own
    templates = [REGISTRY.for_data(letter) for letter in letters]
    return [Part(letter, t.pages, t.body(letter)) for letter, t in zip(letters, templates, strict=True)]


def test_each_part_numbers_its_own_pages() -> None:
    pdf, pages = build(parts(confirmation(), gp_letter(), confirmation()), title="Letters")
    assert pages == [1, 3, 1]
    numbers = [line for page in pages_text(pdf) for line in page.splitlines() if line.startswith("Page ")]
    assert numbers == ["Page 1 of 1", "Page 1 of 3", "Page 2 of 3", "Page 3 of 3", "Page 1 of 1"]


def test_letters_and_landscape_sheets_mix_in_one_document() -> None:
    from io import BytesIO

    from pypdf import PdfReader

    pdf, pages = build(parts(confirmation(), day_sheet()), title="Mixed")
    sizes = [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in PdfReader(BytesIO(pdf)).pages]
    assert pages == [1, 1] and sizes == [(595, 842), (842, 595)]


def test_output_is_byte_stable() -> None:
    assert build(parts(gp_letter()), title="x")[0] == build(parts(gp_letter()), title="x")[0]


def test_on_start_can_abandon_the_run() -> None:
    def stop_at_second(index: int) -> None:
        if index == 1:
            raise Cancelled

    with pytest.raises(Cancelled):
        build(parts(confirmation(), confirmation()), title="x", on_start=stop_at_second)


def test_nothing_to_print_is_an_error() -> None:
    with pytest.raises(ValueError, match="no letters"):
        build([], title="x")


def test_each_cut_copy_carries_the_printed_pages_streams_as_they_are() -> None:
    """The filed copy is the printed pages byte for byte, fonts included:
    nothing is decompressed and compressed again when the batch is cut."""
    from io import BytesIO

    import pikepdf

    pdf, pages = build(parts(confirmation(), gp_letter()), title="Letters")
    copies = list(split(pdf, pages))

    def streams(data: bytes) -> list[bytes]:
        with pikepdf.open(BytesIO(data)) as doc:
            return sorted(o.read_raw_bytes() for o in doc.objects if isinstance(o, pikepdf.Stream))

    printed = set(streams(pdf))
    assert [len(list(pikepdf.open(BytesIO(c)).pages)) for c in copies] == [1, 3]
    for copy in copies:
        assert set(streams(copy)) <= printed


def test_the_cycle_collector_is_held_off_during_layout_and_left_as_it_was_after() -> None:
    """On after if it was on before (even on cancel); left off if something
    else turned it off (the application does: ``ui.ops.collect_garbage_on_the_ui_thread``)."""
    import gc

    before = gc.isenabled()
    try:
        for was_on in (True, False):
            gc.enable() if was_on else gc.disable()
            seen: list[bool] = []

            def note(_: int, seen: list[bool] = seen) -> None:
                seen.append(gc.isenabled())

            build(parts(confirmation(), confirmation()), title="x", on_start=note)
            assert seen == [False, False] and gc.isenabled() == was_on
            with pytest.raises(Cancelled):
                build(parts(confirmation()), title="x", on_start=lambda _: (_ for _ in ()).throw(Cancelled()))
            assert gc.isenabled() == was_on
    finally:
        gc.enable() if before else gc.disable()
