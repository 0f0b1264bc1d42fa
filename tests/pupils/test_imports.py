"""Imports through the pages a school uses: upload, (match columns,) preview, confirm."""

import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Role, User
from pupils.models import (
    ColumnMapping,
    Enrolment,
    Group,
    Guardian,
    ImportRecord,
    Pupil,
)
from pupils.models import (
    TestResult as Result,
)
from schools.models import SchoolYear

SAMPLES = Path(__file__).parent / "samples" / "edexml"


def _edexml(world, name="full_2_1.xml", **replace) -> bytes:
    """A sample file made to belong to the world's school and this school year."""
    content = (SAMPLES / name).read_bytes()  # bytes: some samples are not valid UTF-8
    year = SchoolYear.start_year_on(timezone.localdate())
    replace = {
        "<brincode>99AA</brincode>": f"<brincode>{world.school.brin}</brincode>",
        "<schooljaar>2026-2027</schooljaar>": f"<schooljaar>{year}-{year + 1}</schooljaar>",
    } | replace
    for old, new in replace.items():
        content = content.replace(old.encode(), new.encode())
    return content


def _upload(client, kind: str, content: bytes, name="export.xml"):
    return client.post(
        reverse("pupils:import_upload"),
        {"kind": kind, "file": SimpleUploadedFile(name, content)},
    )


def _confirm(client, record, capture):
    """Confirm, let the worker run (on commit), and open the import's page again."""
    with capture(execute=True):
        response = client.post(reverse("pupils:import_confirm", args=[record.pk]))
    if response.status_code != 302:
        return response
    return client.get(response["Location"])


@pytest.fixture
def ib(world, client_for):
    return client_for("care_coordinator")


def test_edexml_preview_then_confirm_creates_groups_pupils_and_staff(
    world, ib, django_capture_on_commit_callbacks
):
    response = _upload(ib, "edexml", _edexml(world))
    record = ImportRecord.objects.get()
    assert response["Location"] == reverse("pupils:import_detail", args=[record.pk])
    preview = ib.get(response["Location"])
    plan = preview.context["plan"]
    assert plan.counts["pupils_created"] == 8
    assert plan.counts["groups_created"] == 4
    assert Pupil.objects.filter(school=world.school).count() == 2  # nothing written yet
    assert "EDEXML bevat geen ouders" in preview.content.decode()

    page = _confirm(ib, record, django_capture_on_commit_callbacks)
    record.refresh_from_db()
    assert record.status == "applied", record.problems
    assert record.data == {}  # what was read of the file is gone once applied
    assert "is ingelezen" in page.content.decode()
    sanne = Pupil.objects.get(school=world.school, las_key="RB-0001")
    assert (sanne.given_name, sanne.name_prefix, sanne.family_name) == ("Sanne", "de", "Vries")
    assert sanne.enrolments.get().group.name == "Groep 3"
    assert sanne.history.get().history_user == world.users["care_coordinator"]
    combination = Group.objects.get(school=world.school, name="Groep 5/6")
    assert (combination.grade_low, combination.grade_high) == (5, 6)
    teacher = User.objects.get(email="a.devries@regenboog.example.nl")
    assert not teacher.has_usable_password()
    assert (
        Membership.objects.active()
        .filter(user=teacher, school=world.school, role=Role.TEACHER)
        .exists()
    )
    assert teacher.group_assignments.get().group.name == "Groep 3"


def test_edexml_never_stores_bsn_or_other_forbidden_data(
    world, ib, django_capture_on_commit_callbacks
):
    _upload(ib, "edexml", _edexml(world))
    record = ImportRecord.objects.get()
    for secret in ("123456782", "100000018", "987654326", "Teststraat", "Voorbeeldland"):
        assert secret not in str(record.data)
    _confirm(ib, record, django_capture_on_commit_callbacks)
    daan = Pupil.objects.get(las_key="RB-0002")
    stored = " ".join(str(v) for v in daan.history.values().first().values())
    assert "123456782" not in stored and "Teststraat" not in stored


