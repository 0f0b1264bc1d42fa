"""The personal calendar link: made once, renewed, read without a login, and never carrying
a pupil."""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from audit.models import AccessLogEntry
from meetings import actions, ics


def _link(client_for, persona: str) -> str:
    response = client_for(persona).post(reverse("meetings:feed_link"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    return response.context["feed_url"]


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_the_link_is_shown_once(world, group_meeting, client_for):
    url = _link(client_for, "teacher")
    assert url.endswith(".ics")
    page = client_for("teacher").get(reverse("meetings:feed_link"))
    assert _path(url) not in page.content.decode()
    assert page.context["has_feed"]


def test_the_feed_lists_the_meetings_without_pupils(
    world, group_meeting, care_team_meeting, ib, client_for
):
    # The feed reaches 60 days back: the care-team meeting moves to this week.
    care_team_meeting.date = timezone.localdate()
    care_team_meeting.save()
    actions.add_care_team_item(
        meeting=care_team_meeting, pupil=world.pupil, documents=["Groeidocument Sanne"], by=ib
    )
    url = _link(client_for, "care_coordinator")
    response = Client().get(_path(url))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode()
    assert body.count("BEGIN:VEVENT") == 2
    # In the school's language, whatever the reader's (the .po may lag in a branch).
    with translation.override(settings.LANGUAGE_CODE):
        assert f"SUMMARY:{group_meeting.title}" in body
        assert f"SUMMARY:{care_team_meeting.title}" in body
    assert "LOCATION:Teamkamer" in body
    for line in body.split("\r\n")[:-1]:
        assert len(line.encode()) <= 75
    assert "\n" not in body.replace("\r\n", "")
    for name in ("Sanne", "Vries", "Groeidocument"):
        assert name not in body


def test_times_are_in_utc_from_amsterdam(world, group_meeting, client_for):
    url = _link(client_for, "teacher")
    body = Client().get(_path(url)).content.decode()
    start = datetime.datetime.combine(group_meeting.date, datetime.time(14, 30)).replace(
        tzinfo=ics.AMSTERDAM
    )
    assert f"DTSTART:{start.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}" in body
    assert f"UID:meeting-{group_meeting.pk}@" in body


def test_a_teachers_feed_holds_only_their_meetings(
    world, group_meeting, care_team_meeting, client_for
):
    body = Client().get(_path(_link(client_for, "teacher"))).content.decode()
    assert body.count("BEGIN:VEVENT") == 1
    other = Client().get(_path(_link(client_for, "other_teacher"))).content.decode()
    assert "BEGIN:VEVENT" not in other


def test_a_renewed_link_ends_the_old_one(world, group_meeting, client_for):
    old = _path(_link(client_for, "teacher"))
    new = _path(_link(client_for, "teacher"))
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200


def test_a_deactivated_persons_link_stops(world, group_meeting, client_for):
    url = _path(_link(client_for, "teacher"))
    world.users["teacher"].is_active = False
    world.users["teacher"].save()
    assert Client().get(url).status_code == 404


def test_the_token_never_reaches_the_access_log(world, group_meeting, client_for):
    url = _path(_link(client_for, "care_coordinator"))
    token = url.rsplit("/", 1)[-1].removesuffix(".ics")
    Client().get(url)
    assert not AccessLogEntry.objects.filter(path__contains=token).exists()


def test_a_person_without_meetings_gets_no_link(world, client_for):
    assert client_for("school_admin").post(reverse("meetings:feed_link")).status_code == 404


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("a,b", "a\\,b"),
        ("a;b", "a\\;b"),
        ("a\\b", "a\\\\b"),
        ("a\nb", "a\\nb"),
        ("a\r\nb", "a\\nb"),
    ],
)
def test_text_is_escaped(text, escaped):
    assert ics.escape(text) == escaped


def test_long_lines_fold_at_75_octets_without_splitting_characters():
    line = "LOCATION:" + "é" * 100
    folded = ics.fold(line)
    parts = folded.split("\r\n")
    assert all(len(part.encode()) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == line
