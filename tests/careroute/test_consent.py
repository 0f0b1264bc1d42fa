"""Consent for the care team: when it stands, how a decision is recorded, and what happens at
once when it falls (the pupil leaves every care-team agenda not yet signed off)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from careroute import cases, consents
from careroute.consent import consent_state
from careroute.models import Consent
from hgw.access import Actor, care_team_pupils_visible
from meetings.models import MeetingItem
from pupils.models import Guardian, PupilLogEntry
from tests import factories, pdfs
from tests.careroute import care_team

PDF = pdfs.plain()


def _stands(world) -> bool:
    return consent_state(
        world.pupil, "care_team", registration=care_team.registration(world)
    ).stands


def _member(world) -> Actor:
    return Actor(
        user=world.users["care_team_member"],
        school=world.school,
        roles=frozenset({"care_team_member"}),
    )


def test_consent_stands_once_the_one_guardian_gave_it(world):
    care_team.case(world)
    assert not _stands(world)
    care_team.decide(world)
    assert _stands(world)
    assert list(care_team_pupils_visible(_member(world))) == [world.pupil]


def test_with_two_guardians_both_must_give_it(world):
    care_team.case(world)
    father = factories.GuardianFactory(pupil=world.pupil, name="Piet de Vries", relation="father")
    care_team.decide(world)
    state = consent_state(world.pupil, "care_team", registration=care_team.registration(world))
    assert not state.stands
    assert any("Piet de Vries" in problem for problem in state.problems)
    assert not care_team_pupils_visible(_member(world)).exists()
    care_team.decide(world, guardian=father)
    assert _stands(world)
    assert care_team_pupils_visible(_member(world)).exists()


def test_a_guardian_without_parental_authority_does_not_count(world):
    care_team.case(world)
    factories.GuardianFactory(pupil=world.pupil, name="Opa", has_parental_authority=False)
    care_team.decide(world)
    assert _stands(world)


@pytest.mark.parametrize("decision", ["refused", "withdrawn"])
def test_a_refusal_or_withdrawal_keeps_it_from_standing(world, decision):
    care_team.case(world)
    care_team.decide(world)
    care_team.decide(world, decision=decision)
    assert not _stands(world)
    assert not care_team_pupils_visible(_member(world)).exists()


def test_consent_that_has_ended_does_not_stand(world):
    care_team.case(world)
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    care_team.decide(world, decided_on=yesterday - datetime.timedelta(days=30), end_date=yesterday)
    assert not _stands(world)
    assert not care_team_pupils_visible(_member(world)).exists()


def test_without_a_guardian_with_authority_consent_cannot_stand(world):
    care_team.case(world)
    Guardian.objects.filter(pupil=world.pupil).update(has_parental_authority=False)
    state = consent_state(world.pupil, "care_team", registration=care_team.registration(world))
    assert not state.stands and state.no_guardian
    assert not care_team_pupils_visible(_member(world)).exists()


def test_the_visible_pupils_are_one_query(world, django_assert_num_queries):
    care_team.case(world)
    care_team.decide(world)
    with django_assert_num_queries(1):
        assert len(list(care_team_pupils_visible(_member(world)))) == 1


def test_the_guardian_must_be_the_pupils(world):
    care_team.case(world)
    stranger = factories.GuardianFactory(pupil=world.other_group_pupil)
    with pytest.raises(ValidationError):
        care_team.decide(world, guardian=stranger)
    assert not Consent.objects.exists()


def test_a_conversation_needs_a_note_of_this_pupil(world):
    registration = care_team.registration(world)
    other_note = PupilLogEntry.objects.create(
        pupil=world.other_group_pupil,
        date=datetime.date.today(),
        kind="parents",
        notes="x",
        author=care_team.ib(world),
    )
    for entry in (None, other_note):
        with pytest.raises(ValidationError):
            consents.record_consent(
                pupil=world.pupil,
                guardian=world.pupil.guardians.get(),
                purpose="care_team",
                decision="given",
                decided_on=datetime.date.today(),
                how="conversation",
                by=care_team.ib(world),
                registration=registration,
                log_entry=entry,
            )


def test_withdrawal_takes_the_pupil_off_upcoming_agendas_not_signed_off_ones(world):
    _case, _upcoming, item = care_team.consented_case_on_agenda(world, offset=90)
    earlier = care_team.care_team_meeting(world, offset=30)
    from meetings import actions

    kept = actions.add_care_team_item(
        meeting=earlier, pupil=world.pupil, documents=[], by=care_team.ib(world)
    )
    care_team.sign_off(world, earlier)
    care_team.decide(world, decision="withdrawn")
    assert not MeetingItem.objects.filter(pk=item.pk).exists()
    assert MeetingItem.objects.filter(pk=kept.pk).exists()


def test_the_level_and_the_case_stay_when_consent_falls(world):
    case, _meeting, _item = care_team.consented_case_on_agenda(world)
    care_team.decide(world, decision="refused")
    case.refresh_from_db()
    assert case.status == "open"


# The form --------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _post(client, world, **overrides):
    data = {
        "guardian": world.pupil.guardians.get().pk,
        "purpose": "care_team",
        "decision": "given",
        "decided_on": datetime.date.today().isoformat(),
        "how": "form",
        "recipient": "",
        "end_date": "",
        "participants": "",
        "notes": "",
    }
    data.update(overrides)
    return client.post(reverse("careroute:consent_add", args=[world.pupil.pk]), data)


def test_the_ib_records_a_decision_with_the_signed_form(world, client_for, media):
    care_team.case(world)
    client = client_for("care_coordinator")
    response = _post(client, world, form_file=SimpleUploadedFile("form.pdf", PDF))
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert consent.form and consent.form.path.startswith(str(media))
    assert _stands(world)


def test_a_decision_that_fails_after_the_upload_leaves_no_file(world, media, monkeypatch):
    """A refusal takes the pupil off the upcoming care-team agendas; when that fails, nothing
    is recorded and the stored form goes too (no row would name it; the purge could not)."""
    case, _meeting, _item = care_team.consented_case_on_agenda(world, offset=300)

    def fails(**kwargs):
        raise ValidationError("The meeting was signed off meanwhile.")

    monkeypatch.setattr(cases.meeting_actions, "remove_care_team_item", fails)
    with pytest.raises(ValidationError):
        consents.record_consent(
            pupil=world.pupil,
            guardian=world.pupil.guardians.get(),
            purpose="care_team",
            decision="withdrawn",
            decided_on=datetime.date.today(),
            how="form",
            by=care_team.ib(world),
            registration=case.registration,
            form=SimpleUploadedFile("form.pdf", PDF),
        )
    assert Consent.objects.filter(decision="withdrawn").count() == 0
    assert not [path for path in media.rglob("*") if path.is_file()]


def test_a_conversation_writes_the_note_in_the_pupil_log(world, client_for, media):
    care_team.case(world)
    client = client_for("care_coordinator")
    response = _post(
        client, world, how="conversation", notes="Moeder stemt in.", participants="moeder, IB"
    )
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert consent.log_entry.kind == "parents"
    assert consent.log_entry.notes == "Moeder stemt in."


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("form.pdf", b"<html>not a pdf</html>"), "PDF"),
        (SimpleUploadedFile("groot.pdf", PDF + b"0" * consents.MAX_FORM_BYTES), "MB"),
    ],
    ids=["not-a-pdf", "too-large"],
)
def test_the_upload_refuses_a_non_pdf_and_a_too_large_file_keeping_the_input(
    world, client_for, media, upload, message
):
    care_team.case(world)
    client = client_for("care_coordinator")
    response = _post(client, world, form_file=upload, end_date="2031-07-31")
    assert response.status_code == 422
    body = response.content.decode()
    assert message.lower() in body.lower()  # "PDF" or "pdf-bestand"; "MB"
    assert "2031-07-31" in body  # the other input is kept
    assert not Consent.objects.exists()


@pytest.mark.parametrize("kind", sorted(pdfs.HOSTILE))
def test_uploading_a_signed_form_that_is_not_a_plain_pdf_is_refused_saying_why(
    kind, world, client_for, media
):
    build, words = pdfs.HOSTILE[kind]
    care_team.case(world)
    client = client_for("care_coordinator")
    upload = SimpleUploadedFile("form.pdf", build())
    response = _post(client, world, form_file=upload, end_date="2031-07-31")
    assert response.status_code == 422
    body = response.content.decode()
    assert words in body
    assert "2031-07-31" in body
    assert not Consent.objects.exists()
    assert not [path for path in media.rglob("*") if path.is_file()]


def test_the_signed_form_is_served_only_to_the_ib(world, client_for, media):
    care_team.case(world)
    client = client_for("care_coordinator")
    _post(client, world, form_file=SimpleUploadedFile("form.pdf", PDF))
    url = reverse("careroute:consent_form", args=[Consent.objects.get().pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert "no-store" in response["Cache-Control"]
    assert response.content == PDF
    for persona in ("teacher", "director", "care_team_member", "school_admin", "other_school_ib"):
        assert client_for(persona).get(url).status_code == 404, persona


def test_the_tab_says_when_no_guardian_has_authority(world, client_for):
    Guardian.objects.filter(pupil=world.pupil).update(has_parental_authority=False)
    response = client_for("care_coordinator").get(
        reverse("careroute:pupil_documents", args=[world.pupil.pk])
    )
    assert response.status_code == 200
    assert reverse("pupils:guardian_add", args=[world.pupil.pk]) in response.content.decode()


# Consent stands by the date a decision was made, not the order it was typed in ---------------


def _days_ago(days: int) -> datetime.date:
    return datetime.date.today() - datetime.timedelta(days=days)


def _row(world, decision, decided_on, guardian=None, **extra):
    """A decision as a row (as older data may hold it), without the action's checks."""
    return Consent.objects.create(
        pupil=world.pupil,
        guardian=guardian or world.pupil.guardians.get(),
        purpose="care_team",
        care_team_registration=care_team.registration(world),
        decision=decision,
        decided_on=decided_on,
        how="conversation",
        recorded_by=care_team.ib(world),
        **extra,
    )


