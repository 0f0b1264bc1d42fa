"""Slice 3: the minutes per pupil — a group meeting zooming in on pupils, a care-team item's
question, advice, agreements and follow-up (shared with the teacher by the IB), addenda per
pupil, the reports as PDF and where they are filed (the pupil's dossier, the group's page)."""

import datetime
import re
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from meetings import actions
from meetings.models import Addendum, MeetingItem, MeetingStatus
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The actions' refusals are matched in English; pages are checked on data alone."""
    with translation.override("en"):
        yield


def _held(meeting, ib):
    return actions.mark_held(meeting=meeting, by=ib, today=meeting.date)


def _pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    result = subprocess.run(["/usr/bin/pdftotext", str(path), "-"], capture_output=True, check=True)
    return " ".join(re.sub("\u2010\\s+", "", result.stdout.decode()).split())


@pytest.fixture
def care_item(care_team_meeting, world, ib):
    return actions.add_care_team_item(
        meeting=care_team_meeting, pupil=world.pupil, documents=["Groeidocument", "IHP"], by=ib
    )


@pytest.fixture
def signed_care_item(care_item, care_team_meeting, ib):
    """A care-team item with the team's advice, its meeting held and signed off."""
    item = actions.save_item(
        item=care_item,
        values={
            "question": "Hoe helpen we Sanne bij het lezen?",
            "advice": "Dagelijks tutorlezen, tien minuten.",
            "agreements": "Moeder leest thuis mee.",
            "follow_up": "Terug in het zorgteam in maart.",
        },
        seen_version=1,
        by=ib,
    )
    _held(care_team_meeting, ib)
    actions.sign_off(meeting=care_team_meeting, by=ib)
    return MeetingItem.objects.get(pk=item.pk)


# Zooming in on pupils in a group meeting --------------------------------------------------


def test_a_group_meeting_zooms_in_on_a_pupil_of_its_group_once(group_meeting, world, ib):
    item = actions.add_group_item(meeting=group_meeting, pupil=world.pupil, by=ib)
    assert (item.meeting, item.pupil, item.position) == (group_meeting, world.pupil, 1)
    with pytest.raises(ValidationError):
        actions.add_group_item(meeting=group_meeting, pupil=world.pupil, by=ib)
    with pytest.raises(ValidationError, match="not in the group"):
        actions.add_group_item(meeting=group_meeting, pupil=world.other_group_pupil, by=ib)


def test_only_a_group_meeting_zooms_in_and_not_after_sign_off(
    group_meeting, care_team_meeting, world, ib
):
    with pytest.raises(ValidationError):
        actions.add_group_item(meeting=care_team_meeting, pupil=world.pupil, by=ib)
    _held(group_meeting, ib)
    actions.sign_off(meeting=group_meeting, by=ib)
    with pytest.raises(ValidationError, match="signed off"):
        actions.add_group_item(meeting=group_meeting, pupil=world.pupil, by=ib)


def test_a_pupil_with_an_action_point_stays_on_the_agenda(group_meeting, world, ib):
    from meetings.models import ActionPoint

    item = actions.add_group_item(meeting=group_meeting, pupil=world.pupil, by=ib)
    ActionPoint.objects.create(
        meeting=group_meeting,
        item=item,
        description="Aanmelden voor leerlingbespreking",
        owner=world.users["teacher"],
        due_date=group_meeting.date,
        created_by=ib,
    )
    with pytest.raises(ValidationError, match="Action points"):
        actions.remove_group_item(item=item, by=ib)
    assert MeetingItem.objects.filter(pk=item.pk).exists()


def test_the_ib_zooms_in_and_writes_notes_in_the_browser(group_meeting, world, ib, client_for):
    client = client_for("care_coordinator")
    page = client.get(reverse("meetings:meeting_detail", args=[group_meeting.pk]))
    assert world.pupil.full_name in page.content.decode()  # in the choice of pupils
    assert world.other_group_pupil.full_name not in page.content.decode()
    response = client.post(
        reverse("meetings:zoom_in", args=[group_meeting.pk]), {"pupil": world.pupil.pk}
    )
    item = MeetingItem.objects.get(meeting=group_meeting)
    assert response["Location"] == reverse("meetings:item_detail", args=[item.pk])
    response = client.post(
        reverse("meetings:item_detail", args=[item.pk]),
        {"notes": "Leest hakkelend; AVI M5 niet gehaald.", "version": 1},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.notes, item.version, item.updated_by) == (
        "Leest hakkelend; AVI M5 niet gehaald.",
        2,
        ib,
    )
    page = client.get(reverse("meetings:meeting_detail", args=[group_meeting.pk]))
    assert "Leest hakkelend" in page.content.decode()


