import datetime

import pytest

from meetings import actions
from schools.actions import ensure_default_periods


@pytest.fixture
def periods(world):
    return ensure_default_periods(school=world.school, school_year=world.group.school_year)


@pytest.fixture
def period(periods):
    return periods[0]


@pytest.fixture
def ib(world):
    return world.users["care_coordinator"]


@pytest.fixture
def group_meeting(world, period, ib):
    return actions.plan_meeting(
        school=world.school,
        kind="group",
        group=world.group,
        period=period,
        date=period.end_date - datetime.timedelta(days=7),
        start_time=datetime.time(14, 30),
        location="Teamkamer",
        by=ib,
    )


@pytest.fixture
def care_team_meeting(world, period, ib):
    return actions.plan_meeting(
        school=world.school,
        kind="care_team",
        date=period.start_date + datetime.timedelta(days=40),
        start_time=datetime.time(9, 0),
        by=ib,
    )
