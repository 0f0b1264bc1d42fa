"""Reading CSV exports: encodings, delimiters, quotes, row numbers, and Dutch numbers and dates."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from pupils.csvfiles import (
    CsvError,
    CsvProblem,
    CsvRow,
    normalise_header,
    parse_date,
    parse_decimal,
    read_csv,
)


@pytest.fixture(autouse=True)
def english():
    """Messages are checked against the English source text, whatever the default language."""
    with translation.override("en"):
        yield


def _values(table) -> list[dict[str, str]]:
    return [row.values for row in table.rows]


# Delimiters and encodings


def test_semicolon_file_with_dutch_decimals():
    table = read_csv(b"Naam;Score\r\nAnna;7,5\r\nBram;1.234,5\r\n")
    assert table.delimiter == ";"
    assert table.encoding == "utf-8"
    assert table.headers == ["Naam", "Score"]
    assert table.rows == [
        CsvRow(number=2, values={"Naam": "Anna", "Score": "7,5"}),
        CsvRow(number=3, values={"Naam": "Bram", "Score": "1.234,5"}),
    ]
    assert [parse_decimal(row.values["Score"]) for row in table.rows] == [
        Decimal("7.5"),
        Decimal("1234.5"),
    ]
    assert table.problems == []


def test_comma_file():
    table = read_csv(b"naam,groep\nAnna,5\nBram,6\n")
    assert table.delimiter == ","
    assert _values(table) == [{"naam": "Anna", "groep": "5"}, {"naam": "Bram", "groep": "6"}]


def test_tab_file():
    table = read_csv(b"naam\tscore\nAnna\t7,5\n")
    assert table.delimiter == "\t"
    assert _values(table) == [{"naam": "Anna", "score": "7,5"}]


def test_delimiter_is_taken_from_header_not_from_decimal_commas_in_data():
    table = read_csv(b"Naam;Score\nAnna;7,5\nBram;8,25\n")
    assert table.delimiter == ";"


def test_delimiter_inside_quoted_header_is_not_counted():
    table = read_csv(b'"Naam; voornaam",Groep\nAnna,5\n')
    assert table.delimiter == ","
    assert table.headers == ["Naam; voornaam", "Groep"]


def test_single_column_file_uses_semicolon():
    table = read_csv(b"Naam\nAnna\nBram\n")
    assert table.delimiter == ";"
    assert _values(table) == [{"Naam": "Anna"}, {"Naam": "Bram"}]


def test_excel_separator_hint_line():
    table = read_csv(b"sep=,\nNaam;x,Groep\nAnna;y,5\n")
    assert table.delimiter == ","
    assert table.rows == [CsvRow(number=3, values={"Naam;x": "Anna;y", "Groep": "5"})]


def test_utf8_with_bom():
    table = read_csv("\ufeffNaam;Achternaam\nZoë;Çelik\n".encode())
    assert table.encoding == "utf-8-sig"
    assert table.headers == ["Naam", "Achternaam"]
    assert _values(table) == [{"Naam": "Zoë", "Achternaam": "Çelik"}]


def test_windows_1252_file():
    table = read_csv("Achternaam;Voornaam\nÇelik;Zoë\n".encode("cp1252"))
    assert table.encoding == "cp1252"
    assert _values(table) == [{"Achternaam": "Çelik", "Voornaam": "Zoë"}]


def test_bytes_undefined_in_windows_1252_are_refused():
    with pytest.raises(CsvError, match=r"Line 2 .*CSV UTF-8"):
        read_csv(b"Naam;Score\nAnna\x81;7\n")


def test_utf8_bom_with_invalid_utf8_is_refused():
    with pytest.raises(CsvError, match="CSV UTF-8"):
        read_csv(b"\xef\xbb\xbfNaam\nZo\xeb\n")


@pytest.mark.parametrize(
    "data",
    [
        b"Naam;Score\nAnna\x00;7\n",
        b"PK\x03\x04\x14\x00\x06\x00rest of an xlsx",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest of an xls",
        "Naam\tScore\n".encode("utf-16"),
    ],
    ids=["nul", "xlsx", "xls", "utf-16"],
)
def test_binary_files_are_refused_with_advice(data):
    with pytest.raises(CsvError, match='Save As with the file type "CSV UTF-8"'):
        read_csv(data)


# Size and emptiness


@pytest.mark.parametrize("data", [b"", b"   \r\n\t\n", "\ufeff \u00a0\n".encode(), b";;\n;;\n"])
def test_empty_file(data):
    with pytest.raises(CsvError, match=r"^The file is empty\.$"):
        read_csv(data)


def test_file_larger_than_limit():
    data = b"Naam\nAnna\n"  # 10 bytes
    with pytest.raises(CsvError, match=r"too large \(10\sbytes\)\. The maximum is 9\sbytes"):
        read_csv(data, max_bytes=9)
    assert read_csv(data, max_bytes=10).rows  # exactly at the limit: fine


def test_file_limit_is_shown_in_megabytes():
    with pytest.raises(CsvError, match=r"maximum is 1\.0\sMB"):
        read_csv(b"x" * (1024 * 1024 + 1), max_bytes=1024 * 1024)


def test_too_many_rows():
    data = b"Naam\n" + b"".join(b"leerling %d\n" % number for number in range(4))
    assert len(read_csv(data, max_rows=4).rows) == 4
    with pytest.raises(CsvError, match="more than 3 rows"):
        read_csv(data, max_rows=3)


def test_header_only_gives_no_rows():
    table = read_csv(b"Naam;Score\n")
    assert table.headers == ["Naam", "Score"]
    assert table.rows == []


# Headers


def test_duplicate_headers_are_refused_and_named():
    with pytest.raises(CsvError, match='"Naam", "Score"'):
        read_csv(b"Naam;Score;naam ;Groep;SCORE\nA;1;B;5;2\n")


def test_empty_header_cells_get_a_position_name():
    table = read_csv(b"Naam;;Score\nAnna;x;7\n")
    assert table.headers == ["Naam", "column 2", "Score"]
    assert _values(table) == [{"Naam": "Anna", "column 2": "x", "Score": "7"}]


def test_unnamed_columns_without_values_are_dropped():
    table = read_csv(b"Naam;;Score;;\nAnna;;7;;\nBram;;8;x;\n")
    assert table.headers == ["Naam", "Score", "column 4"]
    assert _values(table)[1] == {"Naam": "Bram", "Score": "8", "column 4": "x"}


def test_headers_are_stripped_and_cleaned():
    table = read_csv(" Naam\u200b ;\u00a0Score \nAnna;7\n".encode())
    assert table.headers == ["Naam", "Score"]


def test_blank_lines_before_header_are_skipped_and_counted():
    table = read_csv(b"\n\nNaam\nAnna\n")
    assert table.headers == ["Naam"]
    assert table.rows == [CsvRow(number=4, values={"Naam": "Anna"})]


# Rows, quotes and row numbers


def test_quoted_cells_with_delimiter_and_newline_keep_row_numbers():
    data = (
        b"Naam;Opmerking;Score\r\n"
        b'Anna;"Goed; netjes";7\r\n'
        b'Bram;"Regel 1\r\nRegel 2\r\nRegel 3";8\r\n'
        b'Cas;"Zei ""hoi""";9\r\n'
    )
    table = read_csv(data)
    assert [row.number for row in table.rows] == [2, 3, 6]
    assert _values(table) == [
        {"Naam": "Anna", "Opmerking": "Goed; netjes", "Score": "7"},
        {"Naam": "Bram", "Opmerking": "Regel 1\nRegel 2\nRegel 3", "Score": "8"},
        {"Naam": "Cas", "Opmerking": 'Zei "hoi"', "Score": "9"},
    ]


