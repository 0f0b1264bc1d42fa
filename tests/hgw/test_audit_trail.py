"""The audit trail viewer, "who saw my child's file", and the parents' right-of-access export."""

import datetime
import json
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Role
from audit.models import AccessLogEntry, AccessLogPupil
from careroute import hgd
from careroute.models import CareRoute
from hgw.pdf import FetchRefused, StaticOnlyFetcher
from pupils.actions import record_result
from pupils.models import Instrument
from tests import factories


def _log(user, school, pupils, what="pupils:pupil_basic"):
    entry = AccessLogEntry.objects.create(
        user=user, school=school, what=what, path="/leerlingen/x/", ip_address="192.0.2.7"
    )
    for pupil in pupils:
        pk = pupil if isinstance(pupil, int) else pupil.pk
        AccessLogPupil.objects.create(entry=entry, pupil_id=pk)
    return entry


def _instrument():
    return Instrument.objects.create(
        name="Rekenen-Wiskunde", subject="maths", score_kind="ability_score", level_scale="I-V"
    )


def _logged(what):
    return AccessLogEntry.objects.filter(what=what)


# The viewer --------------------------------------------------------------------------------


def test_access_log_names_pupils_and_marks_erased_ones(world, client_for):
    _log(world.users["teacher"], world.school, [world.pupil, 999_999])
    _log(world.users["other_school_ib"], world.other_school, [world.other_school_pupil])
    response = client_for("privacy_officer").get(reverse("trail:access_list"))
    content = response.content.decode()
    assert "Vries, Sanne de" in content
    assert "192.0.2.7" in content
    assert "999999" in content  # shown as an erased pupil, by number
    assert "Smit" not in content  # another school's log stays invisible
    # Reading who saw whom is reading pupil data: logged with the pupils shown.
    entry = _logged("trail:access_list").get()
    assert set(entry.pupils.values_list("pupil_id", flat=True)) == {world.pupil.pk, 999_999}


def test_access_log_filters_by_pupil_and_person(world, client_for):
    _log(world.users["teacher"], world.school, [world.pupil])
    _log(world.users["director"], world.school, [world.other_group_pupil])
    client = client_for("care_coordinator")
    by_pupil = client.get(reverse("trail:access_list"), {"pupil": world.pupil.pk})
    assert "Vries, Sanne de" in by_pupil.content.decode()
    assert "Bakker" not in by_pupil.content.decode()
    by_person = client.get(reverse("trail:access_list"), {"user": world.users["director"].pk})
    assert "Bakker" in by_person.content.decode()
    assert "Vries, Sanne de" not in by_person.content.decode()


@pytest.mark.parametrize("number", ["9223372036854775808", "99999999999999999999"])
@pytest.mark.parametrize("url_name", ["trail:access_list", "trail:revision_list"])
def test_filtering_the_trail_on_a_pupil_number_too_large_says_so(
    url_name, number, world, client_for
):
    """No pupil has a number beyond a 64-bit integer: the form says so instead of the database
    (SQLite, the demo's) failing on it."""
    response = client_for("privacy_officer").get(reverse(url_name), {"pupil": number})
    assert response.status_code == 200
    assert response.context["form"].errors["pupil"]


def test_access_log_shows_the_role_held_that_day(world, client_for):
    _log(world.users["teacher"], world.school, [world.pupil])
    content = client_for("privacy_officer").get(reverse("trail:access_list")).content.decode()
    assert str(Role.TEACHER.label) in content


def _many_entries(world, count):
    for n in range(count):
        pupil = factories.PupilFactory(school=world.school)
        user = factories.UserFactory(email=f"reader{n}@school.example")
        factories.MembershipFactory(user=user, school=world.school, role=Role.TEACHER)
        _log(user, world.school, [pupil, world.pupil])


@pytest.mark.parametrize("count", [5, 50])
def test_access_log_page_has_a_fixed_number_of_queries(
    count, world, client_for, django_assert_max_num_queries
):
    _many_entries(world, count)
    client = client_for("privacy_officer")
    # 18: one of them is django-otp finding the second factor the session was verified with.
    with django_assert_max_num_queries(18):
        response = client.get(reverse("trail:access_list"))
    assert response.status_code == 200
    assert len(response.context["rows"]) == count