def test_a_pupil_of_another_group_cannot_be_zoomed_in_on_by_a_forged_post(
    group_meeting, world, client_for
):
    response = client_for("care_coordinator").post(
        reverse("meetings:zoom_in", args=[group_meeting.pk]),
        {"pupil": world.other_group_pupil.pk},
    )
    assert response.status_code == 422
    assert not MeetingItem.objects.exists()


# An item's minutes: versions, kinds, locks --------------------------------------------------


def test_an_item_saves_only_the_fields_of_its_kind(care_item, ib):
    with pytest.raises(ValidationError):
        actions.save_item(item=care_item, values={"notes": "x"}, seen_version=1, by=ib)
    with pytest.raises(ValidationError):
        actions.save_item(item=care_item, values={"outcome": "ihp_needed"}, seen_version=1, by=ib)
    saved = actions.save_item(item=care_item, values={"advice": "Advies"}, seen_version=1, by=ib)
    assert (saved.advice, saved.version) == ("Advies", 2)


def test_a_stale_item_save_is_refused_and_the_page_shows_both_versions(
    group_meeting, world, ib, client_for
):
    item = actions.add_group_item(meeting=group_meeting, pupil=world.pupil, by=ib)
    actions.save_item(item=item, values={"notes": "Eerste versie"}, seen_version=1, by=ib)
    response = client_for("care_coordinator").post(
        reverse("meetings:item_detail", args=[item.pk]), {"notes": "Mijn tekst", "version": 1}
    )
    assert response.status_code == 409
    content = response.content.decode()
    assert "Eerste versie" in content and "Mijn tekst" in content
    item.refresh_from_db()
    assert item.notes == "Eerste versie"


def test_too_long_notes_come_back_with_what_was_typed(group_meeting, world, ib, client_for):
    item = actions.add_group_item(meeting=group_meeting, pupil=world.pupil, by=ib)
    text = "Begin " + "a" * 10001
    response = client_for("care_coordinator").post(
        reverse("meetings:item_detail", args=[item.pk]), {"notes": text, "version": 1}
    )
    assert response.status_code == 422
    assert text in response.content.decode()
    item.refresh_from_db()
    assert item.notes == ""


def test_items_are_locked_after_sign_off(signed_care_item, ib, client_for):
    with pytest.raises(ValidationError, match="signed off"):
        actions.save_item(item=signed_care_item, values={"advice": "Anders"}, seen_version=2, by=ib)
    response = client_for("care_coordinator").post(
        reverse("meetings:item_detail", args=[signed_care_item.pk]),
        {"advice": "Anders", "version": 2},
    )
    assert response.status_code == 404
    signed_care_item.refresh_from_db()
    assert signed_care_item.advice == "Dagelijks tutorlezen, tien minuten."


def test_a_care_team_meeting_needs_advice_for_every_pupil_to_be_signed_off(
    care_item, care_team_meeting, world, ib
):
    _held(care_team_meeting, ib)
    with pytest.raises(ValidationError) as refused:
        actions.sign_off(meeting=care_team_meeting, by=ib)
    assert world.pupil.full_name in " ".join(refused.value.messages)
    actions.save_item(item=care_item, values={"advice": "Advies"}, seen_version=1, by=ib)
    assert actions.sign_off(meeting=care_team_meeting, by=ib).status == MeetingStatus.SIGNED_OFF


def test_a_pupil_meeting_needs_an_outcome_for_every_pupil_to_be_signed_off(world, ib):
    day = world.group.school_year.start_date + datetime.timedelta(days=50)
    meeting = actions.plan_meeting(school=world.school, kind="pupil", date=day, by=ib)
    item = MeetingItem.objects.create(meeting=meeting, pupil=world.pupil, created_by=ib)
    _held(meeting, ib)
    with pytest.raises(ValidationError, match="outcome"):
        actions.sign_off(meeting=meeting, by=ib)
    actions.save_item(item=item, values={"outcome": "ihp_needed"}, seen_version=1, by=ib)
    assert actions.sign_off(meeting=meeting, by=ib).status == MeetingStatus.SIGNED_OFF


# Care-team advice: the IB's until shared -----------------------------------------------------