def test_empty_rows_are_skipped_but_counted():
    table = read_csv(b"Naam;Score\n\nAnna;7\n;\n  ;  \nBram;8\n")
    assert [row.number for row in table.rows] == [3, 6]
    assert table.problems == []


def test_ragged_rows():
    data = b"Naam;Groep;Score\nAnna;5\nBram;6;8;extra\nCas;7;9;;\nDaan\n"
    table = read_csv(data)
    assert table.rows == [
        CsvRow(number=2, values={"Naam": "Anna", "Groep": "5", "Score": ""}),
        CsvRow(number=4, values={"Naam": "Cas", "Groep": "7", "Score": "9"}),
        CsvRow(number=5, values={"Naam": "Daan", "Groep": "", "Score": ""}),
    ]
    assert len(table.problems) == 1
    problem = table.problems[0]
    assert problem.row == 3
    assert problem.message.startswith("Row 3 has 4 values, but the file has only 3 columns")
    assert '";"' in problem.message


def test_problem_message_names_a_tab_delimiter():
    table = read_csv(b"a\tb\n1\t2\t3\n")
    assert table.problems == [CsvProblem(row=2, message=table.problems[0].message)]
    assert "a tab" in table.problems[0].message


def test_cells_are_stripped_and_invisible_characters_removed():
    table = read_csv(" Naam ;Score\n\u00a0Anna\u200b\u00a0van\u00a0Dijk ;\ufeff 7 \n".encode())
    assert _values(table) == [{"Naam": "Anna van Dijk", "Score": "7"}]


