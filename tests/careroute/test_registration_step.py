"""The registration step: submitting a registration for a pupil meeting is the route's step
from level 1 to level 2 (for whoever may take it), in one transaction with the submit; the
evidence windows compare moments, not days, and the messages name the moment."""

import datetime
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from careroute import registration_step, route
from careroute.models import CareRoute, RouteEvent
from meetings import registrations
from meetings.models import Registration
from tests.careroute import route_helpers as h

pytestmark = pytest.mark.django_db

QUESTION = {"question": "Hoe leert Sanne de tafels?", "tried": "Verlengde instructie"}


@pytest.fixture
def ib(world):
    return world.users["care_coordinator"]


@pytest.fixture
def teacher(world):
    return world.users["teacher"]


def _draft(world, by):
    return registrations.start_registration(pupil=world.pupil, by=by, **QUESTION)


def _submit_form(client, url, **extra):
    return client.post(url, {**QUESTION, "going_well": "", "submit_registration": "1", **extra})


# Submitting takes the step -------------------------------------------------------------------


def test_teacher_submitting_registration_moves_pupil_to_level_two(world, teacher, client_for):
    client = client_for("teacher")
    url = reverse("meetings:registration_create", args=[world.pupil.pk])
    answer = _submit_form(client, url)
    assert answer.status_code == 302
    registration = Registration.objects.get()
    assert registration.is_submitted
    assert route.current_level(world.pupil) == 2
    event = RouteEvent.objects.get()
    assert (event.move, event.from_level, event.to_level, event.by) == (
        "register_pupil_meeting",
        1,
        2,
        teacher,
    )
    [piece] = event.evidence
    assert (piece["kind"], piece["id"]) == ("registration", registration.pk)
    page = client.get(answer.url).content.decode()
    assert "De aanmelding is ingediend" in page
    assert "Sanne de Vries staat nu op niveau 2 (leerlingbespreking)" in page


def test_ib_submitting_a_draft_moves_pupil_to_level_two(world, ib, client_for):
    draft = _draft(world, ib)
    url = reverse("meetings:registration_detail", args=[draft.pk])
    answer = _submit_form(client_for("care_coordinator"), url, version=draft.version)
    assert answer.status_code == 302
    assert route.current_level(world.pupil) == 2
    assert RouteEvent.objects.get().by == ib


def test_saving_a_draft_does_not_move_the_pupil(world, client_for):
    url = reverse("meetings:registration_create", args=[world.pupil.pk])
    answer = client_for("teacher").post(url, {**QUESTION, "going_well": ""})
    assert answer.status_code == 302
    assert route.current_level(world.pupil) == 1
    assert not RouteEvent.objects.exists()


def test_submitting_for_a_pupil_above_level_one_only_submits(world, ib):
    h.submitted_registration(world.pupil, ib)
    route.move(pupil=world.pupil, move_name="register_pupil_meeting", by=ib)
    submitted, event = registration_step.submit_registration(registration=_draft(world, ib), by=ib)
    assert submitted.is_submitted and event is None
    assert route.current_level(world.pupil) == 2
    assert RouteEvent.objects.count() == 1


def test_submitting_by_someone_who_may_not_take_the_step_only_submits(world):
    director = world.users["director"]
    submitted, event = registration_step.submit_registration(
        registration=_draft(world, director), by=director
    )
    assert submitted.is_submitted and event is None
    assert route.current_level(world.pupil) == 1
    assert not CareRoute.objects.exists()