def test_the_teacher_sees_the_care_teams_advice_only_once_the_ib_shares_it(
    signed_care_item, world, ib, client_for
):
    url = reverse("meetings:item_detail", args=[signed_care_item.pk])
    teacher = client_for("teacher")
    before = teacher.get(url).content.decode()
    assert "Hoe helpen we Sanne" in before  # the question is learning data
    assert "Dagelijks tutorlezen" not in before and "Moeder leest thuis mee" not in before
    tab = teacher.get(reverse("meetings:pupil_meetings", args=[world.pupil.pk]))
    assert "Dagelijks tutorlezen" not in tab.content.decode()
    assert (
        teacher.get(reverse("meetings:item_report", args=[signed_care_item.pk])).status_code == 404
    )
    # The teacher cannot share it themselves.
    assert (
        teacher.post(reverse("meetings:item_share", args=[signed_care_item.pk])).status_code == 404
    )

    client_for("care_coordinator").post(reverse("meetings:item_share", args=[signed_care_item.pk]))
    signed_care_item.refresh_from_db()
    assert (signed_care_item.shared_by, signed_care_item.shared_at is not None) == (ib, True)
    after = teacher.get(url).content.decode()
    assert "Dagelijks tutorlezen" in after and "Moeder leest thuis mee" in after
    assert (
        teacher.get(reverse("meetings:item_report", args=[signed_care_item.pk])).status_code == 200
    )


def test_the_director_reads_the_care_teams_advice_and_report_without_editing_or_sharing(
    signed_care_item, world, client_for
):
    """The director is a formal member of the care team: they read the advice, agreements
    and follow-up and the pupil's care-team report, before the IB shares anything with the
    teacher, and change nothing."""
    from audit.models import AccessLogEntry

    director = client_for("director")
    url = reverse("meetings:item_detail", args=[signed_care_item.pk])
    body = director.get(url).content.decode()
    for text in ("Dagelijks tutorlezen", "Moeder leest thuis mee", "Terug in het zorgteam"):
        assert text in body, text
    # No promise that the IB will share it with them, no share button, no form.
    assert "IB shares them with you" not in body and "IB'er ze met u deelt" not in body
    assert reverse("meetings:item_share", args=[signed_care_item.pk]) not in body
    assert "<textarea" not in body
    report = reverse("meetings:item_report", args=[signed_care_item.pk])
    assert f'href="{report}"' in body
    assert director.get(report).status_code == 200
    tab = director.get(reverse("meetings:pupil_meetings", args=[world.pupil.pk])).content.decode()
    assert "Dagelijks tutorlezen" in tab and report in tab
    # Read-only: sharing and addenda stay the IB's.
    assert (
        director.post(reverse("meetings:item_share", args=[signed_care_item.pk])).status_code == 404
    )
    response = director.post(
        reverse("meetings:item_addendum_add", args=[signed_care_item.pk]), {"text": "Van mij"}
    )
    assert response.status_code == 404
    signed_care_item.refresh_from_db()
    assert signed_care_item.shared_at is None and not signed_care_item.addenda.exists()
    # Every read is in the access log, with the pupil.
    reads = AccessLogEntry.objects.filter(
        user=world.users["director"], pupils__pupil_id=world.pupil.pk
    ).values_list("what", flat=True)
    assert {"meetings:item_detail", "meetings:item_report", "meetings:pupil_meetings"} <= set(reads)


def test_the_director_reads_the_advice_while_the_meeting_is_open_and_cannot_edit_it(
    care_item, world, ib, client_for
):
    actions.save_item(item=care_item, values={"advice": "Inzet logopedie"}, seen_version=1, by=ib)
    director = client_for("director")
    url = reverse("meetings:item_detail", args=[care_item.pk])
    body = director.get(url).content.decode()
    assert "Inzet logopedie" in body
    # The hint about sharing after sign-off is for the IB, who shares.
    assert "it can be shared once" not in body and "u kunt het delen" not in body
    assert "<textarea" not in body
    assert director.post(url, {"advice": "Anders", "version": 2}).status_code == 404
    care_item.refresh_from_db()
    assert care_item.advice == "Inzet logopedie"
    ib_body = client_for("care_coordinator").get(url).content.decode()
    assert "it can be shared once" in ib_body or "u kunt het delen" in ib_body


def test_advice_is_shared_only_after_sign_off(care_item, ib):
    with pytest.raises(ValidationError, match="signed off"):
        actions.share_advice(item=care_item, by=ib)


