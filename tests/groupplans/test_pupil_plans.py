"""The group plan in each pupil's history: the dossier tab "plannen", the audit trail, the
retention purge and the parents' export."""

import json
import shutil
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AccessLogPupil
from groupplans import actions, plan_actions, pupil_views
from groupplans.models import (
    GroupPlan,
    Outcome,
    Placement,
    PlanPart,
    PlanStatus,
    Subgroup,
    SubgroupKind,
)
from pupils.retention import erasure_plan, purge_pupils
from tests.audit.test_retention import _leaver

pytestmark = pytest.mark.django_db


def _tab(pupil) -> str:
    return reverse("pupil_dossier_tab", args=[pupil.pk, "plannen"])


def _section(plan, name):
    return plan.sections.get(area__name=name)


def _subgroup(plan, area, kind):
    return _section(plan, area).subgroups.get(kind=kind)


def _goals(plan, period):
    for subgroup in Subgroup.objects.filter(section__plan=plan):
        if not subgroup.goal_didactic:
            subgroup.goal_didactic = "Tafels 1 t/m 5 automatiseren"
        subgroup.goal_measure = "tempotoets tafels"
        subgroup.goal_criterion = "40 sommen in 2 minuten, 90% goed"
        subgroup.goal_date = period.end_date
        subgroup.save()


@pytest.fixture
def evaluated(world, plan, period):
    """Sanne's plan of period 1, evaluated: maths in the intensive group (partly reached; the
    subgroup's "helped", her own "hindered"), technical reading on her own (reached)."""
    by = world.users["teacher"]
    maths = _section(plan, "Rekenen")
    intensive = maths.subgroups.get(kind=SubgroupKind.INTENSIVE)
    intensive.goal_didactic = "Splitsen tot 20 zonder materiaal"
    intensive.goal_pedagogic = "Durft hulp te vragen"
    intensive.save()
    plan_actions.place_pupil(section=maths, pupil_id=world.pupil.pk, subgroup=intensive, by=by)
    own = plan_actions.place_individually(
        section=_section(plan, "Technisch lezen"), pupil_id=world.pupil.pk, by=by
    )
    own.subgroup.goal_didactic = "AVI E4 beheersing"
    own.subgroup.save()
    for section in plan.sections.filter(area__part=PlanPart.SUBJECTS):
        plan_actions.accept_suggestions(section=section, by=by)
    _goals(plan, period)
    plan_actions.activate_plan(plan=plan, by=by)
    for subgroup in Subgroup.objects.filter(section__plan=plan):
        subgroup.outcome = Outcome.REACHED
        subgroup.save()
    intensive.refresh_from_db()
    intensive.outcome = Outcome.PARTLY
    intensive.helped = "Verlengde instructie aan de instructietafel"
    intensive.save()
    placement = maths.placements.get(pupil=world.pupil)
    placement.hindered = "Vaak afwezig op maandag"
    placement.save()
    own.refresh_from_db()
    own.helped = "Duolezen met een maatje"
    own.save()
    own.subgroup.refresh_from_db()
    own.subgroup.hindered = "Leest thuis weinig"
    own.subgroup.save()
    return plan_actions.evaluate_plan(plan=plan, by=by)


