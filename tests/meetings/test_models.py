"""What the database refuses about meetings, attendees and items."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from meetings.models import Attendee, Meeting, MeetingItem


def _meeting(world, ib, **overrides) -> Meeting:
    values = {
        "school": world.school,
        "kind": "pupil",
        "date": datetime.date(world.group.school_year.start_year, 10, 1),
        "created_by": ib,
    } | overrides
    return Meeting(**values)


def _refused(obj) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        obj.save()


def test_meeting_kind_must_be_known(world, ib):
    _refused(_meeting(world, ib, kind="party"))


def test_meeting_status_must_be_known(world, ib):
    _refused(_meeting(world, ib, status="postponed"))


def test_a_group_meeting_needs_its_group(world, ib, period):
    _refused(_meeting(world, ib, kind="group", period=period))


def test_a_group_meeting_needs_its_period(world, ib):
    _refused(_meeting(world, ib, kind="group", group=world.group))


def test_signed_off_by_and_at_come_together(world, ib):
    _refused(_meeting(world, ib, status="held", signed_off_by=ib))


def test_signed_off_at_without_by_is_refused(world, ib):
    _refused(_meeting(world, ib, status="signed_off", signed_off_at=timezone.now()))


def test_signed_off_status_needs_the_sign_off(world, ib):
    _refused(_meeting(world, ib, status="signed_off"))


def test_sign_off_needs_the_signed_off_status(world, ib):
    _refused(_meeting(world, ib, status="held", signed_off_by=ib, signed_off_at=timezone.now()))


def test_duration_must_be_positive(world, ib):
    _refused(_meeting(world, ib, duration_minutes=0))


def test_one_group_meeting_per_group_and_period(world, ib, group_meeting):
    _refused(_meeting(world, ib, kind="group", group=world.group, period=group_meeting.period))


def test_other_kinds_may_share_a_day_and_a_group(world, ib, group_meeting):
    _meeting(world, ib, kind="pupil", group=world.group, period=group_meeting.period).save()


def test_an_attendee_is_a_user_or_a_name(world, ib, group_meeting):
    _refused(Attendee(meeting=group_meeting))


def test_an_attendee_user_has_no_separate_name(world, ib, group_meeting):
    _refused(Attendee(meeting=group_meeting, user=world.users["director"], name="Directeur"))


def test_a_user_attends_a_meeting_once(world, ib, group_meeting):
    _refused(Attendee(meeting=group_meeting, user=ib))


def test_several_guests_by_name(world, group_meeting):
    Attendee.objects.create(meeting=group_meeting, name="M. Jansen", discipline="SMW")
    Attendee.objects.create(meeting=group_meeting, name="J. de Boer", discipline="GGD")


def test_one_item_per_pupil_per_meeting(world, ib, care_team_meeting):
    MeetingItem.objects.create(meeting=care_team_meeting, pupil=world.pupil, created_by=ib)
    _refused(MeetingItem(meeting=care_team_meeting, pupil=world.pupil, created_by=ib, position=2))


def test_an_item_keeps_its_pupil(world, ib, care_team_meeting):
    MeetingItem.objects.create(meeting=care_team_meeting, pupil=world.pupil, created_by=ib)
    with pytest.raises(IntegrityError), transaction.atomic():
        world.pupil.delete()


def test_the_calendar_title_names_kind_and_group_only(group_meeting, care_team_meeting):
    assert group_meeting.title == "Groepsbespreking Groep 5"
    assert care_team_meeting.title == "Zorgteamoverleg"
