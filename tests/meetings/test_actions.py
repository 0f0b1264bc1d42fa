"""Planning the year: group meetings per period, the care team over the year, single
meetings; moving and cancelling; the care route's way onto a care-team agenda."""

import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError

from meetings import actions
from meetings.models import Meeting, MeetingItem
from pupils.retention import purge_pupils
from tests import factories


def _attendees(meeting) -> set[str]:
    return {a.display_name for a in meeting.attendees.select_related("user")}


# Single meetings ---------------------------------------------------------------------------


def test_a_group_meeting_has_the_ib_and_the_groups_teacher(world, group_meeting):
    assert group_meeting.duration_minutes == 60
    assert _attendees(group_meeting) == {"Care_Coordinator", "Teacher"}


def test_the_default_duration_depends_on_the_kind(world, period, ib):
    day = period.start_date + datetime.timedelta(days=30)
    pupil = actions.plan_meeting(school=world.school, kind="pupil", date=day, by=ib)
    team = actions.plan_meeting(school=world.school, kind="care_team", date=day, by=ib)
    assert (pupil.duration_minutes, team.duration_minutes) == (45, 90)
    assert _attendees(pupil) == {"Care_Coordinator"}


def test_a_substitute_on_the_day_attends_the_group_meeting(world, period, ib):
    day = period.end_date - datetime.timedelta(days=3)
    substitute = factories.UserFactory(full_name="Invaller")
    factories.AssignmentFactory(
        group=world.other_group,
        teacher=substitute,
        start_date=day,
        end_date=day + datetime.timedelta(days=1),  # up to, not including
        is_substitute=True,
    )
    meeting = actions.plan_meeting(
        school=world.school, kind="group", group=world.other_group, period=period, date=day, by=ib
    )
    assert _attendees(meeting) == {"Care_Coordinator", "Other_Teacher", "Invaller"}


def test_a_second_group_meeting_in_the_period_is_refused(world, group_meeting, ib):
    with pytest.raises(ValidationError):
        actions.plan_meeting(
            school=world.school,
            kind="group",
            group=world.group,
            period=group_meeting.period,
            date=group_meeting.date,
            by=ib,
        )


def test_a_group_meeting_of_another_schools_group_is_refused(world, period, ib):
    with pytest.raises(ValidationError):
        actions.plan_meeting(
            school=world.school,
            kind="group",
            group=world.other_school_group,
            period=period,
            date=period.end_date,
            by=ib,
        )


def test_a_group_meeting_outside_its_school_year_is_refused(world, period, ib):
    with pytest.raises(ValidationError):
        actions.plan_meeting(
            school=world.school,
            kind="group",
            group=world.group,
            period=period,
            date=period.school_year.end_date + datetime.timedelta(days=1),
            by=ib,
        )


# Group meetings of a period ----------------------------------------------------------------


def test_default_dates_fall_on_weekdays_in_the_last_three_weeks(period, world):
    groups = [world.group, world.other_group]
    dates = actions.default_group_meeting_dates(period, groups)
    assert set(dates) == {world.group.pk, world.other_group.pk}
    for day in dates.values():
        assert day.weekday() < 5
        assert period.end_date - datetime.timedelta(days=20) <= day <= period.end_date
    assert dates[world.group.pk] <= dates[world.other_group.pk]


def test_group_meetings_for_every_group_without_one(world, period, ib, group_meeting):
    day = period.end_date - datetime.timedelta(days=2)
    made = actions.plan_group_meetings(
        school=world.school, period=period, date_for=lambda group: day, by=ib
    )
    assert [m.group for m in made] == [world.other_group]
    assert made[0].date == day
    # Planned again: nothing new.
    assert (
        actions.plan_group_meetings(
            school=world.school, period=period, date_for=lambda group: day, by=ib
        )
        == []
    )
    assert Meeting.objects.filter(kind="group", period=period).count() == 2


def test_group_meetings_from_a_mapping_leave_out_groups_without_a_date(world, period, ib):
    day = period.end_date - datetime.timedelta(days=5)
    made = actions.plan_group_meetings(
        school=world.school, period=period, date_for={world.other_group.pk: day}, by=ib
    )
    assert [(m.group, m.date) for m in made] == [(world.other_group, day)]


