"""Reading CSV exports from Dutch school systems (ParnasSys, ESIS, Cito LOVS) and Excel.

School administrators upload whatever their system or Excel wrote: semicolons (Dutch Excel),
commas or tabs; UTF-8 with or without a byte order mark, or Windows-1252; decimal commas; dates
written day-first. This module turns such a file into clean rows, or explains in plain words
why it cannot, so that the import code never has to guess about bytes, quotes or line numbers.
"""

import codecs
import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

DELIMITERS = (";", "\t", ",")
"""Candidate delimiters, in order of preference when the header line has as many of each."""

DEFAULT_DELIMITER = ";"
"""Used for a file with a single column: what Dutch Excel would write."""

# Invisible characters that sneak in through copy and paste or concatenated exports, and make
# "Naam" and "Naam" look equal on screen while comparing unequal.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"))
# Non-breaking and fixed-width spaces become ordinary spaces.
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u202f"), " ")
_CLEAN_TABLE = {**_INVISIBLE, **_SPACES}

# Signatures of files people upload by mistake instead of a CSV export.
_ZIP_SIGNATURE = b"PK\x03\x04"  # .xlsx and .ods workbooks are zip archives
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls workbooks
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)  # Excel's "Unicode text"
# Other binary files that need not contain a NUL byte to be binary: PDF, images.
_BINARY_SIGNATURES = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")

_MAX_QUOTED_TEXT = 40


@dataclass(frozen=True)
class CsvProblem:
    """Something wrong with one row that does not stop the rest of the file from being read."""

    row: int
    message: str


@dataclass(frozen=True)
class CsvRow:
    """One data row; `number` is the line where the row starts, as a spreadsheet numbers it."""

    number: int
    values: dict[str, str]


@dataclass
class CsvTable:
    """A readable file: its column names, its non-empty rows, and how it was read."""

    headers: list[str]
    rows: list[CsvRow]
    delimiter: str
    encoding: str  # "utf-8", "utf-8-sig" or "cp1252"
    problems: list[CsvProblem] = field(default_factory=list)


class CsvError(ValueError):
    """The file as a whole cannot be read; the message tells the administrator what to do."""


def read_csv(data: bytes, *, max_bytes: int = 10 * 1024 * 1024, max_rows: int = 50_000) -> CsvTable:
    """Read an uploaded CSV file into a table, or raise `CsvError` explaining why it cannot.

    The first non-empty row holds the column names; an empty name becomes "column 3" (by
    position), and such a column is dropped when no row has a value in it. Rows that are
    completely empty are skipped. A row with more filled cells than there are columns is skipped
    and reported in `problems`, because its values have most likely shifted to other columns.
    """
    if len(data) > max_bytes:
        raise CsvError(
            _("The file is too large (%(size)s). The maximum is %(limit)s.")
            % {"size": filesizeformat(len(data)), "limit": filesizeformat(max_bytes)}
        )
    if not data.strip():
        raise CsvError(_("The file is empty."))
    _refuse_binary(data)
    text, encoding = _decode(data)
    if not _clean(text):
        raise CsvError(_("The file is empty."))

    start_line = 0
    if match := re.match(r"sep=([;,\t])[ ]*(\r\n|\r|\n|$)", text, flags=re.IGNORECASE):
        # Excel's hint line "sep=;" names the delimiter explicitly and is not part of the data.
        delimiter = match.group(1)
        text = text[match.end() :]
        start_line = 1
    else:
        delimiter = _detect_delimiter(text)

    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=delimiter, strict=True, skipinitialspace=True
    )
    headers: list[str] | None = None
    named: list[bool] = []  # per column: did the file give it a name?
    rows: list[tuple[int, list[str]]] = []
    problems: list[CsvProblem] = []
    previous_line = 0
    while True:
        number = start_line + previous_line + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise CsvError(_quote_error_message(number, str(error))) from error
        previous_line = reader.line_num
        values = [_clean_cell(cell) for cell in cells]
        if not any(values):
            continue
        if headers is None:
            headers = _make_headers(values)
            named = [bool(value) for value in values]
            continue
        if len(rows) + len(problems) >= max_rows:
            raise CsvError(
                _(
                    "The file has more than %(max_rows)s rows, which is more than can be "
                    "imported at once. Split it into smaller files."
                )
                % {"max_rows": max_rows}
            )
        while len(values) > len(headers) and not values[-1]:
            values.pop()
        if len(values) > len(headers):
            problems.append(
                CsvProblem(number, _too_many_cells_message(number, len(values), headers, delimiter))
            )
            continue
        values += [""] * (len(headers) - len(values))
        rows.append((number, values))

    if headers is None:
        raise CsvError(_("The file is empty."))
    # Columns without a name and without any value are leftovers of spreadsheet formatting
    # (Excel writes ";;;" for cells it once touched); they would only clutter column choices.
    keep = [
        index
        for index in range(len(headers))
        if named[index] or any(values[index] for _number, values in rows)
    ]
    return CsvTable(
        headers=[headers[index] for index in keep],
        rows=[
            CsvRow(number=number, values={headers[index]: values[index] for index in keep})
            for number, values in rows
        ],
        delimiter=delimiter,
        encoding=encoding,
        problems=problems,
    )


