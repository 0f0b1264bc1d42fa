"""Reading EDEXML 2.0 and 2.1: the export every Dutch school administration system makes.

The parser is pure (no database) so that an import can be checked and shown to the user before
anything is written. Two kinds of trouble are kept apart:

- `EdexError`: the file cannot be read at all (not XML, hostile XML, not EDEXML, no school).
- `EdexProblem`: one row (a groep, leerling, leerkracht...) is wrong; it is skipped and the rest
  of the file is still usable. Every problem names the element, its key and its line, so that
  the school can fix it in its administration system.

Safety and privacy:

- The XML is parsed by defusedxml with DTDs, entity declarations and external references
  forbidden: no entity expansion bombs, no reading of local files or URLs.
- Only the data hgw needs is read. BSN, onderwijsnummer, nationality, country of birth,
  address, phone and the like are never copied: the output dataclasses have no field for them,
  and only known children of each row are looked at.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from xml.etree import ElementTree
from xml.parsers.expat import XMLParserType

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser, ParseError
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

__all__ = [
    "GRADES",
    "SEX_CODES",
    "EdexError",
    "EdexFile",
    "EdexGroup",
    "EdexProblem",
    "EdexPupil",
    "EdexSchool",
    "EdexTeacher",
    "parse_edexml",
]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

# The jaargroep codes: groep 1 to 8, "S" for a special (speciaal onderwijs) group and "C" for a
# combination group (e.g. groep 3/4) whose grades follow from its pupils.
GRADES = ("1", "2", "3", "4", "5", "6", "7", "8", "S", "C")
# geslacht as coded in EDEXML (and in pupils.models.Sex): unknown, male, female, unspecified.
SEX_CODES = (0, 1, 2, 9)

# Lengths of the fields the values end up in (pupils.models, accounts.models). Checked here so
# that a too long value is reported with its line instead of failing the import later.
_KEY_MAX = 60
_GROUP_NAME_MAX = 60
_GIVEN_NAME_MAX = 100
_NAME_PREFIX_MAX = 20
_FAMILY_NAME_MAX = 150
_ECK_ID_MAX = 255
_TEACHER_FULL_NAME_MAX = 200
_EMAIL_MAX = 254

_SCHOOL_YEAR_RE = re.compile(r"^(\d{4})-(\d{4})$")
_BRIN_RE = re.compile(r"^\d{2}[A-Z]{2}$")
_DEPENDANCE_RE = re.compile(r"^\d{2}$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# "2.0", "2.1", also "2.1.3" or "2.1-rc"; not "2.10" nor "1.0" nor "3.0".
_VERSION_RE = re.compile(r"^(2\.[01])(?!\d)")
_DEFAULT_VERSION = "2.1"
# An XML file starts with "<" after an optional UTF-8 byte order mark and whitespace. Files
# that start otherwise with one of these signatures, or with control bytes, are binary files
# uploaded by mistake; they get their own message instead of expat's confusing one.
_XML_START_RE = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*<")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")  # expat reads these itself
_BINARY_SIGNATURES = (
    b"PK\x03\x04",  # zip: .xlsx, .ods, .docx
    b"\xd0\xcf\x11\xe0",  # old Office files
    b"%PDF",
    b"\x89PNG",
    b"\xff\xd8\xff",  # JPEG
    b"GIF8",
)
_CONTROL_BYTES_RE = re.compile(rb"[\x00-\x08\x0e-\x1f]")
_ENCODING_DECL_RE = re.compile(rb"""^<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z][\w.:-]*)["']""")


# --- Output ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EdexSchool:
    brin: str
    dependance_code: str  # "" when the file has none
    name: str | None
    school_year_start: int  # 2026 for schooljaar "2026-2027"
    line: int