def test_ib_records_consent_dated_before_a_later_withdrawal_is_refused(world, client_for):
    care_team.case(world)
    care_team.decide(world, decided_on=_days_ago(60))
    care_team.decide(world, decision="withdrawn", decided_on=_days_ago(1))
    client = client_for("care_coordinator")
    response = _post(
        client,
        world,
        decided_on=_days_ago(37).isoformat(),
        how="conversation",
        notes="Vader zei in november ja.",
    )
    assert response.status_code == 422
    body = response.content.decode()
    withdrawn_on = _days_ago(1)
    assert "withdrawn" in body.lower() or "ingetrokken" in body.lower()
    assert f"{withdrawn_on.day} " in body and str(withdrawn_on.year) in body
    assert Consent.objects.filter(decision="given").count() == 1  # only the first one
    assert not PupilLogEntry.objects.filter(notes="Vader zei in november ja.").exists()
    assert not _stands(world)
    assert not care_team_pupils_visible(_member(world)).exists()


def test_ib_records_a_decision_on_the_same_day_as_the_latest(world):
    care_team.case(world)
    care_team.decide(world, decided_on=_days_ago(3))
    care_team.decide(world, decision="withdrawn", decided_on=_days_ago(3))
    assert not _stands(world)
    care_team.decide(world, decided_on=_days_ago(3))
    assert _stands(world)