def test_the_tab_shows_each_plan_with_subgroup_goals_and_evaluation(world, evaluated, client_for):
    following = plan_actions.start_next_cycle(plan=evaluated, by=world.users["teacher"])
    response = client_for("teacher").get(_tab(world.pupil))
    assert response.status_code == 200
    # Newest period first: the draft of period 2, then the evaluated plan of period 1.
    plans = [item.plan for item in response.context["plans"]]
    assert plans == [following, evaluated]
    assert following.status == PlanStatus.DRAFT
    body = response.content.decode()
    assert body.index(f'id="plan-{following.pk}"') < body.index(f'id="plan-{evaluated.pk}"')
    assert str(evaluated.period) in body and "Groep 5" in body

    first = response.context["plans"][1]
    by_area = {entry.area.name: entry for entry in first.areas}
    maths = by_area["Rekenen"]
    assert maths.subgroup.kind == SubgroupKind.INTENSIVE
    assert maths.outcome == Outcome.PARTLY
    assert maths.helped == "Verlengde instructie aan de instructietafel"
    assert maths.helped_is_the_subgroups
    assert maths.hindered == "Vaak afwezig op maandag"
    assert not maths.hindered_is_the_subgroups
    reading = by_area["Technisch lezen"]
    assert reading.subgroup.is_individual and reading.outcome == Outcome.REACHED
    # Her own offer's evaluation is about her alone: not marked as the subgroup's.
    assert reading.hindered == "Leest thuis weinig" and not reading.hindered_is_the_subgroups
    # In the plan's order of areas, one row per area she was placed in.
    assert [entry.area.name for entry in first.areas] == [
        "Technisch lezen",
        "Begrijpend lezen",
        "Spelling en taal",
        "Rekenen",
    ]
    for text in (
        "Splitsen tot 20 zonder materiaal",
        "Durft hulp te vragen",
        "40 sommen in 2 minuten, 90% goed",
        "Verlengde instructie aan de instructietafel",
        "Vaak afwezig op maandag",
        "AVI E4 beheersing",
        "Duolezen met een maatje",
        str(Outcome.PARTLY.label).capitalize(),
    ):
        assert text in body, text
    # The next plan carries her subgroups, with nothing evaluated yet.
    second = response.context["plans"][0]
    assert second.areas and not any(entry.has_evaluation for entry in second.areas)
    # The page shows her data: noted in the access log as the dossier tab.
    assert AccessLogPupil.objects.filter(
        pupil_id=world.pupil.pk, entry__what="pupil_dossier_tab", entry__path=_tab(world.pupil)
    ).exists()


def test_a_pupil_without_a_plan_sees_the_empty_tab(world, client_for):
    response = client_for("care_coordinator").get(_tab(world.pupil))
    assert response.status_code == 200
    assert response.context["plans"] == []


@pytest.mark.parametrize("persona", ["teacher", "care_coordinator", "director"])
def test_the_tab_is_for_whoever_sees_learning_data(world, evaluated, client_for, persona):
    client = client_for(persona)
    dossier = client.get(reverse("pupil_dossier", args=[world.pupil.pk]), follow=True)
    assert "plannen" in [tab.slug for tab in dossier.context["tabs"]]
    assert "Duolezen met een maatje" in client.get(_tab(world.pupil)).content.decode()


@pytest.mark.parametrize("persona", ["other_teacher", "school_admin", "other_school_ib"])
def test_others_get_404_and_no_tab(world, evaluated, client_for, persona):
    client = client_for(persona)
    for url in (_tab(world.pupil), reverse("groupplans:pupil_plans", args=[world.pupil.pk])):
        assert client.get(url).status_code == 404, url
    if persona == "school_admin":
        dossier = client.get(reverse("pupil_dossier", args=[world.pupil.pk]), follow=True)
        assert "plannen" not in [tab.slug for tab in dossier.context["tabs"]]


def _plan_in(world, group, period, pupil, kind=SubgroupKind.CORE) -> GroupPlan:
    """A plan of `group` with `pupil` placed in every subject area (as if they had been in
    that group then)."""
    overview = actions.create_overview(
        group=group, period=period, by=world.users["care_coordinator"]
    )
    plan = plan_actions.create_plan(overview=overview, by=world.users["care_coordinator"])
    for section in plan.sections.filter(area__part=PlanPart.SUBJECTS):
        # A later plan of the group may have carried the pupil over already.
        Placement.objects.update_or_create(
            section=section, pupil=pupil, defaults={"subgroup": section.subgroups.get(kind=kind)}
        )
    return plan


def test_the_plan_link_shows_only_where_the_person_may_open_the_plan(world, periods, client_for):
    ours = _plan_in(world, world.group, periods[1], world.pupil)
    earlier = _plan_in(world, world.other_group, periods[0], world.pupil)
    teacher = client_for("teacher").get(_tab(world.pupil))
    assert teacher.context["openable"] == {ours.pk}
    body = teacher.content.decode()
    # The teacher reads the pupil's whole history, also the plan of the other group ...
    assert f'id="plan-{earlier.pk}"' in body and "Groep 6" in body
    # ... but opens only the plans of the groups they teach.
    assert reverse("groupplans:plan_detail", args=[ours.pk]) in body
    assert reverse("groupplans:plan_detail", args=[earlier.pk]) not in body
    ib = client_for("care_coordinator").get(_tab(world.pupil))
    assert ib.context["openable"] == {ours.pk, earlier.pk}


