"""Retention: listing the pupils whose period has passed, telling the IB, and the erasure."""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalChanges

from audit.models import AccessLogEntry, AccessLogPupil, Erasure
from pupils.models import Enrolment, Guardian, Instrument, Pupil
from pupils.models import TestResult as Result
from pupils.retention import (
    PurgeRefused,
    add_years,
    erasure_plan,
    expired_pupils,
    purge_pupils,
    retention_ends,
)
from pupils.tasks import list_expired_pupils
from tests import factories

TODAY = timezone.localdate()


def _leaver(world, *, years_ago: float = 3, given_name: str = "Levi", school=None, group=None):
    """A pupil who left `years_ago` years ago, with an enrolment, guardians and a result."""
    left = TODAY - datetime.timedelta(days=int(365.25 * years_ago))
    pupil = factories.PupilFactory(
        school=school or world.school,
        given_name=given_name,
        family_name="Vertrokken",
        date_of_birth=datetime.date(2008, 3, 1),
        date_in=datetime.date(2012, 8, 20),
    )
    factories.EnrolmentFactory(
        pupil=pupil,
        group=group or world.group,
        start_date=datetime.date(2012, 8, 20),
        end_date=left,
    )
    factories.GuardianFactory(pupil=pupil, name="Lotte Vertrokken")
    gone = factories.GuardianFactory(pupil=pupil, name="Piet Vertrokken")
    gone.delete()  # deleted long ago: only its revisions remain
    Result.objects.create(
        pupil=pupil,
        instrument=Instrument.objects.filter(school__isnull=True).first(),
        date_taken=datetime.date(2015, 1, 20),
        score=Decimal("42"),
    )
    pupil.date_out = left
    pupil.save()
    return pupil


def _seen(pupil, *others) -> AccessLogEntry:
    entry = AccessLogEntry.objects.create(
        what="pupils:pupil_basic", path=f"/leerlingen/{pupil.pk}/tab/gegevens/"
    )
    for shown in (pupil, *others):
        AccessLogPupil.objects.create(entry=entry, pupil_id=shown.pk)
    return entry


def _history_counts() -> dict:
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if issubclass(m, HistoricalChanges)
    }


def test_expired_pupils_follow_the_leaving_rule(world, settings):
    expired = _leaver(world, years_ago=3)
    recent = _leaver(world, years_ago=1, given_name="Recent")
    assert list(expired_pupils(world.school)) == [expired]
    assert retention_ends(expired) == add_years(expired.date_out, 2)
    assert retention_ends(world.pupil) is None  # still at school
    assert recent not in expired_pupils(world.school)
    assert not expired_pupils(world.other_school).exists()
    settings.RETENTION_YEARS_AFTER_LEAVING = 4
    assert not expired_pupils(world.school).exists()


def test_add_years_keeps_leap_days_sensible():
    assert add_years(datetime.date(2024, 2, 29), 2) == datetime.date(2026, 2, 28)
    assert add_years(datetime.date(2024, 2, 29), -4) == datetime.date(2020, 2, 29)


def test_purge_erases_the_pupil_and_everything_about_them(world):
    leaver = _leaver(world)
    ids = {
        "enrolments": list(leaver.enrolments.values_list("pk", flat=True)),
        "guardians": list(leaver.guardians.values_list("pk", flat=True)),
        "results": list(leaver.results.values_list("pk", flat=True)),
    }
    assert Guardian.history.filter(pupil_id=leaver.pk, history_type="-").exists()
    shown_alone = _seen(leaver)
    shown_with_other = _seen(world.pupil, leaver)
    other_entry = _seen(world.other_school_pupil)
    history_before = _history_counts()
    leaver_history = (
        Pupil.history.filter(id=leaver.pk).count()
        + Enrolment.history.filter(pupil_id=leaver.pk).count()
        + Guardian.history.filter(pupil_id=leaver.pk).count()
        + Result.history.filter(pupil_id=leaver.pk).count()
    )
    others = {p.pk: p.full_name for p in Pupil.objects.exclude(pk=leaver.pk)}
    ib = world.users["care_coordinator"]

    tombstone = purge_pupils(school=world.school, pupil_ids=[leaver.pk], by=ib)

    assert not Pupil.objects.filter(pk=leaver.pk).exists()
    assert not Enrolment.objects.filter(pk__in=ids["enrolments"]).exists()
    assert not Guardian.objects.filter(pk__in=ids["guardians"]).exists()
    assert not Result.objects.filter(pk__in=ids["results"]).exists()
    # Every revision naming them is gone (also of the guardian deleted long ago), and the
    # erasure itself wrote none.
    assert not Pupil.history.filter(id=leaver.pk).exists()
    for model in (Enrolment, Guardian, Result):
        assert not model.history.filter(pupil_id=leaver.pk).exists()
    history_after = _history_counts()
    assert sum(history_before.values()) - sum(history_after.values()) == leaver_history
    # Their lines in the access log are gone; the entries stay, without their id in the path.
    assert not AccessLogPupil.objects.filter(pupil_id=leaver.pk).exists()
    shown_alone.refresh_from_db()
    assert shown_alone.path == "/leerlingen/-/tab/gegevens/"
    assert list(shown_with_other.pupils.values_list("pupil_id", flat=True)) == [world.pupil.pk]
    assert other_entry.pupils.get().pupil_id == world.other_school_pupil.pk
    # The tombstone: when, who, where, how many; no name, no id.
    assert (tombstone.school, tombstone.by, tombstone.pupil_count) == (world.school, ib, 1)
    assert Erasure.objects.get() == tombstone
    assert tombstone.reason
    # Everyone else is untouched.
    assert {p.pk: p.full_name for p in Pupil.objects.all()} == others
    assert world.pupil.enrolments.exists() and world.pupil.guardians.exists()
    assert world.pupil.history.exists()