def test_space_before_opening_quote_is_allowed():
    table = read_csv(b'Naam; Opmerking\nAnna; "a; b"\n')
    assert _values(table) == [{"Naam": "Anna", "Opmerking": "a; b"}]


def test_unclosed_quote_is_refused_with_the_row_start():
    with pytest.raises(CsvError, match="line 3"):
        read_csv(b'Naam;Score\nAnna;7\n"Bram;8\nCas;9\n')


def test_badly_placed_quote_is_refused():
    with pytest.raises(CsvError, match="line 2"):
        read_csv(b'Naam;Score\n"Anna" B;7\n')


def test_quote_inside_unquoted_cell_is_kept():
    table = read_csv(b'Naam;Score\nJan "Jantje" Smit;7\n')
    assert _values(table) == [{"Naam": 'Jan "Jantje" Smit', "Score": "7"}]


# normalise_header


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Geboortedatum", "geboortedatum"),
        ("  GEBOORTE   Datum ", "geboorte datum"),
        ("\ufeffNaam", "naam"),
        ("Na\u200bam", "naam"),
        ('"Naam"', "naam"),
        ("' Naam '", "naam"),
        ("Naam\u00a0leerling", "naam leerling"),
        ("Zoe\u0308", "zoë"),
        ('"Naam', '"naam'),
    ],
)
def test_normalise_header(text, expected):
    assert normalise_header(text) == expected


# parse_decimal


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7,5", "7.5"),
        ("7.5", "7.5"),
        ("1.234,5", "1234.5"),
        ("1,234.5", "1234.5"),
        ("1.234.567,89", "1234567.89"),
        ("-3", "-3"),
        ("+3", "3"),
        ("\u22123,5", "-3.5"),
        (" 12 ", "12"),
        ("\u00a012\u00a0", "12"),
        ("0,05", "0.05"),
        (",5", "0.5"),
        ("1,234", "1.234"),
        ("145", "145"),
    ],
)
def test_parse_decimal_good(text, expected):
    assert parse_decimal(text) == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "No number was given"),
        ("   ", "No number was given"),
        ("abc", '"abc" is not a valid number'),
        ("1,2,3", "more than one"),
        ("1.2.3", "more than one"),
        ("1.23,5", "is not a valid number"),
        ("1.234,", "is not a valid number"),
        ("7,", "is not a valid number"),
        ("1e5", "is not a valid number"),
        ("NaN", "is not a valid number"),
        ("Infinity", "is not a valid number"),
        ("7,5 punten", "is not a valid number"),
        ("- 3", "is not a valid number"),
        ("--3", "is not a valid number"),
        ("1 234", "is not a valid number"),
    ],
)
def test_parse_decimal_bad(text, message):
    with pytest.raises(ValueError, match=message):
        parse_decimal(text)


def test_parse_decimal_shortens_long_input_in_message():
    with pytest.raises(ValueError) as caught:
        parse_decimal("x" * 500)
    assert len(str(caught.value)) < 120


# parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3-2-2026", date(2026, 2, 3)),
        ("03-02-2026", date(2026, 2, 3)),
        ("3/2/2026", date(2026, 2, 3)),
        ("03.02.2026", date(2026, 2, 3)),
        ("2026-02-03", date(2026, 2, 3)),
        ("2026-2-3", date(2026, 2, 3)),
        (" 13-02-2026 ", date(2026, 2, 13)),
        ("29-02-2024", date(2024, 2, 29)),
        ("31-12-2025", date(2025, 12, 31)),
    ],
)
def test_parse_date_good(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "No date was given"),
        ("29-02-2026", "not an existing date"),
        ("31-02-2026", "not an existing date"),
        ("2026-13-01", "not an existing date"),
        ("02/13/2026", "not an existing date"),
        ("0-1-2026", "not an existing date"),
        ("1-2-26", "two-digit year"),
        ("01.02.26", "two-digit year"),
        ("1-2-202", "not a valid date"),
        ("1-2-20260", "not a valid date"),
        ("3-2/2026", "not a valid date"),
        ("3 februari 2026", "not a valid date"),
        ("2026/02/03", "not a valid date"),
        ("2026-02-03 10:00", "not a valid date"),
        ("gisteren", "not a valid date"),
    ],
)
def test_parse_date_bad(text, message):
    with pytest.raises(ValueError, match=message):
        parse_date(text)
