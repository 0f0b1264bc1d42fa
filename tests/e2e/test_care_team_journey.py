"""The care route's step to the care team in the browser: the IB finds the step blocked with
what is missing, registers the pupil for the care team, records the parents' consent, selects
a document for the external members, takes the step and puts the case on a care-team agenda;
the external care-team member sees the pupil; the care team's advice is minuted and signed
off, its report in the pupil's dossier; the parents withdraw their consent and the member's
access ends at once. (Levels 1 to 3 are made through the route's own `move`, with
their evidence made through the actions; their pages are tested in tests/careroute.)"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from careroute import route
from careroute.models import CareRoute, CareTeamCase, Consent
from meetings import actions
from tests.careroute import route_helpers
from tests.e2e.session import log_in, log_out

IB = "care_coordinator@school.example"
MEMBER = "care_team_member@school.example"


def _consent(page, live_server, pupil, decision):
    page.goto(f"{live_server.url}/leerlingen/{pupil.pk}/documenten/")
    page.get_by_role("link", name="Besluit vastleggen").click()
    page.get_by_label(decision, exact=True).check()
    page.get_by_label("Datum van het besluit").fill(timezone.localdate().isoformat())
    page.get_by_label("in een gesprek (vastgelegd in het logboek)").check()
    page.get_by_label("Wie namen deel aan het gesprek").fill("moeder, IB")
    page.get_by_label(re.compile("Verslag van het gesprek")).fill("Besproken met moeder.")
    page.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.locator(".alert-success")).to_be_visible()


@pytest.fixture
def at_level_three(world):
    """Sanne at level 3: registered, discussed in a signed-off pupil meeting that concluded an
    IHP was needed, the IHP started and then evaluated with too little result."""
    pupil, ib, teacher = world.pupil, world.users["care_coordinator"], world.users["teacher"]
    route_helpers.submitted_registration(pupil, teacher)
    route.move(pupil=pupil, move_name="register_pupil_meeting", by=teacher)
    item = route_helpers.signed_off_pupil_meeting(world, pupil, ib)
    ihp = route_helpers.started_ihp(pupil, ib, based_on=item)
    route.move(pupil=pupil, move_name="start_ihp", by=ib)
    route_helpers.evaluate(ihp, sufficient=False)
    # The care team meets today; its orthopedagogue has an account and attends.
    meeting = actions.plan_meeting(
        school=world.school, kind="care_team", date=timezone.localdate(), by=ib
    )
    actions.add_attendee(meeting=meeting, user=world.users["care_team_member"], by=ib)
    return meeting


def test_to_the_care_team_with_consent_and_the_external_member_losing_access(
    transactional_db, world, at_level_three, live_server, page, problems, axe_check
):
    pupil = world.pupil
    route_url = f"{live_server.url}/leerlingen/{pupil.pk}/route/"
    log_in(page, live_server, IB)

    # The step is blocked, and says why.
    page.goto(route_url)
    blocked = page.locator(".card").filter(has_text="Naar het zorgteam")
    expect(blocked.get_by_role("button", name="Naar het zorgteam")).to_have_count(0)
    expect(blocked.get_by_text("Ontbreekt")).to_be_visible()
    axe_check()

    # The registration with the question formulated with the parents.
    page.goto(f"{live_server.url}/leerlingen/{pupil.pk}/documenten/")
    page.get_by_role("link", name="Aanmelden bij het zorgteam").click()
    page.get_by_label("Vraag aan het zorgteam (samen met de ouders geformuleerd)").fill(
        "Wat heeft Sanne nodig om bij rekenen tot rust te komen?"
    )
    page.get_by_role("button", name="Aanmelding opslaan").click()
    expect(page.locator(".alert-success")).to_be_visible()

    # Consent of the one guardian with parental authority, noted from a conversation.
    _consent(page, live_server, pupil, "gegeven")
    assert Consent.objects.filter(pupil=pupil, decision="given").count() == 1

    # The document the external members may see: the pupil meeting's report.
    page.goto(f"{live_server.url}/leerlingen/{pupil.pk}/documenten/")
    page.locator("input[name=document]").first.check()
    page.get_by_role("button", name="Keuze opslaan").click()
    axe_check()

    # Now the step is there; taking it opens the case.
    page.goto(route_url)
    page.get_by_role("button", name="Naar het zorgteam").click()
    expect(page.locator(".alert-success")).to_be_visible()
    assert CareRoute.objects.get(pupil=pupil).level == 4
    case = CareTeamCase.objects.get(pupil=pupil)
    assert case.status == "open"

    # On the agenda of the next care-team meeting.
    page.goto(f"{live_server.url}/leerlingen/{pupil.pk}/documenten/")
    page.get_by_role("button", name="Op de agenda zetten").click()
    assert at_level_three.items.filter(pupil=pupil).exists()
    log_out(page, "Care_Coordinator")

    # The external member sees Sanne on the meeting they attend.
    log_in(page, live_server, MEMBER)
    page.goto(f"{live_server.url}/jaarplanning/{at_level_three.pk}/")
    item = at_level_three.items.get(pupil=pupil)
    expect(page.get_by_role("link", name=pupil.full_name)).to_be_visible()
    response = page.goto(f"{live_server.url}/besprekingspunten/{item.pk}/")
    assert response.status == 200
    axe_check()
    log_out(page, "Care_Team_Member")

    # The care team discusses the case: the IB minutes the advice, holds and signs off; the
    # report is in Sanne's dossier.
    log_in(page, live_server, IB)
    page.goto(f"{live_server.url}/besprekingspunten/{item.pk}/")
    page.get_by_label("Advies").fill("Dagelijks tien minuten tafels met concreet materiaal.")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Het verslag is opgeslagen.")).to_be_visible()
    page.goto(f"{live_server.url}/jaarplanning/{at_level_three.pk}/")
    page.get_by_role("button", name="Bespreking gehouden").click()
    page.get_by_role("button", name="Vaststellen").click()
    expect(page.get_by_text(re.compile("Vastgesteld door"))).to_be_visible()
    page.goto(f"{live_server.url}/leerlingen/{pupil.pk}/besprekingen/")
    # The pupil meeting's report and now the care team's.
    expect(page.get_by_role("link", name="Verslag (pdf)")).to_have_count(2)
    expect(page.get_by_role("row").filter(has_text="Zorgteamoverleg")).to_contain_text(
        "Dagelijks tien minuten tafels"
    )

    # The parents withdraw their consent: the member's access ends at once (the level stays).
    _consent(page, live_server, pupil, "ingetrokken")
    assert CareRoute.objects.get(pupil=pupil).level == 4  # the need does not vanish
    log_out(page, "Care_Coordinator")

    log_in(page, live_server, MEMBER)
    problems.expected.append("status of 404")  # the pages asked for below
    page.goto(f"{live_server.url}/jaarplanning/{at_level_three.pk}/")
    expect(page.get_by_role("link", name=pupil.full_name)).to_have_count(0)
    response = page.goto(f"{live_server.url}/besprekingspunten/{item.pk}/")
    assert response.status == 404
    response = page.goto(f"{live_server.url}/besprekingspunten/{item.pk}/verslag.pdf")
    assert response.status == 404
    response = page.goto(f"{live_server.url}/leerlingen/{pupil.pk}/documenten/")
    assert response.status == 404