def test_the_plan_finds_rows_through_the_relations(world):
    leaver = _leaver(world)
    planned = {model: ids for model, ids in erasure_plan([leaver.pk])}
    assert planned[Pupil] == {leaver.pk}
    assert set(leaver.enrolments.values_list("pk", flat=True)) == planned[Enrolment]
    # The guardian deleted long ago is found through its revisions.
    assert len(planned[Guardian]) == 2
    # Children come before what they refer to.
    order = [model for model, _ids in erasure_plan([leaver.pk])]
    assert order[-1] is Pupil


def test_purge_refuses_a_pupil_who_has_not_left(world):
    with pytest.raises(PurgeRefused):
        purge_pupils(school=world.school, pupil_ids=[world.pupil.pk])
    leaving_soon = _leaver(world)
    leaving_soon.date_out = TODAY + datetime.timedelta(days=30)
    leaving_soon.save()
    expired = _leaver(world, given_name="Expired")
    with pytest.raises(PurgeRefused):  # one who may not go refuses the whole batch
        purge_pupils(school=world.school, pupil_ids=[expired.pk, leaving_soon.pk])
    assert Pupil.objects.filter(pk__in=[world.pupil.pk, leaving_soon.pk, expired.pk]).count() == 3
    assert not Erasure.objects.exists()


def test_purge_refuses_before_the_period_ends(world):
    recent = _leaver(world, years_ago=1)
    with pytest.raises(PurgeRefused):
        purge_pupils(school=world.school, pupil_ids=[recent.pk])
    assert Pupil.objects.filter(pk=recent.pk).exists()


def test_purge_refuses_a_pupil_of_another_school(world):
    theirs = _leaver(world, school=world.other_school, group=world.other_school_group)
    with pytest.raises(PurgeRefused):
        purge_pupils(school=world.school, pupil_ids=[theirs.pk])
    assert Pupil.objects.filter(pk=theirs.pk).exists()


def test_ib_confirms_on_the_retention_page(world, client_for):
    leaver = _leaver(world)
    client = client_for("care_coordinator")
    page = client.get(reverse("pupils:retention"))
    assert "Vertrokken, Levi" in page.content.decode()
    assert AccessLogEntry.objects.filter(
        what="pupils:retention", pupils__pupil_id=leaver.pk
    ).exists()
    assert client.get(reverse("pupils:retention_purge")).status_code == 405
    response = client.post(reverse("pupils:retention_purge"), {"pupil": [leaver.pk]})
    assert response.status_code == 302
    assert not Pupil.objects.filter(pk=leaver.pk).exists()
    assert Erasure.objects.get().by == world.users["care_coordinator"]


def test_ib_erases_all_in_one_go(world, client_for):
    for name in ("Een", "Twee", "Drie"):
        _leaver(world, given_name=name)
    client = client_for("care_coordinator")
    client.post(reverse("pupils:retention_purge"), {"scope": "all", "count": "3"})
    assert not expired_pupils(world.school).exists()
    assert Erasure.objects.get().pupil_count == 3


def test_the_page_never_erases_a_pupil_still_at_school(world, client_for):
    client = client_for("care_coordinator")
    response = client.post(
        reverse("pupils:retention_purge"), {"pupil": [world.pupil.pk]}, follow=True
    )
    (message,) = response.context["messages"]
    assert message.level_tag == "error"
    assert Pupil.objects.filter(pk=world.pupil.pk).exists()
    assert not Erasure.objects.exists()