def test_submitting_is_undone_when_the_step_fails(world, teacher):
    draft = _draft(world, teacher)
    with (
        mock.patch.object(route, "move", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        registration_step.submit_registration(registration=draft, by=teacher)
    assert not Registration.objects.get().is_submitted


def test_the_route_tab_no_longer_offers_the_step_after_submitting(world, teacher, client_for):
    client = client_for("teacher")
    _submit_form(client, reverse("meetings:registration_create", args=[world.pupil.pk]))
    body = client.get(reverse("careroute:pupil_route", args=[world.pupil.pk])).content.decode()
    move = reverse("careroute:route_move", args=[world.pupil.pk, "register_pupil_meeting"])
    assert move not in body


def test_a_registration_submitted_before_the_change_keeps_its_button(world, teacher, client_for):
    # Submitted without the step (as before): the level-1 pupil's step is still offered.
    h.submitted_registration(world.pupil, teacher)
    client = client_for("teacher")
    body = client.get(reverse("careroute:pupil_route", args=[world.pupil.pk])).content.decode()
    move = reverse("careroute:route_move", args=[world.pupil.pk, "register_pupil_meeting"])
    assert move in body
    assert client.post(move, {"register_pupil_meeting-reason": ""}).status_code == 302
    assert route.current_level(world.pupil) == 2


# The evidence window -------------------------------------------------------------------------


def test_pupil_meeting_signed_off_same_day_after_registration_counts(world, ib):
    # The old trap: registered, the pupil meeting signed off, and only then the step pressed.
    registration = h.submitted_registration(world.pupil, ib)
    item = h.signed_off_pupil_meeting(world, world.pupil, ib, registration=registration)
    route.move(pupil=world.pupil, move_name="register_pupil_meeting", by=ib)
    h.started_ihp(world.pupil, ib, based_on=item)
    assert route.check(world.pupil, "start_ihp", actor_user=ib) == []
    event = route.move(pupil=world.pupil, move_name="start_ihp", by=ib)
    assert event.evidence[0]["id"] == item.pk


def test_pupil_meeting_signed_off_before_the_registration_does_not_count(world, ib):
    earlier = h.signed_off_pupil_meeting(world, world.pupil, ib)
    h.submitted_registration(world.pupil, ib, question="Een nieuwe vraag")
    route.move(pupil=world.pupil, move_name="register_pupil_meeting", by=ib)
    h.started_ihp(world.pupil, ib, based_on=earlier)
    with translation.override("en"):
        missing = route.check(world.pupil, "start_ihp", actor_user=ib)
    assert len(missing) == 1 and "concluded that an individual plan is needed" in missing[0]


def test_evidence_a_minute_after_the_entry_counts_the_same_day(world, ib):
    h.submitted_registration(world.pupil, ib)
    route.move(pupil=world.pupil, move_name="register_pupil_meeting", by=ib)
    route.move(pupil=world.pupil, move_name="other_down", by=ib, reason="Terug", to_level=1)
    entry = RouteEvent.objects.filter(move="other_down").get().at
    registration = h.submitted_registration(world.pupil, ib)
    Registration.objects.filter(pk=registration.pk).update(
        submitted_at=entry + datetime.timedelta(minutes=1)
    )
    assert route.check(world.pupil, "register_pupil_meeting", actor_user=ib) == []
    Registration.objects.filter(pk=registration.pk).update(
        submitted_at=entry - datetime.timedelta(minutes=1)
    )
    assert route.check(world.pupil, "register_pupil_meeting", actor_user=ib) != []


def test_a_refused_step_names_the_moment_in_dutch(world, ib):
    registration = h.submitted_registration(world.pupil, ib)
    route.move(pupil=world.pupil, move_name="register_pupil_meeting", by=ib)
    at = timezone.localtime(registration.submitted_at)  # the window opens at the registration
    months = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus"]
    months += ["september", "oktober", "november", "december"]
    moment = f"{at.day} {months[at.month - 1]} {at.year} om {at:%H:%M}"
    with translation.override("nl"):
        missing = route.check(world.pupil, "start_ihp", actor_user=ib)
    assert missing[0] == (
        f"Geen leerlingbespreking die na {moment} is vastgesteld, heeft geconcludeerd dat een "
        "individueel handelingsplan nodig is."
    )


def test_the_teacher_reads_on_the_form_that_submitting_takes_the_step(world, client_for):
    url = reverse("meetings:registration_create", args=[world.pupil.pk])
    body = client_for("teacher").get(url).content.decode()
    assert "Met het indienen gaat de leerling ook naar niveau 2 (leerlingbespreking)" in body