@dataclass(frozen=True)
class EdexGroup:
    """A groep, or a samengestelde groep (composed=True, grade "")."""

    key: str
    name: str
    grade: str  # "1".."8", "S" or "C"; "" for a samengestelde groep
    composed: bool
    line: int

    @property
    def grade_number(self) -> int | None:
        """The grade as a number for groep 1 to 8; None for special, combination and composed."""
        return int(self.grade) if self.grade.isdigit() else None


@dataclass(frozen=True)
class EdexPupil:
    key: str
    eck_id: str  # "" when the file has none
    family_name: str
    name_prefix: str
    given_name: str
    date_of_birth: date
    sex: int
    grade: str | None
    group_key: str | None
    composed_group_keys: tuple[str, ...]
    date_in: date | None
    date_out: date | None
    line: int


@dataclass(frozen=True)
class EdexTeacher:
    key: str
    family_name: str
    name_prefix: str
    given_name: str
    email: str | None
    roles: tuple[str, ...]  # upper case codes as in the file: LRK, IB, DIR, ADM...
    group_keys: tuple[str, ...]
    composed_group_keys: tuple[str, ...]
    line: int

    @property
    def full_name(self) -> str:
        """As it is said: "Sanne de Vries"."""
        return " ".join(
            part for part in (self.given_name, self.name_prefix, self.family_name) if part
        )


@dataclass(frozen=True)
class EdexProblem:
    """A row that was skipped, and why."""

    line: int
    element: str  # local name of the skipped element: "leerling", "groep"...
    key: str | None
    message: str


@dataclass
class EdexFile:
    version: str  # "2.0" or "2.1"
    school: EdexSchool
    groups: list[EdexGroup]
    composed_groups: list[EdexGroup]
    pupils: list[EdexPupil]
    teachers: list[EdexTeacher]
    problems: list[EdexProblem]  # ordered by line


class EdexError(ValueError):
    """The file cannot be read at all; the message says why (with the line where known)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


# --- Parsing -----------------------------------------------------------------------------------


def parse_edexml(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> EdexFile:
    """Read an EDEXML 2.0 or 2.1 file.

    Raises EdexError when the file cannot be used at all; wrong rows are skipped and listed in
    `EdexFile.problems`.
    """
    if len(data) > max_bytes:
        # Checked before parsing: a huge upload must not cost memory or time.
        raise EdexError(
            _("The file is larger than %(limit)s MB, the most hgw accepts for an EDEXML file.")
            % {"limit": f"{max_bytes / (1024 * 1024):.3g}"}
        )
    _refuse_binary(data)
    root, lines = _parse_tree(data)
    return _Reader(lines).read(root)


def _refuse_binary(data: bytes) -> None:
    """Refuse a file that is not XML at all (an image, a PDF, a workbook) by its content."""
    if _XML_START_RE.match(data) or data.startswith(_UTF16_BOMS):
        return
    if data.startswith(_BINARY_SIGNATURES) or _CONTROL_BYTES_RE.search(data[:1024]):
        raise EdexError(
            _(
                "This is not an EDEXML file: it is not XML but a binary file (such as a "
                "spreadsheet, a PDF or an image). Upload the EDEXML export of your "
                "administration system, a file ending in .xml."
            ),
            1,
        )


class _LineTreeBuilder(ElementTree.TreeBuilder):
    """Builds the tree and remembers the line on which each element starts."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[ElementTree.Element, int] = {}
        self.expat: XMLParserType | None = None  # set once the parser exists

    def start(self, tag: str, attrs: dict[str, str]) -> ElementTree.Element:
        element = super().start(tag, attrs)
        self.lines[element] = self.expat.CurrentLineNumber if self.expat is not None else 0
        return element


