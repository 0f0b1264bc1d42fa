"""The EDEXML parser: what a school administrator needs to know about their file.

No database: the parser is pure. Messages are checked in English (the source strings), so the
tests do not depend on the Dutch translation.
"""

import dataclasses
import time
from datetime import date
from pathlib import Path

import pytest
from django.utils import translation

from pupils import edexml
from pupils.edexml import (
    EdexError,
    EdexFile,
    EdexGroup,
    EdexProblem,
    EdexPupil,
    EdexSchool,
    EdexTeacher,
    parse_edexml,
)

SAMPLES = Path(__file__).parent / "samples" / "edexml"

SCHOOL = """
  <school>
    <schooljaar>2026-2027</schooljaar>
    <brincode>99AA</brincode>
  </school>"""

GROUPS = """
  <groepen>
    <groep key="G3">
      <naam>Groep 3</naam>
      <jaargroep>3</jaargroep>
    </groep>
  </groepen>
  <samengestelde_groepen>
    <samengestelde_groep key="SG1">
      <naam>Plusklas</naam>
    </samengestelde_groep>
  </samengestelde_groepen>"""


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def line_of(data: bytes, needle: str) -> int:
    """The line (1-based) on which `needle` first occurs."""
    position = data.index(needle.encode())
    return data.count(b"\n", 0, position) + 1


def document(body: str = "", *, school: str = SCHOOL, root: str = "<EDEX>") -> bytes:
    """A small EDEXML document; line 1 is the XML declaration, line 2 the root."""
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{root}{school}{body}\n</EDEX>\n'.encode()


def pupil_xml(key: str | None = "P1", **children: str | None) -> str:
    """A leerling element; pass a child as None to leave it out, or "" to leave it empty."""
    values = {
        "achternaam": "Vries",
        "voorvoegsel": "de",
        "roepnaam": "Sanne",
        "geboortedatum": "2019-03-14",
        "geslacht": "2",
    } | children
    parts = [f"<{name}>{value}</{name}>" for name, value in values.items() if value is not None]
    key_attr = f' key="{key}"' if key is not None else ""
    return f"\n    <leerling{key_attr}>\n      " + "\n      ".join(parts) + "\n    </leerling>"


def pupils_document(*pupils: str) -> bytes:
    return document(GROUPS + "\n  <leerlingen>" + "".join(pupils) + "\n  </leerlingen>")


def teachers_document(*teachers: str) -> bytes:
    return document(GROUPS + "\n  <leerkrachten>" + "".join(teachers) + "\n  </leerkrachten>")


def subject(data: bytes, key: str, element: str = "leerling") -> str:
    """How messages name a row: "leerling P1 on line 19"."""
    return f"{element} {key} on line {line_of(data, f'<{element} key="{key}"')}"


def only_problem(result: EdexFile) -> EdexProblem:
    assert len(result.problems) == 1, result.problems
    return result.problems[0]


