"""Lockout after repeated failed logins, by account and address together, and hgw's own
limits beside it: per client address over all accounts, per account over all addresses."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import RateLimitHit
from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def _lockout_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3


def _attempt(client, password, address="10.0.0.1", email="teacher@school.example"):
    return client.post(
        reverse("accounts:login"),
        {"username": email, "password": password},
        REMOTE_ADDR=address,
    )


def test_repeated_failures_lock_the_account_from_that_address(world, client):
    for _ in range(3):
        _attempt(client, "wrong")
    response = _attempt(client, PASSWORD)
    assert response.status_code == 429
    body = response.content.decode()
    assert "Te veel pogingen" in body and "15 minuten" in body


def test_someone_elsewhere_cannot_lock_a_teacher_out(world, client):
    for _ in range(5):
        _attempt(client, "wrong", address="203.0.113.9")
    response = _attempt(client, PASSWORD, address="10.0.0.1")
    assert response.status_code == 302  # the teacher, from school, still gets in


def test_a_success_before_the_limit_clears_the_failures(world, client):
    _attempt(client, "wrong")
    _attempt(client, "wrong")
    assert _attempt(client, PASSWORD).status_code == 302
    client.logout()
    _attempt(client, "wrong")
    _attempt(client, "wrong")
    assert _attempt(client, PASSWORD).status_code == 302


def test_other_accounts_from_the_same_address_are_not_locked(world, client):
    for _ in range(3):
        _attempt(client, "wrong")
    response = _attempt(client, PASSWORD, email="director@school.example")
    assert response.status_code == 302


def test_behind_proxies_the_address_the_outer_proxy_saw_counts(world, client, settings):
    settings.TRUSTED_PROXY_COUNT = 1

    def attempt(password, forwarded):
        return client.post(
            reverse("accounts:login"),
            {"username": "teacher@school.example", "password": password},
            REMOTE_ADDR="10.0.0.254",  # the proxy
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    # An attacker forging X-Forwarded-For still gets their own address locked.
    for n in range(3):
        attempt("wrong", f"198.51.100.{n}, 203.0.113.9")
    assert attempt(PASSWORD, "1.2.3.4, 203.0.113.9").status_code == 429
    # The teacher behind the same proxy, from school, still gets in.
    assert attempt(PASSWORD, "192.0.2.10").status_code == 302


def test_client_address_without_proxies_is_the_peer(rf, settings):
    from accounts.middleware import client_address

    settings.TRUSTED_PROXY_COUNT = 0
    request = rf.get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert client_address(request) == "192.0.2.1"
    settings.TRUSTED_PROXY_COUNT = 2
    request = rf.get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.1, 10.0.0.1"
    )
    assert client_address(request) == "192.0.2.1"


@pytest.mark.parametrize(
    "variant", ["Teacher@school.example", "TEACHER@SCHOOL.EXAMPLE", " teacher@School.example "]
)
def test_logging_in_with_another_letter_case_stays_locked_out(world, client, variant):
    for _ in range(3):
        _attempt(client, "wrong")
    assert _attempt(client, PASSWORD, email=variant).status_code == 429
    assert _attempt(client, PASSWORD).status_code == 429  # and the lock is not cleared


def test_failures_in_any_letter_case_count_towards_one_lockout(world, client):
    for variant in ("teacher@school.example", "Teacher@school.example", "TEACHER@school.example"):
        _attempt(client, "wrong", email=variant)
    assert _attempt(client, PASSWORD).status_code == 429


def test_logging_in_with_another_letter_case_works_without_failures(world, client):
    assert _attempt(client, PASSWORD, email=" Teacher@School.Example ").status_code == 302


# hgw's own limits beside the pair lockout (accounts.throttle) ------------------------------


def test_trying_one_password_on_many_accounts_locks_the_address(world, client, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 4
    for n in range(4):
        _attempt(client, "wrong", address="203.0.113.9", email=f"person{n}@school.example")
    # The address is refused for every account, even with the right password...
    response = _attempt(client, PASSWORD, address="203.0.113.9")
    assert response.status_code == 429
    assert "deze computer" in response.content.decode()
    # ...while the teacher at school still gets in.
    assert _attempt(client, PASSWORD, address="10.0.0.1").status_code == 302


def test_guessing_one_account_from_many_addresses_slows_down(world, client, settings):
    settings.LOGIN_ACCOUNT_SLOWDOWN_AFTER = 2
    settings.AXES_FAILURE_LIMIT = 100
    _attempt(client, "wrong", address="198.51.100.1")
    _attempt(client, "wrong", address="198.51.100.2")
    # From a third address, at once: refused before the password is looked at.
    response = _attempt(client, PASSWORD, address="198.51.100.3")
    assert response.status_code == 429
    assert "seconden" in response.content.decode()  # a wait of about half a minute


def test_the_slowdown_passes_once_its_delay_is_over(world, client, settings):
    settings.LOGIN_ACCOUNT_SLOWDOWN_AFTER = 2
    settings.AXES_FAILURE_LIMIT = 100
    _attempt(client, "wrong", address="198.51.100.1")
    _attempt(client, "wrong", address="198.51.100.2")
    RateLimitHit.objects.update(at=timezone.now() - datetime.timedelta(seconds=31))
    assert _attempt(client, PASSWORD, address="198.51.100.3").status_code == 302


def test_attackers_elsewhere_cannot_slow_the_teacher_down_where_they_logged_in_before(
    world, client, settings
):
    settings.LOGIN_ACCOUNT_SLOWDOWN_AFTER = 2
    settings.AXES_FAILURE_LIMIT = 100
    assert _attempt(client, PASSWORD, address="10.0.0.1").status_code == 302
    client.logout()
    for n in range(6):
        _attempt(client, "wrong", address=f"198.51.100.{n}")
    assert _attempt(client, PASSWORD, address="198.51.100.99").status_code == 429
    assert _attempt(client, PASSWORD, address="10.0.0.1").status_code == 302
