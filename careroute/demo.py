"""The demo school's care route (run after `seed_demo_meetings`; see `seed_demo_careroute`),
every step through the route's own `move` and the actions a person would use:

- the Groep 5 pupils whose registrations the teacher submitted in `seed_demo_meetings` went
  to level 2 by submitting them (the registration step): the one on the first pupil meeting's
  agenda, and the one still waiting for an agenda;
- the pupil discussed six weeks ago, whose pupil meeting concluded the group plan suffices,
  is taken back to level 1 by the IB (goal reached), so no pupil waits at level 2 for nothing;
- two more Groep 5 pupils were discussed in a pupil meeting five weeks ago that concluded an
  IHP is needed (their registrations, submitted before it, took them to level 2): the first
  waits at level 2 for the IB to write and start the IHP (the step to level 3); the second is
  at level 3 with a running IHP and five weeks of data points, ready to be evaluated and —
  with the parents' consent — taken to the care team (level 4);
- a third pupil of that meeting went the whole way: the IHP evaluated with too little result,
  registered for the care team with the parents' question and consent, the meeting report and
  the IHP selected for the external members, at level 4 with an open case on the next
  care-team meeting's agenda (so the demo's care-team member sees a pupil).
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from accounts.models import Membership, Role, User
from audit.history import acting_as
from careroute import cases, consents, registration_step, route
from careroute import ihp as ihps
from careroute.models import ConsentDecision, ConsentHow, ConsentPurpose, Level, RouteEvent
from meetings import actions, registrations
from meetings.models import ItemOutcome, MeetingItem, MeetingKind, MeetingStatus
from pupils.models import Group, Pupil, TestResult
from schools.models import School, SchoolYear

DEMO_BRIN = "99AA"
DEMO_TEACHER = "leerkracht@demo.hgw.nl"
DEMO_GROUP = "Groep 5"

# The pupil meeting five weeks ago, for two pupils: (question, tried, going well) and the
# growth document's agreements, in Dutch as the teacher and the IB would write them.
DISCUSSED = [
    (
        "{name} leest traag (DMT: ver onder de groep) en raadt woorden. Wat heeft {name} "
        "nodig om het technisch lezen in te halen?",
        "Dagelijks tien minuten duolezen en de verlengde instructie in de zorggroep lezen.",
        "{name} luistert graag naar verhalen en vertelt ze levendig na.",
    ),
    (
        "{name} haalt bij rekenen de tafels niet en scoort laag op de rekentoets. Hoe kan "
        "{name} de tafels automatiseren?",
        "Tafelkaarten, rekenspelletjes op de computer en verlengde instructie.",
        "{name} is gemotiveerd en werkt netjes.",
    ),
    (
        "{name} haalt bij rekenen de tafels niet en raakt gefrustreerd; thuis zijn er "
        "driftbuien over huiswerk. Wat heeft {name} nodig?",
        "Tafelkaarten, rekenspelletjes, verlengde instructie en een rustige werkplek.",
        "{name} is sterk in tekenen en helpt graag jongere kinderen.",
    ),
]
AGREEMENTS = (
    "De groepsaanpak is niet genoeg gebleken. De IB schrijft met de leerkracht een individueel "
    "handelingsplan; de ouders worden uitgenodigd voor een gesprek."
)


def _pupils(school: School, today: datetime.date) -> list[Pupil]:
    group = Group.objects.filter(
        school=school, name=DEMO_GROUP, school_year=SchoolYear.current(today)
    ).first()
    if group is None:
        return []
    pupils = list(Pupil.objects.in_groups(Group.objects.filter(pk=group.pk), on=today))
    pupils.sort(key=lambda p: (p.family_name, p.given_name, p.pk))
    return pupils


def _score(pupil: Pupil, instrument: str) -> float:
    """The pupil's latest score on the instrument whose name contains `instrument`."""
    result = (
        TestResult.objects.filter(pupil=pupil, instrument__name__icontains=instrument)
        .exclude(score=None)
        .order_by("-date_taken", "-pk")
        .first()
    )
    return float(result.score) if result else float("inf")


def _fitting(pupils: list[Pupil]) -> list[Pupil]:
    """Whom the questions in DISCUSSED fit: the weakest technical reader, then the two
    weakest in arithmetic (the tables). Empty when the group is too small."""
    if len(pupils) < len(DISCUSSED):
        return []
    reader = min(pupils, key=lambda p: (_score(p, "DMT"), p.pk))
    rest = sorted((p for p in pupils if p != reader), key=lambda p: (_score(p, "Rekenen"), p.pk))
    return [reader, *rest[:2]]


