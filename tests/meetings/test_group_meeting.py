"""Slice 2: the group meeting prepared, held, minuted and signed off."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from groupplans import actions as overview_actions
from groupplans.models import OverviewStatus
from meetings import actions
from meetings.models import Addendum, MeetingStatus, Minutes

pytestmark = pytest.mark.django_db


def _nl(text: str) -> str:
    """What the page says in Dutch (the English text until its translation is merged)."""
    from django.utils import translation

    with translation.override("nl"):
        return translation.gettext(text)


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
    with translation.override("en"), pytest.raises(ValidationError, match="not sent"):
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


# Pages ------------------------------------------------------------------------------------


def _url(name, meeting):
    from django.urls import reverse

    return reverse(f"meetings:{name}", args=[meeting.pk])


MINUTES = {
    "questions": "Hoe help ik Sanne bij rekenen?",
    "plan_evaluation": "Doelen grotendeels behaald.",
    "group_points": "Rust in de groep.",
    "pupils_zoom": "",
    "plan_execution": "",
    "motivation": "",
    "class_visit": "Week 12",
    "registrations": "",
    "report": "Goed gesprek.",
}


def test_the_ib_minutes_the_meeting(group_meeting, client_for):
    client = client_for("care_coordinator")
    page = client.get(_url("meeting_detail", group_meeting)).content.decode()
    assert _nl("Questions of teacher and IB") in page and _nl("Class visit") in page
    response = client.post(_url("minutes_save", group_meeting), {**MINUTES, "version": 1})
    assert response.status_code == 302
    minutes = Minutes.objects.get()
    assert (minutes.class_visit, minutes.version) == ("Week 12", 2)


def test_a_stale_minutes_save_answers_409_with_both_versions(group_meeting, ib, client_for):
    actions.save_minutes(
        meeting=group_meeting, values={"report": "Eerder opgeslagen"}, seen_version=1, by=ib
    )
    response = client_for("care_coordinator").post(
        _url("minutes_save", group_meeting), {**MINUTES, "report": "Mijn tekst", "version": 1}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Eerder opgeslagen" in page and "Mijn tekst" in page
    assert Minutes.objects.get().report == "Eerder opgeslagen"


def test_too_long_minutes_answer_422_with_the_input_kept(group_meeting, client_for):
    response = client_for("care_coordinator").post(
        _url("minutes_save", group_meeting),
        {**MINUTES, "questions": "x" * 10001, "group_points": "Bewaard", "version": 1},
    )
    assert response.status_code == 422
    assert "Bewaard" in response.content.decode()
    assert not Minutes.objects.exists()


def test_the_teacher_prepares_and_summarises_but_does_not_minute(group_meeting, client_for):
    client = client_for("teacher")
    page = client.get(_url("meeting_detail", group_meeting)).content.decode()
    assert 'name="plan_evaluated"' in page and 'name="teacher_summary"' in page
    assert 'name="report"' not in page
    assert client.post(_url("minutes_save", group_meeting), {"version": 1}).status_code == 404
    client.post(_url("preparation_save", group_meeting), {"plan_evaluated": "on", "version": 1})
    client.post(
        _url("summary_save", group_meeting), {"teacher_summary": "Meer instructie", "version": 1}
    )
    assert Minutes.objects.get().teacher_summary == "Meer instructie"
    assert group_meeting.preparation.plan_evaluated


def test_the_teacher_is_sent_to_the_overviews_send_step(group_meeting, world, period, client_for):
    overview = overview_actions.create_overview(
        group=world.group, period=period, by=world.users["teacher"]
    )
    page = client_for("teacher").get(_url("meeting_detail", group_meeting)).content.decode()
    from django.urls import reverse

    assert reverse("groupplans:overview_send", args=[overview.pk]) in page


def test_the_director_reads_only(group_meeting, client_for):
    client = client_for("director")
    page = client.get(_url("meeting_detail", group_meeting)).content.decode()
    assert "<textarea" not in page and 'type="checkbox"' not in page
    assert client.post(_url("meeting_held", group_meeting)).status_code == 404
    assert client.post(_url("summary_save", group_meeting), {"version": 1}).status_code == 404


def test_held_and_signed_off_through_the_page(group_meeting, ib, client_for):
    from django.utils import timezone

    group_meeting.date = timezone.localdate()
    group_meeting.save()
    client = client_for("care_coordinator")
    assert client.get(_url("meeting_held", group_meeting)).status_code == 405
    client.post(_url("meeting_held", group_meeting))
    client.post(_url("meeting_sign_off", group_meeting))
    group_meeting.refresh_from_db()
    assert group_meeting.status == MeetingStatus.SIGNED_OFF
    page = client.get(_url("meeting_detail", group_meeting)).content.decode()
    assert _nl("Signed off by %(name)s on %(date)s").split("%")[0] in page
    assert "<textarea" in page  # only the addendum's
    assert 'name="report"' not in page
    response = client.post(_url("addendum_add", group_meeting), {"text": ""})
    assert response.status_code == 422
    client.post(_url("addendum_add", group_meeting), {"text": "Datum klassenbezoek gewijzigd"})
    page = client.get(_url("meeting_detail", group_meeting)).content.decode()
    assert "Datum klassenbezoek gewijzigd" in page


def test_a_draft_overview_blocks_the_sign_off_with_a_message(
    group_meeting, ib, world, period, client_for
):
    overview_actions.create_overview(group=world.group, period=period, by=world.users["teacher"])
    _held(group_meeting, ib)
    client = client_for("care_coordinator")
    response = client.post(_url("meeting_sign_off", group_meeting), follow=True)
    message = _nl(
        "The teacher has not sent the group overview to the IB yet; it can be signed off "
        "once it has been sent."
    )
    assert message.replace("'", "&#x27;") in response.content.decode()
    group_meeting.refresh_from_db()
    assert group_meeting.status == MeetingStatus.HELD


def test_the_group_meeting_page_runs_a_constant_number_of_queries(group_meeting, ib, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("care_coordinator")
    url = _url("meeting_detail", group_meeting)
    client.get(url)
    with CaptureQueriesContext(connection) as empty:
        client.get(url)
    actions.save_minutes(meeting=group_meeting, values=MINUTES, seen_version=1, by=ib)
    _held(group_meeting, ib)
    actions.sign_off(meeting=group_meeting, by=ib)
    for n in range(3):
        actions.add_addendum(meeting=group_meeting, text=f"Aanvulling {n}", by=ib)
    with CaptureQueriesContext(connection) as full:
        client.get(url)
    assert len(full) <= len(empty) + 1  # the signer's name


def test_after_seeing_the_other_version_the_save_goes_through(group_meeting, ib, client_for):
    """The concurrency rule of tests/security/test_concurrency.py, for the minutes (a part of
    the meeting's page, not a form page of its own, so not in its EDITABLE)."""
    actions.save_minutes(meeting=group_meeting, values={"report": "Eerst"}, seen_version=1, by=ib)
    client = client_for("care_coordinator")
    url = _url("minutes_save", group_meeting)
    stale = client.post(url, {**MINUTES, "report": "Daarna", "version": 1})
    assert stale.status_code == 409
    now_seen = stale.context["minutes_form"].data["version"]
    assert client.post(url, {**MINUTES, "report": "Daarna", "version": now_seen}).status_code == 302
    assert Minutes.objects.get().report == "Daarna"


def test_saving_without_the_version_is_refused(group_meeting, ib, world, client_for):
    actions.save_minutes(meeting=group_meeting, values={"report": "Eerst"}, seen_version=1, by=ib)
    response = client_for("teacher").post(
        _url("summary_save", group_meeting), {"teacher_summary": "Script"}
    )
    assert response.status_code == 409
    assert Minutes.objects.get().teacher_summary == ""