def test_group_meetings_never_for_another_schools_period(world, ib):
    from schools.actions import ensure_default_periods

    theirs = ensure_default_periods(school=world.other_school, school_year=world.group.school_year)[
        0
    ]
    with pytest.raises(ValidationError):
        actions.plan_group_meetings(
            school=world.school, period=theirs, date_for=lambda g: theirs.end_date, by=ib
        )


# The care team -----------------------------------------------------------------------------


def test_care_team_dates_spread_evenly_on_the_weekday(world):
    year = world.group.school_year
    dates = actions.care_team_dates(year, 6, weekday=1)
    assert len(dates) == 6
    assert all(day.weekday() == 1 for day in dates)
    assert all(year.start_date <= day <= year.end_date for day in dates)
    gaps = [(b - a).days for a, b in itertools.pairwise(dates)]
    assert max(gaps) - min(gaps) <= 7


def test_care_team_dates_past_the_year_are_left_out_and_none_twice(world):
    year = world.group.school_year
    # As many meetings as days: the parts are a day long, so their weekdays repeat or run
    # past the end; each date comes once, and none after the year.
    dates = actions.care_team_dates(year, 365, weekday=4)
    assert len(dates) == len(set(dates))
    assert all(day <= year.end_date for day in dates)


def test_care_team_meetings_are_planned_once_per_date(world, ib):
    year = world.group.school_year
    made = actions.plan_care_team_meetings(
        school=world.school,
        school_year=year,
        count=6,
        weekday=1,
        start_time=datetime.time(13, 0),
        by=ib,
    )
    assert len(made) == 6 and all(m.kind == "care_team" for m in made)
    again = actions.plan_care_team_meetings(
        school=world.school, school_year=year, count=6, weekday=1, start_time=None, by=ib
    )
    assert again == []


def test_care_team_count_is_bounded(world, ib):
    with pytest.raises(ValidationError):
        actions.plan_care_team_meetings(
            school=world.school,
            school_year=world.group.school_year,
            count=0,
            weekday=1,
            start_time=None,
            by=ib,
        )


# Moving and cancelling ---------------------------------------------------------------------


def test_reschedule_moves_and_counts_a_version(group_meeting, ib):
    day = group_meeting.date - datetime.timedelta(days=1)
    moved = actions.reschedule(
        meeting=group_meeting,
        date=day,
        start_time=datetime.time(15, 0),
        location="Lokaal 3",
        seen_version=1,
        by=ib,
    )
    assert (moved.date, moved.location, moved.version) == (day, "Lokaal 3", 2)
    with pytest.raises(actions.StaleMeeting):
        actions.reschedule(
            meeting=group_meeting, date=day, start_time=None, location="", seen_version=1, by=ib
        )


def test_a_held_meeting_is_not_moved_or_cancelled(group_meeting, ib):
    group_meeting.status = "held"
    group_meeting.save()
    with pytest.raises(ValidationError):
        actions.reschedule(
            meeting=group_meeting,
            date=group_meeting.date,
            start_time=None,
            location="",
            seen_version=1,
            by=ib,
        )
    with pytest.raises(ValidationError):
        actions.cancel(meeting=group_meeting, by=ib)


def test_cancel_removes_a_planned_meeting_without_items(group_meeting, ib):
    actions.cancel(meeting=group_meeting, by=ib)
    assert not Meeting.objects.filter(pk=group_meeting.pk).exists()
    assert Meeting.history.filter(id=group_meeting.pk, history_type="-").exists()


def test_cancel_is_refused_with_pupils_on_the_agenda(world, care_team_meeting, ib):
    actions.add_care_team_item(meeting=care_team_meeting, pupil=world.pupil, documents=[], by=ib)
    with pytest.raises(ValidationError) as refused:
        actions.cancel(meeting=care_team_meeting, by=ib)
    assert "agenda" in str(refused.value)
    assert Meeting.objects.filter(pk=care_team_meeting.pk).exists()


# The care route's agenda -------------------------------------------------------------------


def test_add_care_team_item_keeps_a_snapshot_of_the_documents(world, care_team_meeting, ib):
    documents = ["IHP rekenen (maart)", "Verslag leerlingbespreking"]
    item = actions.add_care_team_item(
        meeting=care_team_meeting, pupil=world.pupil, documents=documents, by=ib
    )
    documents.append("later toegevoegd")
    item.refresh_from_db()
    assert item.documents == ["IHP rekenen (maart)", "Verslag leerlingbespreking"]
    second = actions.add_care_team_item(
        meeting=care_team_meeting, pupil=world.other_group_pupil, documents=[], by=ib
    )
    assert (item.position, second.position) == (1, 2)
    assert MeetingItem.history.filter(pupil_id=world.pupil.pk).count() == 1