def test_the_tab_is_paginated_per_plan(world, periods, client_for, monkeypatch):
    monkeypatch.setattr(pupil_views, "PLANS_PER_PAGE", 1)
    newer = _plan_in(world, world.group, periods[1], world.pupil)
    older = _plan_in(world, world.group, periods[0], world.pupil)
    client = client_for("teacher")
    first = client.get(_tab(world.pupil))
    assert [item.plan for item in first.context["plans"]] == [newer]
    assert "?page=2" in first.content.decode()
    second = client.get(_tab(world.pupil), {"page": 2})
    assert [item.plan for item in second.context["plans"]] == [older]
    assert client.get(_tab(world.pupil), {"page": "x"}).status_code == 200


def test_the_tab_runs_the_same_queries_for_1_or_4_plans(
    world, periods, client_for, django_assert_num_queries
):
    _plan_in(world, world.group, periods[0], world.pupil)
    client = client_for("teacher")
    client.get(_tab(world.pupil))  # warm up (session, caches)
    with CaptureQueriesContext(connection) as few:
        assert client.get(_tab(world.pupil)).status_code == 200
    _plan_in(world, world.group, periods[1], world.pupil, kind=SubgroupKind.EXTENSION)
    _plan_in(world, world.other_group, periods[0], world.pupil, kind=SubgroupKind.INTENSIVE)
    _plan_in(world, world.other_group, periods[1], world.pupil)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(_tab(world.pupil))
    assert len(response.context["plans"]) == 4
    assert all(len(item.areas) == 4 for item in response.context["plans"])


# The audit trail ---------------------------------------------------------------------------


def test_the_trail_shows_placements_also_of_an_individual_offer_that_went(world, plan, client_for):
    by = world.users["teacher"]
    maths = _section(plan, "Rekenen")
    own = plan_actions.place_individually(section=maths, pupil_id=world.pupil.pk, by=by)
    gone = own.subgroup.pk
    core = maths.subgroups.get(kind=SubgroupKind.CORE)
    plan_actions.place_pupil(section=maths, pupil_id=world.pupil.pk, subgroup=core, by=by)
    # Nothing was written in the individual offer, so it went when she moved to the core group.
    assert not Subgroup.objects.filter(pk=gone).exists()
    response = client_for("care_coordinator").get(
        reverse("trail:revision_list"), {"pupil": world.pupil.pk}
    )
    assert response.status_code == 200
    placements = [r for r in response.context["rows"] if r.kind == "placement"]
    assert len(placements) == 2
    moved = next(r for r in placements if r.record.history_type == "~")
    assert "Groep 5" in moved.description and "Rekenen" in moved.description
    (change,) = [c for c in moved.changes if c.name == "subgroup"]
    assert change.new == core.title
    assert change.old and change.old != "None"
    assert "None" not in response.content.decode()


# Retention ---------------------------------------------------------------------------------