def test_a_teacher_of_another_group_and_another_school_get_404(signed_care_item, client_for):
    url = reverse("meetings:item_detail", args=[signed_care_item.pk])
    assert client_for("other_teacher").get(url).status_code == 404
    assert client_for("other_school_ib").get(url).status_code == 404
    assert client_for("care_team_member").get(url).status_code == 404


# Addenda per pupil -------------------------------------------------------------------------


def test_an_addendum_belongs_to_one_pupils_item(signed_care_item, world, ib, client_for):
    client = client_for("care_coordinator")
    response = client.post(
        reverse("meetings:item_addendum_add", args=[signed_care_item.pk]),
        {"text": "Correctie: de jeugdarts was er ook bij."},
    )
    assert response.status_code == 302
    addendum = Addendum.objects.get()
    assert (addendum.item, addendum.author) == (signed_care_item, ib)
    with translation.override("en"), pytest.raises(ValidationError, match="pupil"):
        actions.add_addendum(meeting=signed_care_item.meeting, text="Zonder leerling", by=ib)


def test_an_empty_addendum_comes_back_with_a_message(signed_care_item, client_for):
    response = client_for("care_coordinator").post(
        reverse("meetings:item_addendum_add", args=[signed_care_item.pk]), {"text": "   "}
    )
    assert response.status_code == 422
    assert not Addendum.objects.exists()


# The reports --------------------------------------------------------------------------------


def test_a_pupils_care_team_report_holds_that_pupil_alone(
    signed_care_item, care_team_meeting, world, ib, client_for, tmp_path
):
    # A second pupil on the same meeting: their advice must not reach the first one's report.
    other = factories.PupilFactory(school=world.school, given_name="Daan", family_name="Bos")
    meeting = signed_care_item.meeting
    actions.add_addendum(meeting=meeting, item=signed_care_item, text="Moeder belde nog.", by=ib)
    response = client_for("care_coordinator").get(
        reverse("meetings:item_report", args=[signed_care_item.pk])
    )
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert world.pupil.family_name not in disposition and world.pupil.given_name not in disposition
    text = _pdf_text(response.content, tmp_path)
    for expected in (
        world.pupil.full_name,
        "Hoe helpen we Sanne bij het lezen?",
        "Dagelijks tutorlezen, tien minuten.",
        "Moeder leest thuis mee.",
        "Terug in het zorgteam in maart.",
        "Groeidocument",
        "Moeder belde nog.",
    ):
        assert expected in text, expected
    assert other.full_name not in text
    assert re.search(r"(Page|Pagina) 1 (of|van) 1", text)


def test_the_group_meetings_report_has_the_agenda_and_not_the_teachers_summary(
    group_meeting, world, ib, client_for, tmp_path
):
    item = actions.add_group_item(meeting=group_meeting, pupil=world.pupil, by=ib)
    actions.save_item(
        item=item, values={"notes": "Extra instructie bij breuken."}, seen_version=1, by=ib
    )
    actions.save_minutes(
        meeting=group_meeting,
        values={
            "questions": "Hoe krijg ik rust na de pauze?",
            "report": "Een goed gesprek; plan bijgesteld.",
            "teacher_summary": "Alleen voor mij.",
        },
        seen_version=1,
        by=ib,
    )
    url = reverse("meetings:meeting_report", args=[group_meeting.pk])
    assert client_for("care_coordinator").get(url).status_code == 404  # not signed off yet
    _held(group_meeting, ib)
    actions.sign_off(meeting=group_meeting, by=ib)
    response = client_for("teacher").get(url)
    text = _pdf_text(response.content, tmp_path)
    for expected in (
        "Hoe krijg ik rust na de pauze?",
        "Een goed gesprek; plan bijgesteld.",
        world.pupil.full_name,
        "Extra instructie bij breuken.",
    ):
        assert expected in text, expected
    assert "Alleen voor mij." not in text
    assert world.pupil.family_name not in response["Content-Disposition"]


def test_reports_are_filed_in_the_pupils_dossier_and_on_the_groups_page(
    signed_care_item, group_meeting, world, ib, client_for
):
    client = client_for("care_coordinator")
    tab = client.get(reverse("meetings:pupil_meetings", args=[world.pupil.pk])).content.decode()
    assert reverse("meetings:item_report", args=[signed_care_item.pk]) in tab
    assert "Dagelijks tutorlezen" in tab
    _held(group_meeting, ib)
    actions.sign_off(meeting=group_meeting, by=ib)
    page = client.get(reverse("meetings:group_meetings", args=[world.group.pk])).content.decode()
    assert reverse("meetings:meeting_report", args=[group_meeting.pk]) in page
    group_page = client.get(reverse("pupils:group_detail", args=[world.group.pk])).content.decode()
    assert reverse("meetings:group_meetings", args=[world.group.pk]) in group_page


