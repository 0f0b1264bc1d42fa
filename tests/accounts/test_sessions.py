"""Session hygiene: a new session at login, idle and absolute timeouts, logout everywhere."""

import time

from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hgw.middleware import SESSION_LOGIN_AT_KEY
from tests.conftest import PASSWORD


def _log_in(client: Client, email: str) -> None:
    response = client.post(reverse("accounts:login"), {"username": email, "password": PASSWORD})
    assert response.status_code == 302


def test_login_starts_a_new_session(world, client):
    client.get(reverse("accounts:login"))
    client.session.save()
    before = client.session.session_key
    _log_in(client, "teacher@school.example")
    assert client.session.session_key != before


def test_every_request_moves_the_idle_expiry_on(world, client):
    _log_in(client, "teacher@school.example")
    session = Session.objects.get(session_key=client.session.session_key)
    session.expire_date = timezone.now() + timezone.timedelta(minutes=1)
    session.save()
    client.get(reverse("home"))
    renewed = Session.objects.get(session_key=client.session.session_key).expire_date
    assert renewed > timezone.now() + timezone.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)


def test_an_idle_session_has_lapsed(world, client):
    _log_in(client, "teacher@school.example")
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timezone.timedelta(seconds=1)
    )
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_login_ends_after_the_absolute_timeout_however_busy(world, client):
    _log_in(client, "teacher@school.example")
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    session[SESSION_LOGIN_AT_KEY] = int(time.time()) - settings.SESSION_ABSOLUTE_TIMEOUT - 1
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert client.get(reverse("home")).status_code == 302  # logged out, not just redirected


def test_a_password_change_logs_out_every_other_session(world):
    phone, laptop = Client(), Client()
    _log_in(phone, "teacher@school.example")
    _log_in(laptop, "teacher@school.example")
    response = laptop.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "een-heel-nieuw-wachtwoord",
            "new_password2": "een-heel-nieuw-wachtwoord",
        },
    )
    assert response.status_code == 302
    assert laptop.get(reverse("home")).status_code == 200  # the session that changed it stays
    response = phone.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_pages_switch_off_powerful_browser_features(world, client_for):
    response = client_for("teacher").get(reverse("home"))
    policy = response["Permissions-Policy"]
    assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy
    assert client_for("anonymous").get(reverse("accounts:login"))["Permissions-Policy"] == policy


def test_deactivating_the_account_logs_out_every_session(world):
    from accounts.actions import end_memberships

    phone = Client()
    _log_in(phone, "teacher@school.example")
    assert phone.get(reverse("home")).status_code == 200
    end_memberships(
        user=world.users["teacher"], school=world.school, by=world.users["school_admin"]
    )
    response = phone.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_signed_in_pages_are_never_cached(world, client_for):
    client = client_for("teacher")
    response = client.get(reverse("pupil_dossier_tab", args=[world.pupil.pk, "gegevens"]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_the_login_page_of_a_signed_in_person_is_not_cached(world, client):
    _log_in(client, "teacher@school.example")
    response = client.get(reverse("accounts:login"))  # sends them on, signed in
    assert response.status_code == 302
    assert "no-store" in response["Cache-Control"]
    followed = client.get(response["Location"])
    assert "no-store" in followed["Cache-Control"]
