"""The group plan's pages: made from the overview by the teacher, read by the IB and the
director, saved over the version seen, validated in Dutch, placed by click or drop, started,
evaluated and continued; a fixed number of queries whatever the size of the group."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from groupplans import plan_actions
from groupplans.models import (
    GroupPlan,
    Outcome,
    Placement,
    PlanComment,
    PlanStatus,
    Subgroup,
    SubgroupKind,
)
from tests.groupplans.conftest import add_pupils

pytestmark = pytest.mark.django_db


def _detail(plan, section=None):
    url = reverse("groupplans:plan_detail", kwargs={"pk": plan.pk})
    return url + (f"?gebied={section.pk}" if section else "")


def _maths(plan):
    return plan.sections.get(area__name="Rekenen")


def _subgroup_data(subgroup, **values) -> dict:
    fields = {
        "goal_didactic": subgroup.goal_didactic,
        "goal_pedagogic": subgroup.goal_pedagogic,
        "goal_measure": subgroup.goal_measure,
        "goal_criterion": subgroup.goal_criterion,
        "goal_date": subgroup.goal_date.isoformat() if subgroup.goal_date else "",
        "content": subgroup.content,
        "approach": subgroup.approach,
        "materials": subgroup.materials,
        "start_time": "",
        "minutes": "",
        "staff": subgroup.staff,
        "version": str(subgroup.version),
    }
    fields.update(values)
    data = {f"g{subgroup.pk}-{name}": value for name, value in fields.items() if name != "days"}
    if "days" in values:
        data[f"g{subgroup.pk}-days"] = values["days"]
    return data


def _save_subgroup(client, plan, subgroup, **values):
    url = reverse("groupplans:subgroup_save", kwargs={"pk": plan.pk, "subgroup_pk": subgroup.pk})
    return client.post(url, _subgroup_data(subgroup, **values))


def _activate(world, plan):
    teacher = world.users["teacher"]
    for section in plan.sections.all():
        plan_actions.accept_suggestions(section=section, by=teacher)
    for subgroup in Subgroup.objects.filter(section__plan=plan):
        subgroup.goal_didactic = "Splitsen tot 20"
        subgroup.goal_measure = "methodetoets"
        subgroup.goal_criterion = "80% goed"
        subgroup.goal_date = plan.period.end_date
        subgroup.save()
    return plan_actions.activate_plan(plan=plan, by=teacher)


# Making and reading ------------------------------------------------------------------------


def test_teacher_makes_the_plan_from_the_overview(world, overview, client_for):
    client = client_for("teacher")
    page = client.get(reverse("groupplans:overview_detail", kwargs={"pk": overview.pk}))
    assert "Groepsplan maken" in page.content.decode()
    response = client.post(reverse("groupplans:plan_create", kwargs={"pk": overview.pk}))
    plan = GroupPlan.objects.get(overview=overview)
    assert response.status_code == 302
    assert response.url == _detail(plan)
    page = client.get(response.url)
    content = page.content.decode()
    assert "Groepsplan Groep 5" in content
    assert "Voordat het plan kan starten" in content
    assert "Zorggroep" in content and "Middengroep" in content and "Plusgroep" in content
    # The overview now links its plan instead of offering a second one.
    again = client.get(reverse("groupplans:overview_detail", kwargs={"pk": overview.pk}))
    assert "Groepsplan maken" not in again.content.decode()
    assert (
        client.post(reverse("groupplans:plan_create", kwargs={"pk": overview.pk})).status_code
        == 404
    )


def test_ib_reads_and_comments_but_does_not_edit(world, plan, client_for):
    client = client_for("care_coordinator")
    content = client.get(_detail(plan)).content.decode()
    assert "Groepsplan Groep 5" in content
    assert "De leerkracht van de groep is eigenaar van dit plan" in content
    assert "Plan starten" not in content
    subgroup = Subgroup.objects.filter(section__plan=plan).first()
    assert _save_subgroup(client, plan, subgroup, content="Van de IB").status_code == 404
    response = client.post(
        reverse("groupplans:comment_add", kwargs={"pk": plan.pk}),
        {"text": "Denk aan een tweede instructiemoment voor de zorggroep."},
    )
    assert response.status_code == 302
    comment = PlanComment.objects.get(plan=plan)
    assert comment.author == world.users["care_coordinator"]
    assert "tweede instructiemoment" in client.get(_detail(plan)).content.decode()


def test_plan_page_notes_the_pupils_it_shows(world, plan, client_for):
    from audit.models import AccessLogEntry

    client_for("director").get(_detail(plan))
    entry = AccessLogEntry.objects.filter(what="groupplans:plan_detail").latest("pk")
    assert list(entry.pupils.values_list("pupil_id", flat=True)) == [world.pupil.pk]


def test_plan_page_queries_do_not_grow_with_the_group(world, plan, client_for):
    client = client_for("teacher")
    section = _maths(plan)
    plan_actions.accept_suggestions(section=section, by=world.users["teacher"])
    client.get(_detail(plan, section))  # warm caches (session, site)
    with CaptureQueriesContext(connection) as few:
        client.get(_detail(plan, section))
    add_pupils(world.group, 12, world.group.school_year.start_date)
    client.get(_detail(plan))  # opening the overview's rows is not the plan's work
    from groupplans import actions

    actions.add_missing_rows(plan.overview, world.users["teacher"])
    plan_actions.accept_suggestions(section=section, by=world.users["teacher"])
    plan_actions.place_individually(
        section=section, pupil_id=world.pupil.pk, by=world.users["teacher"]
    )
    with CaptureQueriesContext(connection) as many:
        response = client.get(_detail(plan, section))
    assert response.status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_plan_list_filters_by_status(world, plan, client_for):
    client = client_for("teacher")
    listed = client.get(reverse("groupplans:plan_list")).content.decode()
    assert _detail(plan) in listed
    active = client.get(reverse("groupplans:plan_list") + "?status=active").content.decode()
    assert _detail(plan) not in active


# Saving over the version seen -------------------------------------------------------------


def test_subgroup_save_and_stale_save_shows_both_versions(world, plan, client_for):
    client = client_for("teacher")
    subgroup = _maths(plan).subgroups.get(kind=SubgroupKind.INTENSIVE)
    response = _save_subgroup(
        client, plan, subgroup, content="Tafels oefenen", days=["1", "3"], minutes="20"
    )
    assert response.status_code == 302
    assert response.url.endswith(f"#subgroup-{subgroup.pk}")
    subgroup.refresh_from_db()
    assert (subgroup.content, subgroup.days, subgroup.minutes, subgroup.version) == (
        "Tafels oefenen",
        "1,3",
        20,
        2,
    )
    # A second person saves over version 1, which they saw before the first save.
    subgroup.version = 1
    stale = _save_subgroup(client, plan, subgroup, content="Klokkijken")
    assert stale.status_code == 409
    content = stale.content.decode()
    assert "Tafels oefenen" in content and "Klokkijken" in content
    assert "Er is niets overschreven" in content
    fresh = Subgroup.objects.get(pk=subgroup.pk)
    assert fresh.content == "Tafels oefenen"
    # Saving again keeps theirs: the form now stands over the version shown.
    form = stale.context["chosen"].subgroups[0].form
    assert form.data[form.add_prefix("version")] == 2
    subgroup.version = 2
    assert _save_subgroup(client, plan, subgroup, content="Klokkijken").status_code == 302
    assert Subgroup.objects.get(pk=subgroup.pk).content == "Klokkijken"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"goal_date": "2099-01-01"}, "Kies een datum in deze periode"),
        ({"minutes": "0"}, "Geef het aantal minuten als getal van 1 tot en met 600."),
        ({"goal_date": "morgen"}, "Voer een geldige datum in."),
    ],
)
def test_invalid_subgroup_keeps_what_was_typed(world, plan, client_for, values, message):
    client = client_for("teacher")
    subgroup = _maths(plan).subgroups.get(kind=SubgroupKind.CORE)
    response = _save_subgroup(client, plan, subgroup, content="Wat ik typte", **values)
    assert response.status_code == 422
    content = response.content.decode()
    assert message in content
    assert "Wat ik typte" in content
    assert Subgroup.objects.get(pk=subgroup.pk).version == 1


def test_section_basic_offer_saves(world, plan, client_for):
    client = client_for("teacher")
    section = _maths(plan)
    url = reverse("groupplans:section_save", kwargs={"pk": plan.pk, "section_pk": section.pk})
    prefix = f"s{section.pk}"
    data = {
        f"{prefix}-basic_offer": "Rekenen volgens de methode, 5 x 60 minuten",
        f"{prefix}-version": "1",
    }
    assert client.post(url, data).status_code == 302
    section.refresh_from_db()
    assert section.basic_offer.startswith("Rekenen volgens de methode")
    assert client.post(url, data | {f"{prefix}-basic_offer": "anders"}).status_code == 409


# Placing ------------------------------------------------------------------------------------


def test_move_by_click_and_by_drop(world, plan, client_for):
    client = client_for("teacher")
    section = _maths(plan)
    url = reverse("groupplans:placement_move", kwargs={"pk": plan.pk, "section_pk": section.pk})
    core = section.subgroups.get(kind=SubgroupKind.CORE)
    plain = client.post(url, {"pupil": world.pupil.pk, "subgroup": core.pk})
    assert plain.status_code == 302
    assert Placement.objects.get(section=section, pupil=world.pupil).subgroup == core
    extension = section.subgroups.get(kind=SubgroupKind.EXTENSION)
    dropped = client.post(
        url, {"pupil": world.pupil.pk, "subgroup": extension.pk}, headers={"HX-Request": "true"}
    )
    assert dropped.status_code == 200
    content = dropped.content.decode()
    assert content.lstrip().startswith('<div id="board"')
    assert 'id="plan-problems-box" hx-swap-oob="true"' in content
    assert Placement.objects.get(section=section, pupil=world.pupil).subgroup == extension


def test_pupil_of_another_group_or_subgroup_of_another_plan_is_refused(
    world, plan, client_for, periods
):
    client = client_for("teacher")
    section = _maths(plan)
    url = reverse("groupplans:placement_move", kwargs={"pk": plan.pk, "section_pk": section.pk})
    core = section.subgroups.get(kind=SubgroupKind.CORE)
    client.post(url, {"pupil": world.other_group_pupil.pk, "subgroup": core.pk})
    assert not Placement.objects.filter(pupil=world.other_group_pupil).exists()
    other_overview = plan_actions.actions.create_overview(
        group=world.group, period=periods[1], by=world.users["teacher"]
    )
    other = plan_actions.create_plan(overview=other_overview, by=world.users["teacher"])
    foreign = _maths(other).subgroups.first()
    response = client.post(url, {"pupil": world.pupil.pk, "subgroup": foreign.pk})
    assert response.status_code == 404
    assert not Placement.objects.filter(section=section).exists()


def test_activation_refused_with_reasons_then_started(world, plan, client_for):
    client = client_for("teacher")
    url = reverse("groupplans:plan_activate", kwargs={"pk": plan.pk})
    page = client.post(url, follow=True).content.decode()
    assert "Het plan kan nog niet starten" in page
    assert GroupPlan.objects.get(pk=plan.pk).status == PlanStatus.DRAFT
    _activate(world, plan)
    assert GroupPlan.objects.get(pk=plan.pk).status == PlanStatus.ACTIVE


# Evaluating and the next cycle -------------------------------------------------------------


def test_evaluation_then_next_cycle(world, plan, client_for, periods):
    client = client_for("teacher")
    plan = _activate(world, plan)
    section = _maths(plan)
    placement = Placement.objects.get(section=section, pupil=world.pupil)
    subgroup = placement.subgroup
    page = client.get(
        reverse("groupplans:plan_evaluation", kwargs={"pk": plan.pk}) + f"?gebied={section.pk}"
    )
    assert page.status_code == 200
    evaluate_url = reverse(
        "groupplans:subgroup_evaluate", kwargs={"pk": plan.pk, "subgroup_pk": subgroup.pk}
    )
    prefix = f"e{subgroup.pk}"
    missing = client.post(evaluate_url, {f"{prefix}-version": "1", f"{prefix}-helped": "Rust"})
    assert missing.status_code == 422
    assert "Geef aan of het doel is behaald." in missing.content.decode()
    assert "Rust" in missing.content.decode()
    done = client.post(
        evaluate_url,
        {f"{prefix}-version": "1", f"{prefix}-outcome": Outcome.PARTLY, f"{prefix}-helped": "Rust"},
    )
    assert done.status_code == 302
    pupil_url = reverse(
        "groupplans:placement_save", kwargs={"pk": plan.pk, "placement_pk": placement.pk}
    )
    p = f"p{placement.pk}"
    data = {f"{p}-version": "1", f"{p}-outcome": "", f"{p}-hindered": "Veel afwezig"}
    assert client.post(pupil_url, data).status_code == 302
    assert client.post(pupil_url, data | {f"{p}-hindered": "anders"}).status_code == 409

    finish = reverse("groupplans:plan_evaluate", kwargs={"pk": plan.pk})
    refused = client.post(finish, follow=True).content.decode()
    assert "De evaluatie is niet compleet" in refused
    for other in Subgroup.objects.filter(section__plan=plan, placements__isnull=False).exclude(
        pk=subgroup.pk
    ):
        other.outcome = Outcome.REACHED
        other.save()
    assert client.post(finish).status_code == 302
    assert GroupPlan.objects.get(pk=plan.pk).status == PlanStatus.EVALUATED
    # Locked: no more saves.
    assert _save_subgroup(client, plan, subgroup, content="x").status_code == 404

    response = client.post(reverse("groupplans:plan_next_cycle", kwargs={"pk": plan.pk}))
    following = GroupPlan.objects.get(group=world.group, period=periods[1])
    assert response.url == _detail(following)
    row = following.overview.rows.get(pupil=world.pupil)
    kind = subgroup.get_kind_display()
    assert f"Rekenen, {kind}: deels behaald." in row.specific_needs
    assert "Belemmerde: Veel afwezig" in row.specific_needs


def test_next_cycle_only_for_an_evaluated_plan(world, plan, client_for):
    response = client_for("teacher").post(
        reverse("groupplans:plan_next_cycle", kwargs={"pk": plan.pk})
    )
    assert response.status_code == 404
    assert GroupPlan.objects.count() == 1


def test_evaluation_page_of_a_draft_leads_to_the_plan(world, plan, client_for):
    response = client_for("teacher").get(
        reverse("groupplans:plan_evaluation", kwargs={"pk": plan.pk})
    )
    assert response.status_code == 302
    assert response.url == _detail(plan)


def test_part_two_small_subgroups_and_individual_pupils(world, plan, client_for):
    client = client_for("teacher")
    section = plan.sections.get(area__part=2)
    page = client.get(_detail(plan, section)).content.decode()
    assert "Wat de hele groep nodig heeft" in page and "Leerstijl" in page
    assert "Een eigen aanbod voor" in page
    add = reverse("groupplans:subgroup_add", kwargs={"pk": plan.pk, "section_pk": section.pk})
    assert client.post(add, {"name": ""}).status_code == 302
    assert not section.subgroups.exists()
    client.post(add, {"name": "Faalangst"})
    small = section.subgroups.get()
    assert (small.kind, small.name) == (SubgroupKind.SMALL, "Faalangst")
    move = reverse("groupplans:placement_move", kwargs={"pk": plan.pk, "section_pk": section.pk})
    client.post(move, {"pupil": world.pupil.pk, "subgroup": small.pk})
    assert Placement.objects.get(section=section, pupil=world.pupil).subgroup == small
    # Part 2 forces no split: a pupil may leave every subgroup again.
    client.post(move, {"pupil": world.pupil.pk, "subgroup": "none"})
    assert not Placement.objects.filter(section=section).exists()
    # In a subject area a pupil is moved, never taken out.
    maths = _maths(plan)
    maths_move = reverse(
        "groupplans:placement_move", kwargs={"pk": plan.pk, "section_pk": maths.pk}
    )
    client.post(maths_move, {"pupil": world.pupil.pk, "subgroup": "individual"})
    placement = Placement.objects.get(section=maths, pupil=world.pupil)
    assert placement.subgroup.kind == SubgroupKind.INDIVIDUAL
    client.post(maths_move, {"pupil": world.pupil.pk, "subgroup": "none"}, follow=True)
    assert Placement.objects.filter(section=maths, pupil=world.pupil).exists()


def test_home_shows_the_plan_of_this_period(world, plan, client_for):
    teacher_home = client_for("teacher").get(reverse("home")).content.decode()
    assert _detail(plan) in teacher_home
    ib_home = client_for("care_coordinator").get(reverse("home"))
    groups = {g.name: g for g in ib_home.context["school_groups"]}
    assert groups["Groep 5"].current_overview.plan == plan
    assert _detail(plan) in ib_home.content.decode()
    # The school administration sees neither overviews nor plans (learning data).
    assert _detail(plan) not in client_for("school_admin").get(reverse("home")).content.decode()


def test_a_placed_pupil_whose_results_say_otherwise_shows_the_suggestion(
    world, plan, client_for, maths, period
):
    from tests.groupplans.conftest import add_result

    section = _maths(plan)
    core = section.subgroups.get(kind=SubgroupKind.CORE)
    plan_actions.place_pupil(
        section=section, pupil_id=world.pupil.pk, subgroup=core, by=world.users["teacher"]
    )
    page = client_for("teacher").get(_detail(plan, section)).content.decode()
    assert "voorstel:" not in page
    add_result(world.pupil, maths, period.start_date, score=150, level="V")
    page = client_for("teacher").get(_detail(plan, section)).content.decode()
    assert "voorstel: Zorggroep" in page
    # Only a suggestion: the pupil stays where the teacher put them.
    assert Placement.objects.get(section=section, pupil=world.pupil).subgroup == core