def test_the_dossier_tab_runs_the_same_queries_for_1_or_6_meetings(
    world, ib, client_for, django_assert_max_num_queries
):
    client = client_for("care_coordinator")
    url = reverse("meetings:pupil_meetings", args=[world.pupil.pk])
    start = world.group.school_year.start_date

    def add_meeting(n):
        meeting = actions.plan_meeting(
            school=world.school,
            kind="care_team",
            date=start + datetime.timedelta(days=30 + n),
            by=ib,
        )
        item = actions.add_care_team_item(meeting=meeting, pupil=world.pupil, documents=[], by=ib)
        actions.save_item(item=item, values={"advice": f"Advies {n}"}, seen_version=1, by=ib)

    add_meeting(0)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(1, 6):
        add_meeting(n)
    with CaptureQueriesContext(connection) as six:
        response = client.get(url)
    assert response.content.decode().count("Advies ") == 6
    assert len(six.captured_queries) == len(one.captured_queries)


def test_the_parents_export_holds_the_meetings_that_discussed_the_pupil(
    signed_care_item, world, ib, client_for, tmp_path
):
    import json

    actions.add_addendum(
        meeting=signed_care_item.meeting, item=signed_care_item, text="Moeder belde nog.", by=ib
    )
    client = client_for("care_coordinator")
    data = json.loads(client.get(reverse("trail:export_json", args=[world.pupil.pk])).content)
    (meeting,) = data["meetings"]
    assert meeting["meeting"]["kind"] == "care_team"
    assert meeting["advice"] == "Dagelijks tutorlezen, tien minuten."
    assert meeting["documents"] == ["Groeidocument", "IHP"]
    assert meeting["addenda"][0]["text"] == "Moeder belde nog."
    assert data["pupil_meeting_registrations"] == []
    text = _pdf_text(
        client.get(reverse("trail:export_pdf", args=[world.pupil.pk])).content, tmp_path
    )
    assert "Dagelijks tutorlezen, tien minuten." in text and "Moeder belde nog." in text


# Attendees ----------------------------------------------------------------------------------


def test_the_ib_adds_a_care_team_member_and_a_guest_with_their_discipline(
    care_team_meeting, world, ib, client_for
):
    client = client_for("care_coordinator")
    url = reverse("meetings:attendee_add", args=[care_team_meeting.pk])
    member = world.users["care_team_member"]
    assert client.post(url, {"user": member.pk, "discipline": "orthopedagoog"}).status_code == 302
    assert client.post(url, {"name": "Ellen Smits", "discipline": "jeugdarts"}).status_code == 302
    attendees = {
        (a.user_id, a.name, a.discipline) for a in care_team_meeting.attendees.exclude(user=ib)
    }
    assert attendees == {(member.pk, "", "orthopedagoog"), (None, "Ellen Smits", "jeugdarts")}
    # The member now sees the meeting in the year plan, but no pupil on it.
    assert (
        client_for("care_team_member")
        .get(reverse("meetings:meeting_detail", args=[care_team_meeting.pk]))
        .status_code
        == 200
    )


def test_an_attendee_form_without_anyone_or_with_both_comes_back(
    care_team_meeting, world, client_for
):
    client = client_for("care_coordinator")
    url = reverse("meetings:attendee_add", args=[care_team_meeting.pk])
    response = client.post(url, {"discipline": "jeugdarts"})
    assert response.status_code == 422
    assert 'value="jeugdarts"' in response.content.decode()
    both = {"user": world.users["teacher"].pk, "name": "Ellen", "discipline": ""}
    assert client.post(url, both).status_code == 422
    # Someone of another school cannot be added by a forged post.
    other = {"user": world.users["other_school_ib"].pk}
    assert client.post(url, other).status_code == 422
    assert care_team_meeting.attendees.count() == 1


def test_attendees_are_fixed_once_the_minutes_are_signed_off(signed_care_item, world, ib):
    with pytest.raises(ValidationError, match="signed off"):
        actions.add_attendee(meeting=signed_care_item.meeting, name="Laat", by=ib)
