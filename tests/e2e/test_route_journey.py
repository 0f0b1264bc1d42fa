"""The care route from level 1 to 3 in the browser, by the people who take each step, every
step refusing until its evidence exists: the teacher finds "register for a pupil meeting"
blocked, registers Sanne from her dossier, and submitting the registration takes the step;
the IB holds the pupil meeting that concludes an IHP is needed, finds "start the IHP" blocked
for want of a started IHP, writes the IHP (refused while incomplete), starts it and takes the
step; three weeks later the IB follows a goal with data points (the chart and its hint),
evaluates the IHP with too little result (refused until the goal without data says why), and
the step to the care team then names only what the care team itself needs. (Level 3 to 4:
test_care_team_journey.)"""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from careroute.models import IHP, CareRoute
from meetings.models import Meeting, MeetingStatus, Registration
from tests.e2e.session import log_in, log_out

IB = "care_coordinator@school.example"
TEACHER = "teacher@school.example"

REGISTER = "Aanmelden voor de leerlingbespreking"
START_IHP = "IHP starten"
TO_CARE_TEAM = "Naar het zorgteam"


def _plan_pupil_meeting(page, live_server):
    page.goto(f"{live_server.url}/jaarplanning/nieuw/")
    page.get_by_label("Soort").select_option("pupil")
    page.get_by_label("Datum").fill(timezone.localdate().isoformat())
    page.get_by_label("Begintijd").fill("14:30")
    page.get_by_role("button", name="Bespreking plannen").click()
    expect(page.get_by_text("De bespreking is gepland.")).to_be_visible()


def _move_card(page, label):
    """The card of one next step on the route tab."""
    return page.locator(".route-move").filter(
        has=page.get_by_role("heading", name=label, exact=True)
    )


def _expect_blocked(page, label, missing):
    """The step shows no button, only what is missing: exactly `missing` (patterns)."""
    card = _move_card(page, label)
    expect(card).to_have_count(1)
    expect(card.get_by_role("button")).to_have_count(0)
    expect(card.get_by_text("Ontbreekt:")).to_be_visible()
    expect(card.get_by_role("listitem")).to_have_text(missing)


def _take_step(page, label, level, name):
    _move_card(page, label).get_by_role("button", name=label).click()
    expect(page.locator(".alert-success")).to_contain_text(f"staat nu op niveau {level} ({name})")
    expect(page.locator("[aria-current=step]")).to_contain_text(str(level))


def _card(page, heading):
    return page.locator(".card").filter(has=page.get_by_role("heading", name=heading, exact=True))


def _add_goal(page, term, description, measure, criterion, target_date, owner):
    form = _card(page, "Een doel toevoegen")
    form.get_by_label("Termijn").select_option(label=term)
    form.get_by_role("textbox", name=re.compile(r"^Doel\*?$")).fill(description)
    form.get_by_label("Wat wordt gemeten").fill(measure)
    form.get_by_label("Criterium").fill(criterion)
    form.get_by_label("Streefdatum").fill(target_date.isoformat())
    form.get_by_label("Eigenaar").select_option(label=owner)
    form.get_by_role("button", name="Doel toevoegen").click()
    expect(page.get_by_text("Het doel is toegevoegd.")).to_be_visible()