def _many_revisions(world, count):
    instrument = _instrument()
    for n in range(count):
        pupil = factories.PupilFactory(school=world.school)
        pupil.given_name = f"Changed{n}"
        pupil.save()
        factories.GuardianFactory(pupil=pupil)
        record_result(
            pupil=pupil,
            instrument=instrument,
            date_taken=datetime.date(2026, 1, 20),
            score=Decimal("180"),
        )


@pytest.mark.parametrize("count", [5, 50])
def test_revision_page_has_a_fixed_number_of_queries(
    count, world, client_for, django_assert_max_num_queries
):
    _many_revisions(world, count)
    client = client_for("care_coordinator")
    with django_assert_max_num_queries(25):  # one: the second factor (django-otp)
        response = client.get(reverse("trail:revision_list"))
    assert response.status_code == 200
    assert len(response.context["rows"]) == 50 if count == 50 else count * 4


def test_revisions_show_what_changed(world, client_for):
    world.pupil.given_name = "Sanna"
    world.pupil.save()
    response = client_for("care_coordinator").get(
        reverse("trail:revision_list"), {"pupil": world.pupil.pk}
    )
    content = response.content.decode()
    assert "Sanne → Sanna" in content
    assert "Bakker" not in content


def test_privacy_officer_sees_that_results_changed_but_not_their_values(world, client_for):
    record_result(
        pupil=world.pupil,
        instrument=_instrument(),
        date_taken=datetime.date(2026, 1, 20),
        score=Decimal("187.5"),
    )
    officer = client_for("privacy_officer").get(reverse("trail:revision_list")).content.decode()
    assert "187.5" not in officer
    ib = client_for("care_coordinator").get(reverse("trail:revision_list")).content.decode()
    assert "187.5" in ib


def _diagnostics_requested(world):
    CareRoute.objects.update_or_create(
        pupil=world.pupil, defaults={"school_id": world.school.pk, "level": 2}
    )
    return hgd.request_hgd(
        pupil=world.pupil,
        question="Waarom leest Sanne zo traag?",
        expert_name="Drs. P. Jansen",
        expert_discipline="orthopedagoog",
        by=world.users["care_coordinator"],
    )


@pytest.mark.parametrize("url_name", ["trail:revision_list", "trail:pupil_trail"])
def test_privacy_officer_identifies_the_pupil_but_not_their_care_records(
    url_name, world, client_for
):
    """The privacy officer answers parents' questions: which pupil, who, when. Which care
    records a pupil has (a diagnostics request, a care route) is not theirs to learn."""
    _diagnostics_requested(world)
    kwargs = {"pk": world.pupil.pk} if url_name == "trail:pupil_trail" else None
    officer = client_for("privacy_officer").get(reverse(url_name, kwargs=kwargs)).content.decode()
    assert "Vries, Sanne de" in officer or "Sanne de Vries" in officer
    assert "leer- of zorggegevens" in officer
    for care_fact in ("onderzoeksaanvraag", "HGD", "zorgroute", "orthopedagoog", "Jansen"):
        assert care_fact not in officer, care_fact
    ib = client_for("care_coordinator").get(reverse(url_name, kwargs=kwargs)).content.decode()
    assert "onderzoeksaanvraag (HGD)" in ib


def test_privacy_officer_sees_who_opened_a_care_page_but_not_which(world, client_for):
    entry = AccessLogEntry.objects.create(
        user=world.users["care_coordinator"],
        school=world.school,
        what="careroute:ihp_detail",
        path=f"/leerlingen/{world.pupil.pk}/ihp/7/",
    )
    AccessLogPupil.objects.create(entry=entry, pupil_id=world.pupil.pk)
    _log(world.users["teacher"], world.school, [world.pupil], "pupils:pupil_basic")
    officer = client_for("privacy_officer").get(reverse("trail:access_list")).content.decode()
    assert "Vries, Sanne de" in officer
    assert "een pagina met leer- of zorggegevens" in officer
    assert "IHP" not in officer and "/ihp/" not in officer
    assert "leerlingdossier: gegevens" in officer  # basic data: named as before
    ib = client_for("care_coordinator").get(reverse("trail:access_list")).content.decode()
    assert "IHP" in ib and "/ihp/7/" in ib


def test_pupil_search_is_a_post_and_is_logged(world, client_for):
    client = client_for("privacy_officer")
    response = client.post(reverse("trail:pupil_search"), {"q": "vries"})
    content = response.content.decode()
    assert reverse("trail:pupil_trail", args=[world.pupil.pk]) in content
    assert "Bakker" not in content
    entry = _logged("trail:pupil_search").get()
    assert entry.path == reverse("trail:pupil_search")
    assert list(entry.pupils.values_list("pupil_id", flat=True)) == [world.pupil.pk]


