"""A site that cannot be written just now says so in its own sentence: the
screens show it by the form (a ValueError, as refusals are) and keep what was
typed, and harbour-admin still sees a SiteError."""

from __future__ import annotations

import re

import pytest

from clinic.errors import Unavailable
from clinic.uow import Clinic
from db.server import LOST, ServerUnavailable
from db.site import SiteError


def test_a_server_lost_mid_step_reaches_the_screen_as_its_own_sentence(clinic: Clinic) -> None:
    with pytest.raises(Unavailable, match="^" + LOST + "$") as caught, clinic.unit_of_work(write=True):
        raise ServerUnavailable(LOST)
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, SiteError)


@pytest.mark.sqlcipher_only
def test_a_moved_copy_refuses_writes_in_words_a_form_shows(clinic: Clinic) -> None:
    clinic.site.moved_to = "harbour on db.example.nhs.uk"  # type: ignore[union-attr]
    moved = re.escape("moved to harbour on db.example.nhs.uk")
    with pytest.raises(Unavailable, match=moved), clinic.unit_of_work(write=True):
        pass
    with clinic.unit_of_work() as uow:  # reading the old copy still works
        assert uow.session is not None
