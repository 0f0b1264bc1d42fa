"""Teachers reach pupils through dated assignments and enrolments, decided by today's date."""

import datetime

from django.urls import reverse
from django.utils import timezone

from hgw import access
from tests import factories
from tests.conftest import force_login


def _tab(pupil):
    return reverse("pupil_dossier_tab", args=[pupil.pk, "gegevens"])


def test_substitute_has_access_for_exactly_their_weeks(world, client_for):
    today = timezone.localdate()
    substitute = factories.UserFactory()
    factories.MembershipFactory(user=substitute, school=world.school)
    factories.AssignmentFactory(
        group=world.group,
        teacher=substitute,
        is_substitute=True,
        start_date=today,
        end_date=today + datetime.timedelta(days=7),
    )
    actor = access.Actor(user=substitute, school=world.school, roles=frozenset({"teacher"}))
    assert list(access.pupils_visible(actor)) == [world.pupil]
    before = access.Actor(
        user=substitute,
        school=world.school,
        roles=frozenset({"teacher"}),
        today=today - datetime.timedelta(days=1),
    )
    assert list(access.pupils_visible(before)) == []
    after = access.Actor(
        user=substitute,
        school=world.school,
        roles=frozenset({"teacher"}),
        today=today + datetime.timedelta(days=7),
    )
    assert list(access.pupils_visible(after)) == []
    client = client_for("anonymous")
    force_login(client, substitute)
    assert client.get(_tab(world.pupil)).status_code == 200


def test_teacher_loses_a_pupil_who_moved_to_another_group(world, client_for):
    from pupils.actions import enrol

    enrol(pupil=world.pupil, group=world.other_group, start_date=timezone.localdate())
    assert client_for("teacher").get(_tab(world.pupil)).status_code == 404
    assert client_for("other_teacher").get(_tab(world.pupil)).status_code == 200


def test_teacher_whose_assignment_ended_loses_access(world, client_for):
    assignment = world.group.assignments.get(teacher=world.users["teacher"])
    assignment.end_date = timezone.localdate()
    assignment.save()
    assert client_for("teacher").get(_tab(world.pupil)).status_code == 404


def test_director_may_not_see_sensitive_data(world):
    actor = access.Actor(
        user=world.users["director"], school=world.school, roles=frozenset({"director"})
    )
    assert set(access.pupils_visible(actor, access.Category.LEARNING)) == {
        world.pupil,
        world.other_group_pupil,
    }
    assert not access.pupils_visible(actor, access.Category.SENSITIVE).exists()


def test_school_admin_sees_basic_data_only(world):
    actor = access.Actor(
        user=world.users["school_admin"], school=world.school, roles=frozenset({"school_admin"})
    )
    assert access.pupils_visible(actor, access.Category.BASIC).count() == 2
    assert not access.pupils_visible(actor, access.Category.LEARNING).exists()


def test_care_team_member_sees_no_pupil_until_the_care_route_gives_cases(world):
    actor = access.Actor(
        user=world.users["care_team_member"],
        school=world.school,
        roles=frozenset({"care_team_member"}),
    )
    for category in access.Category:
        assert not access.pupils_visible(actor, category).exists()
