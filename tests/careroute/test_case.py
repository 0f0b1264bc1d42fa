"""The care-team registration, its documents for the external members and the case: put on
care-team agendas only while open and consented, monitored, closed with an outcome."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from careroute import cases
from careroute.models import CareTeamRegistration, CaseDocument
from meetings import actions
from meetings.models import MeetingItem
from tests.careroute import care_team


def test_the_ib_registers_the_pupil_with_the_question_formulated_with_the_parents(
    world, client_for
):
    client = client_for("care_coordinator")
    url = reverse("careroute:registration_edit", args=[world.pupil.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"question": "", "parents_involved": "Met moeder"})
    assert response.status_code == 422
    assert "Met moeder" in response.content.decode()
    response = client.post(url, {"question": "Hoe verder?", "parents_involved": "Met moeder"})
    assert response.status_code == 302
    registration = CareTeamRegistration.objects.get()
    assert registration.question == "Hoe verder?"


def test_a_stale_registration_save_is_refused_with_both_versions(world, client_for):
    registration = care_team.registration(world)
    cases.save_registration(
        registration=registration,
        question="Hun versie",
        parents_involved="",
        seen_version=1,
        by=care_team.ib(world),
    )
    client = client_for("care_coordinator")
    url = reverse("careroute:registration_edit", args=[world.pupil.pk])
    response = client.post(url, {"question": "Mijn versie", "parents_involved": "", "version": 1})
    assert response.status_code == 409
    body = response.content.decode()
    assert "Hun versie" in body and "Mijn versie" in body
    registration.refresh_from_db()
    assert registration.question == "Hun versie"


def test_only_the_pupils_own_signed_off_items_can_be_selected(world):
    registration = care_team.registration(world)
    meeting = care_team.care_team_meeting(world, offset=30)
    item = actions.add_care_team_item(
        meeting=meeting, pupil=world.pupil, documents=[], by=care_team.ib(world)
    )
    with pytest.raises(ValidationError):  # not signed off yet
        cases.select_document(
            registration=registration, kind="meeting_item", pk=item.pk, by=care_team.ib(world)
        )
    care_team.sign_off(world, meeting)
    with translation.override("en"):
        document = cases.select_document(
            registration=registration, kind="meeting_item", pk=item.pk, by=care_team.ib(world)
        )
    assert "care-team meeting" in document.title
    other = care_team.case(world, pupil=world.other_group_pupil).registration
    with pytest.raises(ValidationError):
        cases.select_document(
            registration=other, kind="meeting_item", pk=item.pk, by=care_team.ib(world)
        )
    cases.unselect_document(document=document, by=care_team.ib(world))
    assert not CaseDocument.objects.exists()


def test_put_on_the_agenda_only_with_consent_and_an_open_case(world):
    case = care_team.case(world)
    meeting = care_team.care_team_meeting(world)
    with pytest.raises(ValidationError):
        cases.put_on_agenda(case=case, meeting=meeting, by=care_team.ib(world))
    care_team.decide(world)
    item = cases.put_on_agenda(case=case, meeting=meeting, by=care_team.ib(world))
    assert item.pupil == world.pupil
    cases.take_off_agenda(case=case, item=item, by=care_team.ib(world))
    cases.set_monitoring(case=case, since=meeting.date, by=care_team.ib(world))
    with pytest.raises(ValidationError):
        cases.put_on_agenda(case=case, meeting=meeting, by=care_team.ib(world))


def test_the_agenda_item_names_the_selected_documents(world):
    case = care_team.case(world)
    care_team.decide(world)
    earlier = care_team.care_team_meeting(world, offset=20)
    old = actions.add_care_team_item(
        meeting=earlier, pupil=world.pupil, documents=[], by=care_team.ib(world)
    )
    care_team.sign_off(world, earlier)
    document = cases.select_document(
        registration=case.registration, kind="meeting_item", pk=old.pk, by=care_team.ib(world)
    )
    item = cases.put_on_agenda(
        case=case, meeting=care_team.care_team_meeting(world, offset=80), by=care_team.ib(world)
    )
    assert item.documents == [document.title]


def test_a_meeting_before_the_case_was_opened_cannot_take_the_case(world):
    case = care_team.opened_on(care_team.case(world), care_team.day(world, 60))
    care_team.decide(world)
    before = care_team.care_team_meeting(world, offset=30)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        cases.put_on_agenda(case=case, meeting=before, by=care_team.ib(world))
    message = " ".join(refused.value.messages)
    with translation.override("en"):
        opened = date_format(care_team.day(world, 60), "j F Y")
    assert "opened on" in message and opened in message
    assert not before.items.exists()
    # The day it was opened is fine.
    same_day = care_team.care_team_meeting(world, offset=60)
    assert cases.put_on_agenda(case=case, meeting=same_day, by=care_team.ib(world)).pupil == (
        world.pupil
    )


def test_the_documents_tab_offers_only_meetings_from_the_cases_opening_day(world, client_for):
    case = care_team.opened_on(care_team.case(world), care_team.day(world, 60))
    care_team.decide(world)
    before = care_team.care_team_meeting(world, offset=30)
    after = care_team.care_team_meeting(world, offset=90)
    url = reverse("pupil_dossier_tab", args=[world.pupil.pk, "documenten"])
    body = client_for("care_coordinator").get(url).content.decode()
    assert f'<option value="{after.pk}"' in body
    assert f'<option value="{before.pk}"' not in body
    assert case.opened_on == care_team.day(world, 60)


def test_putting_the_case_on_an_earlier_meeting_by_a_forged_post_is_refused_with_a_message(
    world, client_for
):
    case = care_team.opened_on(care_team.case(world), care_team.day(world, 60))
    care_team.decide(world)
    before = care_team.care_team_meeting(world, offset=30)
    after = care_team.care_team_meeting(world, offset=90)
    response = client_for("care_coordinator").post(
        reverse("careroute:case_agenda", args=[case.pk]), {"meeting": before.pk}
    )
    assert response.status_code == 422
    body = response.content.decode()
    with translation.override("nl"):
        opened = date_format(care_team.day(world, 60), "j F Y")
    assert f"De casus is geopend op {opened}" in body
    assert "alert-danger" in body
    assert not MeetingItem.objects.exists()
    # The picker offers again only what the case can go on.
    assert f'<option value="{after.pk}"' in body
    assert f'<option value="{before.pk}"' not in body


def test_the_care_team_item_starts_with_the_question_formulated_with_the_parents(world, client_for):
    case = care_team.case(world)
    care_team.decide(world)
    meeting = care_team.care_team_meeting(world, offset=60)
    client_for("care_coordinator").post(
        reverse("careroute:case_agenda", args=[case.pk]), {"meeting": meeting.pk}
    )
    item = meeting.items.get()
    assert item.question == case.registration.question == "Hoe helpen we Sanne bij het lezen?"
    # The IB sees it in the form on the item's page; the external member who attends reads it.
    ib_page = client_for("care_coordinator").get(reverse("meetings:item_detail", args=[item.pk]))
    assert "Hoe helpen we Sanne bij het lezen?" in ib_page.content.decode()
    member_page = client_for("care_team_member").get(
        reverse("meetings:item_detail", args=[item.pk])
    )
    assert member_page.status_code == 200
    assert "Hoe helpen we Sanne bij het lezen?" in member_page.content.decode()


def test_a_signed_off_meeting_cannot_take_the_pupil(world):
    case = care_team.case(world)
    care_team.decide(world)
    meeting = care_team.care_team_meeting(world)
    care_team.sign_off(world, meeting)
    with pytest.raises(ValidationError):
        cases.put_on_agenda(case=case, meeting=meeting, by=care_team.ib(world))


def test_the_case_is_monitored_then_closed_with_an_outcome(world, client_for):
    case = care_team.case(world)
    client = client_for("care_coordinator")
    close_url = reverse("careroute:case_close", args=[case.pk])
    # Not before the monitoring.
    assert client.post(close_url, {"outcome": "Klaar"}).status_code == 422
    response = client.post(
        reverse("careroute:case_monitoring", args=[case.pk]), {"since": "2026-03-01"}
    )
    assert response.status_code == 302
    assert client.post(close_url, {"outcome": ""}).status_code == 422
    assert client.post(close_url, {"outcome": "Doelen behaald"}).status_code == 302
    case.refresh_from_db()
    assert case.status == "closed" and case.outcome == "Doelen behaald"
    assert case.closed_at is not None


def test_the_agenda_form_refuses_without_consent_and_keeps_the_choice(world, client_for):
    case = care_team.case(world)
    meeting = care_team.care_team_meeting(world)
    response = client_for("care_coordinator").post(
        reverse("careroute:case_agenda", args=[case.pk]), {"meeting": meeting.pk}
    )
    assert response.status_code == 422
    assert not MeetingItem.objects.exists()


def test_the_documents_tab_shows_consent_registration_documents_and_case(world, client_for):
    case, _meeting, _item = care_team.consented_case_on_agenda(world)
    response = client_for("care_coordinator").get(
        reverse("pupil_dossier_tab", args=[world.pupil.pk, "documenten"])
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert case.registration.question in body
    assert reverse("careroute:case_agenda", args=[case.pk]) in body


def test_the_tab_is_not_for_teachers_or_the_director(world, client_for):
    url = reverse("careroute:pupil_documents", args=[world.pupil.pk])
    for persona in ("teacher", "director", "school_admin", "care_team_member"):
        assert client_for(persona).get(url).status_code == 404, persona
