"""The school's configuration of group plans: the IB keeps the areas (retired, never deleted)
and the library of goals and approaches; a teacher copies a library entry into a subgroup of
their plan, over the version they saw. Another school's areas and entries answer 404."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext as _

from groupplans import actions, demo, library_actions, plan_actions, plan_view
from groupplans.models import (
    OfferTemplate,
    PlanArea,
    PlanPart,
    PlanStatus,
    Subgroup,
    SubgroupKind,
)
from tests.conftest import force_login

pytestmark = pytest.mark.django_db

AREAS = reverse("groupplans:area_list")
NEW_AREA = reverse("groupplans:area_create")
LIBRARY = reverse("groupplans:library_list")
NEW_ENTRY = reverse("groupplans:library_create")


def _area(school, name: str) -> PlanArea:
    """A default area by its English name (the school has it in the language it was made in)."""
    plan_actions.ensure_default_areas(school)
    return PlanArea.objects.get(school=school, name=_(name))


def _area_data(**values) -> dict:
    data = {
        "name": "Begrijpend luisteren",
        "part": "1",
        "subjects": ["language"],
        "grade_low": "1",
        "grade_high": "2",
        "position": "9",
        "active": "on",
    }
    return {k: v for k, v in (data | values).items() if v is not None}


def _entry(school, title="Rekenen zorggroep", area=None, kind="", **texts) -> OfferTemplate:
    texts = {
        "goal_didactic": "Beheerst de tafels van 1 t/m 5 vlot",
        "goal_measure": "tempotoets tafels 1-5",
        "goal_criterion": "40 sommen in 2 minuten, 90% goed",
    } | texts
    return OfferTemplate.objects.create(school=school, title=title, area=area, kind=kind, **texts)


def _entry_data(**values) -> dict:
    data = {
        "title": "Rekenen zorggroep",
        "area": "",
        "kind": "intensive",
        "goal_didactic": "Beheerst de tafels van 1 t/m 5 vlot",
        "goal_pedagogic": "",
        "goal_measure": "tempotoets tafels 1-5",
        "goal_criterion": "40 sommen in 2 minuten, 90% goed",
        "content": "",
        "approach": "verlengde instructie aan de instructietafel",
        "materials": "Met Sprongen Vooruit, rekenrek",
    }
    return data | values


def _seen(response) -> str:
    form = response.context["form"]
    return form.data.get("seen_state") if form.is_bound else form.initial["seen_state"]


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# Areas ---------------------------------------------------------------------------------------


def test_the_ib_sees_the_school_areas_by_part(world, client_for):
    response = client_for("care_coordinator").get(AREAS)
    assert response.status_code == 200
    subjects, attitude = response.context["parts"]
    assert [item["area"].name for item in subjects["areas"]] == [
        _(name)
        for name in [
            "Technical reading",
            "Reading comprehension",
            "Spelling and language",
            "Maths",
            "Emergent literacy",
            "Emergent numeracy",
        ]
    ]
    assert [item["area"].name for item in attitude["areas"]] == [
        _("Work attitude and social-emotional functioning")
    ]
    maths = _area(world.school, "Maths")
    assert reverse("groupplans:area_edit", kwargs={"pk": maths.pk}) in response.content.decode()


def test_each_school_sees_only_its_own_areas(world, client_for):
    ours = _area(world.school, "Maths")
    response = client_for("other_school_ib").get(AREAS)
    shown = [item["area"] for part in response.context["parts"] for item in part["areas"]]
    assert shown and all(area.school_id == world.other_school.pk for area in shown)
    assert ours not in shown
    edit = reverse("groupplans:area_edit", kwargs={"pk": ours.pk})
    assert client_for("other_school_ib").get(edit).status_code == 404
    response = client_for("other_school_ib").post(edit, _area_data(name="Van Het Kompas"))
    assert response.status_code == 404
    ours.refresh_from_db()
    assert ours.name == _("Maths")


def test_the_ib_adds_an_area_with_its_tests(world, client_for):
    plan_actions.ensure_default_areas(world.school)
    client = client_for("care_coordinator")
    assert client.get(NEW_AREA).context["form"].initial["position"] == 8
    response = client.post(NEW_AREA, _area_data(subjects=["language", "technical_reading"]))
    assert response.status_code == 302 and response["Location"] == AREAS
    area = PlanArea.objects.get(school=world.school, name="Begrijpend luisteren")
    # Stored in the order of the subject areas, as the placement suggestions read them.
    assert area.subjects == "technical_reading,language"
    assert (area.part, area.grade_low, area.grade_high, area.position, area.active) == (
        PlanPart.SUBJECTS,
        1,
        2,
        9,
        True,
    )
    assert _("The area %(name)s has been saved.") % {"name": area.name} in _messages(response)


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"name": "MATHS"}, "name", "The school already has an area with this name."),
        (
            {"grade_low": "5", "grade_high": "3"},
            "grade_high",
            "The last grade cannot come before the first.",
        ),
        ({"grade_high": "9"}, "grade_high", "Enter a grade from 1 to 8."),
        ({"grade_low": "0"}, "grade_low", "Enter a grade from 1 to 8."),
        (
            {"part": "2"},
            "subjects",
            "Pupils are not placed in work attitude from test results; leave the subject "
            "areas unchecked.",
        ),
    ],
)
def test_a_wrong_area_is_shown_again_with_its_error(world, client_for, values, field, message):
    plan_actions.ensure_default_areas(world.school)
    if values.get("name") == "MATHS":  # the default area's name, in other capitals
        values = {"name": f" {_('Maths').upper()} "}
    count = PlanArea.objects.count()
    response = client_for("care_coordinator").post(NEW_AREA, _area_data(**values))
    assert response.status_code == 422
    assert response.context["form"].errors[field] == [_(message)]
    assert PlanArea.objects.count() == count
    body = response.content.decode()
    assert 'value="{}"'.format(values.get("name", "Begrijpend luisteren")) in body


def test_a_part_two_area_without_tests_is_fine(world, client_for):
    response = client_for("care_coordinator").post(
        NEW_AREA, _area_data(name="Sociale vaardigheden", part="2", subjects=None)
    )
    assert response.status_code == 302
    area = PlanArea.objects.get(name="Sociale vaardigheden")
    assert area.part == PlanPart.ATTITUDE and area.subjects == ""


def test_the_part_of_an_area_plans_use_stays(world, client_for, plan):
    maths = _area(world.school, "Maths")
    edit = reverse("groupplans:area_edit", kwargs={"pk": maths.pk})
    client = client_for("care_coordinator")
    form = client.get(edit).context["form"]
    assert form.fields["part"].disabled
    data = _area_data(name="Rekenen", part="2", subjects=["maths"], grade_low="3", grade_high="8")
    response = client.post(edit, data | {"seen_state": _seen(client.get(edit))})
    assert response.status_code == 302
    maths.refresh_from_db()
    assert (maths.name, maths.part) == ("Rekenen", PlanPart.SUBJECTS)
    # A new name shows in the plans made earlier too.
    assert plan.sections.filter(area__name="Rekenen").exists()


def test_a_retired_area_is_left_out_of_new_plans(world, client_for, overview):
    maths = _area(world.school, "Maths")
    edit = reverse("groupplans:area_edit", kwargs={"pk": maths.pk})
    client = client_for("care_coordinator")
    data = _area_data(name=maths.name, subjects=["maths"], grade_low="3", grade_high="8")
    data.pop("active")
    response = client.post(edit, data | {"seen_state": _seen(client.get(edit))})
    assert response.status_code == 302
    maths.refresh_from_db()
    assert not maths.active
    plan = plan_actions.create_plan(overview=overview, by=world.users["teacher"])
    assert not plan.sections.filter(area=maths).exists()
    # Still listed, marked as not in new plans.
    listed = client.get(AREAS).context["parts"][0]["areas"]
    assert maths in [item["area"] for item in listed]


def test_a_save_over_someone_elses_area_change_is_refused(world, client_for):
    maths = _area(world.school, "Maths")
    edit = reverse("groupplans:area_edit", kwargs={"pk": maths.pk})
    client = client_for("care_coordinator")
    seen = _seen(client.get(edit))
    other_tab = Client()
    force_login(other_tab, world.users["care_coordinator"])
    data = _area_data(name="Rekenen-Wiskunde", subjects=["maths"], grade_low="3", grade_high="8")
    assert other_tab.post(edit, data | {"seen_state": seen}).status_code == 302
    response = client.post(edit, data | {"name": "Rekenen", "seen_state": seen})
    assert response.status_code == 422
    assert response.context["current"].name == "Rekenen-Wiskunde"
    maths.refresh_from_db()
    assert maths.name == "Rekenen-Wiskunde"
    # Saving again over the version now shown keeps the person's own.
    again = client.post(edit, data | {"name": "Rekenen", "seen_state": _seen(response)})
    assert again.status_code == 302
    maths.refresh_from_db()
    assert maths.name == "Rekenen"


# The library ---------------------------------------------------------------------------------


def test_the_ib_adds_a_library_entry(world, client_for):
    maths = _area(world.school, "Maths")
    response = client_for("care_coordinator").post(
        NEW_ENTRY, _entry_data(area=str(maths.pk), title="  Rekenen zorggroep ")
    )
    assert response.status_code == 302 and response["Location"] == LIBRARY
    entry = OfferTemplate.objects.get(school=world.school)
    assert (entry.title, entry.area, entry.kind) == ("Rekenen zorggroep", maths, "intensive")
    assert entry.materials == "Met Sprongen Vooruit, rekenrek"
    assert entry.updated_by == world.users["care_coordinator"]


def test_a_library_title_is_unique_per_school(world, client_for):
    _entry(world.school)
    _entry(world.other_school, title="Technisch lezen zorggroep")
    client = client_for("care_coordinator")
    response = client.post(NEW_ENTRY, _entry_data(title="rekenen ZORGGROEP"))
    assert response.status_code == 422
    assert response.context["form"].errors["title"] == [
        _("The library already has an entry with this title.")
    ]
    assert 'value="rekenen ZORGGROEP"' in response.content.decode()
    # Another school's title is free to use.
    response = client.post(NEW_ENTRY, _entry_data(title="Technisch lezen zorggroep"))
    assert response.status_code == 302


def test_a_library_entry_needs_a_text(world, client_for):
    empty = dict.fromkeys(
        ["goal_didactic", "goal_measure", "goal_criterion", "approach", "materials"], ""
    )
    response = client_for("care_coordinator").post(NEW_ENTRY, _entry_data(**empty))
    assert response.status_code == 422
    assert response.context["form"].non_field_errors() == [
        _("Write at least one text: a goal, the content, the approach or the materials.")
    ]
    assert not OfferTemplate.objects.exists()


def test_a_library_entry_takes_only_the_schools_own_areas(world, client_for):
    theirs = _area(world.other_school, "Maths")
    response = client_for("care_coordinator").post(NEW_ENTRY, _entry_data(area=str(theirs.pk)))
    assert response.status_code == 422
    assert "area" in response.context["form"].errors
    choices = response.context["form"].fields["area"].queryset
    assert set(choices) == set(PlanArea.objects.filter(school=world.school))


def test_the_library_list_filters_by_area_and_pages(world, client_for):
    maths = _area(world.school, "Maths")
    reading = _area(world.school, "Technical reading")
    for n in range(30):
        _entry(world.school, title=f"Rekenen {n:02d}", area=maths)
    _entry(world.school, title="Technisch lezen", area=reading)
    _entry(world.school, title="Weektaak", area=None)
    _entry(world.other_school, title="Van Het Kompas")
    client = client_for("care_coordinator")
    everything = client.get(LIBRARY).context["page"]
    assert everything.paginator.count == 32
    page_two = client.get(LIBRARY, {"area": maths.pk, "page": 2})
    assert page_two.context["page"].paginator.count == 30
    assert len(page_two.context["page"]) == 5
    assert f"area={maths.pk}&amp;page=1" in page_two.content.decode()
    general = client.get(LIBRARY, {"area": "alle"}).context["page"]
    assert [e.title for e in general] == ["Weektaak"]
    # An area of another school (or nonsense) shows everything of ours.
    theirs = _area(world.other_school, "Maths")
    assert client.get(LIBRARY, {"area": theirs.pk}).context["page"].paginator.count == 32


def test_the_ib_edits_and_deletes_an_entry_after_confirming(world, client_for):
    entry = _entry(world.school)
    edit = reverse("groupplans:library_edit", kwargs={"pk": entry.pk})
    delete = reverse("groupplans:library_delete", kwargs={"pk": entry.pk})
    client = client_for("care_coordinator")
    opened = client.get(edit)
    assert delete in opened.content.decode()
    data = _entry_data(title="Tafels 1 t/m 5", seen_state=_seen(opened))
    assert client.post(edit, data).status_code == 302
    entry.refresh_from_db()
    assert entry.title == "Tafels 1 t/m 5"
    confirm = client.get(delete)
    assert confirm.status_code == 200 and "Tafels 1 t/m 5" in confirm.content.decode()
    assert OfferTemplate.objects.filter(pk=entry.pk).exists()
    response = client.post(delete)
    assert response.status_code == 302 and response["Location"] == LIBRARY
    assert not OfferTemplate.objects.filter(pk=entry.pk).exists()


def test_another_schools_entry_is_not_found(world, client_for):
    theirs = _entry(world.other_school)
    client = client_for("care_coordinator")
    for name in ("groupplans:library_edit", "groupplans:library_delete"):
        url = reverse(name, kwargs={"pk": theirs.pk})
        assert client.get(url).status_code == 404
        assert client.post(url, _entry_data(title="Overschreven")).status_code == 404
    theirs.refresh_from_db()
    assert theirs.title == "Rekenen zorggroep"


def test_a_save_over_someone_elses_entry_change_is_refused(world, client_for):
    entry = _entry(world.school)
    edit = reverse("groupplans:library_edit", kwargs={"pk": entry.pk})
    client = client_for("care_coordinator")
    seen = _seen(client.get(edit))
    OfferTemplate.objects.filter(pk=entry.pk).update(materials="Rekenrek")
    response = client.post(edit, _entry_data(seen_state=seen))
    assert response.status_code == 422
    assert response.context["current"].materials == "Rekenrek"
    entry.refresh_from_db()
    assert entry.materials == "Rekenrek"


def test_the_overview_list_links_the_ib_to_the_configuration(world, client_for):
    body = client_for("care_coordinator").get(reverse("groupplans:overview_list")).content
    assert AREAS.encode() in body and LIBRARY.encode() in body
    body = client_for("teacher").get(reverse("groupplans:overview_list")).content
    assert AREAS.encode() not in body and LIBRARY.encode() not in body


# Which entries fit a subgroup ----------------------------------------------------------------


def test_entries_fit_by_area_and_kind_best_first(world, django_assert_num_queries):
    maths = _area(world.school, "Maths")
    reading = _area(world.school, "Technical reading")
    general = _entry(world.school, title="A algemeen")
    for_kind = _entry(world.school, title="B zorggroep", kind=SubgroupKind.INTENSIVE)
    for_area = _entry(world.school, title="C rekenen", area=maths)
    exact = _entry(world.school, title="D rekenen zorg", area=maths, kind=SubgroupKind.INTENSIVE)
    _entry(world.school, title="E rekenen plus", area=maths, kind=SubgroupKind.EXTENSION)
    _entry(world.school, title="F lezen zorg", area=reading, kind=SubgroupKind.INTENSIVE)
    _entry(world.other_school, title="G ander", kind=SubgroupKind.INTENSIVE)
    expected = [exact, for_area, for_kind, general]
    assert list(library_actions.entries_for(world.school, maths, SubgroupKind.INTENSIVE)) == (
        expected
    )
    with django_assert_num_queries(1):
        entries = library_actions.school_entries(world.school)
    fit = library_actions.fitting(entries, area_id=maths.pk, kind=SubgroupKind.INTENSIVE)
    assert fit == expected
    assert library_actions.fitting(entries, area_id=reading.pk, kind=SubgroupKind.SMALL) == [
        general
    ]


# Using an entry in a plan --------------------------------------------------------------------


def _maths_subgroup(plan, kind=SubgroupKind.INTENSIVE) -> Subgroup:
    return Subgroup.objects.get(section__plan=plan, section__area__name=_("Maths"), kind=kind)


def _use_url(plan, subgroup) -> str:
    return reverse(
        "groupplans:subgroup_from_library", kwargs={"pk": plan.pk, "subgroup_pk": subgroup.pk}
    )


def test_applying_an_entry_copies_its_texts(world, plan, period):
    subgroup = _maths_subgroup(plan)
    subgroup.materials = "Rekenrek uit de kast van groep 4"
    subgroup.goal_date = None
    subgroup.save()
    entry = _entry(world.school, content="Tafels van 1 t/m 5 automatiseren")
    saved = library_actions.apply_template(
        subgroup=subgroup, template=entry, seen_version=subgroup.version, by=world.users["teacher"]
    )
    assert saved.goal_didactic == "Beheerst de tafels van 1 t/m 5 vlot"
    assert saved.goal_criterion == "40 sommen in 2 minuten, 90% goed"
    assert saved.content == "Tafels van 1 t/m 5 automatiseren"
    # What the entry leaves empty stays as the teacher wrote it.
    assert saved.materials == "Rekenrek uit de kast van groep 4"
    assert saved.goal_date == period.end_date
    assert saved.version == subgroup.version + 1
    assert saved.updated_by == world.users["teacher"]
    assert plan_view.smarti_missing(saved, period) == []


def test_applying_an_entry_over_a_changed_subgroup_is_stale(world, plan):
    subgroup = _maths_subgroup(plan)
    seen = subgroup.version
    plan_actions.save_versioned(
        obj=subgroup,
        values={"content": "Eigen tekst"},
        seen_version=seen,
        by=world.users["teacher"],
    )
    with pytest.raises(plan_actions.Stale):
        library_actions.apply_template(
            subgroup=subgroup, template=_entry(world.school), seen_version=seen, by=None
        )
    subgroup.refresh_from_db()
    assert subgroup.content == "Eigen tekst" and subgroup.goal_didactic == ""


def test_an_evaluated_plan_takes_no_entry(world, plan):
    plan.status = PlanStatus.EVALUATED
    plan.evaluated_by, plan.evaluated_at = world.users["teacher"], plan.created_at
    plan.save()
    subgroup = _maths_subgroup(plan)
    with pytest.raises(ValidationError):
        library_actions.apply_template(
            subgroup=subgroup,
            template=_entry(world.school),
            seen_version=subgroup.version,
            by=world.users["teacher"],
        )
    subgroup.refresh_from_db()
    assert subgroup.goal_didactic == ""


def test_another_schools_entry_is_refused(world, plan):
    subgroup = _maths_subgroup(plan)
    with pytest.raises(ValidationError):
        library_actions.apply_template(
            subgroup=subgroup,
            template=_entry(world.other_school),
            seen_version=subgroup.version,
            by=world.users["teacher"],
        )


def test_the_teacher_uses_an_entry_from_the_plan_page(world, client_for, plan):
    subgroup = _maths_subgroup(plan)
    entry = _entry(world.school)
    response = client_for("teacher").post(
        _use_url(plan, subgroup), {"template": entry.pk, "version": subgroup.version}
    )
    detail = reverse("groupplans:plan_detail", kwargs={"pk": plan.pk})
    assert response.status_code == 302
    assert response["Location"] == f"{detail}?gebied={subgroup.section_id}#subgroup-{subgroup.pk}"
    subgroup.refresh_from_db()
    assert subgroup.goal_measure == "tempotoets tafels 1-5"
    assert _messages(response) == [
        _("The texts of “%(title)s” are now in %(area)s, %(subgroup)s.")
        % {"title": entry.title, "area": _("Maths"), "subgroup": subgroup.title}
    ]


def test_the_teacher_is_told_when_someone_else_changed_the_subgroup(world, client_for, plan):
    subgroup = _maths_subgroup(plan)
    seen = subgroup.version
    plan_actions.save_versioned(
        obj=subgroup,
        values={"content": "Eigen tekst"},
        seen_version=seen,
        by=world.users["teacher"],
    )
    response = client_for("teacher").post(
        _use_url(plan, subgroup), {"template": _entry(world.school).pk, "version": seen}
    )
    assert response.status_code == 302
    assert _messages(response) == [
        _(
            "Someone else changed this subgroup in the meantime, so the library entry has "
            "not been used. Look at their version and choose the entry again."
        )
    ]
    subgroup.refresh_from_db()
    assert subgroup.goal_didactic == ""


def test_using_an_entry_without_choosing_one_says_so(world, client_for, plan):
    subgroup = _maths_subgroup(plan)
    response = client_for("teacher").post(_use_url(plan, subgroup), {"version": subgroup.version})
    assert response.status_code == 302
    assert _messages(response) == [_("Choose an entry from the library.")]


def test_entries_and_subgroups_from_elsewhere_are_not_found(world, client_for, plan, period):
    subgroup = _maths_subgroup(plan)
    client = client_for("teacher")
    theirs = _entry(world.other_school)
    data = {"template": theirs.pk, "version": subgroup.version}
    assert client.post(_use_url(plan, subgroup), data).status_code == 404
    # A subgroup of another group's plan, through this plan's address.
    other = actions.create_overview(
        group=world.other_group, period=period, by=world.users["other_teacher"]
    )
    other_plan = plan_actions.create_plan(overview=other, by=world.users["other_teacher"])
    data = {"template": _entry(world.school).pk, "version": 1}
    assert client.post(_use_url(plan, _maths_subgroup(other_plan)), data).status_code == 404
    # The plan's page is the teacher's to edit; the IB comments but does not write.
    assert client_for("care_coordinator").post(_use_url(plan, subgroup), data).status_code == 404


def test_an_evaluated_plan_has_no_library_to_use(world, client_for, plan):
    plan.status = PlanStatus.EVALUATED
    plan.evaluated_by, plan.evaluated_at = world.users["teacher"], plan.created_at
    plan.save()
    subgroup = _maths_subgroup(plan)
    data = {"template": _entry(world.school).pk, "version": subgroup.version}
    assert client_for("teacher").post(_use_url(plan, subgroup), data).status_code == 404


# The demo school's library ---------------------------------------------------------------------


def test_the_demo_library_is_made_once(world):
    world.school.brin = demo.DEMO_BRIN
    world.school.save()
    assert demo.seed_library() == 15
    assert demo.seed_library() == 0
    maths = _area(world.school, "Maths")
    entry = OfferTemplate.objects.get(school=world.school, title="Rekenen zorggroep")
    assert (entry.area, entry.kind) == (maths, SubgroupKind.INTENSIVE)
    assert entry.goal_criterion == "40 sommen in 2 minuten, 90% goed."
    # Each of the four subject areas of grades 3-8 has its three subgroups.
    for name in ["Technical reading", "Reading comprehension", "Spelling and language", "Maths"]:
        kinds = OfferTemplate.objects.filter(area__name=_(name)).values_list("kind", flat=True)
        assert sorted(kinds) == sorted(["intensive", "core", "extension"]), name
    # A goal comes with what is measured and the criterion (SMARTI; the date is the plan's).
    for entry in OfferTemplate.objects.filter(school=world.school):
        if entry.goal_didactic or entry.goal_pedagogic:
            assert entry.goal_measure and entry.goal_criterion, entry.title


def test_the_library_picker_posts_the_chosen_entry(world, client_for, plan):
    """The partial the plan page includes per subgroup: the fitting entries, best first, and a
    form that copies the chosen one over the version shown."""
    from django.template.loader import render_to_string

    maths = _area(world.school, "Maths")
    exact = _entry(world.school, title="Rekenen zorggroep", area=maths, kind="intensive")
    general = _entry(world.school, title="Weektaak", goal_didactic="", goal_pedagogic="Plant")
    _entry(world.school, title="Rekenen plusgroep", area=maths, kind="extension")
    subgroup = _maths_subgroup(plan)
    entries = library_actions.fitting(
        library_actions.school_entries(world.school), area_id=maths.pk, kind=subgroup.kind
    )
    html = render_to_string(
        "groupplans/_library_picker.html",
        {"plan": plan, "subgroup": subgroup, "entries": entries},
    )
    assert _use_url(plan, subgroup) in html
    assert html.index(exact.title) < html.index(general.title)
    assert "Rekenen plusgroep" not in html
    assert f'name="version" value="{subgroup.version}"' in html
    empty = render_to_string(
        "groupplans/_library_picker.html", {"plan": plan, "subgroup": subgroup, "entries": []}
    )
    assert "<form" not in empty
