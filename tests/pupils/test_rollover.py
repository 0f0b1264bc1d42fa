"""A new school year: groups copied, pupils moved up, exceptions as marked, with a preview."""

import datetime

from django.urls import reverse

from pupils.models import Enrolment, Group, Pupil
from schools.models import SchoolYear
from tests import factories


def _school_with_grades(world):
    """Groups 7 and 8 beside the world's groups 5 and 6, with a pupil each."""
    world.other_group.grade_low = world.other_group.grade_high = 6
    world.other_group.save()
    year = world.group.school_year
    pupils = {}
    for grade in (7, 8):
        group = factories.GroupFactory(
            school=world.school,
            school_year=year,
            name=f"Groep {grade}",
            grade_low=grade,
            grade_high=grade,
        )
        pupil = factories.PupilFactory(
            school=world.school, given_name=f"Kind{grade}", family_name="Test"
        )
        factories.EnrolmentFactory(pupil=pupil, group=group)
        pupils[grade] = pupil
    return pupils


def test_preview_then_confirm_moves_everyone_a_grade_up(world, client_for):
    pupils = _school_with_grades(world)
    client = client_for("school_admin")
    page = client.get(reverse("pupils:rollover"))
    form = page.context["form"]
    data = {name: field.initial for name, field in form.fields.items()}
    assert data[f"pupil_{world.pupil.pk}"] == "Groep 6"
    assert data[f"pupil_{pupils[8].pk}"] == "leaves"
    data[f"pupil_{world.other_group_pupil.pk}"] = "Groep 6"  # repeats grade 6
    preview = client.post(reverse("pupils:rollover"), data | {"preview": "1"})
    summary = preview.context["summary"]
    assert summary["leaving"] == 1
    assert [m.pupil for m, _c in summary["exceptions"]] == [world.other_group_pupil]
    assert not SchoolYear.objects.filter(start_year=world.group.school_year.start_year + 1).exists()

    response = client.post(reverse("pupils:rollover"), data | {"confirm": "1"})
    assert response.status_code == 302
    target = SchoolYear.objects.get(start_year=world.group.school_year.start_year + 1)
    assert set(
        Group.objects.filter(school=world.school, school_year=target).values_list("name", flat=True)
    ) == {"Groep 5", "Groep 6", "Groep 7", "Groep 8"}

    def group_next_year(pupil):
        return Enrolment.objects.running_on(target.start_date).get(pupil=pupil).group.name

    assert group_next_year(world.pupil) == "Groep 6"
    assert group_next_year(world.other_group_pupil) == "Groep 6"
    assert group_next_year(pupils[7]) == "Groep 8"
    leaver = Pupil.objects.get(pk=pupils[8].pk)
    assert leaver.date_out == target.start_date
    # This year's enrolment still stands until the last day: history is kept.
    assert (
        Enrolment.objects.running_on(target.start_date - datetime.timedelta(days=1))
        .get(pupil=world.pupil)
        .group
        == world.group
    )
    # Pupils already placed are not listed a second time.
    assert client.get(reverse("pupils:rollover")).context["plan"].moves == []


def test_an_invalid_choice_is_refused_with_the_choices_kept(world, client_for):
    client = client_for("school_admin")
    form = client.get(reverse("pupils:rollover")).context["form"]
    data = {name: field.initial for name, field in form.fields.items()}
    data[f"pupil_{world.pupil.pk}"] = "Groep 99"
    response = client.post(reverse("pupils:rollover"), data | {"confirm": "1"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not SchoolYear.objects.filter(start_year=world.group.school_year.start_year + 1).exists()


def test_only_the_school_administration_prepares_the_year(world, client_for):
    assert client_for("care_coordinator").get(reverse("pupils:rollover")).status_code == 404