def normalise_header(text: str) -> str:
    """Reduce a column name to a key that survives the cosmetic changes exports make.

    A remembered column mapping ("Geboortedatum" is the birth date) must still match when the
    next export writes " geboortedatum", "GEBOORTEDATUM" or the name in quotes.
    """
    text = _clean(text)
    while len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        text = text[1:-1].strip()
    return " ".join(text.split()).lower()


def parse_decimal(text: str) -> Decimal:
    """Parse a number as Dutch and international exports write it.

    With one kind of separator, it is the decimal mark and may appear once: "7,5" and "7.5" are
    both seven and a half. With both kinds, the last one is the decimal mark and the other
    groups thousands: "1.234,5" and "1,234.5". Anything else is refused rather than guessed.
    """
    cleaned = _clean(text)
    if not cleaned:
        raise ValueError(_("No number was given."))
    match = re.fullmatch(r"([+\-\u2212]?)([0-9.,]*[0-9][0-9.,]*)", cleaned)
    if match is None:
        raise ValueError(_invalid_number_message(cleaned))
    sign, digits = match.groups()
    commas, dots = digits.count(","), digits.count(".")
    if commas and dots:
        decimal_mark = "," if digits.rfind(",") > digits.rfind(".") else "."
        grouping = "." if decimal_mark == "," else ","
        integer, _mark, fraction = digits.rpartition(decimal_mark)
        group = re.escape(grouping)
        if not re.fullmatch(rf"[0-9]{{1,3}}({group}[0-9]{{3}})+", integer) or not fraction:
            raise ValueError(_invalid_number_message(cleaned))
        number = integer.replace(grouping, "") + "." + fraction
    elif commas > 1 or dots > 1:
        raise ValueError(
            _(
                '"%(text)s" is not a valid number: it contains more than one "," or ".". '
                "Write a number such as 7,5 or 1234,5."
            )
            % {"text": _shorten(cleaned)}
        )
    else:
        number = digits.replace(",", ".")
        if number.endswith("."):
            raise ValueError(_invalid_number_message(cleaned))
    return Decimal(("-" if sign in ("-", "\u2212") else "") + number)


def parse_date(text: str) -> date:
    """Parse a date written day-first, as in the Netherlands, or in ISO form (2026-02-03).

    Day, month and year are separated by "-", "/" or "."; the year must have four digits,
    because "3-2-26" could mean 1926 or 2026. Dates that do not exist are refused.
    """
    cleaned = _clean(text)
    if not cleaned:
        raise ValueError(_("No date was given."))
    if match := re.fullmatch(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})", cleaned):
        year, month, day = (int(part) for part in match.groups())
    elif match := re.fullmatch(r"([0-9]{1,2})([-/.])([0-9]{1,2})\2([0-9]+)", cleaned):
        day, month, year_text = int(match.group(1)), int(match.group(3)), match.group(4)
        if len(year_text) == 2:
            raise ValueError(
                _(
                    '"%(text)s" has a two-digit year, so it is unclear which century is meant. '
                    "Write the year in full, for example 03-02-2026."
                )
                % {"text": _shorten(cleaned)}
            )
        if len(year_text) != 4:
            raise ValueError(_invalid_date_message(cleaned))
        year = int(year_text)
    else:
        raise ValueError(_invalid_date_message(cleaned))
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(
            _('"%(text)s" is not an existing date. Check the day and the month.')
            % {"text": _shorten(cleaned)}
        ) from None


def _refuse_binary(data: bytes) -> None:
    """Refuse workbooks and other binary files, which are not CSV however they are named."""
    if data.startswith((_ZIP_SIGNATURE, _OLE_SIGNATURE)):
        raise CsvError(
            _(
                "This is an Excel workbook, not a CSV file. Open it in Excel, choose "
                'Save As with the file type "CSV UTF-8", and upload that file.'
            )
        )
    if data.startswith(_UTF16_BOMS):
        raise CsvError(
            _(
                "This file is saved as Unicode text (UTF-16), which cannot be read. Open it in "
                'Excel, choose Save As with the file type "CSV UTF-8", and upload that file.'
            )
        )
    if b"\x00" in data or data.startswith(_BINARY_SIGNATURES):
        raise CsvError(
            _(
                "This is not a CSV file: it contains binary data. If it is a spreadsheet, open it "
                'in Excel, choose Save As with the file type "CSV UTF-8", and upload that file.'
            )
        )


