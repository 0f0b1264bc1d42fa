import datetime
from decimal import Decimal

import pytest

from groupplans import actions
from pupils.models import Instrument
from pupils.models import TestResult as Result
from schools.actions import ensure_default_periods
from tests import factories


@pytest.fixture
def periods(world):
    return ensure_default_periods(school=world.school, school_year=world.group.school_year)


@pytest.fixture
def period(periods):
    """The period the overview is for: the first of this school year."""
    return periods[0]


@pytest.fixture
def overview(world, period):
    return actions.create_overview(group=world.group, period=period, by=world.users["teacher"])


@pytest.fixture
def maths():
    return Instrument.objects.get(name="Cito Rekenen-Wiskunde")


def add_result(pupil, instrument, day: datetime.date, score=None, level=""):
    return Result.objects.create(
        pupil=pupil,
        instrument=instrument,
        date_taken=day,
        score=Decimal(score) if score is not None else None,
        level=level,
    )


def add_pupils(group, count: int, start: datetime.date):
    pupils = []
    for n in range(count):
        pupil = factories.PupilFactory(school=group.school, given_name=f"Kind{n}")
        factories.EnrolmentFactory(pupil=pupil, group=group, start_date=start)
        pupils.append(pupil)
    return pupils


@pytest.fixture
def plan(world, overview):
    from groupplans import plan_actions

    return plan_actions.create_plan(overview=overview, by=world.users["teacher"])