def test_importing_the_same_file_twice_changes_nothing(
    world, ib, django_capture_on_commit_callbacks
):
    _upload(ib, "edexml", _edexml(world))
    _confirm(ib, ImportRecord.objects.get(), django_capture_on_commit_callbacks)
    revisions = Pupil.history.count()
    _upload(ib, "edexml", _edexml(world))
    second = ImportRecord.objects.latest("created_at")
    preview = ib.get(reverse("pupils:import_detail", args=[second.pk]))
    assert preview.context["plan"].changes == {}
    _confirm(ib, second, django_capture_on_commit_callbacks)
    second.refresh_from_db()
    assert (second.status, second.counts) == ("applied", {})
    assert Pupil.history.count() == revisions


def test_a_file_of_another_school_is_refused(world, ib):
    response = _upload(
        ib,
        "edexml",
        _edexml(
            world, **{f"<brincode>{world.school.brin}</brincode>": "<brincode>11XX</brincode>"}
        ),
    )
    assert response.status_code == 200
    assert "11XX" in response.context["form"].errors["file"][0]
    assert not ImportRecord.objects.exists()


@pytest.mark.parametrize(
    "sample, words",
    [
        ("billion_laughs.xml", "DTD"),
        ("external_entity.xml", "DTD"),
        ("not_xml.xml", "regel"),
        ("wrong_root.xml", "EDEX"),
        ("unsupported_version.xml", "versie"),
        ("latin1_declared_utf8.xml", "UTF-8"),
    ],
)
def test_hostile_or_broken_files_get_a_clear_message_and_change_nothing(world, ib, sample, words):
    pupils_before = Pupil.objects.count()
    response = _upload(ib, "edexml", _edexml(world, sample))
    assert response.status_code == 200
    message = response.context["form"].errors["file"][0]
    assert words in message, message
    assert Pupil.objects.count() == pupils_before
    assert not ImportRecord.objects.exists()


def test_a_too_large_upload_is_refused_before_reading(world, ib, settings):
    from pupils import forms

    settings_limit = forms.UPLOAD_LIMITS.copy()
    forms.UPLOAD_LIMITS["edexml"] = 100
    try:
        response = _upload(ib, "edexml", b"x" * 101)
    finally:
        forms.UPLOAD_LIMITS.clear()
        forms.UPLOAD_LIMITS.update(settings_limit)
    assert "te groot" in response.context["form"].errors["file"][0]


def test_problem_rows_block_the_import_until_skipped(world, ib, django_capture_on_commit_callbacks):
    _upload(ib, "edexml", _edexml(world, "duplicate_keys.xml"))
    record = ImportRecord.objects.get()
    preview = ib.get(reverse("pupils:import_detail", args=[record.pk]))
    assert preview.context["plan"].problems
    assert not preview.context["can_confirm"]
    page = _confirm(ib, record, django_capture_on_commit_callbacks)
    assert "Los eerst de problemen op" in page.content.decode()
    record.refresh_from_db()
    assert record.status == "preview"
    assert Pupil.objects.count() == 3

    ib.post(reverse("pupils:import_detail", args=[record.pk]), {"skip_problems": "on"})
    assert ib.get(reverse("pupils:import_detail", args=[record.pk])).context["can_confirm"]
    _confirm(ib, record, django_capture_on_commit_callbacks)
    record.refresh_from_db()
    assert record.status == "applied"
    assert record.problems  # the skipped rows stay listed on the import
    assert Pupil.objects.filter(las_key="RB-0001").count() == 1