def test_add_care_team_item_refuses_twice_the_same_pupil(world, care_team_meeting, ib):
    actions.add_care_team_item(meeting=care_team_meeting, pupil=world.pupil, documents=[], by=ib)
    with pytest.raises(ValidationError):
        actions.add_care_team_item(
            meeting=care_team_meeting, pupil=world.pupil, documents=[], by=ib
        )


def test_add_care_team_item_only_on_a_care_team_meeting(world, group_meeting, ib):
    with pytest.raises(ValidationError):
        actions.add_care_team_item(meeting=group_meeting, pupil=world.pupil, documents=[], by=ib)


def test_add_care_team_item_refuses_another_schools_pupil(world, care_team_meeting, ib):
    with pytest.raises(ValidationError):
        actions.add_care_team_item(
            meeting=care_team_meeting, pupil=world.other_school_pupil, documents=[], by=ib
        )


def test_add_care_team_item_refuses_documents_that_are_not_titles(world, care_team_meeting, ib):
    with pytest.raises(ValidationError):
        actions.add_care_team_item(
            meeting=care_team_meeting, pupil=world.pupil, documents=[{"id": 1}], by=ib
        )


def test_the_agenda_of_a_signed_off_meeting_is_closed(world, care_team_meeting, ib):
    from django.utils import timezone

    item = actions.add_care_team_item(
        meeting=care_team_meeting, pupil=world.pupil, documents=[], by=ib
    )
    care_team_meeting.status = "signed_off"
    care_team_meeting.signed_off_by = ib
    care_team_meeting.signed_off_at = timezone.now()
    care_team_meeting.save()
    with pytest.raises(ValidationError):
        actions.add_care_team_item(
            meeting=care_team_meeting, pupil=world.other_group_pupil, documents=[], by=ib
        )
    with pytest.raises(ValidationError):
        actions.remove_care_team_item(item=item, by=ib)


def test_remove_care_team_item_keeps_its_revision(world, care_team_meeting, ib):
    item = actions.add_care_team_item(
        meeting=care_team_meeting, pupil=world.pupil, documents=["OPP"], by=ib
    )
    actions.remove_care_team_item(item=item, by=ib)
    assert not MeetingItem.objects.filter(pk=item.pk).exists()
    assert list(
        MeetingItem.history.filter(id=item.pk)
        .order_by("history_id")
        .values_list("history_type", flat=True)
    ) == ["+", "-"]


# Retention ---------------------------------------------------------------------------------


def test_the_purge_erases_a_pupils_items_and_their_history(world, care_team_meeting, ib):
    from tests.audit.test_retention import _leaver

    leaver = _leaver(world)
    gone = actions.add_care_team_item(
        meeting=care_team_meeting, pupil=leaver, documents=["Verslag"], by=ib
    )
    actions.remove_care_team_item(item=gone, by=ib)  # only the revisions are left of this one
    kept = actions.add_care_team_item(meeting=care_team_meeting, pupil=leaver, documents=[], by=ib)
    stays = actions.add_care_team_item(
        meeting=care_team_meeting, pupil=world.pupil, documents=[], by=ib
    )

    purge_pupils(school=world.school, pupil_ids=[leaver.pk], by=ib)

    assert not MeetingItem.objects.filter(pk=kept.pk).exists()
    assert not MeetingItem.history.filter(pupil_id=leaver.pk).exists()
    assert MeetingItem.objects.filter(pk=stays.pk).exists()
    assert MeetingItem.history.filter(pupil_id=world.pupil.pk).exists()
    assert Meeting.objects.filter(pk=care_team_meeting.pk).exists()


# The calendar link -------------------------------------------------------------------------


def test_a_renewed_calendar_link_replaces_the_old(world):
    from meetings.models import CalendarFeed, hash_token

    user = world.users["teacher"]
    first = actions.renew_calendar_feed(user=user)
    second = actions.renew_calendar_feed(user=user)
    assert first != second
    feed = CalendarFeed.objects.get(user=user)
    assert feed.token_hash == hash_token(second) and second not in feed.token_hash