# "Who saw my child's file" -----------------------------------------------------------------


def test_pupil_trail_answers_who_saw_and_changed_the_pupil(world, client_for):
    _log(world.users["teacher"], world.school, [world.pupil])
    _log(world.users["director"], world.school, [world.other_group_pupil])
    guardian = world.pupil.guardians.get()
    guardian.phone = "06-12345678"
    guardian.save()
    response = client_for("care_coordinator").get(
        reverse("trail:pupil_trail", args=[world.pupil.pk])
    )
    content = response.content.decode()
    assert "Teacher" in content
    assert "Director" not in content  # read another pupil only
    assert "06-12345678" in content
    assert reverse("trail:export_pdf", args=[world.pupil.pk]) in content
    entry = _logged("trail:pupil_trail").get()
    assert list(entry.pupils.values_list("pupil_id", flat=True)) == [world.pupil.pk]


def test_dossier_links_the_ib_to_the_pupil_trail(world, client_for):
    url = reverse("trail:pupil_trail", args=[world.pupil.pk])
    tab = reverse("pupil_dossier_tab", kwargs={"pk": world.pupil.pk, "tab": "gegevens"})
    assert url in client_for("care_coordinator").get(tab).content.decode()
    assert url not in client_for("teacher").get(tab).content.decode()


def test_privacy_officer_home_links_to_the_viewer(world, client_for):
    content = client_for("privacy_officer").get(reverse("home")).content.decode()
    assert reverse("trail:access_list") in content


# The right-of-access export ----------------------------------------------------------------


def _result(world):
    return record_result(
        pupil=world.pupil,
        instrument=_instrument(),
        date_taken=datetime.date(2026, 1, 20),
        score=Decimal("187.5"),
        level="II",
        by=world.users["teacher"],
    )


def _assert_download(response, pupil, extension):
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f'filename="inzage-{pupil.pk}-' in disposition
    assert disposition.endswith(f'.{extension}"')
    assert "Vries" not in disposition and "Sanne" not in disposition


def _overview_and_note(world):
    """A note in the pupil's log and a filled-in row of a group overview."""
    from groupplans import actions
    from schools.actions import ensure_default_periods

    factories.PupilLogEntryFactory(
        pupil=world.pupil, kind="parents", notes="Gesprek met moeder", agreements="Thuis lezen"
    )
    period = ensure_default_periods(school=world.school, school_year=world.group.school_year)[0]
    overview = actions.create_overview(group=world.group, period=period, by=world.users["teacher"])
    actions.save_row(
        row=overview.rows.get(),
        values={"stimulating": "Helpt graag", "signalled": True, "signal_reason": "Rekenen"},
        seen_version=1,
        by=world.users["teacher"],
    )


def test_json_export_holds_everything_with_stable_keys(world, client_for):
    _result(world)
    _overview_and_note(world)
    _log(world.users["teacher"], world.school, [world.pupil])
    response = client_for("care_coordinator").get(
        reverse("trail:export_json", args=[world.pupil.pk])
    )
    _assert_download(response, world.pupil, "json")
    data = json.loads(response.content)
    assert set(data) >= {
        "format",
        "format_version",
        "generated_at",
        "school",
        "pupil",
        "guardians",
        "enrolments",
        "test_results",
        "pupil_log",
        "group_overviews",
        "access_log",
        "revisions",
    }
    assert data["pupil"]["family_name"] == "Vries"
    assert data["pupil"]["date_of_birth"] == world.pupil.date_of_birth.isoformat()
    assert data["guardians"][0]["name"] == "Anna de Vries"
    assert data["enrolments"][0]["group"]["name"] == "Groep 5"
    assert data["test_results"][0]["score"] == "187.5"
    assert data["test_results"][0]["level"] == "II"
    assert data["pupil_log"][0]["notes"] == "Gesprek met moeder"
    assert data["pupil_log"][0]["agreements"] == "Thuis lezen"
    (row,) = data["group_overviews"]
    assert (row["group"], row["signalled"], row["stimulating"]) == ("Groep 5", True, "Helpt graag")
    assert data["access_log"][0]["user"]["name"] == "Teacher"
    kinds = {(r["record"], r["action"]) for r in data["revisions"]}
    assert {("pupil", "created"), ("guardian", "created"), ("test_result", "created")} <= kinds
    # The export is itself logged as a read of the pupil's data.
    entry = _logged("trail:export_json").get()
    assert list(entry.pupils.values_list("pupil_id", flat=True)) == [world.pupil.pk]


