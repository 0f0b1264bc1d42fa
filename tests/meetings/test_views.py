"""The year plan's pages through the test client: who sees which meetings, planning, moving
and cancelling, and a fixed number of queries per page."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessLogEntry, AccessLogPupil
from meetings import actions
from meetings.models import Meeting


def _titles(response) -> list[str]:
    return [m.title for m in response.context["page"]]


# The list ----------------------------------------------------------------------------------


def test_the_ib_and_the_director_see_every_meeting(
    world, group_meeting, care_team_meeting, client_for
):
    for persona in ("care_coordinator", "director"):
        response = client_for(persona).get(reverse("meetings:meeting_list"))
        assert sorted(_titles(response)) == ["Groepsbespreking Groep 5", "Zorgteamoverleg"]


def test_a_teacher_sees_their_groups_meetings_and_those_they_attend(
    world, period, ib, group_meeting, care_team_meeting, client_for
):
    other = actions.plan_meeting(
        school=world.school,
        kind="group",
        group=world.other_group,
        period=period,
        date=period.end_date,
        by=ib,
    )
    assert _titles(client_for("teacher").get(reverse("meetings:meeting_list"))) == [
        "Groepsbespreking Groep 5"
    ]
    assert _titles(client_for("other_teacher").get(reverse("meetings:meeting_list"))) == [
        other.title
    ]
    care_team_meeting.attendees.create(user=world.users["other_teacher"])
    assert sorted(_titles(client_for("other_teacher").get(reverse("meetings:meeting_list")))) == [
        "Groepsbespreking Groep 6",
        "Zorgteamoverleg",
    ]


def test_the_other_schools_ib_sees_none_of_ours(world, group_meeting, client_for):
    response = client_for("other_school_ib").get(reverse("meetings:meeting_list"))
    assert _titles(response) == []
    detail = reverse("meetings:meeting_detail", args=[group_meeting.pk])
    assert client_for("other_school_ib").get(detail).status_code == 404


def test_the_list_filters_by_kind_and_month(world, group_meeting, care_team_meeting, client_for):
    client = client_for("care_coordinator")
    url = reverse("meetings:meeting_list")
    assert _titles(client.get(url, {"soort": "care_team"})) == ["Zorgteamoverleg"]
    month = f"{group_meeting.date:%Y-%m}"
    assert _titles(client.get(url, {"maand": month})) == ["Groepsbespreking Groep 5"]
    # Nonsense is ignored, not an error.
    assert client.get(url, {"soort": "<b>", "maand": "x-y"}).status_code == 200


def test_the_list_is_paginated(world, ib, client_for):
    year = world.group.school_year
    for n in range(27):
        actions.plan_meeting(
            school=world.school,
            kind="pupil",
            date=year.start_date + datetime.timedelta(days=n * 7),
            by=ib,
        )
    client = client_for("care_coordinator")
    first = client.get(reverse("meetings:meeting_list"))
    assert len(first.context["page"]) == 25
    assert len(client.get(reverse("meetings:meeting_list"), {"page": 2}).context["page"]) == 2


def test_the_list_runs_the_same_queries_for_1_or_20_meetings(world, ib, client_for):
    year = world.group.school_year
    actions.plan_meeting(school=world.school, kind="pupil", date=year.start_date, by=ib)
    url = reverse("meetings:meeting_list")
    client = client_for("care_coordinator")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    from schools.actions import ensure_default_periods

    period = ensure_default_periods(school=world.school, school_year=year)[0]
    actions.plan_group_meetings(
        school=world.school, period=period, date_for=lambda g: period.end_date, by=ib
    )
    for n in range(18):
        actions.plan_meeting(
            school=world.school,
            kind="care_team",
            date=year.start_date + datetime.timedelta(days=n + 1),
            by=ib,
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["page"]) == 21
    assert len(many.captured_queries) == len(few.captured_queries)


# The month ---------------------------------------------------------------------------------


def test_the_month_shows_its_meetings_by_day_monday_first(world, group_meeting, client_for):
    month = f"{group_meeting.date:%Y-%m}"
    response = client_for("teacher").get(reverse("meetings:meeting_calendar"), {"maand": month})
    assert response.status_code == 200
    weeks = response.context["weeks"]
    assert all(week[0]["date"].weekday() == 0 and len(week) == 7 for week in weeks)
    days = {day["date"]: day["meetings"] for week in weeks for day in week}
    assert days[group_meeting.date] == [group_meeting]
    body = response.content.decode()
    assert "14:30" in body and "Groepsbespreking Groep 5" in body
    previous = (group_meeting.date.replace(day=1) - datetime.timedelta(days=1)).strftime("%Y-%m")
    assert f"?maand={previous}" in body


def test_the_month_marks_today_and_survives_nonsense(world, client_for):
    client = client_for("care_coordinator")
    response = client.get(reverse("meetings:meeting_calendar"), {"maand": "2026-13"})
    assert response.status_code == 200
    today = [day for week in response.context["weeks"] for day in week if day["is_today"]]
    assert len(today) == 1
    assert 'aria-current="date"' in response.content.decode()


@pytest.mark.parametrize("month", ["9999-12", "0001-01"])
def test_the_month_at_the_calendars_end_shows_this_month(month, world, client_for):
    client = client_for("care_coordinator")
    response = client.get(reverse("meetings:meeting_calendar"), {"maand": month})
    assert response.status_code == 200
    assert response.context["month"] == timezone.localdate().replace(day=1)


def test_the_month_runs_the_same_queries_for_1_or_10_meetings(world, period, ib, client_for):
    day = period.start_date + datetime.timedelta(days=60)
    actions.plan_meeting(school=world.school, kind="pupil", date=day, by=ib)
    client = client_for("care_coordinator")
    url = reverse("meetings:meeting_calendar") + f"?maand={day:%Y-%m}"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(9):
        actions.plan_meeting(
            school=world.school, kind="care_team", date=day.replace(day=1 + n), by=ib
        )
    actions.plan_meeting(
        school=world.school, kind="group", group=world.group, period=period, date=day, by=ib
    )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)


# Planning ----------------------------------------------------------------------------------


def test_the_group_meetings_form_offers_a_date_per_group(world, period, client_for):
    client = client_for("care_coordinator")
    response = client.get(reverse("meetings:group_meetings_plan"), {"periode": period.pk})
    form = response.context["form"]
    assert [g.name for g in form.groups] == ["Groep 5", "Groep 6"]
    for group in form.groups:
        day = form[f"group_{group.pk}"].initial
        assert day.weekday() < 5 and day <= period.end_date


def test_planning_the_group_meetings_of_a_period(world, period, client_for):
    client = client_for("care_coordinator")
    day = period.end_date - datetime.timedelta(days=10)
    response = client.post(
        reverse("meetings:group_meetings_plan") + f"?periode={period.pk}",
        {f"group_{world.group.pk}": day.isoformat(), "start_time": "15:00"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"?maand={day:%Y-%m}")
    (meeting,) = Meeting.objects.filter(kind="group")
    assert (meeting.group, meeting.date, meeting.start_time) == (
        world.group,
        day,
        datetime.time(15),
    )
    # Now only Groep 6 is offered.
    again = client.get(reverse("meetings:group_meetings_plan"), {"periode": period.pk})
    assert [g.name for g in again.context["form"].groups] == ["Groep 6"]


def test_a_date_outside_the_year_comes_back_with_the_input(world, period, client_for):
    client = client_for("care_coordinator")
    response = client.post(
        reverse("meetings:group_meetings_plan") + f"?periode={period.pk}",
        {f"group_{world.group.pk}": "1999-01-04"},
    )
    assert response.status_code == 422
    assert 'value="1999-01-04"' in response.content.decode()
    assert not Meeting.objects.exists()


def test_no_date_at_all_is_refused(world, period, client_for):
    response = client_for("care_coordinator").post(
        reverse("meetings:group_meetings_plan") + f"?periode={period.pk}", {}
    )
    assert response.status_code == 422


def test_planning_the_care_team_over_the_year(world, client_for):
    response = client_for("care_coordinator").post(
        reverse("meetings:care_team_plan"),
        {
            "school_year": world.group.school_year.pk,
            "count": "6",
            "weekday": "1",
            "start_time": "13:15",
            "location": "Teamkamer",
        },
    )
    assert response.status_code == 302
    meetings = list(Meeting.objects.filter(kind="care_team"))
    assert len(meetings) == 6
    assert {m.date.weekday() for m in meetings} == {1}
    assert {m.location for m in meetings} == {"Teamkamer"}


def test_a_care_team_count_out_of_range_comes_back(world, client_for):
    response = client_for("care_coordinator").post(
        reverse("meetings:care_team_plan"),
        {"school_year": world.group.school_year.pk, "count": "99", "weekday": "1"},
    )
    assert response.status_code == 422
    assert 'value="99"' in response.content.decode()


def test_planning_a_pupil_meeting(world, period, client_for):
    day = period.start_date + datetime.timedelta(days=50)
    response = client_for("care_coordinator").post(
        reverse("meetings:meeting_create"),
        {"kind": "pupil", "date": day.isoformat(), "start_time": "08:30", "location": "IB-kamer"},
    )
    meeting = Meeting.objects.get()
    assert response["Location"] == reverse("meetings:meeting_detail", args=[meeting.pk])
    assert (meeting.kind, meeting.duration_minutes, meeting.location) == ("pupil", 45, "IB-kamer")


def test_a_single_group_meeting_needs_group_and_period(world, period, client_for):
    response = client_for("care_coordinator").post(
        reverse("meetings:meeting_create"),
        {"kind": "group", "date": period.end_date.isoformat()},
    )
    assert response.status_code == 422
    assert not Meeting.objects.exists()


def test_a_second_group_meeting_is_refused_on_the_form(world, group_meeting, client_for):
    response = client_for("care_coordinator").post(
        reverse("meetings:meeting_create"),
        {
            "kind": "group",
            "date": group_meeting.date.isoformat(),
            "group": world.group.pk,
            "period": group_meeting.period.pk,
        },
    )
    assert response.status_code == 422
    assert Meeting.objects.count() == 1


# One meeting -------------------------------------------------------------------------------


def test_the_meeting_page_links_the_overview_and_plan_of_the_period(
    world, group_meeting, client_for
):
    from groupplans import actions as overview_actions

    overview = overview_actions.create_overview(
        group=world.group, period=group_meeting.period, by=world.users["teacher"]
    )
    response = client_for("teacher").get(
        reverse("meetings:meeting_detail", args=[group_meeting.pk])
    )
    body = response.content.decode()
    assert reverse("groupplans:overview_detail", args=[overview.pk]) in body
    assert "Teamkamer" in body and "Care_Coordinator" in body


def test_pupil_names_on_the_agenda_only_for_those_who_may_see_them(
    world, care_team_meeting, ib, client_for
):
    actions.add_care_team_item(meeting=care_team_meeting, pupil=world.pupil, documents=[], by=ib)
    actions.add_care_team_item(
        meeting=care_team_meeting, pupil=world.other_group_pupil, documents=[], by=ib
    )
    care_team_meeting.attendees.create(user=world.users["teacher"])
    url = reverse("meetings:meeting_detail", args=[care_team_meeting.pk])

    body = client_for("care_coordinator").get(url).content.decode()
    assert "Sanne de Vries" in body and "Daan Bakker" in body

    body = client_for("teacher").get(url).content.decode()
    assert "Sanne de Vries" in body and "Daan Bakker" not in body
    entry = AccessLogEntry.objects.filter(user=world.users["teacher"]).latest("pk")
    assert set(AccessLogPupil.objects.filter(entry=entry).values_list("pupil_id", flat=True)) == {
        world.pupil.pk
    }


def test_moving_a_meeting(world, group_meeting, client_for):
    url = reverse("meetings:meeting_edit", args=[group_meeting.pk])
    day = group_meeting.date - datetime.timedelta(days=1)
    response = client_for("care_coordinator").post(
        url, {"date": day.isoformat(), "start_time": "10:00", "location": "Aula", "version": "1"}
    )
    assert response.status_code == 302
    group_meeting.refresh_from_db()
    assert (group_meeting.date, group_meeting.location, group_meeting.version) == (day, "Aula", 2)


def test_a_bad_date_comes_back_with_the_input(world, group_meeting, client_for):
    url = reverse("meetings:meeting_edit", args=[group_meeting.pk])
    response = client_for("care_coordinator").post(
        url, {"date": "1999-01-01", "location": "Aula", "version": "1"}
    )
    assert response.status_code == 422
    assert 'value="Aula"' in response.content.decode()


def test_cancelling_asks_first_then_removes(world, group_meeting, client_for):
    client = client_for("care_coordinator")
    url = reverse("meetings:meeting_cancel", args=[group_meeting.pk])
    assert client.get(url).status_code == 200
    assert Meeting.objects.filter(pk=group_meeting.pk).exists()
    response = client.post(url)
    assert response.status_code == 302
    assert not Meeting.objects.filter(pk=group_meeting.pk).exists()


def test_cancelling_with_pupils_on_the_agenda_is_refused(world, care_team_meeting, ib, client_for):
    actions.add_care_team_item(meeting=care_team_meeting, pupil=world.pupil, documents=[], by=ib)
    client = client_for("care_coordinator")
    response = client.post(
        reverse("meetings:meeting_cancel", args=[care_team_meeting.pk]), follow=True
    )
    assert Meeting.objects.filter(pk=care_team_meeting.pk).exists()
    assert "niet annuleren" in response.content.decode()


@pytest.mark.parametrize("persona", ["teacher", "director"])
def test_only_the_ib_moves_or_cancels(world, group_meeting, client_for, persona):
    client = client_for(persona)
    for name in ("meeting_edit", "meeting_cancel"):
        url = reverse(f"meetings:{name}", args=[group_meeting.pk])
        assert client.post(url, {"date": "2026-01-05", "version": "1"}).status_code == 404
    assert Meeting.objects.filter(pk=group_meeting.pk, version=1).exists()


# Home and menu -----------------------------------------------------------------------------


def test_the_ibs_home_shows_the_next_three_meetings(world, ib, client_for):
    from django.utils import timezone

    today = timezone.localdate()
    for n in range(5):
        actions.plan_meeting(
            school=world.school,
            kind="care_team" if n % 2 else "pupil",
            date=today + datetime.timedelta(days=n + 1),
            by=ib,
        )
    actions.plan_meeting(
        school=world.school, kind="pupil", date=today - datetime.timedelta(days=1), by=ib
    )
    response = client_for("care_coordinator").get(reverse("home"))
    shown = response.context["next_meetings"]
    assert [m.date for m in shown] == [today + datetime.timedelta(days=n) for n in (1, 2, 3)]
    assert reverse("meetings:meeting_calendar") in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "shown"), [("teacher", True), ("director", True), ("school_admin", False)]
)
def test_the_year_plan_is_in_the_menu_for_those_who_see_meetings(world, client_for, persona, shown):
    body = client_for(persona).get(reverse("home")).content.decode()
    assert (reverse("meetings:meeting_calendar") in body) is shown


def test_the_meeting_page_runs_the_same_queries_for_1_or_5_pupils(
    world, care_team_meeting, ib, client_for
):
    from tests import factories

    actions.add_care_team_item(meeting=care_team_meeting, pupil=world.pupil, documents=[], by=ib)
    client = client_for("care_coordinator")
    url = reverse("meetings:meeting_detail", args=[care_team_meeting.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(4):
        pupil = factories.PupilFactory(school=world.school, given_name=f"Kind{n}")
        factories.EnrolmentFactory(pupil=pupil, group=world.group)
        actions.add_care_team_item(meeting=care_team_meeting, pupil=pupil, documents=[], by=ib)
        care_team_meeting.attendees.create(name=f"Gast {n}", discipline="SMW")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["items"]) == 5
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_audit_trail_shows_agenda_changes(world, care_team_meeting, ib, client_for):
    item = actions.add_care_team_item(
        meeting=care_team_meeting, pupil=world.pupil, documents=[], by=ib
    )
    actions.remove_care_team_item(item=item, by=ib)
    response = client_for("care_coordinator").get(
        reverse("trail:revision_list"), {"pupil": world.pupil.pk}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count(care_team_meeting.title) >= 2