def _parse_tree(data: bytes) -> tuple[ElementTree.Element, dict[ElementTree.Element, int]]:
    builder = _LineTreeBuilder()
    parser = DefusedXMLParser(
        target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True
    )
    builder.expat = parser.parser

    def current_line() -> int | None:
        return getattr(parser.parser, "CurrentLineNumber", None)

    try:
        parser.feed(data)
        root = parser.close()
    except DTDForbidden as error:
        line = current_line()
        raise EdexError(
            _(
                "The file contains a document type declaration (DTD) on line %(line)s, which "
                "hgw does not accept for safety."
            )
            % {"line": line},
            line,
        ) from error
    except EntitiesForbidden as error:
        line = current_line()
        raise EdexError(
            _("The file declares an entity on line %(line)s, which hgw does not accept for safety.")
            % {"line": line},
            line,
        ) from error
    except ExternalReferenceForbidden as error:
        line = current_line()
        raise EdexError(
            _(
                "The file refers to an external file or address on line %(line)s, which hgw "
                "does not accept for safety."
            )
            % {"line": line},
            line,
        ) from error
    except ParseError as error:
        raise _parse_error(data, error) from error
    except LookupError as error:
        # expat asks Python for encodings it does not know itself; an unknown name ends here.
        raise _unknown_encoding(_declared_encoding(data)) from error
    return root, builder.lines


def _parse_error(data: bytes, error: ParseError) -> EdexError:
    """Explain expat's complaint; a wrong encoding gets its own message, as it needs another fix
    (saving the file as UTF-8) than broken XML."""
    line, column = getattr(error, "position", (None, None))
    encoding = _declared_encoding(data)
    try:
        data.decode(encoding)
    except LookupError:
        return _unknown_encoding(encoding)
    except UnicodeDecodeError as decode_error:
        bad_line = data.count(b"\n", 0, decode_error.start) + 1
        return EdexError(
            _(
                "The file's encoding is wrong: line %(line)d contains bytes that are not valid "
                "%(encoding)s. Export the file again as UTF-8."
            )
            % {"line": bad_line, "encoding": encoding},
            bad_line,
        )
    if line is None:
        return EdexError(_("The file is not well-formed XML: %(detail)s.") % {"detail": error})
    detail = str(error).split(":", 1)[0]  # expat's reason, without its own position
    return EdexError(
        _("The file is not well-formed XML: %(detail)s on line %(line)d, column %(column)d.")
        % {"detail": detail, "line": line, "column": (column or 0) + 1},
        line,
    )


def _unknown_encoding(encoding: str) -> EdexError:
    return EdexError(
        _(
            "The file declares the encoding %(encoding)s, which hgw does not know. Export the "
            "file again as UTF-8."
        )
        % {"encoding": encoding},
        1,
    )


