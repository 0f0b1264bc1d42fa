"""Group overviews for the demo school (run after `seed_demo`; see `seed_demo_overviews`).

Last school year's second period for every group of De Regenboog, discussed, with factors
and signals from the test results; this year's current period started from it (so every row
shows what it continued from), and in Groep 5 (the demo teacher's) a few rows filled in
further, one pupil signalled with needs, and suggestions left for the teacher to decide.
Random but seeded; writes one record at a time through the actions, so history records all.
"""

import datetime
import random

from django.db import transaction

from accounts.models import Membership, Role
from audit.history import acting_as
from groupplans import actions
from groupplans.grid import build
from groupplans.models import GroupOverview, SignalDecision
from pupils.models import Group
from schools.models import Period, School

DEMO_BRIN = "99AA"

STIMULATING = [
    "Werkt zelfstandig en plant goed.",
    "Leest graag, ook thuis.",
    "Helpt klasgenoten en is geliefd in de groep.",
    "Vraagt om hulp wanneer nodig.",
    "Sterk in rekenen; denkt hardop na.",
    "Gemotiveerd door complimenten.",
    "Creatief en vol ideeën bij projecten.",
    "Ouders zijn betrokken en lezen thuis mee.",
]
HINDERING = [
    "Snel afgeleid bij drukte in de klas.",
    "Faalangstig bij toetsen.",
    "Werkt slordig onder tijdsdruk.",
    "Moeite met het automatiseren van tafels.",
    "Leest nog niet vlot; raadt woorden.",
    "Vindt samenwerken lastig.",
    "Komt vaak moe op school.",
]
NEEDS = {
    "need_instruction": "heeft verlengde instructie nodig met een stappenplan op papier.",
    "need_assignments": "heeft korte opdrachten nodig met tussentijdse controle.",
    "need_environment": "heeft een rustige werkplek nodig, met koptelefoon bij zelfstandig werken.",
    "need_feedback": "heeft directe, positieve feedback nodig op inzet en aanpak.",
    "need_classmates": "heeft een vast maatje nodig bij samenwerkingsopdrachten.",
    "need_teacher": "heeft een leerkracht nodig die vooraf uitlegt wat er gaat komen.",
    "need_parents": "heeft ouders nodig die thuis tien minuten per dag de tafels oefenen.",
}


def _period_on(school: School, day: datetime.date) -> Period | None:
    return Period.objects.filter(school=school, start_date__lte=day, end_date__gte=day).first()


def _ib(school: School):
    membership = Membership.objects.filter(school=school, role=Role.CARE_COORDINATOR).first()
    return membership.user if membership else None


def _teacher(group: Group):
    assignment = group.assignments.order_by("start_date").first()
    return assignment.teacher if assignment else None


def _fill(overview: GroupOverview, rng: random.Random, by, *, share: float) -> None:
    """Factors for a share of the pupils; the suggested signals confirmed for some."""
    for item in build(overview):
        if item.has_left or rng.random() > share:
            continue
        row = item.row
        values = {
            "stimulating": rng.choice(STIMULATING),
            "hindering": rng.choice(HINDERING) if rng.random() < 0.6 else "",
        }
        row = actions.save_row(row=row, values=values, seen_version=row.version, by=by)
        for suggestion in item.suggestions[:1]:
            if rng.random() < 0.5:
                row = actions.decide_suggestion(
                    row=row,
                    key=suggestion.key,
                    suggestion=suggestion.reason,
                    decision=SignalDecision.CONFIRMED,
                    reason="",
                    by=by,
                )
                row = actions.save_row(row=row, values=NEEDS, seen_version=row.version, by=by)


@transaction.atomic
def seed(today: datetime.date) -> int:
    """Create the demo overviews; returns how many (0 when they exist already)."""
    school = School.objects.filter(brin=DEMO_BRIN, dependance_code="").first()
    current = _period_on(school, today) if school else None
    if current is None or GroupOverview.objects.filter(group__school=school).exists():
        return 0
    rng = random.Random(2026)
    ib = _ib(school)
    made = 0
    previous = (
        Period.objects.filter(school=school, end_date__lt=current.start_date)
        .order_by("-start_date")
        .first()
    )
    with acting_as(ib):
        if previous is not None:
            for group in Group.objects.filter(school=school, school_year=previous.school_year):
                overview = actions.create_overview(group=group, period=previous, by=ib)
                _fill(overview, rng, ib, share=0.8)
                # Last year's meetings are history: nobody needs an e-mail about them now.
                actions.send_overview(overview=overview, questions="", by=ib, notify=False)
                actions.mark_discussed(overview=overview, by=ib)
                made += 1
        for group in Group.objects.filter(school=school, school_year=current.school_year):
            teacher = _teacher(group) or ib
            with acting_as(teacher):
                overview = actions.create_overview(group=group, period=current, by=teacher)
                if group.name == "Groep 5":
                    _fill(overview, rng, teacher, share=0.3)
            made += 1
    return made