def test_full_export_marks_missing_pupils_as_left_and_ends_missing_staff(
    world, ib, django_capture_on_commit_callbacks
):
    _upload(ib, "edexml", _edexml(world))
    record = ImportRecord.objects.get()
    ib.post(reverse("pupils:import_detail", args=[record.pk]), {"full": "on"})
    plan = ib.get(reverse("pupils:import_detail", args=[record.pk])).context["plan"]
    left = plan.changes["pupils_left"]
    assert any("Sanne de Vries" in line and "volledige export" in line for line in left)
    _confirm(ib, record, django_capture_on_commit_callbacks)
    world.pupil.refresh_from_db()
    assert world.pupil.date_out == timezone.localdate()
    assert not Enrolment.objects.running_on().filter(pupil=world.pupil).exists()
    assert (
        not Membership.objects.active()
        .filter(user=world.users["teacher"], school=world.school)
        .exists()
    )
    # The person importing and roles EDEXML does not speak for stay.
    assert Membership.objects.active().filter(user=world.users["care_coordinator"]).exists()
    assert Membership.objects.active().filter(user=world.users["school_admin"]).exists()


def test_a_partial_export_never_removes_anyone(world, ib, django_capture_on_commit_callbacks):
    content = _edexml(
        world,
        "pupils_only_2_1.xml",
        **{
            "<brincode>99CC</brincode>": f"<brincode>{world.school.brin}</brincode>",
            "<dependancecode>01</dependancecode>": "",
        },
    )
    _upload(ib, "edexml", content)
    _confirm(ib, ImportRecord.objects.get(), django_capture_on_commit_callbacks)
    world.pupil.refresh_from_db()
    assert world.pupil.date_out is None
    assert Membership.objects.active().filter(user=world.users["teacher"]).exists()


def test_a_new_school_year_is_created_only_when_confirmed(
    world, ib, django_capture_on_commit_callbacks
):
    year = SchoolYear.start_year_on(timezone.localdate()) + 1
    content = _edexml(world).replace(
        f"<schooljaar>{year - 1}-{year}</schooljaar>".encode(),
        f"<schooljaar>{year}-{year + 1}</schooljaar>".encode(),
    )
    _upload(ib, "edexml", content)
    record = ImportRecord.objects.get()
    preview = ib.get(reverse("pupils:import_detail", args=[record.pk]))
    assert preview.context["plan"].blockers
    ib.post(reverse("pupils:import_detail", args=[record.pk]), {"create_school_year": "on"})
    _confirm(ib, record, django_capture_on_commit_callbacks)
    record.refresh_from_db()
    assert record.status == "applied"
    new_year = SchoolYear.objects.get(start_year=year)
    assert new_year.periods.filter(school=world.school).count() == 2
    # Next year's groups start on its first day.
    sanne = Pupil.objects.get(las_key="RB-0001")
    assert sanne.enrolments.get().start_date == new_year.start_date


def test_a_pupil_who_changed_group_gets_a_new_enrolment(
    world, ib, django_capture_on_commit_callbacks
):
    _upload(ib, "edexml", _edexml(world))
    _confirm(ib, ImportRecord.objects.get(), django_capture_on_commit_callbacks)
    moved = _edexml(world).replace(
        b'<groep key="G3"/>\n      <instroomdatum>2023-03-14',
        b'<groep key="G8"/>\n      <instroomdatum>2023-03-14',
    )
    assert moved != _edexml(world)
    _upload(ib, "edexml", moved)
    second = ImportRecord.objects.latest("created_at")
    plan = ib.get(reverse("pupils:import_detail", args=[second.pk])).context["plan"]
    assert plan.changes["pupils_moved"] == ["Sanne de Vries: Groep 3 → Groep 8"]
    _confirm(ib, second, django_capture_on_commit_callbacks)
    sanne = Pupil.objects.get(las_key="RB-0001")
    assert [e.group.name for e in sanne.enrolments.order_by("pk")] == ["Groep 3", "Groep 8"]


def test_teacher_cannot_import(world, client_for):
    assert client_for("teacher").get(reverse("pupils:import_list")).status_code == 404


def test_an_import_of_another_school_is_not_found(
    world, client_for, django_capture_on_commit_callbacks
):
    ib = client_for("care_coordinator")
    _upload(ib, "edexml", _edexml(world))
    record = ImportRecord.objects.get()
    other = client_for("other_school_ib")
    assert other.get(reverse("pupils:import_detail", args=[record.pk])).status_code == 404
    assert other.post(reverse("pupils:import_confirm", args=[record.pk])).status_code == 404


