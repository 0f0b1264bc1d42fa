"""The demo's files round trip: `seed_demo`, `demo_files`, and the files imported elsewhere.

The files `demo_files` writes are what a school's administration system and LVS would export.
Imported through the ordinary import pipeline into a new school (the same file with another
BRIN code), they must give that school the same pupils, groups, teachers and results as the
demo school, and importing them once more must change nothing.
"""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone

from accounts.models import Membership
from pupils.csvfiles import read_csv
from pupils.csvimports import guess_columns
from pupils.edexml import parse_edexml
from pupils.imports import ROLES_IN_EDEXML, apply_record, set_columns, set_options, start_import
from pupils.management.commands.demo_files import (
    EDEXML_FILE,
    RESULTS_FILE,
    RESULTS_HEADERS,
    dutch_decimal,
    split_full_name,
)
from pupils.models import (
    Enrolment,
    EnrolmentKind,
    Group,
    GroupTeacherAssignment,
    ImportKind,
    ImportRecord,
    ImportStatus,
    Instrument,
    Pupil,
)
from pupils.models import TestResult as Result
from schools.models import School, SchoolYear

COPY_BRIN = "98ZZ"


def run(command: str, *args: str) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(db, tmp_path):
    """The demo school with its files written to tmp_path."""
    run("seed_demo")
    school = School.objects.get(brin="99AA", dependance_code="")
    # One score with decimals, to see the decimal comma go out and come back.
    pupil = Pupil.objects.filter(school=school, results__isnull=False).order_by("las_key")[0]
    result = pupil.results.exclude(score=None).order_by("date_taken")[0]
    result.score = Decimal("71.5")
    result.save(update_fields=["score"])
    run("demo_files", str(tmp_path))
    return school


def snapshot(school: School) -> dict:
    """What an import carries over, keyed by what the files key it by."""
    today = timezone.localdate()
    year = SchoolYear.current(today)
    pupils = Pupil.objects.filter(school=school).filter(
        Q(date_out__isnull=True) | Q(date_out__gt=today)
    )
    running = Enrolment.objects.running_on(today).filter(pupil__in=pupils).select_related("pupil")
    return {
        "pupils": {
            p.las_key: (
                p.given_name,
                p.name_prefix,
                p.family_name,
                p.date_of_birth,
                p.sex,
                p.eck_id,
                p.date_in,
            )
            for p in pupils
        },
        "groups": sorted(
            (g.name, g.grade_low, g.grade_high)
            for g in Group.objects.filter(school=school, school_year=year)
        ),
        "main": sorted(
            (e.pupil.las_key, e.group.name)
            for e in running.filter(kind=EnrolmentKind.MAIN).select_related("group")
        ),
        "composed": sorted(
            (e.pupil.las_key, e.group.name)
            for e in running.filter(kind=EnrolmentKind.COMPOSED).select_related("group")
        ),
        "assignments": sorted(
            (a.teacher.email, a.group.name)
            for a in GroupTeacherAssignment.objects.filter(
                group__school=school, group__school_year=year
            ).select_related("teacher", "group")
            if a.is_running_on(today)
        ),
        "roles": sorted(
            (m.user.email, m.role)
            for m in Membership.objects.active(today)
            .filter(school=school, role__in=ROLES_IN_EDEXML)
            .select_related("user")
        ),
        "results": sorted(
            (
                r.pupil.las_key,
                r.instrument.name,
                r.date_taken,
                r.moment,
                r.score,
                r.level,
            )
            for r in Result.objects.filter(pupil__in=pupils).select_related("pupil", "instrument")
        ),
    }


def import_edexml(school: School, data: bytes) -> ImportRecord:
    record = start_import(
        kind=ImportKind.EDEXML, data=data, file_name=EDEXML_FILE, school=school, by=None
    )
    set_options(record=record, options={"full": True})
    return apply_record(record.pk)


def import_results(school: School, data: bytes) -> ImportRecord:
    record = start_import(
        kind=ImportKind.RESULTS_CSV, data=data, file_name=RESULTS_FILE, school=school, by=None
    )
    columns = guess_columns(ImportKind.RESULTS_CSV, record.data["headers"], school)
    assert set(columns) == {"pupil_key", "instrument", "date_taken", "moment", "score", "level"}
    set_columns(record=record, columns=columns)
    return apply_record(record.pk)


