"""The command-line imports take the same path as the upload page."""

import pytest
from django.core.management import CommandError, call_command

from pupils.models import ImportRecord, Pupil
from pupils.models import TestResult as Result
from schools.models import School
from tests.pupils.test_imports import SAMPLES, _edexml


def _write(tmp_path, name, content: bytes):
    path = tmp_path / name
    path.write_bytes(content)
    return path


def test_dry_run_shows_the_plan_and_writes_nothing(world, tmp_path, capsys):
    path = _write(tmp_path, "export.xml", _edexml(world))
    call_command("import_edexml", str(path), "--dry-run")
    out = capsys.readouterr().out
    assert "Sanne de Vries" in out
    assert Pupil.objects.count() == 3
    assert not ImportRecord.objects.exists()


def test_command_imports_and_keeps_a_record(world, tmp_path):
    path = _write(tmp_path, "export.xml", _edexml(world))
    call_command("import_edexml", str(path), "--school", world.school.brin)
    record = ImportRecord.objects.get()
    assert (record.status, record.created_by, record.counts["pupils_created"]) == (
        "applied",
        None,
        8,
    )
    assert Pupil.objects.filter(las_key="RB-0001").exists()


def test_command_refuses_a_file_of_another_school(world, tmp_path):
    path = _write(tmp_path, "export.xml", _edexml(world))
    with pytest.raises(CommandError, match="11XX"):
        call_command("import_edexml", str(path), "--school", "11XX")
    assert not ImportRecord.objects.exists()


def test_command_creates_a_school_it_does_not_know(world, tmp_path):
    # This school year's file, for a BRIN code hgw does not know.
    content = _edexml(
        world, **{f"<brincode>{world.school.brin}</brincode>": "<brincode>99AA</brincode>"}
    )
    path = _write(tmp_path, "export.xml", content)
    call_command("import_edexml", str(path), "--board", "Stichting Nieuw", "--create-school-year")
    school = School.objects.get(brin="99AA")
    assert school.name == "Basisschool De Regenboog"
    assert school.pupils.count() == 8


def test_command_refuses_a_hostile_file(world, tmp_path):
    path = _write(tmp_path, "boom.xml", (SAMPLES / "billion_laughs.xml").read_bytes())
    with pytest.raises(CommandError, match="DTD"):
        call_command("import_edexml", str(path))


def test_command_with_problem_rows_applies_nothing(world, tmp_path):
    path = _write(tmp_path, "dup.xml", _edexml(world, "duplicate_keys.xml"))
    with pytest.raises(CommandError):
        call_command("import_edexml", str(path))
    assert Pupil.objects.count() == 3


def test_import_results_command(world, tmp_path):
    content = (
        "Leerlingnummer;Toets;Datum;Moment;Score;Niveau\n"
        f"{world.pupil.las_key};Cito Spelling;20-01-2026;M5;140,5;II\n"
    ).encode("cp1252")
    path = _write(tmp_path, "toetsen.csv", content)
    call_command("import_results", str(path), "--school", world.school.brin, "--dry-run")
    assert not Result.objects.exists()
    call_command("import_results", str(path), "--school", world.school.brin)
    assert Result.objects.get().score == pytest.approx(140.5)
    call_command("import_results", str(path), "--school", world.school.brin)  # twice: no change
    assert Result.objects.count() == 1


def test_import_results_names_missing_columns(world, tmp_path):
    path = _write(tmp_path, "x.csv", b"Naam;Cijfer\nSanne;7\n")
    with pytest.raises(CommandError, match="Naam, Cijfer"):
        call_command("import_results", str(path), "--school", world.school.brin)
