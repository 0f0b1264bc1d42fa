import datetime
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.actions import end_memberships
from accounts.models import Membership, Role, User
from tests import factories
from tests.conftest import PASSWORD, force_login


def test_login_by_email_in_any_case(world, client):
    response = client.post(
        reverse("accounts:login"), {"username": "TEACHER@School.example", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_failed_login_keeps_the_address_and_explains_in_dutch(world, client):
    response = client.post(
        reverse("accounts:login"), {"username": "teacher@school.example", "password": "wrong"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="teacher@school.example"' in body
    assert "komen niet overeen" in body


def test_email_is_unique_regardless_of_case(db):
    User.objects.create_user("a.jansen@school.example", "A. Jansen")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="A.Jansen@School.example", full_name="Other")


def test_email_is_stored_in_lower_case(db):
    user = User.objects.create_user(" A.Jansen@School.example ", "A. Jansen")
    assert user.email == "a.jansen@school.example"
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="B.Jansen@school.example", full_name="Other")


def test_imported_people_have_no_usable_password_until_they_set_one(db):
    user = User.objects.create_user("new@school.example", "New Teacher")
    assert not user.has_usable_password()


def test_board_membership_names_a_board_and_no_school(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=world.users["teacher"], school=world.school, role=Role.BOARD)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=world.users["teacher"], role=Role.TEACHER)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=world.users["teacher"], school=world.school, role="janitor")


def test_ending_roles_ends_access_at_once(world, client_for):
    teacher = world.users["teacher"]
    factories.MembershipFactory(user=teacher, school=world.other_school)
    client = client_for("teacher")
    client.post(reverse("accounts:school_choose"), {"school": world.school.pk})
    tab = reverse("pupil_dossier_tab", args=[world.pupil.pk, "gegevens"])
    assert client.get(tab).status_code == 200
    end_memberships(user=teacher, school=world.school, by=world.users["school_admin"])
    # The same session, the next request: this school is gone, and with it the pupil.
    assert client.get(tab).status_code == 404


def test_ending_the_last_role_deactivates_the_account_and_its_sessions(world, client_for):
    client = client_for("teacher")
    assert client.get(reverse("home")).status_code == 200
    end_memberships(
        user=world.users["teacher"], school=world.school, by=world.users["school_admin"]
    )
    world.users["teacher"].refresh_from_db()
    assert not world.users["teacher"].is_active
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_ending_roles_at_one_school_keeps_the_account_for_another(world):
    teacher = world.users["teacher"]
    factories.MembershipFactory(user=teacher, school=world.other_school)
    ended = end_memberships(user=teacher, school=world.school, by=world.users["school_admin"])
    assert [m.end_date for m in ended] == [timezone.localdate()]
    teacher.refresh_from_db()
    assert teacher.is_active
    membership = ended[0]
    assert membership.history.latest().history_user == world.users["school_admin"]


def test_school_admin_ends_roles_through_the_staff_page(world, client_for):
    client = client_for("school_admin")
    response = client.get(reverse("accounts:staff_list"))
    assert world.users["teacher"] in response.context["page"].object_list
    response = client.post(
        reverse("accounts:membership_end", args=[world.users["teacher"].pk]), follow=True
    )
    assert "heeft geen rol meer" in response.content.decode()
    assert world.users["teacher"] not in response.context["page"].object_list


def test_school_admin_cannot_end_roles_at_another_school(world, client_for):
    outsider = world.users["other_school_ib"]
    response = client_for("school_admin").post(
        reverse("accounts:membership_end", args=[outsider.pk])
    )
    assert response.status_code == 404
    assert Membership.objects.active().filter(user=outsider).exists()


def test_school_admin_cannot_end_own_roles(world, client_for):
    admin = world.users["school_admin"]
    client_for("school_admin").post(reverse("accounts:membership_end", args=[admin.pk]))
    assert Membership.objects.active().filter(user=admin).exists()


def test_person_with_two_schools_chooses_one(world, client):
    ib = world.users["care_coordinator"]
    factories.MembershipFactory(user=ib, school=world.other_school, role=Role.CARE_COORDINATOR)
    force_login(client, ib)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:school_choose")
    response = client.post(reverse("accounts:school_choose"), {"school": world.other_school.pk})
    assert response.status_code == 302
    response = client.get(reverse("pupils:group_list"))
    assert list(response.context["page"]) == [world.other_school_group]


def test_school_choice_refuses_a_school_without_a_role(world, client_for):
    client = client_for("care_coordinator")
    response = client.post(reverse("accounts:school_choose"), {"school": world.other_school.pk})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_future_membership_gives_no_access_yet(world, client):
    person = factories.UserFactory()
    factories.MembershipFactory(
        user=person,
        school=world.school,
        role=Role.CARE_COORDINATOR,
        start_date=timezone.localdate() + datetime.timedelta(days=3),
    )
    force_login(client, person)
    tab = reverse("pupil_dossier_tab", args=[world.pupil.pk, "gegevens"])
    assert client.get(tab).status_code == 404


def _ask_reset(client, email="teacher@school.example", address="10.0.0.1"):
    return client.post(reverse("accounts:password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_password_reset_mail_carries_a_working_link_and_no_pupil_data(
    world, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _ask_reset(client, email="Teacher@School.example")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["teacher@school.example"]
    assert "Sanne" not in message.body and "Vries" not in message.body
    link = next(line for line in message.body.splitlines() if "/wachtwoord/nieuw/" in line)
    response = client.get(urlsplit(link.strip()).path, follow=True)
    assert response.context["validlink"]
    response = client.post(
        response.redirect_chain[-1][0],
        {
            "new_password1": "een-nieuw-lang-wachtwoord",
            "new_password2": "een-nieuw-lang-wachtwoord",
        },
    )
    assert response.status_code == 302
    assert client.login(username="teacher@school.example", password="een-nieuw-lang-wachtwoord")


def test_password_reset_mail_is_sent_by_the_task_worker_not_the_request(
    world, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        _ask_reset(client)
    assert mail.outbox == []  # the answer went out before any mail
    (enqueue,) = queued
    enqueue()
    assert [m.to for m in mail.outbox] == [["teacher@school.example"]]


def test_password_reset_answers_alike_for_an_unknown_address(world, client):
    def answer(email):
        with CaptureQueriesContext(connection) as queries:
            response = _ask_reset(client, email=email)
        return response.status_code, response["Location"], len(queries)

    known = answer("teacher@school.example")
    assert known == answer("nobody@school.example")  # same page, same work
    assert known[:2] == (302, reverse("accounts:password_reset_done"))


def test_password_reset_sends_at_most_three_mails_an_hour_to_an_address(
    world, client, django_capture_on_commit_callbacks
):
    answers = set()
    for n in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            response = _ask_reset(client, address=f"10.0.0.{n}")
        answers.add((response.status_code, response["Location"]))
    assert len(mail.outbox) == 3
    assert answers == {(302, reverse("accounts:password_reset_done"))}  # throttled alike


def test_password_reset_requests_from_one_computer_are_limited(
    world, client, settings, django_capture_on_commit_callbacks
):
    settings.PASSWORD_RESET_REQUESTS_PER_CLIENT = 2
    for persona in ("teacher", "director", "care_coordinator"):
        with django_capture_on_commit_callbacks(execute=True):
            response = _ask_reset(client, email=f"{persona}@school.example")
        assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 2


def test_password_reset_for_unknown_address_reveals_nothing(
    world, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask_reset(client, email="nobody@school.example")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []
