"""The school administration adds people and ends their roles."""

import datetime
from urllib.parse import urlsplit

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Role, User
from tests import factories
from tests.conftest import force_login


def _add(client, **fields):
    data = {
        "email": "nieuw@school.example",
        "full_name": "Nora  Nieuw",
        "role": Role.TEACHER,
        "start_date": timezone.localdate().isoformat(),
    } | fields
    return client.post(reverse("accounts:staff_add"), data)


def test_a_new_person_gets_an_account_and_an_invitation(
    world, client_for, django_capture_on_commit_callbacks
):
    client = client_for("school_admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = _add(client)
    assert response.status_code == 302
    person = User.objects.get(email="nieuw@school.example")
    assert person.full_name == "Nora Nieuw"
    assert not person.has_usable_password()
    assert (
        Membership.objects.active()
        .filter(user=person, school=world.school, role="teacher")
        .exists()
    )
    (message,) = mail.outbox
    assert message.to == ["nieuw@school.example"]
    assert "De Regenboog" in message.subject
    assert "Sanne" not in message.body  # no pupil data in e-mail
    link = next(line for line in message.body.splitlines() if "/wachtwoord/nieuw/" in line)
    # The invitation is a working first-password link.
    anonymous = client_for("anonymous")
    response = anonymous.get(urlsplit(link.strip()).path, follow=True)
    assert response.context["validlink"]
    anonymous.post(
        response.redirect_chain[-1][0],
        {"new_password1": "eerste-eigen-wachtwoord", "new_password2": "eerste-eigen-wachtwoord"},
    )
    assert anonymous.login(username="nieuw@school.example", password="eerste-eigen-wachtwoord")


def test_someone_with_an_account_elsewhere_keeps_it(
    world, client_for, django_capture_on_commit_callbacks
):
    ib_elsewhere = world.users["other_school_ib"]
    with django_capture_on_commit_callbacks(execute=True):
        response = _add(
            client_for("school_admin"),
            email=ib_elsewhere.email.upper(),
            full_name="Typed Differently",
            role=Role.CARE_COORDINATOR,
        )
    assert response.status_code == 302
    assert User.objects.filter(email__iexact=ib_elsewhere.email).count() == 1
    ib_elsewhere.refresh_from_db()
    assert ib_elsewhere.full_name != "Typed Differently"
    assert mail.outbox == []  # they have a password already
    roles = Membership.objects.active().filter(user=ib_elsewhere).values_list("school", flat=True)
    assert set(roles) == {world.school.pk, world.other_school.pk}


def test_adding_the_same_role_twice_is_refused_and_keeps_the_input(world, client_for):
    response = _add(
        client_for("school_admin"),
        email="teacher@school.example",
        full_name="Teacher Again",
        role=Role.TEACHER,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "heeft deze rol al op deze school" in body
    assert 'value="Teacher Again"' in body


def test_bad_input_is_explained_in_dutch_and_kept(world, client_for):
    response = _add(client_for("school_admin"), email="geen-adres", start_date="31-02-2026")
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"email", "start_date"}
    assert "Voer een geldig e-mailadres in." in form.errors["email"]
    assert 'value="geen-adres"' in response.content.decode()


def test_a_person_added_from_a_future_date_has_no_access_yet(world, client_for):
    start = timezone.localdate() + datetime.timedelta(days=10)
    _add(client_for("school_admin"), role=Role.CARE_COORDINATOR, start_date=start.isoformat())
    person = User.objects.get(email="nieuw@school.example")
    client = client_for("anonymous")
    force_login(client, person)
    tab = reverse("pupil_dossier_tab", args=[world.pupil.pk, "gegevens"])
    assert client.get(tab).status_code == 404


def test_a_deactivated_account_is_reactivated_when_added_again(world, client_for):
    person = factories.UserFactory(email="terug@school.example", is_active=False)
    _add(client_for("school_admin"), email="terug@school.example")
    person.refresh_from_db()
    assert person.is_active


def test_staff_detail_offers_ending_roles_except_ones_own(world, client_for):
    client = client_for("school_admin")
    other = client.get(reverse("accounts:staff_detail", args=[world.users["teacher"].pk]))
    assert other.context["can_end"]
    own = client.get(reverse("accounts:staff_detail", args=[world.users["school_admin"].pk]))
    assert not own.context["can_end"]


def test_staff_of_another_school_is_not_found(world, client_for):
    response = client_for("school_admin").get(
        reverse("accounts:staff_detail", args=[world.users["other_school_ib"].pk])
    )
    assert response.status_code == 404