# CSV ----------------------------------------------------------------------------------------

RESULTS_CSV = (
    "\ufeffLeerlingnummer;Toets;Datum;Moment;Vaardigheidsscore;Niveau\r\n"
    "{key};Cito Rekenen-Wiskunde;20-01-2026;M4;123,5;III\r\n"
    "{key};Cito Rekenen-Wiskunde;10-06-2026;E4;131;ii\r\n"
)


def test_results_csv_with_semicolons_bom_and_dutch_decimals(
    world, ib, django_capture_on_commit_callbacks
):
    content = RESULTS_CSV.format(key=world.pupil.las_key).encode("utf-8")
    response = _upload(ib, "results_csv", content, name="toetsen.csv")
    record = ImportRecord.objects.get()
    assert response["Location"] == reverse("pupils:import_columns", args=[record.pk])
    page = ib.get(response["Location"])
    form = page.context["form"]
    assert form["score"].initial == "Vaardigheidsscore"  # guessed from the Dutch header
    ib.post(response["Location"], {name: form[name].initial or "" for name in form.fields})
    preview = ib.get(reverse("pupils:import_detail", args=[record.pk]))
    assert preview.context["plan"].counts == {"results_created": 2}
    _confirm(ib, record, django_capture_on_commit_callbacks)
    results = list(Result.objects.filter(pupil=world.pupil).order_by("date_taken"))
    assert [(r.score, r.level, r.moment) for r in results] == [
        (pytest.approx(123.5), "III", "M4"),
        (131, "II", "E4"),
    ]
    assert (
        ColumnMapping.objects.get(school=world.school, kind="results_csv").columns["score"]
        == "vaardigheidsscore"
    )


def test_remembered_columns_are_used_for_the_next_file(world, ib):
    ColumnMapping.objects.create(
        school=world.school, kind="results_csv", columns={"score": "vs-rekenen", "pupil_key": "nr"}
    )
    content = b"nr,Toets,Datum,VS-Rekenen\nL1,AVI,1-2-2026,\n"
    _upload(ib, "results_csv", content, name="x.csv")
    record = ImportRecord.objects.get()
    assert record.options["columns"]["score"] == "VS-Rekenen"
    assert record.options["columns"]["pupil_key"] == "nr"


def test_results_csv_lists_every_bad_row_and_applies_nothing(
    world, ib, django_capture_on_commit_callbacks
):
    key = world.pupil.las_key
    content = (
        "Leerlingnummer;Toets;Datum;Score;Niveau\n"
        f"{key};Cito Rekenen-Wiskunde;20-01-2026;120;III\n"
        "ONBEKEND;Cito Rekenen-Wiskunde;20-01-2026;120;III\n"
        f"{key};Onbekende toets;20-01-2026;120;III\n"
        f"{key};Cito Spelling;31-02-2026;120;III\n"
        f"{key};Cito Spelling;20-01-2026;abc;III\n"
        f"{key};AVI;20-01-2026;;M9\n"
    ).encode("cp1252")
    _upload(ib, "results_csv", content, name="fout.csv")
    record = ImportRecord.objects.get()
    ib.post(
        reverse("pupils:import_columns", args=[record.pk]),
        record.options["columns"]
        | {
            f: record.options["columns"].get(f, "")
            for f in ("pupil_key", "instrument", "date_taken", "moment", "score", "level")
        },
    )
    plan = ib.get(reverse("pupils:import_detail", args=[record.pk])).context["plan"]
    assert sorted(p.row for p in plan.problems) == [3, 4, 5, 6, 7]
    _confirm(ib, record, django_capture_on_commit_callbacks)
    assert not Result.objects.exists()


