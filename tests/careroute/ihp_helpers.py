"""What the IHP and OPP tests start from: a signed-off pupil meeting that concluded an IHP is
needed, an overview row, test results, and an IHP ready to start."""

import datetime
from decimal import Decimal

from django.utils import timezone, translation

from careroute import ihp as actions
from pupils.models import Instrument, TestResult


def nl(text: str) -> str:
    """What the page says in Dutch (the English text until its translation is merged)."""
    with translation.override("nl"):
        return translation.gettext(text)


def ib(world):
    return world.users["care_coordinator"]


def ihp_item(world):
    """The pupil's item of a signed-off pupil meeting with outcome "IHP needed" and a growth
    document."""
    from meetings import actions as meeting_actions
    from meetings.models import MeetingItem
    from tests.hgw.test_access_matrix import _pupil_meeting

    meeting = _pupil_meeting(world)
    item = meeting.items.get()
    if meeting.status != "signed_off":
        MeetingItem.objects.filter(pk=item.pk).update(
            going_well="Werkt graag samen",
            difficult="Tafels van 6 tot 9",
            insight="Automatiseert traag",
            outlook="Dagelijks kort oefenen",
            agreements="IHP rekenen opstellen",
            outcome="ihp_needed",
        )
        meeting = meeting_actions.mark_held(meeting=meeting, by=ib(world), today=meeting.date)
        meeting_actions.sign_off(meeting=meeting, by=ib(world))
    return MeetingItem.objects.select_related("meeting").get(pk=item.pk)


def overview_row(world, **values):
    from tests.hgw.test_access_matrix import _overview

    row = _overview(world).rows.get(pupil=world.pupil)
    for name, value in values.items():
        setattr(row, name, value)
    row.save()
    return row


def result(world, score="41", day=None):
    instrument = Instrument.objects.create(
        name="Rekenen-Wiskunde", subject="maths", score_kind="ability_score", level_scale="I-V"
    )
    return TestResult.objects.create(
        pupil=world.pupil,
        instrument=instrument,
        date_taken=day or datetime.date(2025, 1, 20),
        moment="M5",
        score=Decimal(score),
        level="IV",
        entered_by=ib(world),
    )


def term(today=None):
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=30), today + datetime.timedelta(days=60)


def ready_ihp(world, by=None):
    """A draft IHP with all seven sections filled and two SMARTI goals."""
    by = by or ib(world)
    ihp = actions.create_ihp(pupil=world.pupil, by=by)
    start, end = term()
    ihp = actions.save_ihp(
        ihp=ihp,
        values={
            "starting_situation": "Sanne rekent op niveau IV.",
            "term_start": start,
            "term_end": end,
            "content": "Dagelijks tien minuten tafels oefenen.",
            "people_involved": "Leerkracht, IB, ouders",
            "evaluation_what": "De tafels",
            "evaluation_who": "Leerkracht",
            "evaluation_how": "Tempotoets",
            "evaluation_criteria": "40 sommen per minuut",
        },
        seen_version=ihp.version,
        by=by,
    )
    long_goal = actions.add_goal(
        ihp=ihp,
        values={
            "term": "long",
            "description": "Sanne beheerst de tafels van 1 tot 10.",
            "measure": "sommen per minuut",
            "criterion": "40 sommen per minuut",
            "target_date": end,
            "owner": world.users["teacher"],
        },
        by=by,
    )
    actions.add_goal(
        ihp=ihp,
        values={
            "term": "short",
            "description": "Sanne kent de tafel van 6.",
            "measure": "goede antwoorden",
            "criterion": "9 van 10 goed",
            "target_date": end - datetime.timedelta(days=30),
            "owner": by,
        },
        by=by,
    )
    actions.add_organisation(
        ihp=ihp,
        values={"goal": long_goal, "who": "Leerkracht", "how_often": "dagelijks", "where": "klas"},
        by=by,
    )
    ihp.refresh_from_db()
    return ihp


def started_ihp(world):
    ihp = ready_ihp(world)
    return actions.start_ihp(ihp=ihp, by=ib(world))


def ran_ihp(world, days=21, points=True):
    """A started IHP that has run `days` days (its start moved back: time passes), with, when
    `points`, a measurement per goal since; ready to be evaluated."""
    ihp = started_ihp(world)
    ihp.started_at = timezone.now() - datetime.timedelta(days=days)
    ihp.save()
    if points:
        yesterday = timezone.localdate() - datetime.timedelta(days=1)
        for goal in ihp.goals.all():
            actions.add_data_point(goal=goal, date=yesterday, value=Decimal(20), by=ib(world))
    return ihp