@pytest.mark.parametrize("persona", ["teacher", "director", "privacy_officer", "other_school_ib"])
def test_export_is_for_the_ib_of_the_school_only(persona, world, client_for):
    client = client_for(persona)
    for name in ("trail:export_json", "trail:export_pdf"):
        assert client.get(reverse(name, args=[world.pupil.pk])).status_code == 404
    assert not _logged("trail:export_json").exists()


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
def test_pdf_export_reads_as_the_data(world, client_for, tmp_path):
    _result(world)
    _overview_and_note(world)
    _log(world.users["teacher"], world.school, [world.pupil])
    response = client_for("care_coordinator").get(
        reverse("trail:export_pdf", args=[world.pupil.pk])
    )
    _assert_download(response, world.pupil, "pdf")
    assert response.content.startswith(b"%PDF")
    pdf = tmp_path / "inzage.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Sanne de Vries" in text
    assert "Anna de Vries" in text
    assert "Rekenen-Wiskunde" in text and "187,5" in text
    assert "Gesprek met moeder" in text and "Thuis lezen" in text
    assert "Helpt graag" in text and "Stimulerende factoren" in text
    assert "Pagina 1 van" in text
    assert "VERTROUWELIJK" in text.upper()
    assert "De Regenboog" in text
    assert _logged("trail:export_pdf").get().pupils.get().pupil_id == world.pupil.pk


def test_pdf_fetcher_serves_only_static_files_and_data_urls(settings, tmp_path):
    fetcher = StaticOnlyFetcher()
    static = tmp_path / "static"
    static.mkdir()
    (static / "a.css").write_text("p {}")
    settings.STATIC_ROOT = static
    settings.STATICFILES_DIRS = []
    assert fetcher.fetch((static / "a.css").as_uri()).read() == b"p {}"
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"
    secret = tmp_path / "secret.txt"
    secret.write_text("no")
    for url in (
        secret.as_uri(),
        "file:///etc/passwd",
        f"{static.as_uri()}/../secret.txt",
        "http://example.com/a.css",
        "https://example.com/a.css",
        "ftp://example.com/a.css",
    ):
        with pytest.raises(FetchRefused):
            fetcher.fetch(url)


def test_every_model_with_a_pupil_and_history_is_in_the_trail():
    """A new pupil-data model with revisions must show in the audit trail (or say here why
    not)."""
    from django.apps import apps

    from hgw.trail import REVISION_SOURCES

    # Reached through their row: the decision's effect (a signal) is a revision of the row.
    through_another = {"groupplans.SuggestionDecision"}
    listed = {source.model for source in REVISION_SOURCES}
    checked = 0
    for model in apps.get_models():
        if getattr(model._meta, "simple_history_manager_attribute", None) is None:
            continue
        fields = {f.name for f in model._meta.concrete_fields}
        if model._meta.label in through_another or not (
            "pupil" in fields or model._meta.label == "pupils.Pupil"
        ):
            continue
        assert model in listed, f"{model._meta.label} is not in hgw.trail.REVISION_SOURCES"
        checked += 1
    assert checked >= 6


def test_the_trail_shows_overview_and_log_changes_without_noise(world, client_for):
    from groupplans import actions
    from schools.actions import ensure_default_periods

    period = ensure_default_periods(school=world.school, school_year=world.group.school_year)[0]
    overview = actions.create_overview(group=world.group, period=period, by=world.users["teacher"])
    row = overview.rows.get()
    actions.save_row(
        row=row, values={"hindering": "Snel afgeleid"}, seen_version=1, by=world.users["teacher"]
    )
    factories.PupilLogEntryFactory(pupil=world.pupil, notes="Gesprek met moeder")
    response = client_for("care_coordinator").get(
        reverse("trail:revision_list"), {"pupil": world.pupil.pk}
    )
    content = response.content.decode()
    assert "→ Snel afgeleid" in content
    assert "Groep 5" in content
    assert "Gesprek met moeder" in content
    assert "1 → 2" not in content  # the row's version is bookkeeping, not a change
