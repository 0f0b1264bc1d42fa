"""The meetings in the browser, as the issue tells it: the IB plans a group meeting; the
teacher prepares it and sends the overview; the IB minutes it, registers a pupil for a pupil
meeting, records a decision and signs off; the IB holds the pupil meeting with the growth
document's six steps and signs it off; the teacher finds their action points, and the report
in the pupil's dossier."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from groupplans import actions as overview_actions
from groupplans.models import GroupOverview, OverviewStatus
from meetings.models import ActionPoint, Meeting, MeetingStatus, Registration
from schools.actions import ensure_default_periods
from tests.e2e.session import log_in, log_out

IB = "care_coordinator@school.example"
TEACHER = "teacher@school.example"


def _plan(page, live_server, kind, **fields):
    page.goto(f"{live_server.url}/jaarplanning/nieuw/")
    page.get_by_label("Soort").select_option(kind)
    page.get_by_label("Datum").fill(timezone.localdate().isoformat())
    page.get_by_label("Begintijd").fill("14:30")
    for label, value in fields.items():
        page.get_by_label(label, exact=True).select_option(value)
    page.get_by_role("button", name="Bespreking plannen").click()
    expect(page.get_by_text("De bespreking is gepland.")).to_be_visible()


def _add_action(page, description, owner):
    page.get_by_role("textbox", name=re.compile(r"^Actiepunt\*?$")).fill(description)
    page.get_by_label("Eigenaar").select_option(label=owner)
    page.get_by_label("Uiterlijk").fill(
        (timezone.localdate() + datetime.timedelta(days=14)).isoformat()
    )
    page.get_by_role("button", name="Actiepunt toevoegen").click()
    expect(page.get_by_role("cell", name=description)).to_be_visible()


@pytest.fixture
def period(world):
    periods = ensure_default_periods(school=world.school, school_year=world.group.school_year)
    return next(p for p in periods if p.start_date <= timezone.localdate() <= p.end_date)


def test_a_group_meeting_leads_to_a_pupil_meeting_and_the_teachers_actions(
    transactional_db, world, period, live_server, page, problems, axe_check
):
    overview = overview_actions.create_overview(
        group=world.group, period=period, by=world.users["teacher"]
    )
    pupil = world.pupil

    # The IB plans the group meeting of Groep 5 for this period.
    log_in(page, live_server, IB)
    _plan(page, live_server, "group", Groep=str(world.group.pk), Periode=str(period.pk))
    meeting = Meeting.objects.get(kind="group")
    meeting_url = f"{live_server.url}/jaarplanning/{meeting.pk}/"
    expect(page.get_by_role("heading", name="Groepsbespreking Groep 5")).to_be_visible()
    axe_check()
    log_out(page, "Care_Coordinator")

    # The teacher prepares: the checklist, then the overview goes to the IB with questions.
    log_in(page, live_server, TEACHER)
    page.goto(meeting_url)
    page.get_by_label("Het groepsplan is geëvalueerd").check()
    page.get_by_label("Mijn vragen staan op een rij").check()
    page.get_by_role("button", name="Voorbereiding opslaan").click()
    expect(page.get_by_text("De voorbereiding is opgeslagen.")).to_be_visible()
    page.get_by_role("link", name=re.compile("Stuur het groepsoverzicht")).click()
    page.get_by_label("Vragen en bespreekpunten").fill("Hoe krijg ik rust na de pauze?")
    page.get_by_role("button", name="Naar de IB sturen").click()
    overview.refresh_from_db()
    assert overview.status == OverviewStatus.SENT
    log_out(page, "Teacher")

    # The IB minutes the meeting, registers Sanne for a pupil meeting and signs off.
    log_in(page, live_server, IB)
    page.goto(meeting_url)
    expect(page.get_by_text("Hoe krijg ik rust na de pauze?")).to_be_visible()
    page.get_by_label("Vragen van leerkracht en IB").fill("Rust na de pauze: vaste start.")
    page.get_by_role("textbox", name="Verslag", exact=True).fill(
        "Goed gesprek; het plan is bijgesteld."
    )
    page.get_by_role("button", name="Verslag opslaan").click()
    expect(page.get_by_text("Het verslag is opgeslagen.")).to_be_visible()
    page.get_by_role("button", name="Bespreking gehouden").click()
    _add_action(page, "Klassenbezoek in week 12 plannen", "Care_Coordinator")
    axe_check()

    page.locator("#registering").get_by_role("link", name=pupil.full_name).click()
    page.get_by_label("Hulpvraag").fill("Sanne raakt bij rekenen de draad kwijt. Wat helpt?")
    page.get_by_label("Wat is al geprobeerd").fill("Verlengde instructie en een time-timer.")
    axe_check()
    page.get_by_role("button", name="Aanmelding indienen").click()
    registration = Registration.objects.get(pupil=pupil)
    assert registration.is_submitted

    page.goto(meeting_url)
    page.get_by_role("button", name="Vaststellen").click()
    expect(page.get_by_text(re.compile("Vastgesteld door Care_Coordinator"))).to_be_visible()
    overview.refresh_from_db()
    assert overview.status == OverviewStatus.DISCUSSED

    # The pupil meeting: the registration goes on its agenda, the six steps are written.
    _plan(page, live_server, "pupil")
    pupil_meeting = Meeting.objects.get(kind="pupil")
    page.get_by_label(re.compile(pupil.full_name)).check()
    page.get_by_role("button", name="Op de agenda zetten").click()
    growth = page.locator(f"#growth-{pupil_meeting.items.get().pk}")
    growth.get_by_label("Inzicht: hoe zou het komen dat het gaat zoals het gaat?").fill(
        "Lange opdrachten zonder tussenstappen."
    )
    growth.get_by_label("Afspraken en planning").fill("Stappenkaart; evaluatie in januari.")
    growth.get_by_label("een individueel handelingsplan (IHP) is nodig").check()
    growth.get_by_role("button", name="Groeidocument opslaan").click()
    expect(page.get_by_text("Lange opdrachten zonder tussenstappen.").first).to_be_attached()
    axe_check()
    _add_action(page, "IHP rekenen opstellen met de IB", "Teacher")
    page.get_by_role("button", name="Bespreking gehouden").click()
    page.get_by_role("button", name="Vaststellen").click()
    expect(page.get_by_text(re.compile("Vastgesteld door Care_Coordinator"))).to_be_visible()
    pupil_meeting.refresh_from_db()
    assert pupil_meeting.status == MeetingStatus.SIGNED_OFF
    assert pupil_meeting.items.get().outcome == "ihp_needed"
    log_out(page, "Care_Coordinator")

    # The teacher sees their action point, and the report in Sanne's dossier.
    log_in(page, live_server, TEACHER)
    expect(page.get_by_text("U hebt 1 open actiepunt.")).to_be_visible()
    page.get_by_role("navigation").get_by_role("link", name="Mijn acties").click()
    expect(page.get_by_text("IHP rekenen opstellen met de IB")).to_be_visible()
    expect(page.get_by_text("Klassenbezoek in week 12 plannen")).to_have_count(0)  # the IB's
    axe_check()
    page.goto(f"{live_server.url}/leerlingen/{pupil.pk}/besprekingen/")
    expect(page.get_by_role("link", name="Verslag (pdf)")).to_have_count(1)
    axe_check()
    assert ActionPoint.objects.filter(owner=world.users["teacher"]).count() == 1
    assert GroupOverview.objects.get().status == OverviewStatus.DISCUSSED
