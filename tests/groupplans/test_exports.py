"""The group overview on paper: the print page, the PDF (A4 landscape, page furniture on every
page) and the XLSX workbook (a row per pupil, no formulas), for exactly its readers, logged."""

import datetime
import io
import re
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from openpyxl import load_workbook

from audit.models import AccessLogEntry
from groupplans import actions
from groupplans.models import OverviewRow
from pupils.models import Enrolment, LogKind
from tests import factories
from tests.groupplans.conftest import add_pupils, add_result

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _nl(message: str) -> str:
    with translation.override("nl"):
        return translation.gettext(message)


def _label(name: str) -> str:
    """A column's header as the Dutch interface shows it."""
    with translation.override("nl"):
        return capfirst(str(OverviewRow._meta.get_field(name).verbose_name))


def _url(kind: str, overview) -> str:
    return reverse(f"groupplans:overview_{kind}", kwargs={"pk": overview.pk})


def _save(overview, pupil, by, **values) -> OverviewRow:
    row = overview.rows.get(pupil=pupil)
    return actions.save_row(row=row, values=values, seen_version=row.version, by=by)


def _pdf_text(content: bytes, tmp_path) -> str:
    """The PDF's text, pages separated by form feeds, with the lines a cell wrapped (and the
    hyphens WeasyPrint added) joined again."""
    path = tmp_path / "overview.pdf"
    path.write_bytes(content)
    result = subprocess.run(["/usr/bin/pdftotext", str(path), "-"], capture_output=True, check=True)
    text = re.sub("\u2010\\s+", "", result.stdout.decode())
    return "\f".join(" ".join(page.split()) for page in text.split("\f"))


def _pdf_info(content: bytes, tmp_path) -> dict[str, str]:
    path = tmp_path / "info.pdf"
    path.write_bytes(content)
    result = subprocess.run(
        ["/usr/bin/pdfinfo", "-box", str(path)], capture_output=True, check=True, text=True
    )
    return dict(
        (key.strip(), value.strip())
        for key, value in (line.split(":", 1) for line in result.stdout.splitlines() if ":" in line)
    )


def _sheet(response):
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Groepsoverzicht"]
    return workbook["Groepsoverzicht"]


def _header_row(sheet) -> int:
    return next(row[0].row for row in sheet.iter_rows() if row[0].value == _nl("Pupil"))


def _sheet_rows(sheet) -> tuple[list[str], list[list]]:
    header = _header_row(sheet)
    names = [cell.value for cell in sheet[header]]
    rows = [
        [cell.value for cell in row] for row in sheet.iter_rows(min_row=header + 1) if row[0].value
    ]
    return names, rows


@pytest.fixture
def filled(world, overview, maths, period):
    """The overview with Sanne's row filled in, signalled, with a result and a log entry."""
    teacher = world.users["teacher"]
    add_result(world.pupil, maths, period.start_date + datetime.timedelta(days=20), "212", "IV")
    factories.PupilLogEntryFactory(
        pupil=world.pupil, kind=LogKind.PARENTS, date=period.start_date + datetime.timedelta(5)
    )
    _save(
        overview,
        world.pupil,
        teacher,
        notes_parents="Ouders lezen thuis mee",
        stimulating="Leest graag",
        hindering="Snel afgeleid",
        signalled=True,
        signal_reason="Rekenen daalt",
        need_instruction="verlengde instructie",
        specific_needs="tafels automatiseren",
    )
    return overview


# Who may export ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["print", "pdf", "xlsx"])
@pytest.mark.parametrize("persona", ["teacher", "care_coordinator", "director"])
def test_the_overviews_readers_may_export(world, overview, client_for, kind, persona):
    assert client_for(persona).get(_url(kind, overview)).status_code == 200


@pytest.mark.parametrize("kind", ["print", "pdf", "xlsx"])
@pytest.mark.parametrize("persona", ["other_teacher", "school_admin", "other_school_ib"])
def test_others_get_404(world, overview, client_for, kind, persona):
    assert client_for(persona).get(_url(kind, overview)).status_code == 404


@pytest.mark.parametrize("kind", ["print", "pdf", "xlsx"])
def test_each_export_is_logged_with_its_pupils(world, overview, client_for, kind):
    client_for("director").get(_url(kind, overview))
    entry = AccessLogEntry.objects.latest("pk")
    assert entry.what == f"groupplans:overview_{kind}"
    assert entry.user == world.users["director"]
    assert list(entry.pupils.values_list("pupil_id", flat=True)) == [world.pupil.pk]


@pytest.mark.parametrize("kind", ["print", "pdf", "xlsx"])
def test_no_export_is_stored_in_a_cache(world, overview, client_for, kind):
    response = client_for("teacher").get(_url(kind, overview))
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("kind", "content_type"), [("pdf", "application/pdf"), ("xlsx", XLSX_TYPE)]
)
def test_files_download_named_after_group_and_period(
    world, overview, client_for, kind, content_type
):
    response = client_for("teacher").get(_url(kind, overview))
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == (
        f'attachment; filename="groepsoverzicht-groep-5-periode-1.{kind}"'
    )
    assert "Vries" not in response["Content-Disposition"]


