"""Slice 2: the group meeting prepared, held, minuted and signed off."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from groupplans import actions as overview_actions
from groupplans.models import OverviewStatus
from meetings import actions
from meetings.models import Addendum, MeetingStatus, Minutes

pytestmark = pytest.mark.django_db


def _after(meeting) -> datetime.date:
    return meeting.date + datetime.timedelta(days=1)


def _held(meeting, ib):
    return actions.mark_held(meeting=meeting, by=ib, today=meeting.date)


# Minutes and preparation ------------------------------------------------------------------


def test_minutes_are_saved_over_the_version_seen(group_meeting, ib):
    minutes = actions.save_minutes(
        meeting=group_meeting, values={"questions": "Rekenen?"}, seen_version=1, by=ib
    )
    assert (minutes.version, minutes.questions, minutes.updated_by) == (2, "Rekenen?", ib)
    minutes = actions.save_minutes(
        meeting=group_meeting, values={"report": "Goed gesprek."}, seen_version=2, by=ib
    )
    assert (minutes.version, minutes.questions, minutes.report) == (3, "Rekenen?", "Goed gesprek.")


def test_a_stale_save_of_the_minutes_is_refused_with_what_stands(group_meeting, ib, world):
    actions.save_minutes(meeting=group_meeting, values={"questions": "A"}, seen_version=1, by=ib)
    with pytest.raises(actions.StaleMinutes) as stale:
        actions.save_minutes(
            meeting=group_meeting,
            values={"teacher_summary": "B"},
            seen_version=1,
            by=world.users["teacher"],
        )
    assert stale.value.current.questions == "A"
    assert Minutes.objects.get().teacher_summary == ""


def test_an_unchanged_save_keeps_the_version(group_meeting, ib):
    actions.save_minutes(meeting=group_meeting, values={"questions": "A"}, seen_version=1, by=ib)
    again = actions.save_minutes(
        meeting=group_meeting, values={"questions": "A"}, seen_version=2, by=ib
    )
    assert again.version == 2


def test_unknown_fields_are_refused(group_meeting, ib):
    with pytest.raises(ValidationError):
        actions.save_minutes(meeting=group_meeting, values={"version": 9}, seen_version=1, by=ib)


def test_the_preparation_checklist(group_meeting, world):
    teacher = world.users["teacher"]
    prep = actions.save_preparation(
        meeting=group_meeting,
        values={"plan_evaluated": True, "questions_listed": True},
        seen_version=1,
        by=teacher,
    )
    assert (prep.version, prep.plan_evaluated, prep.reclustered) == (2, True, False)
    with pytest.raises(actions.StaleMinutes):
        actions.save_preparation(
            meeting=group_meeting, values={"reclustered": True}, seen_version=1, by=teacher
        )


def test_only_a_group_meeting_has_a_preparation(care_team_meeting, ib):
    with pytest.raises(ValidationError):
        actions.save_preparation(
            meeting=care_team_meeting, values={"plan_evaluated": True}, seen_version=1, by=ib
        )


# Held and signed off ----------------------------------------------------------------------


def test_a_meeting_is_held_on_or_after_its_date(group_meeting, ib):
    with pytest.raises(ValidationError):
        actions.mark_held(
            meeting=group_meeting, by=ib, today=group_meeting.date - datetime.timedelta(days=1)
        )
    held = actions.mark_held(meeting=group_meeting, by=ib, today=group_meeting.date)
    assert held.status == MeetingStatus.HELD and held.held_at is not None
    with pytest.raises(ValidationError):
        actions.mark_held(meeting=group_meeting, by=ib, today=_after(group_meeting))


def test_only_a_held_meeting_is_signed_off(group_meeting, ib):
    with pytest.raises(ValidationError):
        actions.sign_off(meeting=group_meeting, by=ib)


def test_a_group_meeting_without_an_overview_signs_off(group_meeting, ib):
    _held(group_meeting, ib)
    signed = actions.sign_off(meeting=group_meeting, by=ib)
    assert signed.status == MeetingStatus.SIGNED_OFF
    assert (signed.signed_off_by, signed.signed_off_at is not None) == (ib, True)


def test_sign_off_marks_the_sent_overview_discussed(group_meeting, ib, world, period):
    teacher = world.users["teacher"]
    overview = overview_actions.create_overview(group=world.group, period=period, by=teacher)
    overview_actions.send_overview(overview=overview, questions="Hulp bij rekenen", by=teacher)
    _held(group_meeting, ib)
    actions.sign_off(meeting=group_meeting, by=ib)
    overview.refresh_from_db()
    assert overview.status == OverviewStatus.DISCUSSED


def test_a_draft_overview_blocks_the_sign_off(group_meeting, ib, world, period):
    overview = overview_actions.create_overview(
        group=world.group, period=period, by=world.users["teacher"]
    )
    _held(group_meeting, ib)
    with pytest.raises(ValidationError, match="not sent"):
        actions.sign_off(meeting=group_meeting, by=ib)
    group_meeting.refresh_from_db()
    overview.refresh_from_db()
    assert group_meeting.status == MeetingStatus.HELD
    assert overview.status == OverviewStatus.DRAFT


def test_signed_off_minutes_are_locked(group_meeting, ib, world):
    actions.save_minutes(meeting=group_meeting, values={"report": "A"}, seen_version=1, by=ib)
    _held(group_meeting, ib)
    actions.sign_off(meeting=group_meeting, by=ib)
    with pytest.raises(ValidationError):
        actions.save_minutes(meeting=group_meeting, values={"report": "B"}, seen_version=2, by=ib)
    with pytest.raises(ValidationError):
        actions.save_preparation(
            meeting=group_meeting,
            values={"plan_evaluated": True},
            seen_version=1,
            by=world.users["teacher"],
        )
    assert Minutes.objects.get().report == "A"


def test_an_addendum_only_after_sign_off(group_meeting, ib):
    with pytest.raises(ValidationError):
        actions.add_addendum(meeting=group_meeting, text="Correctie", by=ib)
    _held(group_meeting, ib)
    with pytest.raises(ValidationError):
        actions.add_addendum(meeting=group_meeting, text="Correctie", by=ib)
    actions.sign_off(meeting=group_meeting, by=ib)
    with pytest.raises(ValidationError):
        actions.add_addendum(meeting=group_meeting, text="   ", by=ib)
    addendum = actions.add_addendum(meeting=group_meeting, text=" Correctie ", by=ib)
    assert (addendum.text, addendum.author) == ("Correctie", ib)
    assert Addendum.objects.count() == 1