def test_guardians_csv_adds_and_updates_guardians(world, ib, django_capture_on_commit_callbacks):
    key = world.pupil.las_key
    content = (
        "Leerlingnummer;Naam ouder;Relatie;Telefoon;E-mail;Gezag\n"
        f"{key};Anna de Vries;moeder;06-12345678;anna@example.nl;ja\n"
        f"{key};Kees de Vries;vader;;;nee\n"
    ).encode()
    _upload(ib, "guardians_csv", content, name="ouders.csv")
    record = ImportRecord.objects.get()
    columns = record.options["columns"]
    assert set(columns) == {"pupil_key", "name", "relation", "phone", "email", "parental_authority"}
    ib.post(reverse("pupils:import_columns", args=[record.pk]), columns)
    plan = ib.get(reverse("pupils:import_detail", args=[record.pk])).context["plan"]
    assert plan.counts == {"guardians_created": 1, "guardians_changed": 1}
    _confirm(ib, record, django_capture_on_commit_callbacks)
    anna = Guardian.objects.get(pupil=world.pupil, name="Anna de Vries")
    assert (anna.phone, anna.email, anna.relation) == ("06-12345678", "anna@example.nl", "mother")
    assert not Guardian.objects.get(name="Kees de Vries").has_parental_authority


def test_pupils_csv_for_schools_without_edexml(world, ib, django_capture_on_commit_callbacks):
    content = (
        "Leerlingnummer;Roepnaam;Tussenvoegsel;Achternaam;Geboortedatum;Geslacht;Groep\n"
        "N-1;Noor;van;Dijk;3-4-2016;V;Groep 5\n"
        f"{world.pupil.las_key};Sanne;de;Vries;17-5-2016;V;Groep 6\n"
    ).encode()
    _upload(ib, "pupils_csv", content, name="leerlingen.csv")
    record = ImportRecord.objects.get()
    ib.post(reverse("pupils:import_columns", args=[record.pk]), record.options["columns"])
    plan = ib.get(reverse("pupils:import_detail", args=[record.pk])).context["plan"]
    assert plan.changes["pupils_created"] == ["Noor van Dijk"]
    assert plan.changes["pupils_moved"] == ["Sanne de Vries: Groep 5 → Groep 6"]
    _confirm(ib, record, django_capture_on_commit_callbacks)
    noor = Pupil.objects.get(las_key="N-1")
    assert noor.enrolments.get().group == world.group


def test_a_column_used_twice_is_refused(world, ib):
    _upload(ib, "results_csv", RESULTS_CSV.format(key="L1").encode(), name="t.csv")
    record = ImportRecord.objects.get()
    response = ib.post(
        reverse("pupils:import_columns", args=[record.pk]),
        {"pupil_key": "Leerlingnummer", "instrument": "Leerlingnummer", "date_taken": "Datum"},
    )
    assert response.status_code == 200
    assert "al gebruikt" in str(response.context["form"].errors)


def test_cancelling_forgets_the_file(world, ib):
    _upload(ib, "edexml", _edexml(world))
    record = ImportRecord.objects.get()
    ib.post(reverse("pupils:import_cancel", args=[record.pk]))
    record.refresh_from_db()
    assert (record.status, record.data) == ("cancelled", {})


def test_import_list_is_paginated(world, ib):
    for n in range(30):
        ImportRecord.objects.create(
            school=world.school, kind="edexml", file_name=f"{n}.xml", status="cancelled"
        )
    response = ib.get(reverse("pupils:import_list"))
    assert len(response.context["page"].object_list) == 25


def test_groups_made_by_hand_are_matched_by_name_without_moving_anyone(
    world, ib, django_capture_on_commit_callbacks
):
    """The world's "Groep 5" has no key yet; a file naming it must not move its pupils."""
    content = _edexml(
        world,
        **{
            "<naam>Groep 3</naam>": "<naam>Groep 5</naam>",
            'key="RB-0001"': f'key="{world.pupil.las_key}"',
        },
    )
    _upload(ib, "edexml", content)
    record = ImportRecord.objects.get()
    plan = ib.get(reverse("pupils:import_detail", args=[record.pk])).context["plan"]
    assert "pupils_moved" not in plan.changes
    assert any("Groep 5" in line for line in plan.changes["groups_changed"])
    _confirm(ib, record, django_capture_on_commit_callbacks)
    world.group.refresh_from_db()
    assert world.group.las_key == "G3"
    assert world.pupil.enrolments.count() == 1  # still the one enrolment, not restarted
    _upload(ib, "edexml", content)
    again = ImportRecord.objects.latest("created_at")
    assert ib.get(reverse("pupils:import_detail", args=[again.pk])).context["plan"].changes == {}


