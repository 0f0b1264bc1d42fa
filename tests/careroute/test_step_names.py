"""The route's steps are named as what the person does (on their buttons), and the care
team's case has one Dutch word everywhere: the seed's *casus*."""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from careroute import route
from tests.careroute import route_helpers as h

pytestmark = pytest.mark.django_db

PO = Path(__file__).resolve().parents[2] / "locale" / "nl" / "LC_MESSAGES" / "django.po"


def test_the_steps_are_named_as_actions_in_dutch():
    with translation.override("nl"):
        labels = {name: str(move.label) for name, move in route.MOVES.items()}
    assert labels["register_pupil_meeting"] == "Aanmelden voor de leerlingbespreking"
    assert labels["start_ihp"] == "IHP starten"
    assert labels["case_closed"] == "Casus afsluiten"
    for label in labels.values():
        assert not re.search(r"\b(aangemeld|gestart|afgesloten|overdracht)\b", label, re.I), label


def test_the_ib_finds_start_the_ihp_as_a_step_on_the_route_tab(world, client_for):
    ib = world.users["care_coordinator"]
    h.submitted_registration(world.pupil, ib)
    route.move(pupil=world.pupil, move_name="register_pupil_meeting", by=ib)
    item = h.signed_off_pupil_meeting(world, world.pupil, ib)
    h.started_ihp(world.pupil, ib, based_on=item)
    body = client_for("care_coordinator").get(
        reverse("careroute:pupil_route", args=[world.pupil.pk])
    )
    assert re.search(r'<button type="submit"[^>]*>IHP starten</button>', body.content.decode())


def _dutch_texts():
    text = PO.read_text()
    for block in text.split("\n\n"):
        match = re.search(r"^msgid (.*?)^msgstr (.*)", block, re.S | re.M)
        if match:
            yield (
                "".join(re.findall(r'"(.*)"', match.group(1))),
                "".join(re.findall(r'"(.*)"', match.group(2))),
            )


def test_the_care_teams_case_is_a_casus_on_every_screen():
    for source, dutch in _dutch_texts():
        assert not re.search(r"zorgteamdossier|traject", dutch, re.I), (source, dutch)
        if re.search(r"\bcases?\b", source, re.I):
            assert "casus" in dutch.lower(), (source, dutch)
