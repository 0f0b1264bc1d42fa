"""The demo school's year plan (run after `seed_demo` and `seed_demo_overviews`; see
`seed_demo_meetings`): a group meeting per group at the end of periods 1 and 2 of this
school year, six care-team meetings spread over the year with the care team's members, and
two pupil meetings. Made through the actions, so the history records all. Registrations by
Groep 5's teacher: two submitted (one on the first pupil meeting's agenda with its growth
document pre-filled, one waiting) and one draft. They are submitted as the registration page
submits them (`registrations.submit`), so the care route's step to level 2 is taken with each
(careroute registers it). A few action points. Care-team meetings get their pupils from the
care route.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import translation

from accounts.models import Membership, Role, User
from audit.history import acting_as
from meetings import action_points, actions, registrations
from meetings.models import Attendee, Meeting, MeetingKind
from pupils.models import Group, Pupil
from schools.actions import ensure_default_periods
from schools.models import School, SchoolYear

DEMO_BRIN = "99AA"
REGISTRATION_GROUP = "Groep 5"
# The Groep 5 teacher's login in the demo (seed_demo): Sanne Jansen.
DEMO_TEACHER = "leerkracht@demo.hgw.nl"

# (question for help, what has been tried, what goes well); the pupil's given name fills in.
REGISTRATIONS = [
    (
        "{name} raakt bij rekenen na een paar minuten de draad kwijt, ook na de verlengde "
        "instructie. Hoe kan ik {name} helpen zelfstandig door te werken?",
        "Verlengde instructie aan de instructietafel, een time-timer en een opdrachtkaart met "
        "drie stappen. Dat helpt een korte tijd.",
        "{name} werkt graag samen en leest vlot.",
    ),
    (
        "{name} komt bij begrijpend lezen niet verder dan niveau IV. Wat heeft {name} nodig "
        "om de hoofdgedachte van een tekst te vinden?",
        "Voorlezen met vragen vooraf, samen de kernwoorden markeren, tekstjes op maat.",
        "Technisch lezen gaat goed; {name} is gemotiveerd.",
    ),
    (
        "{name} trekt zich in de groep terug. Hoe kunnen we het zelfvertrouwen versterken?",
        "",
        "",
    ),
]

# The care team's external members who have no account, by discipline.
CARE_TEAM_GUESTS = [
    ("Youssef Amrani", "schoolmaatschappelijk werk"),
    ("dr. Ellen Smits", "jeugdarts"),
]


def _ib(school: School):
    membership = (
        Membership.objects.active()
        .filter(school=school, role=Role.CARE_COORDINATOR)
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


@transaction.atomic
def seed(today: datetime.date) -> int:
    """Plan the demo year; returns how many meetings were made (0 when a plan exists)."""
    school = School.objects.filter(brin=DEMO_BRIN, dependance_code="").first()
    year = SchoolYear.current(today)
    if school is None or year is None or Meeting.objects.filter(school=school).exists():
        return 0
    ib = _ib(school)
    if ib is None:
        return 0
    periods = ensure_default_periods(school=school, school_year=year)[:2]
    made = 0
    with acting_as(ib):
        for period in periods:
            made += len(
                actions.plan_group_meetings(
                    school=school,
                    period=period,
                    date_for=actions.default_group_meeting_dates(
                        period, list(school.groups.filter(school_year=year).order_by("pk"))
                    ),
                    start_time=datetime.time(14, 30),
                    by=ib,
                )
            )
        care_team = actions.plan_care_team_meetings(
            school=school,
            school_year=year,
            count=6,
            weekday=1,
            start_time=datetime.time(13, 15),
            location="Teamkamer",
            by=ib,
        )
        _care_team_members(school, care_team)
        made += len(care_team)
        for weeks, time in ((2, datetime.time(8, 15)), (7, datetime.time(15, 0))):
            day = _weekday_on_or_after(today + datetime.timedelta(weeks=weeks), 3)
            if day > year.end_date:
                day = _weekday_on_or_after(year.start_date + datetime.timedelta(weeks=weeks), 3)
            actions.plan_meeting(
                school=school,
                kind=MeetingKind.PUPIL,
                date=day,
                start_time=time,
                location="Kamer van de IB",
                by=ib,
            )
            made += 1
        _action_points(school, ib, today)
        _registrations(school, ib, today)
        made += _past_pupil_meeting(school, ib, today)
    return made


def _action_points(school: School, ib, today: datetime.date) -> None:
    """A few decisions as action points: for the Groep 5 teacher one overdue (from the last
    care-team meeting before today, or the nearest one) and one open (from Groep 5's group
    meeting); for the IB an open one and a done one. No pupils named."""
    teacher = User.objects.filter(email=DEMO_TEACHER).first()
    care_team = Meeting.objects.for_school(school).of_kind(MeetingKind.CARE_TEAM)
    past = care_team.filter(date__lt=today).order_by("-date").first()
    nearest = past or care_team.order_by("date").first()
    group_meeting = (
        Meeting.objects.for_school(school)
        .of_kind(MeetingKind.GROUP)
        .filter(group__assignments__teacher=teacher)
        .order_by("date")
        .first()
    )
    if nearest is None:
        return
    overdue = min(nearest.date + datetime.timedelta(days=14), today - datetime.timedelta(days=3))
    add = action_points.add_action_point
    if teacher is not None:
        add(
            meeting=nearest,
            description="Afspraken uit het zorgteam met de duo-collega bespreken",
            owner=teacher,
            due_date=overdue,
            by=ib,
            today=today,
        )
        if group_meeting is not None:
            add(
                meeting=group_meeting,
                description="Instructiegroep rekenen in het groepsplan bijstellen",
                owner=teacher,
                due_date=group_meeting.date + datetime.timedelta(days=14),
                by=ib,
                today=today,
            )
    add(
        meeting=nearest,
        description="Schoolmaatschappelijk werk uitnodigen voor het volgende zorgteam",
        owner=ib,
        due_date=today + datetime.timedelta(days=10),
        by=ib,
        today=today,
    )
    shared = add(
        meeting=nearest,
        description="Jaarplanning zorgteam delen met het team",
        owner=ib,
        due_date=overdue,
        by=ib,
        today=today,
    )
    action_points.complete(action=shared, seen_version=shared.version, by=ib)


def _registrations(school: School, ib, today: datetime.date) -> None:
    """Two submitted registrations and a draft by Groep 5's teacher; the first goes on the
    first pupil meeting's agenda."""
    teacher = User.objects.filter(email=DEMO_TEACHER).first()
    group = Group.objects.filter(
        school=school, name=REGISTRATION_GROUP, school_year=SchoolYear.current(today)
    ).first()
    if teacher is None or group is None:
        return
    pupils = list(Pupil.objects.in_groups(Group.objects.filter(pk=group.pk), on=today))
    pupils.sort(key=lambda p: (p.family_name, p.given_name, p.pk))
    # Not the first three: the pupil log's notes are about them.
    chosen = pupils[3:6] if len(pupils) >= 6 else pupils[:3]
    made = []
    with acting_as(teacher):
        for pupil, (question, tried, going_well) in zip(chosen, REGISTRATIONS, strict=False):
            name = pupil.given_name
            registration = registrations.start_registration(
                pupil=pupil,
                question=question.format(name=name),
                tried=tried.format(name=name),
                going_well=going_well.format(name=name),
                by=teacher,
            )
            if registration.tried:
                registration, _note = registrations.submit(
                    registration=registration, by=teacher, today=today
                )
            made.append(registration)
    meeting = (
        Meeting.objects.filter(school=school, kind=MeetingKind.PUPIL).order_by("date", "pk").first()
    )
    if meeting is not None and made and made[0].is_submitted:
        # The pre-fill is written in the school's language, as the IB would see it.
        with translation.override(settings.LANGUAGE_CODE):
            registrations.attach_registration(meeting=meeting, registration=made[0], by=ib)