def test_imported_results_point_to_their_import(world, ib, django_capture_on_commit_callbacks):
    content = RESULTS_CSV.format(key=world.pupil.las_key).encode("utf-8")
    _upload(ib, "results_csv", content, name="toetsen.csv")
    record = ImportRecord.objects.get()
    ib.post(reverse("pupils:import_columns", args=[record.pk]), record.options["columns"])
    _confirm(ib, record, django_capture_on_commit_callbacks)
    assert set(Result.objects.values_list("import_record", flat=True)) == {record.pk}


def test_an_edexml_2_0_file_imports_too(world, ib, django_capture_on_commit_callbacks):
    content = _edexml(
        world,
        "simple_2_0.xml",
        **{"<brincode>99BB</brincode>": f"<brincode>{world.school.brin}</brincode>"},
    )
    _upload(ib, "edexml", content)
    record = ImportRecord.objects.get()
    plan = ib.get(reverse("pupils:import_detail", args=[record.pk])).context["plan"]
    # The sample's teacher J. Dekker has no e-mail address: the one problem of the file.
    assert [p.row for p in plan.problems] == [45]
    ib.post(reverse("pupils:import_detail", args=[record.pk]), {"skip_problems": "on"})
    _confirm(ib, record, django_capture_on_commit_callbacks)
    record.refresh_from_db()
    assert record.status == "applied", record.problems
    assert record.counts["pupils_created"] >= 1
    assert "Dekker" in record.problems[0]["message"]


def test_a_standard_edexml_2_1_file_with_a_plusklas_imports(
    world, ib, django_capture_on_commit_callbacks
):
    """The standard puts the Plusklas (a samengestelde groep) inside <groepen>: nothing is
    refused, and the pupils in it are enrolled in it beside their own group."""
    _upload(ib, "edexml", _edexml(world, "standard_2_1.xml"))
    record = ImportRecord.objects.get()
    plan = ib.get(reverse("pupils:import_detail", args=[record.pk])).context["plan"]
    assert plan.problems == []
    _confirm(ib, record, django_capture_on_commit_callbacks)
    record.refresh_from_db()
    assert record.status == "applied", record.problems
    fatima = Pupil.objects.get(school=world.school, las_key="ST-0001")
    assert sorted((e.kind, e.group.name) for e in fatima.enrolments.all()) == [
        ("composed", "Plusklas"),
        ("main", "Groep 5"),
    ]
    lucas = Pupil.objects.get(school=world.school, las_key="ST-0002")
    assert [e.group.name for e in lucas.enrolments.all()] == ["Groep 5"]


def test_a_pupil_leaving_later_keeps_the_group_until_that_day(
    world, ib, django_capture_on_commit_callbacks
):
    leaving = timezone.localdate() + datetime.timedelta(days=30)
    content = _edexml(
        world,
        **{
            "<instroomdatum>2023-03-14</instroomdatum>": (
                f"<instroomdatum>2023-03-14</instroomdatum><uitstroomdatum>{leaving.isoformat()}</uitstroomdatum>"
            )
        },
    )
    _upload(ib, "edexml", content)
    _confirm(ib, ImportRecord.objects.get(), django_capture_on_commit_callbacks)
    sanne = Pupil.objects.get(las_key="RB-0001")
    assert sanne.date_out == leaving
    assert Enrolment.objects.running_on().get(pupil=sanne).end_date == leaving
    assert not Enrolment.objects.running_on(leaving).filter(pupil=sanne).exists()
    _upload(ib, "edexml", content)
    again = ImportRecord.objects.latest("created_at")
    assert ib.get(reverse("pupils:import_detail", args=[again.pk])).context["plan"].changes == {}
