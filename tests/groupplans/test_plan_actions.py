"""The group plan's rules: made from the overview, pupils placed, SMARTI goals before it
starts, evaluation flowing into the next overview, and the next cycle pre-filled."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from groupplans import actions, plan_actions
from groupplans.models import (
    GroupPlan,
    OfferTemplate,
    Outcome,
    Placement,
    PlanArea,
    PlanPart,
    PlanStatus,
    Subgroup,
    SubgroupKind,
)
from tests.groupplans.conftest import add_pupils, add_result

pytestmark = pytest.mark.django_db


def _section(plan, name):
    return plan.sections.get(area__name=name)


def _fill_goals(plan, period):
    for subgroup in Subgroup.objects.filter(section__plan=plan):
        subgroup.goal_didactic = "Tafels 1 t/m 5 automatiseren"
        subgroup.goal_measure = "tempotoets tafels"
        subgroup.goal_criterion = "40 sommen in 2 minuten, 90% goed"
        subgroup.goal_date = period.end_date
        subgroup.save()


def _activate(world, plan, period):
    for section in plan.sections.all():
        if section.area.part == PlanPart.SUBJECTS:
            plan_actions.accept_suggestions(section=section, by=world.users["teacher"])
    _fill_goals(plan, period)
    return plan_actions.activate_plan(plan=plan, by=world.users["teacher"])


def test_plan_has_the_school_areas_for_the_group_grades(plan):
    names = [s.area.name for s in plan.sections.all()]
    # Group 5: the four subject areas of grades 3-8 and part 2, not the early-years areas.
    assert names == [
        "Technisch lezen",
        "Begrijpend lezen",
        "Spelling en taal",
        "Rekenen",
        "Werkhouding en sociaal-emotioneel functioneren",
    ]
    maths = _section(plan, "Rekenen")
    assert [s.kind for s in maths.subgroups.all()] == [
        SubgroupKind.INTENSIVE,
        SubgroupKind.CORE,
        SubgroupKind.EXTENSION,
    ]
    attitude = _section(plan, "Werkhouding en sociaal-emotioneel functioneren")
    assert attitude.subgroups.count() == 0


def test_plan_for_kindergarten_has_emergent_areas(world, periods):
    world.group.grade_low, world.group.grade_high = 1, 2
    world.group.save()
    overview = actions.create_overview(
        group=world.group, period=periods[0], by=world.users["teacher"]
    )
    plan = plan_actions.create_plan(overview=overview, by=world.users["teacher"])
    assert [s.area.name for s in plan.sections.all()] == [
        "Beginnende geletterdheid",
        "Beginnende gecijferdheid",
        "Werkhouding en sociaal-emotioneel functioneren",
    ]


def test_one_plan_per_overview(world, overview, plan):
    with pytest.raises(ValidationError):
        plan_actions.create_plan(overview=overview, by=world.users["teacher"])


def test_retired_area_is_not_in_new_plans(world, overview):
    plan_actions.ensure_default_areas(world.school)
    area = PlanArea.objects.get(school=world.school, name="Technisch lezen")
    area.active = False
    area.save()
    plan = plan_actions.create_plan(overview=overview, by=world.users["teacher"])
    assert not plan.sections.filter(area=area).exists()


def test_library_fills_a_new_plan(world, overview):
    plan_actions.ensure_default_areas(world.school)
    area = PlanArea.objects.get(school=world.school, name="Rekenen")
    OfferTemplate.objects.create(
        school=world.school,
        area=area,
        kind=SubgroupKind.INTENSIVE,
        title="Rekenen zorggroep",
        goal_didactic="Splitsen tot 20",
        approach="Verlengde instructie",
    )
    plan = plan_actions.create_plan(overview=overview, by=world.users["teacher"])
    intensive = _section(plan, "Rekenen").subgroups.get(kind=SubgroupKind.INTENSIVE)
    assert intensive.goal_didactic == "Splitsen tot 20"
    assert intensive.approach == "Verlengde instructie"
    assert intensive.goal_date == overview.period.end_date
    core = _section(plan, "Rekenen").subgroups.get(kind=SubgroupKind.CORE)
    assert core.goal_didactic == ""


def test_suggestions_place_by_results(world, plan, maths, period):
    day = period.start_date - datetime.timedelta(days=20)
    strong, middle = add_pupils(world.group, 2, world.group.school_year.start_date)
    add_result(world.pupil, maths, day, score=150, level="V")
    add_result(strong, maths, day, score=250, level="I")
    add_result(middle, maths, day, score=200, level="III")
    actions.add_missing_rows(plan.overview, world.users["teacher"])
    section = _section(plan, "Rekenen")
    placed = plan_actions.accept_suggestions(section=section, by=world.users["teacher"])
    assert placed == 3
    kinds = {p.pupil: p.subgroup.kind for p in section.placements.all()}
    assert kinds == {
        world.pupil: SubgroupKind.INTENSIVE,
        strong: SubgroupKind.EXTENSION,
        middle: SubgroupKind.CORE,
    }


def test_move_and_individual_placement(world, plan):
    section = _section(plan, "Rekenen")
    by = world.users["teacher"]
    core = section.subgroups.get(kind=SubgroupKind.CORE)
    extension = section.subgroups.get(kind=SubgroupKind.EXTENSION)
    plan_actions.place_pupil(section=section, pupil_id=world.pupil.pk, subgroup=core, by=by)
    plan_actions.place_pupil(section=section, pupil_id=world.pupil.pk, subgroup=extension, by=by)
    assert Placement.objects.get(section=section, pupil=world.pupil).subgroup == extension
    placement = plan_actions.place_individually(section=section, pupil_id=world.pupil.pk, by=by)
    assert placement.subgroup.kind == SubgroupKind.INDIVIDUAL
    assert Placement.objects.filter(section=section, pupil=world.pupil).count() == 1
    # Moved back, the empty individual offer without text goes.
    plan_actions.place_pupil(section=section, pupil_id=world.pupil.pk, subgroup=core, by=by)
    assert not section.subgroups.filter(kind=SubgroupKind.INDIVIDUAL).exists()


def test_pupil_of_another_group_cannot_be_placed(world, plan):
    section = _section(plan, "Rekenen")
    core = section.subgroups.get(kind=SubgroupKind.CORE)
    with pytest.raises(ValidationError):
        plan_actions.place_pupil(
            section=section,
            pupil_id=world.other_group_pupil.pk,
            subgroup=core,
            by=world.users["teacher"],
        )


def test_subgroup_of_another_area_is_refused(world, plan):
    maths, reading = _section(plan, "Rekenen"), _section(plan, "Technisch lezen")
    with pytest.raises(ValidationError):
        plan_actions.place_pupil(
            section=maths,
            pupil_id=world.pupil.pk,
            subgroup=reading.subgroups.first(),
            by=world.users["teacher"],
        )


def test_one_placement_per_area_in_the_database(world, plan):
    section = _section(plan, "Rekenen")
    core, extension = section.subgroups.all()[1:3]
    Placement.objects.create(section=section, subgroup=core, pupil=world.pupil)
    with pytest.raises(IntegrityError), transaction.atomic():
        Placement.objects.create(section=section, subgroup=extension, pupil=world.pupil)


def test_activation_needs_placements_and_smarti_goals(world, plan, period):
    by = world.users["teacher"]
    with pytest.raises(ValidationError) as problem:
        plan_actions.activate_plan(plan=plan, by=by)
    assert any("hebben nog geen subgroep" in m for m in problem.value.messages)
    for section in plan.sections.all():
        plan_actions.accept_suggestions(section=section, by=by)
    with pytest.raises(ValidationError) as problem:
        plan_actions.activate_plan(plan=plan, by=by)
    assert any("geen criterium" in m for m in problem.value.messages)
    _fill_goals(plan, period)
    late = Subgroup.objects.filter(section__plan=plan, placements__isnull=False).first()
    late.goal_date = period.end_date + datetime.timedelta(days=1)
    late.save()
    with pytest.raises(ValidationError) as problem:
        plan_actions.activate_plan(plan=plan, by=by)
    assert any("valt niet in deze periode" in m for m in problem.value.messages)
    _fill_goals(plan, period)
    plan = plan_actions.activate_plan(plan=plan, by=by)
    assert plan.status == PlanStatus.ACTIVE
    assert plan.activated_by == by


def test_stale_subgroup_save_is_refused(world, plan):
    subgroup = Subgroup.objects.filter(section__plan=plan).first()
    by = world.users["teacher"]
    plan_actions.save_versioned(obj=subgroup, values={"content": "A"}, seen_version=1, by=by)
    with pytest.raises(plan_actions.Stale) as stale:
        plan_actions.save_versioned(obj=subgroup, values={"content": "B"}, seen_version=1, by=by)
    assert stale.value.current.content == "A"


def test_evaluation_flows_into_the_next_overview_and_plan(world, plan, period, periods):
    by = world.users["teacher"]
    plan = _activate(world, plan, period)
    with pytest.raises(ValidationError):
        plan_actions.evaluate_plan(plan=plan, by=by)
    maths = _section(plan, "Rekenen")
    placement = Placement.objects.get(section=maths, pupil=world.pupil)
    for subgroup in Subgroup.objects.filter(section__plan=plan):
        subgroup.outcome = Outcome.REACHED
        subgroup.helped = "korte instructie"
        subgroup.save()
    placement.outcome = Outcome.PARTLY
    placement.hindered = "veel afwezig"
    placement.save()
    plan = plan_actions.evaluate_plan(plan=plan, by=by)
    assert plan.status == PlanStatus.EVALUATED
    # Pupils without their own outcome take the subgroup's.
    reading = Placement.objects.get(section=_section(plan, "Technisch lezen"), pupil=world.pupil)
    assert reading.outcome == Outcome.REACHED

    following = plan_actions.start_next_cycle(plan=plan, by=by)
    assert following.period == periods[1]
    assert following.carried_from == plan
    row = following.overview.rows.get(pupil=world.pupil)
    assert "Rekenen" in row.specific_needs
    assert "deels behaald" in row.specific_needs
    assert "veel afwezig" in row.specific_needs
    # The offer and the pupils carry over; the goal date moves to the new period.
    new_maths = _section(following, "Rekenen")
    old_core = maths.subgroups.get(pk=placement.subgroup_id)
    new_subgroup = Placement.objects.get(section=new_maths, pupil=world.pupil).subgroup
    assert new_subgroup.kind == old_core.kind
    assert new_subgroup.goal_didactic == old_core.goal_didactic
    assert new_subgroup.goal_date == periods[1].end_date
    assert new_subgroup.outcome == ""
    with pytest.raises(ValidationError):
        plan_actions.start_next_cycle(plan=plan, by=by)


def test_evaluation_reaches_an_overview_made_before_it(world, plan, period, periods):
    by = world.users["teacher"]
    plan = _activate(world, plan, period)
    later = actions.create_overview(group=world.group, period=periods[1], by=by)
    Subgroup.objects.filter(section__plan=plan).update(outcome=Outcome.NOT_REACHED)
    plan_actions.evaluate_plan(plan=plan, by=by)
    row = later.rows.get(pupil=world.pupil)
    assert "niet behaald" in row.specific_needs
    assert row.version == 2


def test_evaluated_plan_is_locked(world, plan, period):
    by = world.users["teacher"]
    plan = _activate(world, plan, period)
    for subgroup in Subgroup.objects.filter(section__plan=plan):
        subgroup.outcome = Outcome.REACHED
        subgroup.save()
    plan_actions.evaluate_plan(plan=plan, by=by)
    subgroup = Subgroup.objects.filter(section__plan=plan).first()
    with pytest.raises(ValidationError):
        plan_actions.save_versioned(obj=subgroup, values={"content": "x"}, seen_version=1, by=by)


def test_last_period_has_no_next_cycle(world, periods):
    by = world.users["teacher"]
    overview = actions.create_overview(group=world.group, period=periods[-1], by=by)
    plan = plan_actions.create_plan(overview=overview, by=by)
    GroupPlan.objects.filter(pk=plan.pk).update(
        status=PlanStatus.EVALUATED, evaluated_by=by, evaluated_at=overview.created_at
    )
    plan.refresh_from_db()
    with pytest.raises(ValidationError):
        plan_actions.start_next_cycle(plan=plan, by=by)


@pytest.mark.parametrize(
    "fields",
    [{"activated_by": None}, {"evaluated_by": None}],
)
def test_paired_timestamps_are_enforced(world, plan, fields):
    when = plan.created_at
    values = {"activated_at": when, "evaluated_at": when, "activated_by": world.users["teacher"]}
    values["evaluated_by"] = world.users["teacher"]
    values.update(fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        GroupPlan.objects.filter(pk=plan.pk).update(**values)
