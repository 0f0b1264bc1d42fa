"""A request that changes data and fails leaves nothing half written, as the 500 page says."""

import pytest
from django.test import Client

from schools.models import Board


@pytest.fixture
def client_500(settings):
    settings.ROOT_URLCONF = "tests.hgw.failing_urls"
    return Client(raise_request_exception=False)


def _written() -> bool:
    return Board.objects.filter(name__startswith="Written by").exists()


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_change_that_fails_after_a_first_write_leaves_nothing_written(method, db, client_500):
    response = getattr(client_500, method)("/test-write-then-fail/")
    assert response.status_code == 500
    assert "Er is niets half opgeslagen" in response.content.decode()
    assert not _written()


def test_a_change_that_succeeds_keeps_what_it_wrote(db, client_500):
    response = client_500.post("/test-write-then-answer/")
    assert response.status_code == 200
    assert _written()


def test_a_page_view_runs_outside_a_request_transaction(db, client_500):
    """A GET only reads: it takes no transaction (and so no SQLite write lock). Should one
    write and fail, its write is not undone."""
    response = client_500.get("/test-write-then-fail/")
    assert response.status_code == 500
    assert _written()