def test_the_grid_links_to_the_exports(world, overview, client_for):
    page = client_for("teacher").get(
        reverse("groupplans:overview_detail", kwargs={"pk": overview.pk})
    )
    html = page.content.decode()
    for kind in ("print", "pdf", "xlsx"):
        assert f'href="{_url(kind, overview)}"' in html
    assert f">{_nl('Print')}<" in html and ">PDF<" in html and ">Excel<" in html


@pytest.mark.parametrize("kind", ["print", "pdf", "xlsx"])
def test_the_exports_read_a_fixed_number_of_queries(world, filled, period, maths, client_for, kind):
    client = client_for("teacher")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(_url(kind, filled)).status_code == 200
        return len(captured)

    few = queries()
    for pupil in add_pupils(world.group, 4, period.start_date):
        add_result(pupil, maths, period.start_date + datetime.timedelta(days=9), "230", "II")
        factories.PupilLogEntryFactory(pupil=pupil, date=period.start_date)
    actions.add_missing_rows(filled, world.users["teacher"])
    assert queries() == few


# The PDF -----------------------------------------------------------------------------------


def test_the_pdf_is_a4_landscape_with_its_page_furniture(world, filled, client_for, tmp_path):
    response = client_for("teacher").get(_url("pdf", filled))
    assert response.content.startswith(b"%PDF-")
    info = _pdf_info(response.content, tmp_path)
    # A4 landscape: 297 x 210 mm is 841.89 x 595.28 pt.
    width, height = (float(n) for n in re.findall(r"[\d.]+", info["Page size"])[:2])
    assert (round(width), round(height)) == (842, 595)
    text = _pdf_text(response.content, tmp_path)
    pages = int(info["Pages"])
    assert f"Pagina 1 van {pages}" in text
    # In every page's header (in capitals, as in the pupil export).
    assert text.count("VERTROUWELIJK") == pages
    assert "De Regenboog" in text
    assert "Groepsoverzicht Groep 5" in text
    assert "Periode 1" in text
    assert _nl("Printed on %(date)s").split("%(date)s")[0].strip() in text


def test_the_first_page_has_the_questions_and_the_status(world, filled, client_for, tmp_path):
    actions.send_overview(
        overview=filled,
        questions="Hoe helpen we de rekenzwakke groep?",
        by=world.users["teacher"],
        notify=False,
    )
    text = _pdf_text(client_for("teacher").get(_url("pdf", filled)).content, tmp_path)
    first = text.split("\f")[0]
    assert _nl("Questions and points for discussion") in first
    assert "Hoe helpen we de rekenzwakke groep?" in first
    sent = _nl("Sent to the care coordinator by %(name)s on %(date)s").split("%(name)s")[0]
    assert f"{sent.strip()} Teacher" in first


def test_the_pdf_shows_the_rows(world, filled, client_for, tmp_path):
    text = _pdf_text(client_for("teacher").get(_url("pdf", filled)).content, tmp_path)
    for expected in (
        "Vries, Sanne de",
        "Leest graag",
        "Snel afgeleid",
        "Ouders lezen thuis mee",
        "Rekenen daalt",
        "verlengde instructie",
        "tafels automatiseren",
        "212",
    ):
        assert expected in text


def test_the_pdf_marks_pupils_who_left(world, filled, period, client_for, tmp_path):
    Enrolment.objects.filter(pupil=world.pupil).update(
        end_date=period.start_date + datetime.timedelta(30)
    )
    text = _pdf_text(client_for("teacher").get(_url("pdf", filled)).content, tmp_path)
    left_on = _nl("left the group on %(date)s").split("%(date)s")[0].strip()
    assert left_on in text


def test_the_pdf_escapes_what_people_typed(world, overview, client_for, tmp_path):
    _save(overview, world.pupil, world.users["teacher"], stimulating="<b>Leest</b> & <i>")
    text = _pdf_text(client_for("teacher").get(_url("pdf", overview)).content, tmp_path)
    assert "<b>Leest</b> & <i>" in text


def test_the_pdf_grows_with_the_group(world, overview, period, client_for, tmp_path):
    one = int(
        _pdf_info(client_for("teacher").get(_url("pdf", overview)).content, tmp_path)["Pages"]
    )
    add_pupils(world.group, 29, period.start_date)
    actions.add_missing_rows(overview, world.users["teacher"])
    for row in overview.rows.select_related("pupil"):
        _save(
            overview,
            row.pupil,
            world.users["teacher"],
            stimulating="Werkt zelfstandig en plant goed. " * 3,
            hindering="Snel afgeleid bij drukte in de klas. " * 3,
        )
    response = client_for("teacher").get(_url("pdf", overview))
    info = _pdf_info(response.content, tmp_path)
    assert int(info["Pages"]) > one
    text = _pdf_text(response.content, tmp_path)
    assert f"Pagina {info['Pages']} van {info['Pages']}" in text
    assert text.count("Kind28") == 1