def test_a_pupil_climbs_from_the_group_to_an_ihp_each_step_on_its_evidence(
    transactional_db, world, live_server, page, problems, axe_check
):
    pupil = world.pupil
    today = timezone.localdate()
    route_url = f"{live_server.url}/leerlingen/{pupil.pk}/route/"

    # 1 -> 2: the teacher finds the step blocked, registers Sanne; submitting takes the step.
    log_in(page, live_server, TEACHER)
    page.goto(route_url)
    _expect_blocked(
        page, REGISTER, ["Er is geen ingediende aanmelding voor de leerlingbespreking."]
    )
    expect(_move_card(page, START_IHP)).to_have_count(0)  # not from level 1
    axe_check()

    page.get_by_role("link", name=REGISTER).click()
    page.get_by_label("Hulpvraag").fill("Sanne raakt bij rekenen de draad kwijt. Wat helpt?")
    page.get_by_label("Wat is al geprobeerd").fill("Verlengde instructie en een time-timer.")
    axe_check()
    # A draft is no evidence yet: the step stays blocked until the registration is submitted.
    page.get_by_role("button", name="Opslaan als concept").click()
    expect(page.get_by_text("De aanmelding is als concept opgeslagen.")).to_be_visible()
    draft_url = page.url
    page.goto(route_url)
    _expect_blocked(
        page, REGISTER, ["Er is geen ingediende aanmelding voor de leerlingbespreking."]
    )
    page.goto(draft_url)
    page.get_by_role("button", name="Aanmelding indienen").click()
    expect(page.get_by_text("De aanmelding is ingediend")).to_be_visible()
    expect(page.get_by_text("staat nu op niveau 2 (leerlingbespreking)")).to_be_visible()
    assert Registration.objects.get(pupil=pupil).is_submitted
    assert CareRoute.objects.get(pupil=pupil).level == 2

    page.goto(route_url)
    expect(page.locator("[aria-current=step]")).to_contain_text("2")
    expect(_move_card(page, REGISTER)).to_have_count(0)  # no button left to press
    # The IB starts the IHP: the teacher is offered no step from level 2.
    expect(_move_card(page, START_IHP)).to_have_count(0)
    log_out(page, "Teacher")

    # The IB holds the pupil meeting: it concludes an IHP is needed; signed off.
    log_in(page, live_server, IB)
    page.goto(route_url)
    _expect_blocked(
        page,
        START_IHP,
        [
            re.compile("Geen leerlingbespreking die na .* is vastgesteld, heeft geconcludeerd"),
            re.compile("geen individueel handelingsplan \\(IHP\\) gestart"),
        ],
    )
    _plan_pupil_meeting(page, live_server)
    meeting = Meeting.objects.get(kind="pupil")
    page.get_by_label(re.compile(pupil.full_name)).check()
    page.get_by_role("button", name="Op de agenda zetten").click()
    growth = page.locator(f"#growth-{meeting.items.get().pk}")
    growth.get_by_label("Inzicht: hoe zou het komen dat het gaat zoals het gaat?").fill(
        "Lange opdrachten zonder tussenstappen."
    )
    growth.get_by_label("een individueel handelingsplan (IHP) is nodig").check()
    growth.get_by_role("button", name="Groeidocument opslaan").click()
    expect(page.get_by_text("Lange opdrachten zonder tussenstappen.").first).to_be_attached()
    page.get_by_role("button", name="Bespreking gehouden").click()
    page.get_by_role("button", name="Vaststellen").click()
    expect(page.get_by_text(re.compile("Vastgesteld door Care_Coordinator"))).to_be_visible()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SIGNED_OFF

    # 2 -> 3 is still blocked: the meeting is there, the started IHP is not.
    page.goto(route_url)
    _expect_blocked(
        page, START_IHP, [re.compile("geen individueel handelingsplan \\(IHP\\) gestart")]
    )
    axe_check()

    # The IHP, from the dossier's tab, based on that meeting.
    page.goto(f"{live_server.url}/leerlingen/{pupil.pk}/ihp/")
    expect(page.get_by_text("Deze leerling heeft nog geen IHP.")).to_be_visible()
    axe_check()
    page.get_by_role("button", name="Nieuw IHP").click()
    expect(page.get_by_text("Het IHP is aangemaakt")).to_be_visible()
    ihp = IHP.objects.get(pupil=pupil)
    assert ihp.based_on == meeting.items.get()
    expect(page.get_by_label("1. Beginsituatie")).to_contain_text("Lange opdrachten")
    axe_check()

    term_start, term_end = today - datetime.timedelta(days=28), today + datetime.timedelta(days=56)
    page.get_by_label("3. Looptijd: van").fill(term_start.isoformat())
    page.get_by_label("3. Looptijd: tot en met").fill(term_end.isoformat())
    page.get_by_label("4. Inhoud").fill("Dagelijks tien minuten tafels met concreet materiaal.")
    page.get_by_label("5. Betrokkenen").fill("Leerkracht, IB, moeder")
    page.get_by_label("7. Evaluatie: wat").fill("De tafels van 1 tot en met 10")
    page.get_by_label("7. Evaluatie: wie").fill("Leerkracht en IB")
    page.get_by_label("7. Evaluatie: hoe").fill("Tempotoets tafels, elke twee weken")
    page.get_by_label("7. Evaluatie: criteria").fill("40 sommen per minuut")
    page.get_by_role("button", name="Onderdelen opslaan").click()
    expect(page.get_by_text("Het IHP is opgeslagen.")).to_be_visible()

    _add_goal(
        page,
        "lange termijn",
        "Sanne beheerst de tafels van 1 tot en met 10.",
        "Tempotoets tafels: goede sommen per minuut",
        "40 sommen per minuut",
        term_end,
        "Care_Coordinator",
    )

    # Started too early: refused (422), with everything that is missing.
    problems.expected.append("status of 422")
    start = page.locator("#start")
    start.get_by_role("button", name="IHP starten").click()
    expect(page.get_by_text("Het IHP kan nog niet starten.")).to_be_visible()
    expect(start.get_by_role("listitem")).to_have_text(
        [
            "Onderdeel 2: voeg ten minste één kortetermijndoel toe.",
            "Onderdeel 6: voeg ten minste één regel aan de organisatie toe.",
        ]
    )
    ihp.refresh_from_db()
    assert ihp.status == "draft"
    axe_check()

    _add_goal(
        page,
        "korte termijn",
        "Sanne kent de tafels van 2, 5 en 10.",
        "Tempotoets tafels van 2, 5 en 10",
        "30 sommen per minuut",
        today + datetime.timedelta(days=28),
        "Teacher",
    )
    rows = _card(page, "Een regel toevoegen")
    rows.get_by_label("Doel").select_option(label="2. Sanne kent de tafels van 2, 5 en 10.")
    rows.get_by_label("Wie").fill("Leerkracht")
    rows.get_by_label("Hoe vaak").fill("dagelijks")
    rows.get_by_label("Waar").fill("in de klas")
    rows.get_by_label("Wanneer").fill("na de pauze")
    rows.get_by_label("Hoe lang").fill("10 minuten")
    rows.get_by_role("button", name="Regel toevoegen").click()
    expect(page.get_by_text("De regel is toegevoegd.")).to_be_visible()
    expect(page.get_by_text("Alle zeven onderdelen zijn ingevuld")).to_be_visible()
    page.locator("#start").get_by_role("button", name="IHP starten").click()
    expect(page.get_by_text("Het IHP is gestart.")).to_be_visible()
    ihp.refresh_from_db()
    assert ihp.status == "active"

    page.goto(route_url)
    _take_step(page, START_IHP, 3, "individueel handelingsplan (IHP)")
    assert CareRoute.objects.get(pupil=pupil).level == 3
    _expect_blocked(
        page,
        TO_CARE_TEAM,
        [
            re.compile("geen individueel handelingsplan \\(IHP\\) geëvalueerd"),
            re.compile("geen aanmelding voor het zorgteam"),
            "De ouders hebben nog geen toestemming gegeven voor bespreking in het zorgteam.",
            "Er zijn geen documenten voor het zorgteam gekozen.",
        ],
    )

    # Three weeks pass: the IHP started three weeks ago, so its data points can date from
    # then and it can be evaluated today.
    ihp.refresh_from_db()
    ihp.started_at -= datetime.timedelta(weeks=3)
    ihp.save()

    # Following the short-term goal: four data points draw the chart and give a hint.
    page.goto(f"{live_server.url}/ihp/{ihp.pk}/")
    goal = ihp.goals.get(term="short")
    for weeks_ago, value in [(3, "12"), (2, "15"), (1, "17"), (0, "21")]:
        article = page.locator(f"#goal-{goal.pk}")
        article.get_by_label("Datum").fill(
            (today - datetime.timedelta(weeks=weeks_ago)).isoformat()
        )
        article.get_by_label("Waarde").fill(value)
        article.get_by_role("button", name="Meetpunt toevoegen").click()
        expect(page.get_by_text("Het meetpunt is toegevoegd.")).to_be_visible()
    article = page.locator(f"#goal-{goal.pk}")
    expect(article.get_by_role("img")).to_be_visible()
    expect(article.locator("circle")).to_have_count(4)
    # 12, 15, 17, 21: about +3 a week, 30 well before the target date.
    on_course = "De lijn stijgt en haalt in dit tempo het criterium vóór de streefdatum"
    expect(article.get_by_text(on_course)).to_be_visible()
    axe_check()

    # The evaluation: too little result; the IHP is locked.
    evaluation = page.locator("#evaluate")
    evaluation.get_by_role("group", name=re.compile("^Doel 1")).get_by_label(
        "niet behaald", exact=True
    ).check()
    evaluation.get_by_role("group", name=re.compile("^Doel 2")).get_by_label(
        "deels behaald", exact=True
    ).check()
    evaluation.get_by_label("Toelichting bij doel 2").fill("Van 12 naar 21; 30 is ver weg.")
    evaluation.get_by_label("Hoe verder").select_option(label="externe stappen (zorgteam)")
    evaluation.get_by_role("group", name="Is het resultaat voldoende?").get_by_label(
        "nee", exact=True
    ).check()
    evaluation.get_by_label("Evaluatie", exact=True).fill("Te weinig vooruitgang.")
    evaluation.get_by_role("button", name="IHP evalueren en afsluiten").click()
    # Goal 1 was not measured: refused until its notes say why, keeping what was typed.
    expect(page.get_by_text("Doel 1 heeft geen meetpunten")).to_be_visible()
    evaluation = page.locator("#evaluate")
    expect(evaluation.get_by_label("Toelichting bij doel 2")).to_have_value(
        "Van 12 naar 21; 30 is ver weg."
    )
    evaluation.get_by_label("Toelichting bij doel 1").fill(
        "Niet gemeten: de toets van alle tafels volgt aan het eind van de periode."
    )
    evaluation.get_by_role("button", name="IHP evalueren en afsluiten").click()
    expect(page.get_by_text("Het IHP is geëvalueerd en nu afgesloten.")).to_be_visible()
    ihp.refresh_from_db()
    assert (ihp.status, ihp.result_sufficient) == ("evaluated", False)

    # The step to the care team now names only what the care team needs.
    page.goto(route_url)
    _expect_blocked(
        page,
        TO_CARE_TEAM,
        [
            re.compile("geen aanmelding voor het zorgteam"),
            "De ouders hebben nog geen toestemming gegeven voor bespreking in het zorgteam.",
            "Er zijn geen documenten voor het zorgteam gekozen.",
        ],
    )
    assert CareRoute.objects.get(pupil=pupil).level == 3