def test_a_backdated_given_recorded_after_a_withdrawal_does_not_stand(world):
    """Rows recorded before the action refused backdated decisions: the later decision date
    wins, in Python and in the access policy's SQL."""
    care_team.case(world)
    _row(world, "given", _days_ago(60))
    _row(world, "withdrawn", _days_ago(5))
    _row(world, "given", _days_ago(37))
    assert not _stands(world)
    assert not care_team_pupils_visible(_member(world)).exists()
    _row(world, "given", _days_ago(2))
    assert _stands(world)
    assert care_team_pupils_visible(_member(world)).exists()


def test_a_decision_dated_in_the_future_is_refused(world, client_for):
    care_team.case(world)
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError):
        care_team.decide(world, decided_on=tomorrow)
    response = _post(
        client_for("care_coordinator"),
        world,
        decided_on=tomorrow.isoformat(),
        how="conversation",
        notes="Afspraak",
    )
    assert response.status_code == 422
    assert not Consent.objects.exists()


def test_a_decision_dated_after_the_day_asked_about_does_not_count_yet(world):
    care_team.case(world)
    _row(world, "given", _days_ago(10))
    _row(world, "withdrawn", datetime.date.today() + datetime.timedelta(days=3))
    assert _stands(world)
    assert care_team_pupils_visible(_member(world)).exists()