def all_strings(value: object) -> list[str]:
    """Every string held anywhere in a (nested) output object."""
    if isinstance(value, str):
        return [value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [
            text
            for field in dataclasses.fields(value)
            for text in all_strings(getattr(value, field.name))
        ]
    if isinstance(value, list | tuple | set):
        return [text for item in value for text in all_strings(item)]
    if isinstance(value, date | int | bool | type(None)):
        return [str(value)]
    raise AssertionError(f"unexpected value in output: {value!r}")


# --- Complete files ----------------------------------------------------------------------------


def test_full_2_1_file_with_default_namespace():
    data = sample("full_2_1.xml")
    result = parse_edexml(data)

    assert result.problems == []
    assert result.version == "2.1"
    assert result.school == EdexSchool(
        brin="99AA",
        dependance_code="00",
        name="Basisschool De Regenboog",
        school_year_start=2026,
        line=line_of(data, "<school>"),
    )

    assert [(g.key, g.name, g.grade, g.grade_number) for g in result.groups] == [
        ("G3", "Groep 3", "3", 3),
        ("G56", "Groep 5/6", "C", None),
        ("G8", "Groep 8", "8", 8),
    ]
    assert not any(group.composed for group in result.groups)
    assert result.groups[1].line == line_of(data, 'groep key="G56"')
    assert result.composed_groups == [
        EdexGroup(
            key="SG-PLUS",
            name="Plusklas",
            grade="",
            composed=True,
            line=line_of(data, 'samengestelde_groep key="SG-PLUS"'),
        )
    ]


def test_standard_2_1_file_with_a_composed_group_inside_groepen():
    """EDEXML 2.1 puts a samengestelde groep (the Plusklas) in <groepen>, beside the groepen:
    it is read as a composed group, and the pupils and teacher in it keep it."""
    data = sample("standard_2_1.xml")
    result = parse_edexml(data)

    assert result.problems == []
    assert [(g.key, g.name, g.grade) for g in result.groups] == [
        ("G5", "Groep 5", "5"),
        ("G8", "Groep 8", "8"),
    ]
    assert result.composed_groups == [
        EdexGroup(
            key="SG-PLUS",
            name="Plusklas",
            grade="",
            composed=True,
            line=line_of(data, 'samengestelde_groep key="SG-PLUS">'),
        )
    ]
    by_key = {pupil.key: pupil for pupil in result.pupils}
    assert list(by_key) == ["ST-0001", "ST-0002", "ST-0003"]
    assert by_key["ST-0001"].composed_group_keys == ("SG-PLUS",)
    assert by_key["ST-0002"].composed_group_keys == ()
    assert by_key["ST-0003"].composed_group_keys == ("SG-PLUS",)
    assert result.teachers[0].composed_group_keys == ("SG-PLUS",)


def test_a_composed_group_in_both_places_is_a_duplicate():
    body = (
        '<groepen><samengestelde_groep key="S"><naam>Plusklas</naam></samengestelde_groep>'
        "</groepen><samengestelde_groepen>"
        '<samengestelde_groep key="S"><naam>Plusklas</naam></samengestelde_groep>'
        "</samengestelde_groepen>"
    )
    result = parse_edexml(document(body))
    assert [g.key for g in result.composed_groups] == ["S"]
    assert "has the same key" in only_problem(result).message


def test_full_2_1_pupils():
    data = sample("full_2_1.xml")
    pupils = parse_edexml(data).pupils

    assert [pupil.key for pupil in pupils] == [f"RB-000{n}" for n in range(1, 9)]
    assert pupils[0] == EdexPupil(
        key="RB-0001",
        eck_id="https://id.school/sc:leerling:0a1b2c3d4e5f",
        family_name="Vries",
        name_prefix="de",
        given_name="Sanne",  # the roepnaam, not the first of the voornamen (Susanna)
        date_of_birth=date(2019, 3, 14),
        sex=2,
        grade="3",
        group_key="G3",
        composed_group_keys=(),
        date_in=date(2023, 3, 14),
        date_out=None,
        line=line_of(data, 'leerling key="RB-0001"'),
    )
    by_key = {pupil.key: pupil for pupil in pupils}
    assert (by_key["RB-0002"].name_prefix, by_key["RB-0002"].family_name) == ("van der", "Berg")
    assert by_key["RB-0002"].eck_id == ""
    assert by_key["RB-0003"].composed_group_keys == ("SG-PLUS",)
    assert by_key["RB-0003"].name_prefix == ""
    # No roepnaam: the first of the voornamen.
    assert by_key["RB-0004"].given_name == "Lucas"
    assert by_key["RB-0005"].name_prefix == "'t"
    assert by_key["RB-0007"].sex == 9
    left = by_key["RB-0008"]
    assert (left.group_key, left.grade) == (None, None)
    assert (left.date_in, left.date_out) == (date(2020, 8, 24), date(2026, 10, 31))


def test_full_2_1_teachers():
    data = sample("full_2_1.xml")
    teachers = parse_edexml(data).teachers

    assert teachers[0] == EdexTeacher(
        key="T-001",
        family_name="Vries",
        name_prefix="de",
        given_name="Anna",
        email="a.devries@regenboog.example.nl",
        roles=("LRK",),
        group_keys=("G3",),
        composed_group_keys=(),
        line=line_of(data, 'leerkracht key="T-001"'),
    )
    assert teachers[0].full_name == "Anna de Vries"
    # Roles in rollen/rol, upper-cased.
    assert teachers[1].roles == ("IB", "LRK")
    assert teachers[1].composed_group_keys == ("SG-PLUS",)
    # Roles as repeated rol children; non-ASCII names survive.
    assert teachers[2].roles == ("DIR", "LRK")
    assert teachers[2].full_name == "Mariëlle Visser"


def test_simple_2_0_file_without_namespace():
    result = parse_edexml(sample("simple_2_0.xml"))

    assert result.problems == []
    assert result.version == "2.0"
    assert result.school.brin == "99BB"
    assert result.school.name is None  # naam is optional
    assert result.school.dependance_code == ""
    assert [group.grade for group in result.groups] == ["C", "7"]
    tim, _lotte, sem = result.pupils
    assert (tim.given_name, tim.name_prefix, tim.family_name) == ("Tim", "van der", "Meer")
    assert tim.date_in is None
    assert sem.grade is None
    assert sem.sex == 0
    (teacher,) = result.teachers
    assert teacher.email is None  # no e-mail address: kept as None, not a problem
    assert teacher.given_name == "J."  # voorletters when there is no roepnaam
    assert teacher.full_name == "J. Dekker"
    assert teacher.roles == ("LRK",)
    assert teacher.group_keys == ("1",)


def test_file_with_pupils_only():
    result = parse_edexml(sample("pupils_only_2_1.xml"))

    assert result.problems == []
    assert result.teachers == []
    assert result.composed_groups == []
    assert result.school.dependance_code == "01"
    assert [(g.grade, g.grade_number) for g in result.groups] == [("4", 4), ("S", None)]
    assert [pupil.group_key for pupil in result.pupils] == ["K4", "K4", "KS"]
    assert result.pupils[2].grade == "S"


def test_namespace_prefixes_are_ignored():
    data = (
        b'<?xml version="1.0"?>\n'
        b'<e:EDEX xmlns:e="http://www.edustandaard.nl/edex/2.1"><e:school>'
        b"<e:schooljaar>2026-2027</e:schooljaar><e:brincode>99AA</e:brincode></e:school>"
        b'<e:groepen><e:groep e:key="G1"><e:naam>Groep 1</e:naam><e:jaargroep>1</e:jaargroep>'
        b"</e:groep></e:groepen></e:EDEX>"
    )
    result = parse_edexml(data)
    assert [group.key for group in result.groups] == ["G1"]


def test_output_objects_are_frozen():
    pupil = parse_edexml(sample("full_2_1.xml")).pupils[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        pupil.family_name = "Jansen"


# --- Privacy -----------------------------------------------------------------------------------

SENSITIVE_VALUES = [
    "123456782",  # bsn
    "100000018",  # onderwijsnummer
    "987654326",  # sofinummer
    "5022",  # nationaliteit, geboorteland
    "Voorbeeldland",
    "0.30",  # gewicht
    "Teststraat",
    "1234 AB",
    "Voorbeeldstad",
    "0612345678",
]


def test_sensitive_data_is_not_kept():
    data = sample("full_2_1.xml")
    for value in SENSITIVE_VALUES:
        assert value.encode() in data  # the sample does contain it...
    result = parse_edexml(data)

    strings = all_strings(result)
    for value in SENSITIVE_VALUES:
        # ...but no attribute of any output object does.
        assert not [text for text in strings if value in text], value
        assert value not in repr(result)
    daan = next(pupil for pupil in result.pupils if pupil.key == "RB-0002")
    assert daan.given_name == "Daan"  # the rest of the row is read as usual


def test_output_has_no_fields_for_sensitive_data():
    forbidden = ("bsn", "onderwijs", "sofi", "nation", "land", "country", "ethnic", "weight",
                 "gewicht", "address", "adres", "street", "postcode", "city", "phone")  # fmt: skip
    for cls in (EdexSchool, EdexGroup, EdexPupil, EdexTeacher, EdexProblem, EdexFile):
        for field in dataclasses.fields(cls):
            assert not any(word in field.name for word in forbidden), (cls, field.name)


def test_only_direct_children_are_read():
    # A name nested in an unknown element (here: an address) is not the pupil's name.
    pupil = pupil_xml(roepnaam=None, voornamen=None)
    pupil = pupil.replace(
        "<achternaam>", "<adres><roepnaam>Straatnaam</roepnaam></adres><achternaam>"
    )
    result = parse_edexml(pupils_document(pupil))
    assert result.pupils == []
    assert only_problem(result).message.endswith("has neither roepnaam nor voornamen.")


def test_unknown_elements_are_ignored():
    body = "<onbekend><leerling key='X'/></onbekend>" + GROUPS + "<extra>tekst</extra>"
    pupil = pupil_xml(hobby="voetbal", groep=None).replace(
        "<hobby>", "<toekomst><iets/></toekomst><hobby>"
    )
    result = parse_edexml(document(body + "<leerlingen>" + pupil + "</leerlingen>"))
    assert result.problems == []
    assert [pupil.key for pupil in result.pupils] == ["P1"]


# --- Version -----------------------------------------------------------------------------------


def test_version_is_assumed_2_1_when_missing():
    assert parse_edexml(document()).version == "2.1"


@pytest.mark.parametrize(
    ("root", "school_version", "expected"),
    [
        ('<EDEX versie="2.0">', None, "2.0"),
        ("<EDEX>", "2.0", "2.0"),
        ("<EDEX>", "2.1.3", "2.1"),
        ('<EDEX versie=" 2.1 ">', None, "2.1"),
    ],
)
def test_supported_versions(root, school_version, expected):
    school = SCHOOL
    if school_version:
        school = school.replace("</school>", f"<xsdversie>{school_version}</xsdversie></school>")
    assert parse_edexml(document(root=root, school=school)).version == expected


@pytest.mark.parametrize("version", ["1.0", "3.0", "2.2", "2.10", "twee"])
def test_unsupported_version_in_root_is_fatal(version):
    with pytest.raises(EdexError) as error:
        parse_edexml(document(root=f'<EDEX versie="{version}">'))
    assert f"version {version} (line 2)" in str(error.value)
    assert "2.0 and 2.1" in str(error.value)
    assert error.value.line == 2


def test_unsupported_version_file():
    data = sample("unsupported_version.xml")
    with pytest.raises(EdexError) as error:
        parse_edexml(data)
    line = line_of(data, "<xsdversie>")
    assert str(error.value) == (
        f"This file is EDEXML version 1.0 (line {line}); hgw reads versions 2.0 and 2.1."
    )


# --- Size --------------------------------------------------------------------------------------


def test_file_over_the_limit_is_refused():
    pupils = "".join(pupil_xml(f"P{n}", groep=None) for n in range(400))
    data = pupils_document(pupils)
    limit = len(data) - 1  # generated in memory, just over the limit
    with pytest.raises(EdexError) as error:
        parse_edexml(data, max_bytes=limit)
    assert f"{limit / (1024 * 1024):.3g} MB" in str(error.value)
    # At the limit itself it is read.
    assert len(parse_edexml(data, max_bytes=len(data)).pupils) == 400


def test_default_limit_is_20_mb_and_checked_before_parsing(monkeypatch):
    def no_parsing(*args, **kwargs):
        raise AssertionError("the file was parsed")

    monkeypatch.setattr(edexml, "DefusedXMLParser", no_parsing)
    data = b"<" + b"x" * (20 * 1024 * 1024)  # 20 MB + 1 byte
    started = time.monotonic()
    with pytest.raises(EdexError) as error:
        parse_edexml(data)
    assert time.monotonic() - started < 1
    assert str(error.value) == (
        "The file is larger than 20 MB, the most hgw accepts for an EDEXML file."
    )


# --- Hostile and broken files ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["billion_laughs.xml", "external_entity.xml", "doctype_only.xml"])
def test_document_type_declarations_are_refused(name):
    started = time.monotonic()
    with pytest.raises(EdexError) as error:
        parse_edexml(sample(name))
    assert time.monotonic() - started < 1
    assert str(error.value) == (
        "The file contains a document type declaration (DTD) on line 2, which hgw does not "
        "accept for safety."
    )
    assert error.value.line == 2
    assert "root:" not in str(error.value)


def _parser_allowing(**allowed: bool):
    """The real parser with some of its protections lifted, to show the next one holds."""

    original = edexml.DefusedXMLParser

    def make(**kwargs):
        return original(**(kwargs | allowed))

    return make


def test_entity_declarations_are_refused_even_if_dtds_were_allowed(monkeypatch):
    monkeypatch.setattr(edexml, "DefusedXMLParser", _parser_allowing(forbid_dtd=False))
    with pytest.raises(EdexError) as error:
        parse_edexml(sample("billion_laughs.xml"))
    assert str(error.value) == (
        "The file declares an entity on line 3, which hgw does not accept for safety."
    )


def test_external_references_are_refused_even_if_entities_were_allowed(monkeypatch):
    monkeypatch.setattr(
        edexml, "DefusedXMLParser", _parser_allowing(forbid_dtd=False, forbid_entities=False)
    )
    data = sample("external_entity.xml")
    with pytest.raises(EdexError) as error:
        parse_edexml(data)
    assert str(error.value) == (
        f"The file refers to an external file or address on line {line_of(data, '&xxe;')}, "
        "which hgw does not accept for safety."
    )


def test_not_xml():
    with pytest.raises(EdexError) as error:
        parse_edexml(sample("not_xml.xml"))
    assert str(error.value).startswith("The file is not well-formed XML:")
    assert "on line 1, column" in str(error.value)
    assert error.value.line == 1


def test_broken_xml_names_line_and_column():
    data = document(GROUPS.replace("</naam>", "</name>", 1))
    with pytest.raises(EdexError) as error:
        parse_edexml(data)
    line = line_of(data, "</name>")
    column = data.split(b"\n")[line - 1].index(b"</name>") + 3  # expat points at the name
    assert str(error.value) == (
        f"The file is not well-formed XML: mismatched tag on line {line}, column {column}."
    )
    assert error.value.line == line


def test_empty_file():
    with pytest.raises(EdexError, match="not well-formed XML: no element found on line 1"):
        parse_edexml(b"")


def test_wrong_encoding():
    data = sample("latin1_declared_utf8.xml")
    with pytest.raises(EdexError) as error:
        parse_edexml(data)
    line = line_of(data, "<roepnaam>")
    assert str(error.value) == (
        f"The file's encoding is wrong: line {line} contains bytes that are not valid UTF-8. "
        "Export the file again as UTF-8."
    )
    assert error.value.line == line


def test_declared_latin1_is_read():
    data = document(GROUPS + "<leerlingen>" + pupil_xml(roepnaam="René") + "</leerlingen>")
    data = data.replace(b"UTF-8", b"ISO-8859-1").replace("é".encode(), b"\xe9")
    assert parse_edexml(data).pupils[0].given_name == "René"


def test_unknown_encoding():
    data = document().replace(b"UTF-8", b"klingon")
    with pytest.raises(EdexError) as error:
        parse_edexml(data)
    assert str(error.value) == (
        "The file declares the encoding KLINGON, which hgw does not know. Export the file "
        "again as UTF-8."
    )


def test_wrong_root():
    with pytest.raises(EdexError) as error:
        parse_edexml(sample("wrong_root.xml"))
    assert str(error.value) == (
        "The file's root element is <leerlingen> on line 2, not <EDEX>: this is not an EDEXML file."
    )


# --- The school block --------------------------------------------------------------------------


def test_missing_school_block():
    with pytest.raises(EdexError, match="no school block"):
        parse_edexml(document(GROUPS, school=""))


def test_two_school_blocks():
    with pytest.raises(EdexError) as error:
        parse_edexml(document(school=SCHOOL + SCHOOL))
    assert "more than one school block (lines 3 and 7)" in str(error.value)


@pytest.mark.parametrize("child", ["schooljaar", "brincode"])
def test_school_without_required_child(child):
    school = SCHOOL.replace(f"<{child}>", f"<{child}>  ")  # whitespace only counts as empty
    school = school.split(f"<{child}>")[0] + f"<{child}/>" + school.split(f"</{child}>")[1]
    with pytest.raises(EdexError) as error:
        parse_edexml(document(school=school))
    assert str(error.value) == f"The school block on line 3 has no {child}."
    assert error.value.line == 3


@pytest.mark.parametrize("year", ["2026-2028", "2026/2027", "26-27", "2026"])
def test_bad_school_year(year):
    with pytest.raises(EdexError) as error:
        parse_edexml(document(school=SCHOOL.replace("2026-2027", year)))
    assert str(error.value) == (
        f'The schooljaar "{year}" on line 4 is not a school year like 2026-2027.'
    )


def test_bad_brin_file():
    data = sample("bad_brin.xml")
    with pytest.raises(EdexError) as error:
        parse_edexml(data)
    assert str(error.value) == (
        f'The brincode "AB12" on line {line_of(data, "<brincode>")} is not a BRIN code (two '
        "digits and two capital letters, like 99AA)."
    )


@pytest.mark.parametrize("brin", ["99aa", "999A", "99AAA"])
def test_bad_brin(brin):
    with pytest.raises(EdexError, match="is not a BRIN code"):
        parse_edexml(document(school=SCHOOL.replace("99AA", brin)))


def test_bad_dependance_code():
    school = SCHOOL.replace("</school>", "<dependancecode>1</dependancecode></school>")
    with pytest.raises(EdexError, match='dependancecode "1" on line 6 is not a code of two'):
        parse_edexml(document(school=school))


# --- Row problems: leerlingen ------------------------------------------------------------------


def test_missing_birthdate_file():
    data = sample("missing_birthdate.xml")
    result = parse_edexml(data)
    line = line_of(data, 'leerling key="RB-0001"')
    assert result.problems == [
        EdexProblem(
            line=line,
            element="leerling",
            key="RB-0001",
            message=f"leerling RB-0001 on line {line} has no geboortedatum.",
        )
    ]
    assert [pupil.key for pupil in result.pupils] == ["RB-0002"]


@pytest.mark.parametrize("child", ["achternaam", "geboortedatum", "geslacht"])
def test_pupil_without_required_child(child):
    data = pupils_document(pupil_xml(**{child: None}))
    result = parse_edexml(data)
    assert result.pupils == []
    assert only_problem(result).message == f"{subject(data, 'P1')} has no {child}."


def test_pupil_needs_roepnaam_or_voornamen():
    data = pupils_document(pupil_xml(roepnaam="", voornamen=" "))
    assert only_problem(parse_edexml(data)).message == (
        f"{subject(data, 'P1')} has neither roepnaam nor voornamen."
    )


def test_pupil_given_name_from_voornamen_when_roepnaam_empty():
    result = parse_edexml(pupils_document(pupil_xml(roepnaam="", voornamen="Johanna  Maria")))
    assert result.pupils[0].given_name == "Johanna"


@pytest.mark.parametrize("value", ["2019-02-30", "14-03-2019", "20190314", "2019-3-14", "gisteren"])
def test_unparseable_birthdate(value):
    data = pupils_document(pupil_xml(geboortedatum=value))
    result = parse_edexml(data)
    assert result.pupils == []
    assert only_problem(result).message == (
        f'{subject(data, "P1")} has geboortedatum "{value}" on line '
        f"{line_of(data, '<geboortedatum>')}, which is not a date like 2019-03-31."
    )


@pytest.mark.parametrize("child", ["instroomdatum", "uitstroomdatum"])
def test_unparseable_optional_date(child):
    result = parse_edexml(pupils_document(pupil_xml(**{child: "2024-13-01"})))
    assert f'has {child} "2024-13-01"' in only_problem(result).message


@pytest.mark.parametrize("value", ["3", "M", "V", "-1", "1.0"])
def test_invalid_sex(value):
    data = pupils_document(pupil_xml(geslacht=value))
    assert only_problem(parse_edexml(data)).message == (
        f'{subject(data, "P1")} has geslacht "{value}"; expected 0, 1, 2 or 9.'
    )


@pytest.mark.parametrize("value", ["0", "9", "X", "groep 3"])
def test_invalid_pupil_grade(value):
    data = pupils_document(pupil_xml(jaargroep=value))
    assert only_problem(parse_edexml(data)).message == (
        f'{subject(data, "P1")} has jaargroep "{value}" on line '
        f"{line_of(data, f'<jaargroep>{value}')}; expected 1 to 8, S (special) or C "
        "(combination group)."
    )


def test_grade_is_upper_cased():
    result = parse_edexml(pupils_document(pupil_xml(jaargroep="s")))
    assert result.pupils[0].grade == "S"


def test_leaving_before_entering():
    pupil = pupil_xml(instroomdatum="2024-08-26", uitstroomdatum="2024-08-25")
    data = pupils_document(pupil)
    assert only_problem(parse_edexml(data)).message == (
        f"{subject(data, 'P1')} has an uitstroomdatum (2024-08-25) before its instroomdatum "
        "(2024-08-26)."
    )


def test_leaving_on_the_day_of_entering_is_fine():
    pupil = pupil_xml(instroomdatum="2024-08-26", uitstroomdatum="2024-08-26")
    assert parse_edexml(pupils_document(pupil)).problems == []


def test_entering_before_birth():
    result = parse_edexml(pupils_document(pupil_xml(instroomdatum="2019-03-13")))
    assert "instroomdatum (2019-03-13) before its geboortedatum" in only_problem(result).message


@pytest.mark.parametrize("key_attr", [None, "  "])
def test_pupil_without_key(key_attr):
    data = pupils_document(pupil_xml(key_attr))
    result = parse_edexml(data)
    assert result.pupils == []
    line = line_of(data, "<achternaam>") - 1
    assert only_problem(result) == EdexProblem(
        line=line,
        element="leerling",
        key=None,
        message=f"leerling on line {line} has no key attribute.",
    )


def test_too_long_name():
    data = pupils_document(pupil_xml(voorvoegsel="van " * 10))
    assert only_problem(parse_edexml(data)).message == (
        f"{subject(data, 'P1')}: voorvoegsel is longer than 20 characters."
    )


def test_whitespace_is_stripped_and_empty_text_is_absent():
    pupil = pupil_xml(
        achternaam="\n        Vries  ", voorvoegsel="   ", roepnaam=" Sanne ", geslacht=" 2 "
    )
    pupil = pupil.replace('key="P1"', 'key=" P1 " eckid="  "')
    result = parse_edexml(pupils_document(pupil))
    assert result.problems == []
    (read,) = result.pupils
    assert (read.key, read.eck_id, read.given_name, read.name_prefix, read.family_name) == (
        "P1",
        "",
        "Sanne",
        "",
        "Vries",
    )


def test_pupil_group_references():
    pupil = pupil_xml().replace(
        "</leerling>",
        '<groep key="G3"/><samengestelde_groepen><samengestelde_groep key="SG1"/>'
        "</samengestelde_groepen></leerling>",
    )
    (read,) = parse_edexml(pupils_document(pupil)).pupils
    assert (read.group_key, read.composed_group_keys) == ("G3", ("SG1",))


def test_pupil_in_two_groups():
    pupil = pupil_xml().replace("</leerling>", '<groep key="G3"/><groep key="G4"/></leerling>')
    body = GROUPS.replace("</groepen>", '<groep key="G4"><naam>4</naam><jaargroep>4</jaargroep>'
                          "</groep></groepen>")  # fmt: skip
    result = parse_edexml(document(body + "<leerlingen>" + pupil + "</leerlingen>"))
    assert "is in more than one groep (G3, G4)" in only_problem(result).message


def test_group_reference_without_key():
    pupil = pupil_xml().replace("</leerling>", "\n<groep/></leerling>")
    data = pupils_document(pupil)
    assert only_problem(parse_edexml(data)).message == (
        f"{subject(data, 'P1')} has a groep reference without key on line "
        f"{line_of(data, '<groep/>')}."
    )


def test_unknown_group_reference_file():
    data = sample("unknown_group_reference.xml")
    result = parse_edexml(data)

    assert [pupil.key for pupil in result.pupils] == ["RB-0003"]  # groepen come later in the file
    assert result.teachers == []
    lines = [line_of(data, f'key="{key}"') for key in ("RB-0001", "RB-0002", "T-1")]
    assert result.problems == [
        EdexProblem(
            lines[0],
            "leerling",
            "RB-0001",
            f"leerling RB-0001 on line {lines[0]} refers to groep G9, which is not in groepen.",
        ),
        EdexProblem(
            lines[1],
            "leerling",
            "RB-0002",
            f"leerling RB-0002 on line {lines[1]} refers to samengestelde_groep SG-X, which is "
            "not in groepen.",
        ),
        EdexProblem(
            lines[2],
            "leerkracht",
            "T-1",
            f"leerkracht T-1 on line {lines[2]} refers to groep G7, which is not in groepen.",
        ),
    ]


def test_reference_to_a_skipped_group():
    body = GROUPS.replace("<naam>Groep 3</naam>", "")
    pupil = pupil_xml().replace("</leerling>", '<groep key="G3"/></leerling>')
    data = document(body + "<leerlingen>" + pupil + "</leerlingen>")
    first, second = parse_edexml(data).problems
    group = line_of(data, '<groep key="G3">')
    assert first.message == f"groep G3 on line {group} has no naam."
    assert second.message == (
        f"{subject(data, 'P1')} refers to groep G3, which was skipped because of its own "
        f"problem (line {group})."
    )


def test_problems_are_in_line_order():
    result = parse_edexml(
        document(
            "<leerlingen>"
            + pupil_xml("P1", geslacht="7")
            + "</leerlingen>"
            + "<groepen><groep key='G1'><naam>Groep 1</naam></groep></groepen>"
        )
    )
    assert [(problem.element, problem.key) for problem in result.problems] == [
        ("leerling", "P1"),
        ("groep", "G1"),
    ]
    assert result.problems[0].line < result.problems[1].line


# --- Row problems: groepen ---------------------------------------------------------------------


@pytest.mark.parametrize("value", [None, "0", "9", "B"])
def test_group_grade_is_required_and_valid(value):
    grade = "" if value is None else f"<jaargroep>{value}</jaargroep>"
    data = document(f'\n<groepen><groep key="G"><naam>G</naam>{grade}</groep></groepen>')
    result = parse_edexml(data)
    assert result.groups == []
    problem = only_problem(result)
    line = line_of(data, '<groep key="G">')
    assert (problem.element, problem.key, problem.line) == ("groep", "G", line)
    if value is None:
        assert problem.message == f"groep G on line {line} has no jaargroep."
    else:
        assert f'has jaargroep "{value}"' in problem.message


def test_composed_group_needs_a_name():
    body = '<samengestelde_groepen><samengestelde_groep key="S"/></samengestelde_groepen>'
    data = document(body)
    assert only_problem(parse_edexml(data)).message == (
        f"{subject(data, 'S', 'samengestelde_groep')} has no naam."
    )


def test_duplicate_keys_file():
    data = sample("duplicate_keys.xml")
    result = parse_edexml(data)

    # The first of each is kept...
    assert [(group.key, group.name) for group in result.groups] == [("G3", "Groep 3")]
    assert [pupil.family_name for pupil in result.pupils] == ["Vries"]
    assert [teacher.family_name for teacher in result.teachers] == ["Dekker"]
    # ...the second is the problem, and the message points at the first.
    group_lines = [i + 1 for i, text in enumerate(data.split(b"\n")) if b'groep key="G3"' in text]
    assert result.problems[0] == EdexProblem(
        group_lines[1],
        "groep",
        "G3",
        f"groep G3 on line {group_lines[1]} has the same key as the groep on line "
        f"{group_lines[0]}.",
    )
    assert [(problem.element, problem.key) for problem in result.problems] == [
        ("groep", "G3"),
        ("leerling", "RB-0001"),
        ("leerkracht", "T-1"),
    ]
    first_pupil = line_of(data, 'leerling key="RB-0001"')
    assert f"the same key as the leerling on line {first_pupil}." in result.problems[1].message


def test_same_key_in_another_kind_is_fine():
    body = GROUPS.replace('key="SG1"', 'key="G3"')
    result = parse_edexml(document(body))
    assert result.problems == []
    assert [group.key for group in result.groups + result.composed_groups] == ["G3", "G3"]


# --- Row problems: leerkrachten ----------------------------------------------------------------


def teacher_xml(key: str = "T1", inner: str = "") -> str:
    return (
        f'\n    <leerkracht key="{key}">'
        f"\n      <achternaam>Dekker</achternaam>{inner}"
        "\n    </leerkracht>"
    )


@pytest.mark.parametrize("email", ["joost", "joost@", "joost dekker@school.nl", "@school.nl"])
def test_invalid_email(email):
    data = teachers_document(teacher_xml(inner=f"<emailadres>{email}</emailadres>"))
    result = parse_edexml(data)
    assert result.teachers == []
    assert only_problem(result).message == (
        f'{subject(data, "T1", "leerkracht")} has emailadres "{email}", which is not an e-mail '
        "address."
    )


def test_empty_email_is_absent():
    result = parse_edexml(teachers_document(teacher_xml(inner="<emailadres> </emailadres>")))
    assert result.problems == []
    assert result.teachers[0].email is None
    assert result.teachers[0].given_name == ""
    assert result.teachers[0].full_name == "Dekker"


def test_two_teachers_with_the_same_email():
    data = teachers_document(
        teacher_xml("T1", "<emailadres>j.dekker@school.nl</emailadres>"),
        teacher_xml("T2", "<emailadres>J.Dekker@School.nl</emailadres>"),
    )
    result = parse_edexml(data)
    assert [teacher.key for teacher in result.teachers] == ["T1"]
    assert only_problem(result).message == (
        f"{subject(data, 'T2', 'leerkracht')} has the same emailadres as the leerkracht on line "
        f"{line_of(data, 'key="T1"')}; each leerkracht needs an e-mail address of their own."
    )


def test_teacher_without_family_name():
    data = teachers_document('<leerkracht key="T1"><roepnaam>Joost</roepnaam></leerkracht>')
    assert only_problem(parse_edexml(data)).message == (
        f"{subject(data, 'T1', 'leerkracht')} has no achternaam."
    )


def test_teacher_roles_and_groups():
    inner = (
        "<rol>ib</rol><rollen><rol> dir </rol><rol>IB</rol><rol/></rollen><rol>ADM</rol>"
        '<groepen><groep key="G3"/><groep key="G3"/></groepen>'
        '<samengestelde_groepen><samengestelde_groep key="SG1"/></samengestelde_groepen>'
    )
    (teacher,) = parse_edexml(teachers_document(teacher_xml(inner=inner))).teachers
    assert teacher.roles == ("IB", "ADM", "DIR")
    assert teacher.group_keys == ("G3",)
    assert teacher.composed_group_keys == ("SG1",)


def test_teacher_unknown_composed_group():
    inner = '<samengestelde_groepen><samengestelde_groep key="X"/></samengestelde_groepen>'
    data = teachers_document(teacher_xml(inner=inner))
    result = parse_edexml(data)
    assert result.teachers == []
    assert only_problem(result).message == (
        f"{subject(data, 'T1', 'leerkracht')} refers to samengestelde_groep X, which is not in "
        "groepen."
    )


def test_teacher_without_key():
    data = teachers_document("\n<leerkracht><achternaam>D</achternaam></leerkracht>")
    assert only_problem(parse_edexml(data)).message == (
        f"leerkracht on line {line_of(data, '<leerkracht>')} has no key attribute."
    )


def test_teacher_name_too_long_for_an_account():
    data = teachers_document(teacher_xml(inner=f"<roepnaam>{'A' * 200}</roepnaam>"))
    assert only_problem(parse_edexml(data)).message == (
        f"{subject(data, 'T1', 'leerkracht')} has a name longer than 200 characters."
    )


def test_utf8_with_byte_order_mark():
    data = b"\xef\xbb\xbf" + pupils_document(pupil_xml(roepnaam="Zoë"))
    assert parse_edexml(data).pupils[0].given_name == "Zoë"