def test_erasing_a_pupil_takes_their_placements_and_their_own_offers(world, plan):
    """Like the overview's rows: the placements and their revisions go; so does an individual
    subgroup that was only ever the leaver's (its goals are about them), also one deleted
    earlier whose revisions hold text. Shared subgroups and other pupils stay."""
    by = world.users["teacher"]
    leaver = _leaver(world)
    actions.add_missing_rows(plan.overview, by)
    from groupplans.models import OverviewRow

    OverviewRow.objects.get_or_create(overview=plan.overview, pupil=leaver)
    maths = _section(plan, "Rekenen")
    core = maths.subgroups.get(kind=SubgroupKind.CORE)
    plan_actions.place_pupil(section=maths, pupil_id=world.pupil.pk, subgroup=core, by=by)
    # The leaver's own reading offer, with text about them.
    reading = plan_actions.place_individually(
        section=_section(plan, "Technisch lezen"), pupil_id=leaver.pk, by=by
    )
    reading.subgroup.goal_didactic = "Levi leest AVI M4 vlot"
    reading.subgroup.save()
    # An offer of their own once written and wiped again: it went, its revisions stayed.
    spelling = _section(plan, "Spelling en taal")
    wiped = plan_actions.place_individually(section=spelling, pupil_id=leaver.pk, by=by).subgroup
    wiped.goal_didactic = "Levi oefent de d/t-regel"
    wiped.save()
    wiped.goal_didactic = ""
    wiped.save()
    plan_actions.place_pupil(
        section=spelling,
        pupil_id=leaver.pk,
        subgroup=spelling.subgroups.get(kind=SubgroupKind.CORE),
        by=by,
    )
    assert not Subgroup.objects.filter(pk=wiped.pk).exists()
    # Sanne's own comprehension offer, which the leaver took over: it is about her too.
    comprehension = _section(plan, "Begrijpend lezen")
    shared = plan_actions.place_individually(
        section=comprehension, pupil_id=world.pupil.pk, by=by
    ).subgroup
    shared.goal_didactic = "Begrijpend lezen met leesstrategieën"
    shared.save()
    plan_actions.place_pupil(section=comprehension, pupil_id=leaver.pk, subgroup=shared, by=by)
    plan_actions.place_pupil(
        section=comprehension,
        pupil_id=world.pupil.pk,
        subgroup=comprehension.subgroups.get(kind=SubgroupKind.CORE),
        by=by,
    )
    plan_actions.place_pupil(section=maths, pupil_id=leaver.pk, subgroup=core, by=by)
    leaver_placements = set(leaver.plan_placements.values_list("pk", flat=True))
    assert len(leaver_placements) == 4
    sanne_placements = set(world.pupil.plan_placements.values_list("pk", flat=True))

    planned = erasure_plan([leaver.pk])
    order = [model for model, _ids in planned]
    assert order.index(Placement) < order.index(Subgroup) < order.index(type(leaver))
    assert dict(planned)[Subgroup] == {reading.subgroup.pk, wiped.pk}

    purge_pupils(school=world.school, pupil_ids=[leaver.pk], by=world.users["care_coordinator"])

    assert not Placement.objects.filter(pk__in=leaver_placements).exists()
    assert not Placement.history.filter(pupil_id=leaver.pk).exists()
    assert not Subgroup.objects.filter(pk=reading.subgroup.pk).exists()
    for gone in (reading.subgroup.pk, wiped.pk):
        assert not Subgroup.history.filter(id=gone).exists()
    # What is not the leaver's alone stays: the shared offer, the core group, Sanne's places.
    assert Subgroup.objects.filter(pk__in=[shared.pk, core.pk]).count() == 2
    assert set(world.pupil.plan_placements.values_list("pk", flat=True)) == sanne_placements
    assert Placement.history.filter(pupil_id=world.pupil.pk).exists()


# The parents' export -----------------------------------------------------------------------


def test_the_json_export_holds_the_plans_with_goals_and_evaluation(world, evaluated, client_for):
    response = client_for("care_coordinator").get(
        reverse("trail:export_json", args=[world.pupil.pk])
    )
    data = json.loads(response.content)
    (plan,) = data["group_plans"]
    assert (plan["id"], plan["group"], plan["status"]) == (evaluated.pk, "Groep 5", "evaluated")
    areas = {area["area"]: area for area in plan["areas"]}
    maths = areas["Rekenen"]
    assert maths["subgroup"]["kind"] == "intensive"
    assert maths["subgroup"]["goal_didactic"] == "Splitsen tot 20 zonder materiaal"
    assert maths["subgroup"]["goal_criterion"] == "40 sommen in 2 minuten, 90% goed"
    assert maths["subgroup"]["goal_date"] == evaluated.period.end_date.isoformat()
    assert maths["subgroup"]["outcome"] == "partly"
    assert maths["subgroup"]["helped"] == "Verlengde instructie aan de instructietafel"
    # Her own evaluation: the outcome the plan's evaluation gave her, her own "hindered".
    assert (maths["outcome"], maths["helped"], maths["hindered"]) == (
        "partly",
        "",
        "Vaak afwezig op maandag",
    )
    assert areas["Technisch lezen"]["subgroup"]["kind"] == "individual"
    assert areas["Technisch lezen"]["helped"] == "Duolezen met een maatje"
    # The placements' revisions are in the export's list of changes too.
    assert ("placement", "created") in {(r["record"], r["action"]) for r in data["revisions"]}


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
def test_the_pdf_export_shows_the_plans(world, evaluated, client_for, tmp_path):
    response = client_for("care_coordinator").get(
        reverse("trail:export_pdf", args=[world.pupil.pk])
    )
    pdf = tmp_path / "inzage.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = " ".join(text.split())
    for expected in (
        "Splitsen tot 20 zonder",
        "Durft hulp te vragen",
        "Vaak afwezig op",
        "Duolezen met een",
        "AVI E4 beheersing",
    ):
        assert expected in text, expected