def test_demo_results_and_files(demo, tmp_path):
    # The demo's results: a plausible history, through the ORM.
    pupils = Pupil.objects.filter(school=demo)
    results = Result.objects.filter(pupil__in=pupils)
    today = timezone.localdate()
    assert results.count() > 2000
    assert not results.filter(date_taken__gt=today).exists()
    # Written one by one: the revision history holds the creation of each.
    created = Result.history.filter(id__in=results.values("pk"), history_type="+")
    assert created.count() == results.count()
    # Every result's level fits its instrument.
    for instrument in Instrument.objects.filter(results__pupil__school=demo).distinct():
        levels = set(results.filter(instrument=instrument).values_list("level", flat=True))
        assert levels <= set(instrument.levels), instrument
    # A rising scale: the median grade 7 score is far above the median grade 3 score.
    rekenen = results.filter(instrument__name="Cito Rekenen-Wiskunde")
    m3 = sorted(rekenen.filter(moment="M3").values_list("score", flat=True))
    m7 = sorted(rekenen.filter(moment="M7").values_list("score", flat=True))
    assert m3 and m7 and m7[len(m7) // 2] > m3[len(m3) // 2] + 40
    # The other demo school gets none.
    assert not Result.objects.filter(pupil__school__brin="99BB").exists()

    # The files read back as the imports read them.
    original = snapshot(demo)
    edex = parse_edexml((tmp_path / EDEXML_FILE).read_bytes())

    assert edex.problems == []
    assert (edex.version, edex.school.brin, edex.school.dependance_code) == ("2.1", "99AA", "")
    assert edex.school.name == "De Regenboog"
    assert edex.school.school_year_start == SchoolYear.current(timezone.localdate()).start_year
    assert sorted(g.name for g in edex.groups) == [f"Groep {n}" for n in range(1, 9)]
    assert [g.grade for g in sorted(edex.groups, key=lambda g: g.name)] == [
        str(n) for n in range(1, 9)
    ]
    assert [g.name for g in edex.composed_groups] == ["Plusklas"]
    assert {p.key for p in edex.pupils} == set(original["pupils"])
    assert sum(1 for p in edex.pupils if p.composed_group_keys) == len(original["composed"])
    by_email = {t.email: t for t in edex.teachers}
    assert by_email["leerkracht2@demo.hgw.nl"].full_name == "Mark de Boer"
    assert by_email["leerkracht2@demo.hgw.nl"].roles == ("LRK",)
    assert by_email["ib@demo.hgw.nl"].roles == ("IB",)
    assert by_email["directeur@demo.hgw.nl"].roles == ("DIR",)
    assert len(edex.teachers) == 10  # 8 group teachers, the IB and the director

    data = (tmp_path / RESULTS_FILE).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    table = read_csv(data)
    assert (table.delimiter, table.encoding, table.problems) == (";", "utf-8-sig", [])
    assert tuple(table.headers) == RESULTS_HEADERS
    assert len(table.rows) == len(original["results"])
    assert any(row.values["Score"] == "71,5" for row in table.rows)
    assert all(len(row.values["Datum"]) == 10 for row in table.rows)


def test_demo_files_round_trip_into_a_new_school(demo, tmp_path):
    copy = School.objects.create(board=demo.board, name="Kopie", brin=COPY_BRIN)
    xml = (tmp_path / EDEXML_FILE).read_bytes()
    assert xml.count(b"<brincode>99AA</brincode>") == 1
    xml = xml.replace(b"<brincode>99AA</brincode>", f"<brincode>{COPY_BRIN}</brincode>".encode())
    csv_data = (tmp_path / RESULTS_FILE).read_bytes()

    edex_record = import_edexml(copy, xml)
    assert (edex_record.status, edex_record.problems) == (ImportStatus.APPLIED, [])
    results_record = import_results(copy, csv_data)
    assert (results_record.status, results_record.problems) == (ImportStatus.APPLIED, [])

    original, copied = snapshot(demo), snapshot(copy)
    assert len(copied["pupils"]) == len(original["pupils"]) > 150
    assert len(copied["groups"]) == len(original["groups"]) == 9
    assert len(copied["assignments"]) == len(original["assignments"]) == 8
    assert len(copied["results"]) == len(original["results"])
    assert edex_record.counts["pupils_created"] == len(original["pupils"])
    assert results_record.counts == {"results_created": len(original["results"])}
    for part in original:
        assert copied[part] == original[part], part

    # One pupil in detail: a pupil of the Plusklas.
    key = original["composed"][0][0]
    source = Pupil.objects.get(school=demo, las_key=key)
    target = Pupil.objects.get(school=copy, las_key=key)
    for name in ("given_name", "name_prefix", "family_name", "date_of_birth", "sex", "date_in"):
        assert getattr(target, name) == getattr(source, name), name
    assert target.pk != source.pk
    assert sorted(
        target.enrolments.running_on(timezone.localdate()).values_list("group__name", flat=True)
    ) == sorted(
        source.enrolments.running_on(timezone.localdate()).values_list("group__name", flat=True)
    )
    assert Result.objects.filter(pupil__school=copy, score=Decimal("71.5")).count() == 1
    # The teachers are the same people, now also at the copy.
    teacher = Membership.objects.get(school=copy, user__email="leerkracht@demo.hgw.nl")
    assert teacher.role == "teacher"

    # The same files once more: nothing to do.
    again = import_edexml(copy, xml)
    assert (again.status, again.counts, again.problems) == (ImportStatus.APPLIED, {}, [])
    again = import_results(copy, csv_data)
    assert (again.status, again.counts, again.problems) == (ImportStatus.APPLIED, {}, [])
    assert snapshot(copy) == copied


@pytest.mark.parametrize(
    ("full_name", "parts"),
    [
        ("Mark de Boer", ("Mark", "de", "Boer")),
        ("Anouk van Dijk", ("Anouk", "van", "Dijk")),
        ("Fatima El Amrani", ("Fatima", "", "El Amrani")),
        ("Jan van der Berg-de Vries", ("Jan", "van der", "Berg-de Vries")),
        ("Kees in 't Veld", ("Kees", "in 't", "Veld")),
        ("Tom van", ("Tom", "", "van")),
        ("Platformbeheer", ("", "", "Platformbeheer")),
    ],
)
def test_split_full_name(full_name, parts):
    assert split_full_name(full_name) == parts


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, ""), (Decimal("57.00"), "57"), (Decimal("110.00"), "110"), (Decimal("71.50"), "71,5")],
)
def test_dutch_decimal(value, text):
    assert dutch_decimal(value) == text