def _decode(data: bytes) -> tuple[str, str]:
    """Decode as UTF-8 where possible, else as Windows-1252 (Excel on Dutch Windows)."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError as error:
            raise CsvError(_encoding_message(data, error.start)) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as error:
        raise CsvError(_encoding_message(data, error.start)) from None


def _encoding_message(data: bytes, position: int) -> str:
    line = data.count(b"\n", 0, position) + 1
    return _(
        "Line %(line)s contains characters that cannot be read: the file is not saved as "
        'UTF-8 or Windows-1252 text. Open it in Excel, choose Save As with the file type "CSV '
        'UTF-8", and upload that file.'
    ) % {"line": line}


def _detect_delimiter(text: str) -> str:
    """Pick the delimiter that occurs most often, outside quotes, in the header line.

    The header line is used because data rows are unreliable: "7,5" holds a comma in a
    semicolon file. Leading blank lines (or lines of delimiters only) are passed over.
    """
    counts = dict.fromkeys(DELIMITERS, 0)
    in_quotes = has_content = False
    for char in text:
        if char == '"':
            in_quotes = not in_quotes
        elif in_quotes:
            has_content = has_content or not char.isspace()
        elif char in "\r\n":
            if has_content:
                break
            counts = dict.fromkeys(DELIMITERS, 0)
        elif char in counts:
            counts[char] += 1
        elif not char.isspace() and ord(char) not in _CLEAN_TABLE:
            has_content = True
    best = max(DELIMITERS, key=lambda candidate: counts[candidate])  # first wins a tie
    return best if counts[best] else DEFAULT_DELIMITER


def _make_headers(values: list[str]) -> list[str]:
    """Name empty header cells after their position and refuse duplicate column names."""
    headers = [
        value or _("column %(number)s") % {"number": index}
        for index, value in enumerate(values, start=1)
    ]
    seen: dict[str, str] = {}
    duplicates: list[str] = []
    for header in headers:
        key = normalise_header(header)
        if key in seen and seen[key] not in duplicates:
            duplicates.append(seen[key])
        seen.setdefault(key, header)
    if duplicates:
        raise CsvError(
            _(
                "These column names appear more than once in the first line: %(names)s. "
                "Give each column a different name and upload the file again."
            )
            % {"names": ", ".join(f'"{name}"' for name in duplicates)}
        )
    return headers


def _too_many_cells_message(number: int, count: int, headers: list[str], delimiter: str) -> str:
    return _(
        "Row %(row)s has %(count)s values, but the file has only %(columns)s columns, so the "
        "values may be in the wrong columns. The row was skipped. Perhaps a value contains "
        "%(delimiter)s without quotes around it."
    ) % {
        "row": number,
        "count": count,
        "columns": len(headers),
        "delimiter": _("a tab") if delimiter == "\t" else f'"{delimiter}"',
    }


def _quote_error_message(number: int, detail: str) -> str:
    if "field larger than field limit" in detail:
        return _(
            "The row starting on line %(line)s has a value that is far too long. Probably a "
            'quote (") is opened there but never closed.'
        ) % {"line": number}
    return _(
        'The quotes (") in the row starting on line %(line)s are not placed correctly: a value '
        "in quotes must be closed by a quote directly followed by the delimiter or the end of "
        "the line. Check that row in the file."
    ) % {"line": number}


def _invalid_number_message(text: str) -> str:
    return _('"%(text)s" is not a valid number. Write a number such as 7,5 or -3.') % {
        "text": _shorten(text)
    }


def _invalid_date_message(text: str) -> str:
    return _(
        '"%(text)s" is not a valid date. Write it as day-month-year, for example 03-02-2026.'
    ) % {"text": _shorten(text)}


def _clean(text: str) -> str:
    """Drop invisible characters, turn non-breaking spaces into spaces, and strip."""
    return unicodedata.normalize("NFC", text.translate(_CLEAN_TABLE)).strip()


def _clean_cell(text: str) -> str:
    """Clean a cell and give line breaks inside it one form, whatever system wrote the file."""
    return _clean(text.replace("\r\n", "\n").replace("\r", "\n"))


def _shorten(text: str) -> str:
    """Keep quoted input in messages readable when a cell holds a long text."""
    if len(text) <= _MAX_QUOTED_TEXT:
        return text
    return text[: _MAX_QUOTED_TEXT - 1] + "\u2026"