# A new guardian with parental authority has not decided yet ----------------------------------


def _guardian_fields(**overrides):
    return {
        "name": "Kees de Vries",
        "relation": "father",
        "has_parental_authority": "on",
        "phone": "",
        "email": "",
    } | overrides


def test_school_admin_adds_a_guardian_with_authority_takes_the_pupil_off_the_agenda(
    world, client_for
):
    _case, _meeting, item = care_team.consented_case_on_agenda(world)
    response = client_for("school_admin").post(
        reverse("pupils:guardian_add", args=[world.pupil.pk]), _guardian_fields()
    )
    assert response.status_code == 302
    assert not _stands(world)
    assert not MeetingItem.objects.filter(pk=item.pk).exists()
    assert not care_team_pupils_visible(_member(world)).exists()


def test_ib_gives_a_guardian_authority_by_an_edit_takes_the_pupil_off_the_agenda(world, client_for):
    kees = factories.GuardianFactory(
        pupil=world.pupil, name="Kees de Vries", relation="father", has_parental_authority=False
    )
    _case, _meeting, item = care_team.consented_case_on_agenda(world)
    client = client_for("care_coordinator")
    url = reverse("pupils:guardian_edit", args=[world.pupil.pk, kees.pk])
    seen = client.get(url).context["form"].initial["seen_state"]
    response = client.post(url, _guardian_fields(seen_state=seen))
    assert response.status_code == 302
    assert not MeetingItem.objects.filter(pk=item.pk).exists()
    assert not care_team_pupils_visible(_member(world)).exists()


def test_a_new_guardian_without_authority_leaves_the_agenda_as_it_is(world, client_for):
    _case, _meeting, item = care_team.consented_case_on_agenda(world)
    fields = _guardian_fields(name="Opa de Vries", relation="other")
    del fields["has_parental_authority"]
    response = client_for("school_admin").post(
        reverse("pupils:guardian_add", args=[world.pupil.pk]), fields
    )
    assert response.status_code == 302
    assert MeetingItem.objects.filter(pk=item.pk).exists()
    assert care_team_pupils_visible(_member(world)).exists()


def test_a_guardians_csv_import_with_a_new_guardian_with_authority_takes_the_pupil_off(
    world, client_for, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from pupils.models import ImportRecord

    _case, _meeting, item = care_team.consented_case_on_agenda(world)
    client = client_for("care_coordinator")
    content = (
        "Leerlingnummer;Naam ouder;Relatie;Telefoon;E-mail;Gezag\n"
        f"{world.pupil.las_key};Kees de Vries;vader;;;ja\n"
    ).encode()
    client.post(
        reverse("pupils:import_upload"),
        {"kind": "guardians_csv", "file": SimpleUploadedFile("ouders.csv", content)},
    )
    record = ImportRecord.objects.get()
    client.post(reverse("pupils:import_columns", args=[record.pk]), record.options["columns"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("pupils:import_confirm", args=[record.pk]))
    record.refresh_from_db()
    assert record.status == "applied", record.problems
    assert world.pupil.guardians.filter(name="Kees de Vries", has_parental_authority=True)
    assert not MeetingItem.objects.filter(pk=item.pk).exists()
    assert not care_team_pupils_visible(_member(world)).exists()
