"""The group overview on paper: a page to print from the browser, a PDF, and an XLSX workbook.

All three show what the grid shows (`grid.build`) to exactly the people who may open the
overview, and note its pupils so the access log records the read. The files are named after
the group and the period, never after a pupil.
"""

import io
import math

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from groupplans import grid
from groupplans.forms import STEPS
from groupplans.models import NEED_ASPECTS, SOURCE_FIELDS, GroupOverview, OverviewRow
from hgw import access
from hgw.downloads import attachment
from hgw.pdf import render_pdf, static_file_url

PRINT_STYLESHEET = "css/overview-print.css"


def _overview_rows(request: HttpRequest, pk: int) -> tuple[GroupOverview, list[grid.GridRow]]:
    overview = access.get_overview_or_404(request, pk)
    rows = grid.build(overview)
    access.note_pupils(request, [g.pupil for g in rows])
    return overview, rows


def _field_label(name: str) -> str:
    return capfirst(str(OverviewRow._meta.get_field(name).verbose_name))


# A text column of the PDF holds about this many characters a line, and a page about this
# many lines of a row (A4 landscape, 7pt; see css/overview-print.css).
PAPER_CHARS_PER_LINE = 15
PAPER_LINES_PER_PAGE = 45


def _lines(value, width: int = PAPER_CHARS_PER_LINE) -> int:
    """Roughly how many lines a cell's text takes in a column `width` characters wide."""
    if not isinstance(value, str) or not value:
        return 1
    return sum(max(1, math.ceil(len(line) / width)) for line in value.splitlines())


def _paper_context(overview: GroupOverview, rows: list[grid.GridRow]) -> dict:
    """What the print page and the PDF show: the rows with their sources' notes and needs.
    A row too tall for one page is marked long: it may break across pages."""
    for item in rows:
        row = item.row
        item.paper_sources = [
            (getattr(row, name), entries, more) for name, _label, entries, more in item.sources()
        ]
        item.paper_needs = [getattr(row, name) for name, _label in NEED_ASPECTS] + [
            row.specific_needs
        ]
        # A pupil-log entry takes about five lines (its date and up to 70 characters).
        tallest = max(
            [
                _lines(value) + 5 * (len(entries) + bool(more))
                for value, entries, more in item.paper_sources
            ]
            + [_lines(row.stimulating), _lines(row.hindering), _lines(row.signal_reason) + 2]
        )
        item.paper_long = tallest > PAPER_LINES_PER_PAGE
        item.paper_needs_long = max(map(_lines, item.paper_needs)) > PAPER_LINES_PER_PAGE
    return {
        "overview": overview,
        "school": overview.group.school,
        "rows": rows,
        "signalled": [g for g in rows if g.row.signalled],
        "outcomes_of_others": [g for g in rows if not g.row.signalled and g.row.specific_needs],
        "step_titles": [str(title) for title, _fields in STEPS.values()],
        "source_labels": [capfirst(str(label)) for _name, label, _kind in SOURCE_FIELDS],
        "factor_labels": [_field_label("stimulating"), _field_label("hindering")],
        "need_labels": [capfirst(str(label)) for _name, label in NEED_ASPECTS]
        + [_field_label("specific_needs")],
        "printed_on": timezone.localdate(),
    }


def _filename(overview: GroupOverview, extension: str) -> str:
    group = slugify(overview.group.name) or f"groep-{overview.group.pk}"
    return f"groepsoverzicht-{group}-periode-{overview.period.number}.{extension}"


# The print page -----------------------------------------------------------------------------


def overview_print(request: HttpRequest, pk: int) -> HttpResponse:
    overview, rows = _overview_rows(request, pk)
    return render(request, "groupplans/overview_print.html", _paper_context(overview, rows))


# The PDF ------------------------------------------------------------------------------------


def _css_string(text: str) -> str:
    """`text` as a quoted CSS string. Everything but ASCII letters, digits and spaces is
    escaped, so no text can end the string, the rule or the <style> element."""
    return (
        '"'
        + "".join(
            char if (char.isascii() and char.isalnum()) or char == " " else f"\\{ord(char):x} "
            for char in text
        )
        + '"'
    )


def page_furniture_css(printed_on) -> str:
    """The translated words of the page margins (WeasyPrint's @page boxes). The school, the
    overview and the period come from the document itself (string-set in the stylesheet)."""
    marker = "\x00"
    words = _("Page %(number)s of %(total)s") % {
        "number": f"{marker}page{marker}",
        "total": f"{marker}pages{marker}",
    }
    page_numbers = " ".join(
        f"counter({part})" if n % 2 else _css_string(part)
        for n, part in enumerate(words.split(marker))
        if part
    )
    printed = _("Printed on %(date)s") % {"date": date_format(printed_on, "DATE_FORMAT")}
    return (
        f"@page {{ @top-right {{ content: {_css_string(_('Confidential'))}; }}"
        f" @bottom-left {{ content: {_css_string(printed)}; }}"
        f" @bottom-right {{ content: {page_numbers}; }} }}"
    )


