"""Lockout after repeated failed logins, by account and address together."""

import pytest
from django.urls import reverse

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
