"""The platform operator works in the Django admin: no role at a school, and every change of
roles made there is a security event the school's privacy officer sees."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Role, SecurityEvent
from tests import factories
from tests.conftest import force_login


def _change_form(user, roles=(), **fields) -> dict:
    """What the admin's change form for `user` posts: the person's fields, and their roles
    (existing ones as they are, plus `roles` as new rows)."""
    existing = list(Membership.objects.filter(user=user).order_by("pk"))
    data = {
        "email": user.email,
        "full_name": user.full_name,
        "is_active": "on",
        "date_joined_0": timezone.localdate().isoformat(),
        "date_joined_1": "08:00:00",
        "memberships-TOTAL_FORMS": str(len(existing) + len(roles)),
        "memberships-INITIAL_FORMS": str(len(existing)),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    if user.is_staff:
        data["is_staff"] = "on"
    if user.is_superuser:
        data["is_superuser"] = "on"
    rows = [
        {
            "id": m.pk,
            "school": m.school_id or "",
            "board": m.board_id or "",
            "role": m.role,
            "start_date": m.start_date.isoformat(),
            "end_date": m.end_date.isoformat() if m.end_date else "",
        }
        for m in existing
    ] + [
        {"id": "", "board": "", "end_date": "", "start_date": timezone.localdate().isoformat()}
        | role
        for role in roles
    ]
    for n, row in enumerate(rows):
        for key, value in row.items():
            data[f"memberships-{n}-{key}"] = value
        data[f"memberships-{n}-user"] = user.pk
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def _save_in_admin(client, user, **kwargs):
    url = reverse("admin:accounts_user_change", args=[user.pk])
    return client.post(url, _change_form(user, **kwargs))


def test_the_operator_cannot_give_itself_an_ib_role_in_the_admin(world, client_for):
    operator = world.users["superuser"]
    client = client_for("superuser")
    ib_role = {"school": world.school.pk, "role": Role.CARE_COORDINATOR}
    response = _save_in_admin(client, operator, roles=[ib_role])
    assert response.status_code == 200  # the form again, with the reason
    assert "geen rol" in response.content.decode()
    assert not Membership.objects.filter(user=operator).exists()
    assert not SecurityEvent.objects.exists()


def test_the_operator_cannot_make_an_ib_a_platform_operator_in_the_admin(world, client_for):
    ib = world.users["care_coordinator"]
    response = _save_in_admin(client_for("superuser"), ib, is_superuser="on", is_staff="on")
    assert response.status_code == 200
    ib.refresh_from_db()
    assert not ib.is_superuser and not ib.is_staff


def test_a_role_given_in_the_admin_is_shown_to_the_privacy_officer(world, client_for):
    person = factories.UserFactory(email="nieuw@school.example", full_name="Nieuwe Collega")
    response = _save_in_admin(
        client_for("superuser"),
        person,
        roles=[{"school": world.school.pk, "role": Role.TEACHER}],
    )
    assert response.status_code == 302
    event = SecurityEvent.objects.get(user=person)
    assert event.kind == SecurityEvent.Kind.ROLE_ADDED
    assert event.by == world.users["superuser"] and event.school == world.school
    assert "leerkracht" in event.detail and "De Regenboog" in event.detail

    # Ending it later is recorded too, with what it was.
    membership = Membership.objects.get(user=person)
    end = timezone.localdate().isoformat()
    form = _change_form(person, **{"memberships-0-end_date": end})
    client = client_for("superuser")
    client.post(reverse("admin:accounts_user_change", args=[person.pk]), form)
    changed = SecurityEvent.objects.get(user=person, kind=SecurityEvent.Kind.ROLE_CHANGED)
    assert "→" in changed.detail and end in changed.detail
    membership.refresh_from_db()
    assert membership.end_date.isoformat() == end

    page = client_for("privacy_officer").get(reverse("accounts:security_event_list"))
    body = page.content.decode()
    assert "Nieuwe Collega" in body and "Operator" in body
    # Not the privacy officer of another school.
    other = factories.UserFactory(email="po2@school.example")
    factories.MembershipFactory(user=other, school=world.other_school, role=Role.PRIVACY_OFFICER)
    force_login(client, other)
    page = client.get(reverse("accounts:security_event_list"))
    assert "Nieuwe Collega" not in page.content.decode()


def test_platform_rights_given_in_the_admin_are_recorded(world, client_for):
    person = factories.UserFactory(email="ops@hgw.example", full_name="Tweede Operator")
    _save_in_admin(client_for("superuser"), person, is_staff="on", is_superuser="on")
    event = SecurityEvent.objects.get(user=person)
    assert event.kind == SecurityEvent.Kind.PLATFORM_RIGHTS_CHANGED
    assert "is_superuser: False → True" in event.detail


def test_school_roles_of_a_platform_operator_give_no_access(world, client_for):
    # Should one slip past the checks (a database edit), the app still ignores it.
    operator = world.users["superuser"]
    Membership.objects.create(user=operator, school=world.school, role=Role.CARE_COORDINATOR)
    client = client_for("superuser")
    tab = reverse("pupil_dossier_tab", args=[world.pupil.pk, "gegevens"])
    assert client.get(tab).status_code == 404
    assert client.get(reverse("trail:access_list")).status_code == 404


def test_the_school_admin_cannot_add_the_operator_as_staff(world, client_for):
    response = client_for("school_admin").post(
        reverse("accounts:staff_add"),
        {
            "email": "Operator@hgw.example",
            "full_name": "Operator",
            "role": Role.CARE_COORDINATOR,
            "start_date": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 200
    assert "Operator@hgw.example" in response.content.decode()
    assert not Membership.objects.filter(user=world.users["superuser"]).exists()


@pytest.mark.parametrize("flag", ["is_staff", "is_superuser"])
def test_a_platform_operator_membership_is_refused_by_the_model(world, flag):
    from django.core.exceptions import ValidationError

    user = world.users["teacher"]
    setattr(user, flag, True)
    membership = Membership(user=user, school=world.school, role=Role.TEACHER)
    with pytest.raises(ValidationError):
        membership.clean()