def test_the_ib_of_another_school_cannot_erase_ours(world, client_for):
    ours = _leaver(world)
    client = client_for("other_school_ib")
    assert "Vertrokken" not in client.get(reverse("pupils:retention")).content.decode()
    client.post(reverse("pupils:retention_purge"), {"pupil": [ours.pk]})
    client.post(reverse("pupils:retention_purge"), {"scope": "all", "count": "10"})
    assert Pupil.objects.filter(pk=ours.pk).exists()
    assert not Erasure.objects.filter(school=world.school).exists()


def test_the_privacy_officer_sees_numbers_not_names(world, client_for):
    leaver = _leaver(world)
    client = client_for("privacy_officer")
    page = client.get(reverse("pupils:retention")).content.decode()
    assert "Vertrokken" not in page
    assert client.post(reverse("pupils:retention_purge"), {"pupil": [leaver.pk]}).status_code == (
        404
    )
    assert Pupil.objects.filter(pk=leaver.pk).exists()


def test_dry_run_lists_and_changes_nothing(world, capsys):
    leaver = _leaver(world)
    history_before = _history_counts()
    call_command("purge_expired", "--dry-run")
    out = capsys.readouterr().out
    assert f"id {leaver.pk}" in out
    assert "Vertrokken" not in out and "Levi" not in out
    assert Pupil.objects.filter(pk=leaver.pk).exists()
    assert _history_counts() == history_before
    assert not Erasure.objects.exists()
    with pytest.raises(CommandError):
        call_command("purge_expired")


def test_command_erases_with_confirm_per_school(world, capsys):
    ours = _leaver(world)
    theirs = _leaver(world, school=world.other_school, group=world.other_school_group)
    call_command("purge_expired", "--confirm", "--school", world.other_school.brin)
    assert Pupil.objects.filter(pk=ours.pk).exists()
    assert not Pupil.objects.filter(pk=theirs.pk).exists()
    call_command("purge_expired", "--confirm")
    assert not Pupil.objects.filter(pk=ours.pk).exists()
    assert Erasure.objects.count() == 2
    assert Erasure.objects.filter(by__isnull=True).count() == 2


def test_the_retention_email_tells_the_ib_without_names(world):
    leaver = _leaver(world)
    _leaver(world, given_name="Tweede")
    counts = list_expired_pupils.call()
    assert counts == {f"{world.school.brin}{world.school.dependance_code}": 2}
    (message,) = mail.outbox
    assert message.to == [world.users["care_coordinator"].email]
    text = message.subject + message.body
    assert "2" in message.body and reverse("pupils:retention") in message.body
    for name in (leaver.given_name, leaver.family_name, "Tweede", "Lotte", "Sanne", "Vries"):
        assert name not in text
    assert Pupil.objects.filter(pk=leaver.pk).exists()  # it only tells


def test_no_email_when_nothing_expired(world):
    assert list_expired_pupils.call() == {}
    assert mail.outbox == []


def test_purge_deletes_the_stored_documents_with_their_replaced_versions(
    world, settings, tmp_path, django_capture_on_commit_callbacks
):
    """A diagnostics report (and the one it replaced, which the history still names) and a
    signed consent form leave the disk with the pupil."""
    from django.core.files.base import ContentFile

    from careroute.models import Consent, HGDRequest

    settings.MEDIA_ROOT = tmp_path
    leaver = _leaver(world)
    ib = world.users["care_coordinator"]
    request = HGDRequest.objects.create(
        pupil=leaver, question="Waarom?", expert_name="Dr. Jansen", created_by=ib
    )
    request.report.save("eerste.pdf", ContentFile(b"%PDF-1.4 first"))
    request.report.save("tweede.pdf", ContentFile(b"%PDF-1.4 second"))
    consent = Consent(
        pupil=leaver,
        guardian=leaver.guardians.get(),
        purpose="hgd",
        hgd_request=request,
        decision="given",
        decided_on=TODAY,
        how="form",
        recorded_by=ib,
    )
    consent.form.save("formulier.pdf", ContentFile(b"%PDF-1.4 form"))
    stored = sorted(p.name for p in tmp_path.rglob("*.pdf"))
    assert len(stored) == 3, stored

    with django_capture_on_commit_callbacks(execute=True):
        purge_pupils(school=world.school, pupil_ids=[leaver.pk], by=ib)

    assert list(tmp_path.rglob("*.pdf")) == []
