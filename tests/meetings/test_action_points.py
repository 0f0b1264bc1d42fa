"""Slice 3: a meeting's decisions as action points (actiepunten) with an owner and a due date;
"My actions", the IB's "All action points" and the overdue ones on the home page."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Role
from hgw import access
from meetings import action_points, actions
from meetings.models import ActionPoint, MeetingItem
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _nl(text: str) -> str:
    """What the page says in Dutch (the English text until its translation is merged)."""
    with translation.override("nl"):
        return translation.gettext(text)


def _actor(user, school, roles) -> access.Actor:
    return access.Actor(user=user, school=school, roles=frozenset(roles))


def _add(meeting, owner, ib, *, days=7, description="Rekenles aanpassen", item=None):
    return action_points.add_action_point(
        meeting=meeting,
        description=description,
        owner=owner,
        due_date=TODAY + datetime.timedelta(days=days),
        item=item,
        by=ib,
    )


def _signed_off(meeting, ib):
    actions.mark_held(meeting=meeting, by=ib, today=meeting.date)
    return actions.sign_off(meeting=meeting, by=ib)


@pytest.fixture
def teacher(world):
    return world.users["teacher"]


@pytest.fixture
def pupil_meeting(world, ib):
    """A pupil meeting with the pupil of group A and the pupil of group B on its agenda."""
    meeting = actions.plan_meeting(school=world.school, kind="pupil", date=TODAY, by=ib)
    for position, pupil in enumerate((world.pupil, world.other_group_pupil), start=1):
        MeetingItem.objects.create(meeting=meeting, pupil=pupil, position=position, created_by=ib)
    return meeting


# The rules ---------------------------------------------------------------------------------


def test_the_ib_adds_an_action_point_with_an_owner_and_a_due_date(group_meeting, ib, teacher):
    point = _add(group_meeting, teacher, ib, description="  Rekenles aanpassen  ")
    assert (point.description, point.owner, point.created_by) == ("Rekenles aanpassen", teacher, ib)
    assert point.version == 1 and not point.is_done


@pytest.mark.parametrize("role", [Role.TEACHER, Role.DIRECTOR, Role.CARE_TEAM_MEMBER])
def test_any_member_who_takes_part_in_meetings_may_own_one(group_meeting, ib, world, role):
    user = factories.UserFactory()
    factories.MembershipFactory(user=user, school=world.school, role=role)
    assert _add(group_meeting, user, ib).owner == user


@pytest.mark.parametrize("persona", ["other_school_ib", "school_admin", "privacy_officer", "board"])
def test_the_owner_must_be_a_member_of_the_school_who_takes_part(group_meeting, ib, world, persona):
    with pytest.raises(ValidationError):
        _add(group_meeting, world.users[persona], ib)
    assert not ActionPoint.objects.exists()


def test_an_inactive_or_former_member_cannot_own_one(group_meeting, ib, world):
    gone = factories.UserFactory(is_active=False)
    factories.MembershipFactory(user=gone, school=world.school, role=Role.TEACHER)
    left = factories.UserFactory()
    factories.MembershipFactory(
        user=left,
        school=world.school,
        role=Role.TEACHER,
        start_date=TODAY - datetime.timedelta(days=60),
        end_date=TODAY - datetime.timedelta(days=1),
    )
    for user in (gone, left):
        with pytest.raises(ValidationError):
            _add(group_meeting, user, ib)


def test_the_pupil_must_be_on_the_meetings_agenda(group_meeting, pupil_meeting, ib, teacher):
    item = pupil_meeting.items.first()
    assert _add(pupil_meeting, teacher, ib, item=item).item == item
    with pytest.raises(ValidationError):
        _add(group_meeting, teacher, ib, item=item)


def test_an_empty_description_is_refused(group_meeting, ib, teacher):
    with pytest.raises(ValidationError):
        _add(group_meeting, teacher, ib, description="   ")


def test_adding_is_locked_once_the_minutes_are_signed_off(group_meeting, ib, teacher):
    point = _add(group_meeting, teacher, ib)
    _add(group_meeting, teacher, ib)  # held: still open
    _signed_off(group_meeting, ib)
    with pytest.raises(ValidationError):
        _add(group_meeting, teacher, ib)
    # Marking done and reopening stay possible.
    done = action_points.complete(action=point, seen_version=1, by=teacher)
    assert done.is_done and done.done_by == teacher
    again = action_points.reopen(action=done, seen_version=2, by=ib)
    assert not again.is_done and again.version == 3
    # A correction is not: the minutes are locked.
    with pytest.raises(ValidationError):
        action_points.edit_action_point(
            action=again,
            description="Anders",
            owner=teacher,
            due_date=again.due_date,
            seen_version=3,
            by=ib,
        )


def test_a_stale_complete_or_reopen_is_refused(group_meeting, ib, teacher):
    point = _add(group_meeting, teacher, ib)
    action_points.complete(action=point, seen_version=1, by=teacher)
    with pytest.raises(action_points.StaleActionPoint) as stale:
        action_points.reopen(action=point, seen_version=1, by=ib)
    assert stale.value.current.is_done
    with pytest.raises(action_points.StaleActionPoint):
        action_points.complete(action=point, seen_version=1, by=ib)
    assert ActionPoint.objects.get().version == 2


def test_the_ib_corrects_an_open_action_over_the_version_seen(group_meeting, ib, teacher, world):
    point = _add(group_meeting, teacher, ib)
    director = world.users["director"]
    later = point.due_date + datetime.timedelta(days=7)
    saved = action_points.edit_action_point(
        action=point, description="Nieuw", owner=director, due_date=later, seen_version=1, by=ib
    )
    assert (saved.description, saved.owner, saved.due_date, saved.version) == (
        "Nieuw",
        director,
        later,
        2,
    )
    with pytest.raises(action_points.StaleActionPoint):
        action_points.edit_action_point(
            action=point, description="Oud", owner=teacher, due_date=later, seen_version=1, by=ib
        )
    action_points.complete(action=saved, seen_version=2, by=director)
    with pytest.raises(ValidationError):
        action_points.edit_action_point(
            action=saved, description="X", owner=director, due_date=later, seen_version=3, by=ib
        )


def test_a_meeting_with_action_points_cannot_be_cancelled(group_meeting, ib, teacher):
    _add(group_meeting, teacher, ib)
    with pytest.raises(ValidationError):
        actions.cancel(meeting=group_meeting, by=ib)


# Access ------------------------------------------------------------------------------------


def test_who_may_add_and_complete(group_meeting, ib, teacher, world):
    point = _add(group_meeting, teacher, ib)
    as_ = {
        name: _actor(world.users[name], world.school, roles)
        for name, roles in [
            ("care_coordinator", {Role.CARE_COORDINATOR}),
            ("teacher", {Role.TEACHER}),
            ("other_teacher", {Role.TEACHER}),
            ("director", {Role.DIRECTOR}),
        ]
    }
    other_ib = _actor(world.users["other_school_ib"], world.other_school, {Role.CARE_COORDINATOR})
    assert access.can_add_action_point(as_["care_coordinator"], group_meeting)
    assert not access.can_add_action_point(as_["teacher"], group_meeting)
    assert not access.can_add_action_point(other_ib, group_meeting)
    assert access.can_complete_action_point(as_["teacher"], point)
    assert access.can_complete_action_point(as_["care_coordinator"], point)
    assert not access.can_complete_action_point(as_["other_teacher"], point)
    assert not access.can_complete_action_point(as_["director"], point)
    assert not access.can_complete_action_point(other_ib, point)
    assert list(access.action_points_visible(as_["teacher"])) == [point]
    assert list(access.action_points_visible(as_["care_coordinator"])) == [point]
    for actor in (as_["other_teacher"], as_["director"], other_ib):
        assert not access.action_points_visible(actor).exists()
    signed = _signed_off(group_meeting, ib)
    assert not access.can_add_action_point(as_["care_coordinator"], signed)
    point.refresh_from_db()
    assert access.can_complete_action_point(as_["teacher"], point)


# The meeting page --------------------------------------------------------------------------


def _detail(meeting) -> str:
    return reverse("meetings:meeting_detail", args=[meeting.pk])


def _add_url(meeting) -> str:
    return reverse("meetings:action_point_add", args=[meeting.pk])


def test_the_ib_adds_one_on_the_meeting_page(group_meeting, teacher, client_for):
    client = client_for("care_coordinator")
    page = client.get(_detail(group_meeting))
    assert page.context["action_point_form"] is not None
    response = client.post(
        _add_url(group_meeting),
        {"description": "Ouders bellen", "owner": teacher.pk, "due_date": "2026-12-10"},
    )
    assert response.status_code == 302
    point = ActionPoint.objects.get()
    assert (point.description, point.owner, point.due_date) == (
        "Ouders bellen",
        teacher,
        datetime.date(2026, 12, 10),
    )
    page = client.get(_detail(group_meeting))
    assert "Ouders bellen" in page.content.decode()


def test_a_form_error_shows_the_page_again_with_what_was_typed(group_meeting, teacher, client_for):
    client = client_for("care_coordinator")
    response = client.post(
        _add_url(group_meeting), {"description": "Ouders bellen over rekenen", "owner": teacher.pk}
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Ouders bellen over rekenen" in body
    assert "Dit veld is verplicht" in body
    assert not ActionPoint.objects.exists()


def test_adding_after_sign_off_is_refused_with_a_message(group_meeting, ib, teacher, client_for):
    # The form stays hidden and a post is not the IB's to make any more (404).
    _signed_off(group_meeting, ib)
    client = client_for("care_coordinator")
    assert client.get(_detail(group_meeting)).context["action_point_form"] is None
    response = client.post(
        _add_url(group_meeting),
        {"description": "Te laat", "owner": teacher.pk, "due_date": "2026-12-10"},
    )
    assert response.status_code == 404


def test_an_owner_from_another_school_is_not_offered(group_meeting, world, client_for):
    client = client_for("care_coordinator")
    response = client.post(
        _add_url(group_meeting),
        {
            "description": "X",
            "owner": world.users["other_school_ib"].pk,
            "due_date": "2026-12-10",
        },
    )
    assert response.status_code == 422
    assert not ActionPoint.objects.exists()


def test_the_teacher_sees_their_own_on_the_meeting_page_and_no_form(
    group_meeting, ib, teacher, world, client_for
):
    _add(group_meeting, teacher, ib, description="Mijn actie")
    _add(group_meeting, world.users["director"], ib, description="Actie van de directeur")
    page = client_for("teacher").get(_detail(group_meeting))
    body = page.content.decode()
    assert "Mijn actie" in body and "Actie van de directeur" not in body
    assert page.context["action_point_form"] is None


def test_the_owner_marks_it_done_and_reopens_it_without_javascript(
    group_meeting, ib, teacher, client_for
):
    point = _add(group_meeting, teacher, ib)
    client = client_for("teacher")
    url = reverse("meetings:action_point_complete", args=[point.pk])
    response = client.post(url, {"version": 1, "next": _detail(group_meeting)})
    assert response.status_code == 302 and response["Location"] == _detail(group_meeting)
    point.refresh_from_db()
    assert point.is_done and point.done_by == teacher
    # A second tab still showing version 1: refused, with a message.
    response = client.post(
        reverse("meetings:action_point_reopen", args=[point.pk]), {"version": 1}, follow=True
    )
    point.refresh_from_db()
    assert point.is_done
    assert [m.level_tag for m in response.context["messages"]][-1] == "warning"
    client.post(reverse("meetings:action_point_reopen", args=[point.pk]), {"version": 2})
    point.refresh_from_db()
    assert not point.is_done


def test_a_next_address_elsewhere_is_ignored(group_meeting, ib, teacher, client_for):
    point = _add(group_meeting, teacher, ib)
    response = client_for("teacher").post(
        reverse("meetings:action_point_complete", args=[point.pk]),
        {"version": 1, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("meetings:my_actions")


# My actions --------------------------------------------------------------------------------


def _many(meeting, owner, ib, count, *, start=-5):
    return [
        _add(meeting, owner, ib, days=start + n, description=f"Actie {n}") for n in range(count)
    ]


def test_my_actions_open_first_by_due_date_then_done_paginated(
    group_meeting, ib, teacher, client_for
):
    points = _many(group_meeting, teacher, ib, 30)
    action_points.complete(action=points[0], seen_version=1, by=teacher)
    client = client_for("teacher")
    url = reverse("meetings:my_actions")
    first = client.get(url, {"status": "alle"})
    rows = [row["point"] for row in first.context["rows"]]
    assert len(rows) == 25 and rows[0] == points[1]
    assert [r.due_date for r in rows] == sorted(r.due_date for r in rows)
    second = client.get(url, {"status": "alle", "page": 2})
    assert [row["point"] for row in second.context["rows"]][-1] == points[0]  # done: last
    assert client.get(url, {"status": "afgerond"}).context["page"].paginator.count == 1
    assert client.get(url).context["page"].paginator.count == 29  # open by default
    assert client.get(url, {"status": "x", "page": "y"}).status_code == 200


def test_my_actions_shows_only_ones_own(group_meeting, ib, teacher, world, client_for):
    _add(group_meeting, teacher, ib, description="Van de leerkracht")
    _add(group_meeting, world.users["director"], ib, description="Van de directeur")
    body = client_for("care_coordinator").get(reverse("meetings:my_actions")).content.decode()
    assert "Van de leerkracht" not in body
    body = client_for("teacher").get(reverse("meetings:my_actions")).content.decode()
    assert "Van de leerkracht" in body and "Van de directeur" not in body


def test_the_ibs_overview_filters_by_owner(group_meeting, ib, teacher, world, client_for):
    _add(group_meeting, teacher, ib, description="Van de leerkracht")
    _add(group_meeting, world.users["director"], ib, description="Van de directeur")
    client = client_for("care_coordinator")
    url = reverse("meetings:school_actions")
    assert client.get(url).context["page"].paginator.count == 2
    body = client.get(url, {"eigenaar": teacher.pk}).content.decode()
    assert "Van de leerkracht" in body and "Van de directeur" not in body
    assert client.get(url, {"eigenaar": "x"}).context["page"].paginator.count == 2


def test_my_actions_runs_the_same_queries_for_1_or_30(
    group_meeting, ib, teacher, client_for, django_assert_num_queries
):
    _many(group_meeting, teacher, ib, 1)
    client = client_for("teacher")
    url = reverse("meetings:my_actions")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _many(group_meeting, teacher, ib, 29)
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(client.get(url).context["rows"]) == 25


# Home --------------------------------------------------------------------------------------


def test_home_shows_the_overdue_ones_and_not_the_future_ones(
    group_meeting, ib, teacher, client_for
):
    _add(group_meeting, teacher, ib, days=-2, description="Te laat: ouders bellen")
    _add(group_meeting, teacher, ib, days=5, description="Nog niet: toets nakijken")
    response = client_for("teacher").get(reverse("home"))
    body = response.content.decode()
    assert "Te laat: ouders bellen" in body and "Nog niet: toets nakijken" not in body
    card = response.context["action_card"]
    assert (card["open"], card["overdue_count"]) == (2, 1)


@pytest.mark.parametrize("persona", ["care_coordinator", "director", "care_team_member"])
def test_home_has_the_card_for_every_role_that_owns_actions(
    group_meeting, ib, world, client_for, persona
):
    _add(group_meeting, world.users[persona], ib, days=-1, description="Verlopen actie")
    assert "Verlopen actie" in client_for(persona).get(reverse("home")).content.decode()


def test_home_runs_the_same_queries_for_1_or_30(
    group_meeting, ib, teacher, client_for, django_assert_num_queries
):
    _many(group_meeting, teacher, ib, 1, start=-40)
    client = client_for("teacher")
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("home"))
    _many(group_meeting, teacher, ib, 29, start=-40)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse("home"))
    assert response.context["action_card"]["overdue_count"] == 30


# Privacy -----------------------------------------------------------------------------------


def test_another_schools_action_point_is_not_found(group_meeting, ib, teacher, client_for):
    point = _add(group_meeting, teacher, ib)
    client = client_for("other_school_ib")
    for name in ("action_point_complete", "action_point_reopen"):
        url = reverse(f"meetings:{name}", args=[point.pk])
        assert client.post(url, {"version": 1}).status_code == 404
    assert client.get(reverse("meetings:action_point_edit", args=[point.pk])).status_code == 404
    assert "Rekenles" not in client.get(reverse("meetings:school_actions")).content.decode()
    point.refresh_from_db()
    assert not point.is_done


def test_a_teachers_list_does_not_name_pupils_they_may_not_see(
    pupil_meeting, ib, teacher, world, client_for
):
    own, other = pupil_meeting.items.order_by("position")
    _add(pupil_meeting, teacher, ib, item=own, description="Over mijn leerling")
    _add(pupil_meeting, teacher, ib, item=other, description="Over een andere leerling")
    body = client_for("teacher").get(reverse("meetings:my_actions")).content.decode()
    assert world.pupil.full_name in body
    assert world.other_group_pupil.full_name not in body
    assert _nl("a pupil") in body
    # The IB sees both names.
    body = client_for("care_coordinator").get(reverse("meetings:school_actions")).content.decode()
    assert world.other_group_pupil.full_name in body


def test_the_ib_is_offered_only_the_meetings_pupils_as_subject(pupil_meeting, client_for):
    form = client_for("care_coordinator").get(_detail(pupil_meeting)).context["action_point_form"]
    assert set(form.fields["item"].queryset) == set(pupil_meeting.items.all())
