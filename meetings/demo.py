"""The demo school's year plan (run after `seed_demo` and `seed_demo_overviews`; see
`seed_demo_meetings`): a group meeting per group at the end of periods 1 and 2 of this
school year, six care-team meetings spread over the year with the care team's members, two
pupil meetings, and a few action points. Made through the actions, so the history records
all. No pupils on any agenda: pupil meetings get theirs from registrations (a later slice),
care-team meetings from the care route.
"""

import datetime

from django.db import transaction

from accounts.models import Membership, Role, User
from audit.history import acting_as
from meetings import action_points, actions
from meetings.models import Attendee, Meeting, MeetingKind
from schools.actions import ensure_default_periods
from schools.models import School, SchoolYear

DEMO_BRIN = "99AA"

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
    return made


# The Groep 5 teacher's login in the demo (seed_demo).
DEMO_TEACHER = "leerkracht@demo.hgw.nl"


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