# A pupil meeting held six weeks ago: its growth document, after the meeting, in Dutch.
PAST_GROWTH_DOCUMENT = {
    "insight": (
        "{name} begrijpt de uitleg, maar verliest bij langere opdrachten het overzicht. Bij "
        "korte, afgebakende taken werkt {name} wel zelfstandig."
    ),
    "know_enough": "Ja: de observaties en de toetsgegevens geven samen een duidelijk beeld.",
    "outlook": (
        "Opdrachten in kleine stappen aanbieden, met tussentijdse controle door de leerkracht."
    ),
    "teacher_needs": "Een vast moment per dag voor een korte check-in; tips van de IB voor "
    "het opdelen van taken.",
    "agreements": (
        "{name} werkt met een stappenkaart en een time-timer. De leerkracht controleert na "
        "elke stap. Evaluatie in de groepsbespreking van januari."
    ),
    "outcome": "plan_suffices",
    "outcome_note": "De aanpak past binnen de middengroep van het groepsplan.",
}


def _past_pupil_meeting(school: School, ib, today: datetime.date) -> int:
    """A pupil meeting six weeks ago about a fourth Groep 5 pupil: registered, held, minuted
    with the six steps, signed off (its report is in the pupil's dossier), with an action
    point for the teacher. Returns 1 when made."""
    teacher = User.objects.filter(email=DEMO_TEACHER).first()
    group = Group.objects.filter(
        school=school, name=REGISTRATION_GROUP, school_year=SchoolYear.current(today)
    ).first()
    day = _weekday_on_or_after(today - datetime.timedelta(weeks=6), 1)
    year = SchoolYear.current(today)
    if teacher is None or group is None or year is None or day < year.start_date:
        return 0
    pupils = list(Pupil.objects.in_groups(Group.objects.filter(pk=group.pk), on=today))
    pupils.sort(key=lambda p: (p.family_name, p.given_name, p.pk))
    if len(pupils) < 7:
        return 0
    pupil = pupils[6]
    name = pupil.given_name
    question, tried, going_well = REGISTRATIONS[0]
    with acting_as(teacher):
        registration = registrations.start_registration(
            pupil=pupil,
            question=question.format(name=name),
            tried=tried.format(name=name),
            going_well=going_well.format(name=name),
            by=teacher,
        )
        registration, _note = registrations.submit(
            registration=registration, by=teacher, today=today
        )
    meeting = actions.plan_meeting(
        school=school,
        kind=MeetingKind.PUPIL,
        date=day,
        start_time=datetime.time(8, 15),
        location="Kamer van de IB",
        by=ib,
    )
    with translation.override(settings.LANGUAGE_CODE):
        item = registrations.attach_registration(meeting=meeting, registration=registration, by=ib)
    values = {key: text.format(name=name) for key, text in PAST_GROWTH_DOCUMENT.items()}
    actions.save_item(item=item, values=values, seen_version=item.version, by=ib)
    action_points.add_action_point(
        meeting=meeting,
        item=item,
        description="Stappenkaart en time-timer inzetten; na vier weken evalueren",
        owner=teacher,
        due_date=today + datetime.timedelta(days=21),
        by=ib,
        today=today,
    )
    actions.mark_held(meeting=meeting, by=ib, today=today)
    actions.sign_off(meeting=meeting, by=ib)
    return 1


def _care_team_members(school: School, meetings: list[Meeting]) -> None:
    members = [
        m.user
        for m in Membership.objects.active()
        .filter(school=school, role__in=[Role.CARE_TEAM_MEMBER, Role.DIRECTOR])
        .select_related("user")
        .order_by("role", "pk")
    ]
    for meeting in meetings:
        for user in members:
            Attendee.objects.get_or_create(meeting=meeting, user=user)
        for name, discipline in CARE_TEAM_GUESTS:
            Attendee.objects.create(meeting=meeting, name=name, discipline=discipline)


def _weekday_on_or_after(day: datetime.date, weekday: int) -> datetime.date:
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)