def overview_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Rendered in the request: a group of 30 is about 7 pages and 1.5 s (measured on a
    2-core machine); longer documents belong in the worker (see the pitfalls)."""
    overview, rows = _overview_rows(request, pk)
    context = _paper_context(overview, rows)
    context["stylesheets"] = [
        static_file_url("pdf/document.css"),
        static_file_url(PRINT_STYLESHEET),
    ]
    # Safe: the words are translations, and _css_string escapes every character that matters.
    context["page_css"] = mark_safe(page_furniture_css(context["printed_on"]))
    pdf = render_pdf("pdf/group_overview.html", context, language=translation.get_language())
    return attachment(pdf, "application/pdf", _filename(overview, "pdf"))


# The XLSX workbook --------------------------------------------------------------------------

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Text a spreadsheet would take for a formula (or that starts one after a tab or line break).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
MAX_CELL_CHARS = 32767  # Excel's limit for one cell
HEADER_FILL = PatternFill("solid", fgColor="E8EEF5")
TOP_WRAP = Alignment(wrap_text=True, vertical="top")


def _set(cell, value) -> None:
    """Write a value so no spreadsheet can run it: text that looks like a formula is stored as
    text with Excel's quote prefix (shown as typed, kept text when edited)."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)[:MAX_CELL_CHARS]
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True


def _results_text(item: grid.GridRow) -> str:
    lines = []
    for series in item.results:
        latest = series.latest
        result = latest.result
        parts = [series.instrument.name.removeprefix("Cito ") + ":"]
        if result.score is not None:
            parts.append(f"{result.score.normalize():f}")
        if result.level:
            parts.append(result.level)
        if latest.level_change is not None and latest.level_change > 0:
            parts.append("▲")
        elif latest.level_change is not None and latest.level_change < 0:
            parts.append("▼")
        elif latest.score_change is not None:
            parts.append(f"({latest.score_change.normalize():+f})")
        lines.append(" ".join(parts))
    return "\n".join(lines)


def _columns() -> list[tuple[str, int]]:
    """(header, width in characters) of the pupil table, in order."""
    source_names = [name for name, _label, _kind in SOURCE_FIELDS]
    return (
        [(_("Pupil"), 24), (_("Left the group on"), 14), (_("Latest test results"), 26)]
        + [(_field_label(name), 30) for name in source_names]
        + [(_field_label("stimulating"), 30), (_field_label("hindering"), 30)]
        + [(_field_label("signalled"), 12), (_field_label("signal_reason"), 30)]
        + [(_field_label(name), 28) for name, _label in NEED_ASPECTS]
        + [(_field_label("specific_needs"), 30)]
    )


def _row_values(item: grid.GridRow) -> list:
    row = item.row
    return (
        [item.pupil.sort_name, item.left_on, _results_text(item)]
        + [getattr(row, name) for name, _label, _kind in SOURCE_FIELDS]
        + [row.stimulating, row.hindering]
        + [_("yes") if row.signalled else _("no"), row.signal_reason]
        + [getattr(row, name) for name, _label in NEED_ASPECTS]
        + [row.specific_needs]
    )


def _workbook(overview: GroupOverview, rows: list[grid.GridRow]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Group overview")[:31]
    workbook.properties.creator = "hgw"
    title = _("Group overview %(group)s") % {"group": overview.group.name}
    workbook.properties.title = title

    period = overview.period
    status = overview.get_status_display()
    if overview.sent_at:
        status += " · " + _("Sent to the care coordinator by %(name)s on %(date)s") % {
            "name": overview.sent_by.full_name if overview.sent_by else "",
            "date": date_format(timezone.localtime(overview.sent_at), "DATE_FORMAT"),
        }
    title_block = [
        (overview.group.school.name, Font(bold=True, size=14)),
        (title, Font(bold=True, size=12)),
        (
            f"{period} · {date_format(period.start_date, 'DATE_FORMAT')}"
            f" \N{EN DASH} {date_format(period.end_date, 'DATE_FORMAT')}",
            None,
        ),
        (f"{_('Status')}: {status}", None),
        (_("Confidential"), Font(bold=True, color="A40000")),
    ]
    for number, (text, font) in enumerate(title_block, start=1):
        _set(sheet.cell(row=number, column=1), text)
        if font:
            sheet.cell(row=number, column=1).font = font

    columns = _columns()
    questions_row = len(title_block) + 1
    _set(sheet.cell(row=questions_row, column=1), _("Questions and points for discussion"))
    sheet.cell(row=questions_row, column=1).font = Font(bold=True)
    sheet.cell(row=questions_row, column=1).alignment = TOP_WRAP
    questions = sheet.cell(row=questions_row, column=2)
    _set(questions, overview.questions or _("No questions were added."))
    questions.alignment = TOP_WRAP
    sheet.merge_cells(
        start_row=questions_row, start_column=2, end_row=questions_row, end_column=len(columns)
    )
    merged_width = sum(width for _header, width in columns[1:])
    sheet.row_dimensions[questions_row].height = min(
        409, 15 * max(2, _lines(overview.questions, merged_width))
    )

    header_row = questions_row + 2
    for column, (header, width) in enumerate(columns, start=1):
        cell = sheet.cell(row=header_row, column=column)
        _set(cell, header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = TOP_WRAP
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.row_dimensions[header_row].height = 30  # two lines: the narrow columns wrap

    for number, item in enumerate(rows, start=header_row + 1):
        lines = 1
        for column, value in enumerate(_row_values(item), start=1):
            cell = sheet.cell(row=number, column=column)
            _set(cell, value)
            cell.alignment = TOP_WRAP
            if column == 2 and value is not None:
                cell.number_format = "DD-MM-YYYY"
            lines = max(lines, _lines(value, columns[column - 1][1]))
        # Spreadsheets do not size a row to its wrapped text on opening; estimate it.
        sheet.row_dimensions[number].height = min(409, 15 * lines)

    last = get_column_letter(len(columns))
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=2)
    sheet.auto_filter.ref = f"A{header_row}:{last}{header_row + max(len(rows), 1)}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.print_title_rows = f"{header_row}:{header_row}"

    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def overview_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    overview, rows = _overview_rows(request, pk)
    return attachment(_workbook(overview, rows), XLSX_TYPE, _filename(overview, "xlsx"))
