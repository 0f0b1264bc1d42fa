"""Placing pupils, whatever the order of clicks: one subgroup per pupil per area, always in
that area; an individual offer is one pupil's and goes when it is left empty and unwritten;
taking over the suggestions leaves nobody unplaced. And the suggestion itself."""

import datetime

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from groupplans import actions, grid, plan_actions
from groupplans.models import Placement, Subgroup, SubgroupKind
from groupplans.placement import suggest_placement
from pupils.models import Instrument
from tests.groupplans.conftest import add_pupils, add_result

pytestmark = pytest.mark.django_db

TARGETS = ["intensive", "core", "extension", "individual", "accept"]
operations = st.lists(
    st.tuples(st.integers(min_value=0, max_value=2), st.sampled_from(TARGETS)), max_size=12
)


@settings(
    database=None,
    deadline=None,
    max_examples=40,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps=operations)
def test_any_order_of_placing_keeps_the_rules(world, plan, steps):
    teacher = world.users["teacher"]
    with transaction.atomic():
        pupils = [world.pupil, *add_pupils(world.group, 2, world.group.school_year.start_date)]
        actions.add_missing_rows(plan.overview, teacher)
        section = plan.sections.get(area__name="Rekenen")
        by_kind = {s.kind: s for s in section.subgroups.all()}
        for index, target in steps:
            pupil = pupils[index]
            if target == "accept":
                plan_actions.accept_suggestions(section=section, by=teacher)
                placed = set(section.placements.values_list("pupil_id", flat=True))
                assert placed == {p.pk for p in pupils}
            elif target == "individual":
                plan_actions.place_individually(section=section, pupil_id=pupil.pk, by=teacher)
            else:
                plan_actions.place_pupil(
                    section=section, pupil_id=pupil.pk, subgroup=by_kind[target], by=teacher
                )
            _check(section)
        transaction.set_rollback(True)


def _check(section):
    placements = list(Placement.objects.filter(section__plan=section.plan))
    keys = [(p.section_id, p.pupil_id) for p in placements]
    assert len(keys) == len(set(keys))
    subgroups = {s.pk: s for s in Subgroup.objects.filter(section__plan=section.plan)}
    for placement in placements:
        assert subgroups[placement.subgroup_id].section_id == placement.section_id
    for subgroup in subgroups.values():
        if subgroup.kind == SubgroupKind.INDIVIDUAL:
            # Moved out without anything written in it, an individual offer goes.
            assert sum(p.subgroup_id == subgroup.pk for p in placements) == 1


LEVELS = ["I", "II", "III", "IV", "V"]


@settings(
    database=None,
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    maths=st.lists(st.sampled_from(LEVELS), min_size=1, max_size=3),
    reading=st.lists(st.sampled_from(LEVELS), max_size=2),
)
def test_suggestion_follows_the_levels_of_the_area(world, plan, period, maths, reading):
    """Intensive when the area's latest result raises a signal (the default rules: IV or V, or a
    drop of a level); extension only when the latest level is I; other areas do not count."""
    with transaction.atomic():
        instrument = Instrument.objects.get(name="Cito Rekenen-Wiskunde")
        other = Instrument.objects.get(name="Cito Begrijpend lezen")
        # Within the year before the period's end: older results are history (grid.RECENT).
        start = period.start_date - datetime.timedelta(days=120)
        for n, level in enumerate(maths):
            add_result(
                world.pupil, instrument, start + datetime.timedelta(days=60 * n), level=level
            )
        for n, level in enumerate(reading):
            add_result(world.pupil, other, start + datetime.timedelta(days=30 * n), level=level)
        (item,) = grid.build(plan.overview)
        area = plan.sections.get(area__name="Rekenen").area
        kind = suggest_placement(area, item).kind
        latest = maths[-1]
        dropped = len(maths) > 1 and LEVELS.index(latest) > LEVELS.index(maths[-2])
        if latest in ("IV", "V") or dropped:
            assert kind == SubgroupKind.INTENSIVE
        elif latest == "I":
            assert kind == SubgroupKind.EXTENSION
        else:
            assert kind == SubgroupKind.CORE
        transaction.set_rollback(True)