def _ib(school: School) -> User | None:
    membership = (
        Membership.objects.active()
        .filter(school=school, role=Role.CARE_COORDINATOR)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


@transaction.atomic
def seed() -> int:
    """Returns how many route steps were made (0 when the school's route has more than the
    registration steps already)."""
    school = School.objects.filter(brin=DEMO_BRIN, dependance_code="").first()
    teacher = User.objects.filter(email=DEMO_TEACHER).first()
    if school is None or teacher is None:
        return 0
    if (
        RouteEvent.objects.filter(pupil__school=school)
        .exclude(move=registration_step.STEP)
        .exists()
    ):
        return 0
    ib = _ib(school)
    if ib is None:
        return 0
    today = timezone.localdate()
    made = _plan_suffices(school, ib, today)
    pupils = _pupils(school, today)
    # The first seven of the list are the pupil log's and the meetings demo's.
    chosen = _fitting(pupils[7:])
    if chosen:
        with translation.override(settings.LANGUAGE_CODE):
            made += _ihp_route(school, ib, teacher, chosen, today)
    return made


def _plan_suffices(school: School, ib, today: datetime.date) -> int:
    """The pupils at level 2 whose signed-off pupil meeting concluded the group plan suffices
    go back to level 1 (goal reached), as the IB would after that meeting."""
    items = (
        MeetingItem.objects.filter(
            meeting__school=school,
            meeting__kind=MeetingKind.PUPIL,
            meeting__status=MeetingStatus.SIGNED_OFF,
            outcome=ItemOutcome.PLAN_SUFFICES,
        )
        .select_related("pupil")
        .order_by("meeting__signed_off_at", "pk")
    )
    made = 0
    with acting_as(ib):
        for item in items:
            if route.current_level(item.pupil) != Level.PUPIL_MEETING:
                continue
            route.move(
                pupil=item.pupil,
                move_name="goal_reached",
                by=ib,
                reason="De leerlingbespreking concludeerde dat de aanpak binnen het groepsplan "
                "past.",
                today=today,
            )
            made += 1
    return made


def _ihp_route(school: School, ib, teacher, pupils: list[Pupil], today: datetime.date) -> int:
    """The pupil meeting five weeks ago for both pupils; the second's IHP. Returns the
    number of route steps made."""
    day = today - datetime.timedelta(weeks=5)
    day -= datetime.timedelta(days=(day.weekday() - 1) % 7)  # the Tuesday before
    year = SchoolYear.current(today)
    if year is None or day < year.start_date:
        return 0
    steps = 0
    meeting = actions.plan_meeting(
        school=school,
        kind=MeetingKind.PUPIL,
        date=day,
        start_time=datetime.time(8, 15),
        location="Kamer van de IB",
        by=ib,
    )
    items = []
    for pupil, (question, tried, going_well) in zip(pupils, DISCUSSED, strict=True):
        name = pupil.given_name
        with acting_as(teacher):
            registration = registrations.start_registration(
                pupil=pupil,
                question=question.format(name=name),
                tried=tried.format(name=name),
                going_well=going_well.format(name=name),
                by=teacher,
            )
            # Submitting it is the step to level 2 (before the meeting is signed off).
            registration, event = registration_step.submit_registration(
                registration=registration, by=teacher, today=today
            )
            steps += event is not None
        with acting_as(ib):
            item = registrations.attach_registration(
                meeting=meeting, registration=registration, by=ib
            )
            values = {
                "agreements": AGREEMENTS,
                "outcome": "ihp_needed",
                "outcome_note": "Eerst een IHP van zes weken; daarna evalueren.",
            }
            items.append(
                actions.save_item(item=item, values=values, seen_version=item.version, by=ib)
            )
    with acting_as(ib):
        actions.mark_held(meeting=meeting, by=ib, today=today)
        actions.sign_off(meeting=meeting, by=ib)
        _running_ihp(
            pupils[1], items[1], ib, teacher, day, today, [12, 14, 13, 15, 14], [18, 20, 19]
        )
        steps += 1
        plan = _running_ihp(
            pupils[2], items[2], ib, teacher, day, today, [10, 11, 10, 11, 11], [15, 16, 15]
        )
        steps += 1 + _to_care_team(school, pupils[2], plan, items[2], ib, today)
    return steps


def _to_care_team(school: School, pupil: Pupil, plan, item, ib, today) -> int:
    """The IHP evaluated with too little result, the care-team registration with the parents'
    question and their consent (noted from a conversation), the documents, the step to level
    4 and the case on the next care-team meeting's agenda."""
    name = pupil.given_name
    outcomes = {
        goal.pk: ("not_reached", "Nauwelijks vooruitgang, ook met dagelijkse oefening.")
        for goal in plan.goals.all()
    }
    plan = ihps.evaluate_ihp(
        ihp=plan,
        goal_outcomes=outcomes,
        outcome="external",
        result_sufficient=False,
        notes=f"Te weinig resultaat; de vraag gaat met de ouders van {name} naar het zorgteam.",
        by=ib,
    )
    registration = cases.start_care_team_registration(
        pupil=pupil,
        question=(
            f"Wat hebben {name} en de school nodig om de tafels te automatiseren, en hoe "
            "ondersteunen we de ouders bij de spanning rond huiswerk?"
        ),
        parents_involved="Samen met de ouders opgesteld in het gesprek over de evaluatie.",
        by=ib,
    )
    guardians = [g for g in pupil.guardians.all() if g.has_parental_authority]
    if not guardians:
        return 0
    entry = consents.note_conversation(
        pupil=pupil,
        date=today,
        notes="De ouders geven toestemming voor bespreking van de hulpvraag in het zorgteam.",
        participants=", ".join([*(g.name for g in guardians), "IB"]),
        by=ib,
    )
    for guardian in guardians:
        consents.record_consent(
            pupil=pupil,
            guardian=guardian,
            purpose=ConsentPurpose.CARE_TEAM,
            decision=ConsentDecision.GIVEN,
            decided_on=today,
            how=ConsentHow.CONVERSATION,
            by=ib,
            registration=registration,
            log_entry=entry,
        )
    cases.set_selection(
        registration=registration,
        keys=[f"meeting_item:{item.pk}", f"ihp:{plan.pk}"],
        by=ib,
    )
    route.move(pupil=pupil, move_name="to_care_team", by=ib)
    meeting = cases.upcoming_care_team_meetings(school.pk).filter(date__gte=today).first()
    if meeting is not None:
        cases.put_on_agenda(case=registration.case, meeting=meeting, by=ib)
    return 1


def _running_ihp(pupil: Pupil, item, ib, teacher, day: datetime.date, today, values, long_values):
    """An IHP for the tables, started the day after the meeting (the step to level 3), with a
    weekly data point of `values` on its short-term goal (too slow for its criterion, so the
    chart hints at adjusting) and one every two weeks of `long_values` on its long-term goal.
    Returns the IHP."""
    name = pupil.given_name
    plan = ihps.create_ihp(pupil=pupil, based_on=item, by=ib)
    start = day + datetime.timedelta(days=1)
    end = start + datetime.timedelta(weeks=6)
    plan = ihps.save_ihp(
        ihp=plan,
        values={
            "term_start": start,
            "term_end": end,
            "content": (
                f"Vier keer per week een kwartier tafels oefenen met {name} aan de "
                "instructietafel: eerst met concreet materiaal, dan met tafelkaarten, dan "
                f"op tijd. Thuis oefent {name} met de tafelapp."
            ),
            "people_involved": f"de leerkracht, de onderwijsassistent, de IB, de ouders van {name}",
            "evaluation_what": "de tafels 1 t/m 10, gemengd",
            "evaluation_who": "de leerkracht met de IB",
            "evaluation_how": "een tafeltoets van 2 minuten, elke week",
            "evaluation_criteria": "40 sommen goed in 2 minuten",
        },
        seen_version=plan.version,
        by=ib,
    )
    goals = [
        (
            "long",
            f"{name} beheerst de tafels 1 t/m 10 geautomatiseerd.",
            "tafeltoets",
            "40 sommen goed in 2 minuten",
            end,
        ),
        (
            "short",
            f"{name} kent de tafels van 2, 5 en 10 uit het hoofd.",
            "sommen goed in 2 minuten (tafels 2, 5, 10)",
            "30",
            start + datetime.timedelta(weeks=4),
        ),
    ]
    made = []
    for term, description, measure, criterion, target in goals:
        made.append(
            ihps.add_goal(
                ihp=plan,
                values={
                    "term": term,
                    "description": description,
                    "measure": measure,
                    "criterion": criterion,
                    "target_date": target,
                    "owner": teacher,
                },
                by=ib,
            )
        )
    ihps.add_organisation(
        ihp=plan,
        values={
            "goal": made[1],
            "who": "onderwijsassistent",
            "how_often": "4 x per week",
            "where": "instructietafel",
            "when": "na de pauze",
            "duration": "15 minuten",
        },
        by=ib,
    )
    plan = ihps.start_ihp(ihp=plan, by=ib)
    route.move(pupil=pupil, move_name="start_ihp", by=ib)
    # The story's day (the route's steps are all made today): it started the day after the
    # meeting, so its data points since then are taken and it can be evaluated today.
    plan.started_at = timezone.make_aware(datetime.datetime.combine(start, datetime.time(8, 30)))
    plan.save()
    for goal, every, series in ((made[1], 7, values), (made[0], 14, long_values)):
        for n, value in enumerate(series):
            measured = start + datetime.timedelta(days=2 + every * n)
            if measured <= today:
                ihps.add_data_point(goal=goal, date=measured, value=value, by=teacher)
    return plan
