"""Two first moves at once (PostgreSQL: SQLite has no row locks): one route row, one event;
the other move finds the pupil at level 2 already and is refused."""

import threading

import pytest
from django.db import connection, connections

from careroute import route
from careroute.models import CareRoute, RouteEvent
from tests.careroute import route_helpers as h

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL"
)


def test_two_first_moves_at_once_make_one_route_and_one_event(transactional_db, world):
    users = [world.users["teacher"], world.users["care_coordinator"]]
    h.submitted_registration(world.pupil, users[0])
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt(user):
        try:
            barrier.wait()
            route.move(pupil=world.pupil, move_name="register_pupil_meeting", by=user)
            outcomes.append("made")
        except route.MoveRefused:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["made", "refused"]
    assert CareRoute.objects.get(pupil=world.pupil).level == 2
    assert RouteEvent.objects.filter(pupil=world.pupil).count() == 1