def _declared_encoding(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return "UTF-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    match = _ENCODING_DECL_RE.match(data[:200])
    return match.group(1).decode("ascii").upper() if match else "UTF-8"


# --- Reading the tree --------------------------------------------------------------------------


def _local(tag: object) -> str:
    # Comments and processing instructions have a function as tag; they are not elements.
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _clean(text: str | None) -> str | None:
    """Whitespace stripped (and runs of it made one space); empty text counts as absent."""
    if not text:
        return None
    return " ".join(text.split()) or None


class _Skip(Exception):
    """A row-level problem: the row is skipped and the message reported."""


class _Reader:
    def __init__(self, lines: dict[ElementTree.Element, int]) -> None:
        self.lines = lines
        self.problems: list[EdexProblem] = []
        self.group_keys: set[str] = set()
        self.group_lines: dict[str, int] = {}  # every groep key seen, valid or not: first line
        self.composed_keys: set[str] = set()
        self.composed_lines: dict[str, int] = {}
        self.teacher_emails: dict[str, int] = {}  # lower-cased address: line of its leerkracht

    # Small helpers ------------------------------------------------------------------------

    def line(self, element: ElementTree.Element) -> int:
        return self.lines.get(element, 0)

    @staticmethod
    def children(element: ElementTree.Element, name: str) -> list[ElementTree.Element]:
        return [child for child in element if _local(child.tag) == name]

    def child(self, element: ElementTree.Element, name: str) -> ElementTree.Element | None:
        found = self.children(element, name)
        return found[0] if found else None

    def text(self, element: ElementTree.Element, name: str) -> str | None:
        child = self.child(element, name)
        return _clean(child.text) if child is not None else None

    @staticmethod
    def attribute(element: ElementTree.Element, name: str) -> str | None:
        for attr, value in element.attrib.items():
            if _local(attr) == name:
                return _clean(value)
        return None

    def grandchildren(
        self, element: ElementTree.Element, container: str, name: str
    ) -> list[ElementTree.Element]:
        return [
            item
            for block in self.children(element, container)
            for item in self.children(block, name)
        ]

    # The document -------------------------------------------------------------------------

    def read(self, root: ElementTree.Element) -> EdexFile:
        if _local(root.tag) != "EDEX":
            raise EdexError(
                _(
                    "The file's root element is <%(found)s> on line %(line)d, not <EDEX>: this "
                    "is not an EDEXML file."
                )
                % {"found": _local(root.tag), "line": self.line(root)},
                self.line(root),
            )
        schools = self.children(root, "school")
        if len(schools) > 1:
            raise EdexError(
                _(
                    "The file has more than one school block (lines %(first)d and "
                    "%(second)d); hgw imports one school at a time."
                )
                % {"first": self.line(schools[0]), "second": self.line(schools[1])},
                self.line(schools[1]),
            )
        school_element = schools[0] if schools else None
        version = self.version(root, school_element)
        if school_element is None:
            raise EdexError(
                _("The file has no school block, so hgw cannot tell which school it is for.")
            )
        school = self.school(school_element)

        # Groups first, whatever their place in the file: pupils and teachers refer to them.
        groups = self.rows(root, ("groepen",), "groep", self.group)
        # EDEXML 2.1 puts a samengestelde groep (a Plusklas) inside <groepen>, beside the
        # groepen; hgw's demo files (and some exports) give them a block of their own.
        composed = self.rows(
            root, ("groepen", "samengestelde_groepen"), "samengestelde_groep", self.composed
        )
        pupils = self.rows(root, ("leerlingen",), "leerling", self.pupil)
        teachers = self.rows(root, ("leerkrachten",), "leerkracht", self.teacher)
        self.problems.sort(key=lambda problem: problem.line)
        return EdexFile(
            version=version,
            school=school,
            groups=groups,
            composed_groups=composed,
            pupils=pupils,
            teachers=teachers,
            problems=self.problems,
        )

    def version(self, root: ElementTree.Element, school: ElementTree.Element | None) -> str:
        value, line = self.attribute(root, "versie"), self.line(root)
        if value is None and school is not None:
            element = self.child(school, "xsdversie")
            if element is not None:
                value, line = _clean(element.text), self.line(element)
        if value is None:
            return _DEFAULT_VERSION
        match = _VERSION_RE.match(value)
        if not match:
            raise EdexError(
                _(
                    "This file is EDEXML version %(version)s (line %(line)d); hgw reads "
                    "versions 2.0 and 2.1."
                )
                % {"version": value, "line": line},
                line,
            )
        return match.group(1)

    def school(self, element: ElementTree.Element) -> EdexSchool:
        line = self.line(element)

        def required(name: str) -> tuple[str, int]:
            child = self.child(element, name)
            value = _clean(child.text) if child is not None else None
            if value is None:
                raise EdexError(
                    _("The school block on line %(line)d has no %(child)s.")
                    % {"line": line, "child": name},
                    line,
                )
            return value, self.line(child)

        school_year, year_line = required("schooljaar")
        match = _SCHOOL_YEAR_RE.match(school_year)
        if not match or int(match.group(2)) != int(match.group(1)) + 1:
            raise EdexError(
                _(
                    'The schooljaar "%(value)s" on line %(line)d is not a school year like '
                    "2026-2027."
                )
                % {"value": school_year, "line": year_line},
                year_line,
            )
        brin, brin_line = required("brincode")
        if not _BRIN_RE.match(brin):
            raise EdexError(
                _(
                    'The brincode "%(value)s" on line %(line)d is not a BRIN code (two digits '
                    "and two capital letters, like 99AA)."
                )
                % {"value": brin, "line": brin_line},
                brin_line,
            )
        dependance = self.child(element, "dependancecode")
        dependance_code = (_clean(dependance.text) if dependance is not None else None) or ""
        if dependance_code and not _DEPENDANCE_RE.match(dependance_code):
            dependance_line = self.line(dependance)
            raise EdexError(
                _('The dependancecode "%(value)s" on line %(line)d is not a code of two digits.')
                % {"value": dependance_code, "line": dependance_line},
                dependance_line,
            )
        return EdexSchool(
            brin=brin,
            dependance_code=dependance_code,
            name=self.text(element, "naam"),
            school_year_start=int(match.group(1)),
            line=line,
        )

    # Rows ---------------------------------------------------------------------------------

    def rows[T](
        self,
        root: ElementTree.Element,
        containers: tuple[str, ...],
        name: str,
        read_row: Callable[[ElementTree.Element, "_Row"], T],
    ) -> list[T]:
        """Read every `container/name` row of the containers in file order; a row with a
        problem is skipped and reported, and a key seen before makes the later row the
        duplicate."""
        result: list[T] = []
        seen: dict[str, int] = {}
        elements = [e for c in containers for e in self.grandchildren(root, c, name)]
        for element in sorted(elements, key=self.line):
            row = _Row(name, self.attribute(element, "key"), self.line(element))
            try:
                if row.key is None:
                    raise _Skip(_("%(subject)s has no key attribute.") % {"subject": row})
                if row.key in seen:
                    raise _Skip(
                        _("%(subject)s has the same key as the %(element)s on line %(first)d.")
                        % {"subject": row, "element": name, "first": seen[row.key]}
                    )
                seen[row.key] = row.line
                if name == "groep":
                    self.group_lines[row.key] = row.line
                elif name == "samengestelde_groep":
                    self.composed_lines[row.key] = row.line
                row.check_length("key", row.key, _KEY_MAX)
                result.append(read_row(element, row))
            except _Skip as problem:
                self.problems.append(EdexProblem(row.line, name, row.key, str(problem)))
        return result

    def required(self, element: ElementTree.Element, row: "_Row", name: str) -> str:
        value = self.text(element, name)
        if value is None:
            raise _Skip(_("%(subject)s has no %(child)s.") % {"subject": row, "child": name})
        return value

    def grade(self, element: ElementTree.Element, row: "_Row", *, required: bool) -> str | None:
        child = self.child(element, "jaargroep")
        value = _clean(child.text) if child is not None else None
        if value is None:
            if required:
                raise _Skip(
                    _("%(subject)s has no %(child)s.") % {"subject": row, "child": "jaargroep"}
                )
            return None
        if value.upper() not in GRADES:
            raise _Skip(
                _(
                    '%(subject)s has jaargroep "%(value)s" on line %(line)d; expected 1 to 8, '
                    "S (special) or C (combination group)."
                )
                % {"subject": row, "value": value, "line": self.line(child)}
            )
        return value.upper()

    def read_date(self, element: ElementTree.Element, row: "_Row", name: str) -> date | None:
        child = self.child(element, name)
        value = _clean(child.text) if child is not None else None
        if value is None:
            return None
        try:
            if not _DATE_RE.match(value):
                raise ValueError(value)
            return date.fromisoformat(value)
        except ValueError:
            raise _Skip(
                _(
                    '%(subject)s has %(child)s "%(value)s" on line %(line)d, which is not a '
                    "date like 2019-03-31."
                )
                % {"subject": row, "child": name, "value": value, "line": self.line(child)}
            ) from None

    def references(
        self, element: ElementTree.Element, row: "_Row", container: str | None, name: str
    ) -> tuple[str, ...]:
        """The keys of `container/name` (or of direct `name` children when container is None)
        references, each checked against the groups that were read."""
        if container is None:
            items = self.children(element, name)
        else:
            items = self.grandchildren(element, container, name)
        if name == "groep":
            valid, lines, block = self.group_keys, self.group_lines, "groepen"
        else:
            valid, lines, block = self.composed_keys, self.composed_lines, "groepen"
        keys: list[str] = []
        for item in items:
            key = self.attribute(item, "key")
            if key is None:
                raise _Skip(
                    _("%(subject)s has a %(element)s reference without key on line %(line)d.")
                    % {"subject": row, "element": name, "line": self.line(item)}
                )
            if key not in valid:
                if key in lines:
                    message = _(
                        "%(subject)s refers to %(element)s %(key)s, which was skipped because "
                        "of its own problem (line %(line)d)."
                    ) % {"subject": row, "element": name, "key": key, "line": lines[key]}
                else:
                    message = _(
                        "%(subject)s refers to %(element)s %(key)s, which is not in %(block)s."
                    ) % {"subject": row, "element": name, "key": key, "block": block}
                raise _Skip(message)
            if key not in keys:
                keys.append(key)
        return tuple(keys)

    # The kinds of rows --------------------------------------------------------------------

    def group(self, element: ElementTree.Element, row: "_Row") -> EdexGroup:
        name = self.required(element, row, "naam")
        row.check_length("naam", name, _GROUP_NAME_MAX)
        grade = self.grade(element, row, required=True)
        self.group_keys.add(row.key)
        return EdexGroup(key=row.key, name=name, grade=grade, composed=False, line=row.line)

    def composed(self, element: ElementTree.Element, row: "_Row") -> EdexGroup:
        name = self.required(element, row, "naam")
        row.check_length("naam", name, _GROUP_NAME_MAX)
        self.composed_keys.add(row.key)
        return EdexGroup(key=row.key, name=name, grade="", composed=True, line=row.line)

    def pupil(self, element: ElementTree.Element, row: "_Row") -> EdexPupil:
        family_name = self.required(element, row, "achternaam")
        name_prefix = self.text(element, "voorvoegsel") or ""
        given_name = self.text(element, "roepnaam")
        if given_name is None:
            first_names = self.text(element, "voornamen")
            if first_names is None:
                raise _Skip(_("%(subject)s has neither roepnaam nor voornamen.") % {"subject": row})
            given_name = first_names.split()[0]
        eck_id = self.attribute(element, "eckid") or ""
        row.check_length("achternaam", family_name, _FAMILY_NAME_MAX)
        row.check_length("voorvoegsel", name_prefix, _NAME_PREFIX_MAX)
        row.check_length("roepnaam", given_name, _GIVEN_NAME_MAX)
        row.check_length("eckid", eck_id, _ECK_ID_MAX)

        self.required(element, row, "geboortedatum")
        date_of_birth = self.read_date(element, row, "geboortedatum")
        sex_text = self.required(element, row, "geslacht")
        if sex_text not in {str(code) for code in SEX_CODES}:
            raise _Skip(
                _('%(subject)s has geslacht "%(value)s"; expected 0, 1, 2 or 9.')
                % {"subject": row, "value": sex_text}
            )
        grade = self.grade(element, row, required=False)

        main_groups = self.references(element, row, None, "groep")
        if len(main_groups) > 1:
            raise _Skip(
                _("%(subject)s is in more than one groep (%(keys)s).")
                % {"subject": row, "keys": ", ".join(main_groups)}
            )
        composed_keys = self.references(
            element, row, "samengestelde_groepen", "samengestelde_groep"
        )

        date_in = self.read_date(element, row, "instroomdatum")
        date_out = self.read_date(element, row, "uitstroomdatum")
        if date_in is not None and date_out is not None and date_out < date_in:
            raise _Skip(
                _("%(subject)s has an uitstroomdatum (%(out)s) before its instroomdatum (%(in)s).")
                % {"subject": row, "out": date_out.isoformat(), "in": date_in.isoformat()}
            )
        if date_in is not None and date_in < date_of_birth:
            raise _Skip(
                _("%(subject)s has an instroomdatum (%(in)s) before its geboortedatum.")
                % {"subject": row, "in": date_in.isoformat()}
            )
        return EdexPupil(
            key=row.key,
            eck_id=eck_id,
            family_name=family_name,
            name_prefix=name_prefix,
            given_name=given_name,
            date_of_birth=date_of_birth,
            sex=int(sex_text),
            grade=grade,
            group_key=main_groups[0] if main_groups else None,
            composed_group_keys=composed_keys,
            date_in=date_in,
            date_out=date_out,
            line=row.line,
        )

    def teacher(self, element: ElementTree.Element, row: "_Row") -> EdexTeacher:
        family_name = self.required(element, row, "achternaam")
        name_prefix = self.text(element, "voorvoegsel") or ""
        given_name = self.text(element, "roepnaam") or self.text(element, "voorletters") or ""
        full_name = " ".join(part for part in (given_name, name_prefix, family_name) if part)
        if len(full_name) > _TEACHER_FULL_NAME_MAX:
            raise _Skip(
                _("%(subject)s has a name longer than %(limit)d characters.")
                % {"subject": row, "limit": _TEACHER_FULL_NAME_MAX}
            )

        email = self.text(element, "emailadres")
        if email is not None:
            try:
                if len(email) > _EMAIL_MAX:
                    raise ValidationError("too long")
                validate_email(email)
            except ValidationError:
                raise _Skip(
                    _('%(subject)s has emailadres "%(value)s", which is not an e-mail address.')
                    % {"subject": row, "value": email}
                ) from None
            first = self.teacher_emails.get(email.lower())
            if first is not None:
                raise _Skip(
                    _(
                        "%(subject)s has the same emailadres as the leerkracht on line "
                        "%(first)d; each leerkracht needs an e-mail address of their own."
                    )
                    % {"subject": row, "first": first}
                )

        roles: list[str] = []
        for role in self.children(element, "rol") + self.grandchildren(element, "rollen", "rol"):
            code = _clean(role.text)
            if code is not None and code.upper() not in roles:
                roles.append(code.upper())

        # Teachers' groups are listed in groepen; a bare groep child is accepted as well.
        group_keys = tuple(
            dict.fromkeys(
                self.references(element, row, None, "groep")
                + self.references(element, row, "groepen", "groep")
            )
        )
        composed_keys = self.references(
            element, row, "samengestelde_groepen", "samengestelde_groep"
        )
        if email is not None:
            self.teacher_emails[email.lower()] = row.line
        return EdexTeacher(
            key=row.key,
            family_name=family_name,
            name_prefix=name_prefix,
            given_name=given_name,
            email=email,
            roles=tuple(roles),
            group_keys=group_keys,
            composed_group_keys=composed_keys,
            line=row.line,
        )


class _Row:
    """The row being read, to name it in messages: "leerling RB-0001 on line 42"."""

    def __init__(self, element: str, key: str | None, line: int) -> None:
        self.element = element
        self.key = key
        self.line = line

    def __str__(self) -> str:
        if self.key is None:
            return _("%(element)s on line %(line)d") % {"element": self.element, "line": self.line}
        return _("%(element)s %(key)s on line %(line)d") % {
            "element": self.element,
            "key": self.key,
            "line": self.line,
        }

    def check_length(self, child: str, value: str, limit: int) -> None:
        if len(value) > limit:
            raise _Skip(
                _("%(subject)s: %(child)s is longer than %(limit)d characters.")
                % {"subject": self, "child": child, "limit": limit}
            )