def test_a_row_taller_than_a_page_breaks_across_pages(world, overview, client_for, tmp_path):
    # Kept whole, it would leave the first page without the table and the next without a head.
    stimulating = "Lange notitie over de aanpak in de klas. " * 150
    _save(overview, world.pupil, world.users["teacher"], stimulating=stimulating)
    text = _pdf_text(client_for("teacher").get(_url("pdf", overview)).content, tmp_path)
    *collect, _needs, _end = text.split("\f")
    assert len(collect) > 2
    assert "Vries, Sanne de" in collect[0]
    assert all(_nl("Pupil") in page for page in collect)


# The XLSX workbook -------------------------------------------------------------------------


def test_the_workbook_has_a_row_per_pupil_with_the_saved_values(world, filled, period, client_for):
    other = add_pupils(world.group, 1, period.start_date)[0]
    actions.add_missing_rows(filled, world.users["teacher"])
    response = client_for("teacher").get(_url("xlsx", filled))
    assert response["Content-Type"] == XLSX_TYPE
    sheet = _sheet(response)
    title = [sheet.cell(row=n, column=1).value for n in range(1, 6)]
    assert title[0] == "De Regenboog"
    assert title[1] == "Groepsoverzicht Groep 5"
    assert "Periode 1" in title[2]
    assert title[3].startswith("Status: ")
    assert title[4] == "Vertrouwelijk"
    names, rows = _sheet_rows(sheet)
    assert len(rows) == 2
    sanne = dict(zip(names, next(r for r in rows if r[0] == "Vries, Sanne de"), strict=True))
    assert sanne[_label("stimulating")] == "Leest graag"
    assert sanne[_label("hindering")] == "Snel afgeleid"
    assert sanne[_label("notes_parents")] == "Ouders lezen thuis mee"
    assert sanne[_label("signalled")] == _nl("yes")
    assert sanne[_label("signal_reason")] == "Rekenen daalt"
    assert sanne[_label("need_instruction")] == "verlengde instructie"
    assert sanne[_label("specific_needs")] == "tafels automatiseren"
    assert sanne[_nl("Latest test results")] == "Rekenen-Wiskunde: 212 IV"
    assert any(r[0] == other.sort_name for r in rows)


def test_the_workbook_is_laid_out_for_reading(world, filled, client_for):
    sheet = _sheet(client_for("teacher").get(_url("xlsx", filled)))
    header = _header_row(sheet)
    assert sheet.freeze_panes == f"B{header + 1}"
    assert sheet.auto_filter.ref.startswith(f"A{header}:")
    assert all(cell.font.b for cell in sheet[header])
    assert sheet.cell(row=header + 1, column=5).alignment.wrap_text
    assert sheet.column_dimensions["A"].width >= 20


@pytest.mark.parametrize(
    "value", ['=HYPERLINK("http://evil.example","klik")', "+1+2", "-2+3", "@SUM(A1)", "\t=1+1"]
)
def test_the_workbook_runs_no_formula(world, overview, client_for, value):
    _save(overview, world.pupil, world.users["teacher"], stimulating=value)
    sheet = _sheet(client_for("teacher").get(_url("xlsx", overview)))
    names, _rows = _sheet_rows(sheet)
    cell = sheet.cell(row=_header_row(sheet) + 1, column=names.index(_label("stimulating")) + 1)
    assert cell.data_type == "s"
    assert cell.quotePrefix
    assert cell.value == value


def test_the_workbook_drops_characters_a_spreadsheet_refuses(world, overview, client_for):
    # Pasted from a word processor: a vertical tab and an escape (PostgreSQL itself refuses NUL).
    _save(overview, world.pupil, world.users["teacher"], hindering="Snel\x0b afgeleid\x1b")
    sheet = _sheet(client_for("teacher").get(_url("xlsx", overview)))
    names, rows = _sheet_rows(sheet)
    assert rows[0][names.index(_label("hindering"))] == "Snel afgeleid"


# The print page ----------------------------------------------------------------------------


def test_the_print_page_shows_what_the_pdf_shows(world, filled, client_for):
    response = client_for("teacher").get(_url("print", filled))
    html = response.content.decode()
    for expected in (
        "Vries, Sanne de",
        "Leest graag",
        "Snel afgeleid",
        "Ouders lezen thuis mee",
        "Rekenen daalt",
        "verlengde instructie",
        "tafels automatiseren",
        "Vertrouwelijk",
        "De Regenboog",
    ):
        assert expected in html
    assert "css/overview-print" in html
    assert 'class="navbar' not in html
    assert "<script" not in html and "style=" not in html  # CSP: no inline style or script


def test_paper_shows_the_plan_outcome_of_pupils_who_are_not_signalled(world, overview, client_for):
    from groupplans.models import OverviewRow

    row = OverviewRow.objects.get(overview=overview, pupil=world.pupil)
    actions.save_row(
        row=row,
        values={"specific_needs": "Rekenen, middengroep: behaald."},
        seen_version=1,
        by=None,
    )
    page = client_for("teacher").get(
        reverse("groupplans:overview_print", kwargs={"pk": overview.pk})
    )
    content = page.content.decode()
    assert "Uitkomsten van het vorige groepsplan" in content
    assert "Rekenen, middengroep: behaald." in content
