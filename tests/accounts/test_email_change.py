"""Changing one's login address: only with the password given again, never onto another
account's address, recorded, and announced to both addresses (without pupil data)."""

from django.core import mail
from django.urls import reverse

from accounts.models import SecurityEvent, User
from tests.conftest import PASSWORD

URL = reverse("accounts:email_change")


def test_change_with_password_is_recorded_and_announced(
    world, client_for, django_capture_on_commit_callbacks
):
    client = client_for("teacher")
    assert client.get(URL).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"email": "Juf.Nieuw@School.example", "password": PASSWORD})
    assert response.status_code == 302
    teacher = User.objects.get(pk=world.users["teacher"].pk)
    assert teacher.email == "juf.nieuw@school.example"
    (event,) = SecurityEvent.objects.filter(user=teacher)
    assert event.kind == SecurityEvent.Kind.EMAIL_CHANGED
    assert event.by == teacher
    assert event.detail == "teacher@school.example → juf.nieuw@school.example"
    (message,) = mail.outbox
    assert set(message.to) == {"teacher@school.example", "juf.nieuw@school.example"}
    assert "Meld het meteen bij de administratie van uw school" in message.body
    assert world.pupil.given_name not in message.body
    # The person stays logged in, and logs in with the new address from now on.
    assert client.get(reverse("home")).status_code == 200
    client.logout()
    assert client.login(username="juf.nieuw@school.example", password=PASSWORD)


def test_wrong_password_keeps_the_address_typed(world, client_for):
    client = client_for("teacher")
    response = client.post(URL, {"email": "ander@school.example", "password": "fout"})
    assert response.status_code == 422
    content = response.content.decode()
    assert "Dit is niet uw wachtwoord." in content
    assert 'value="ander@school.example"' in content
    assert User.objects.get(pk=world.users["teacher"].pk).email == "teacher@school.example"
    assert not SecurityEvent.objects.exists()


def test_another_accounts_address_is_refused(world, client_for):
    client = client_for("teacher")
    response = client.post(URL, {"email": "Director@school.example", "password": PASSWORD})
    assert response.status_code == 422
    assert "Een ander account gebruikt dit e-mailadres al." in response.content.decode()
    assert User.objects.get(pk=world.users["teacher"].pk).email == "teacher@school.example"


def test_the_same_address_is_no_change(world, client_for):
    response = client_for("teacher").post(
        URL, {"email": "TEACHER@school.example", "password": PASSWORD}
    )
    assert response.status_code == 422
    assert "Dit is al uw e-mailadres." in response.content.decode()
    assert not SecurityEvent.objects.exists()


def test_the_school_administration_sees_the_change(world, client_for):
    client_for("teacher").post(URL, {"email": "juf.nieuw@school.example", "password": PASSWORD})
    detail = client_for("school_admin").get(
        reverse("accounts:staff_detail", args=[world.users["teacher"].pk])
    )
    assert "teacher@school.example → juf.nieuw@school.example" in detail.content.decode()
