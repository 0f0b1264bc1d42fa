"""`manage.py demo_files OUTDIR [--school BRIN]`: a school's data as its own systems export it.

Writes two files, so that the imports can be tried (and tested) with realistic files:

- `OUTDIR/edexml.xml`: an EDEXML 2.1 full export of the school's current school year, as a
  school administration system (ParnasSys, ESIS) writes it: the school, its groups and
  composed groups, its current pupils, and the staff with a group or an IB/director role;
- `OUTDIR/toetsresultaten.csv`: every test result of those pupils, as Dutch Excel saves an
  LVS export: semicolons, UTF-8 with a byte order mark, decimal commas, dates as dd-mm-yyyy.

Both are read back by `pupils.imports` exactly as written. Keys: a pupil's and a group's key
in the administration system where hgw has one, else a key made from hgw's own id; the file
holds only what hgw holds, so nothing like a BSN or an address ever appears in it. Nothing is
written to the database.
"""

import codecs
import csv
import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from accounts.models import Membership, Role, User
from pupils.imports import COMPOSED_KEY_PREFIX
from pupils.models import (
    Enrolment,
    EnrolmentKind,
    Group,
    GroupTeacherAssignment,
    Pupil,
    TestResult,
)
from schools.models import School, SchoolYear

DEFAULT_SCHOOL = "99AA"
EDEX_NAMESPACE = "http://www.edustandaard.nl/edex/2.1"
EDEX_VERSION = "2.1"
EDEXML_FILE = "edexml.xml"
RESULTS_FILE = "toetsresultaten.csv"
RESULTS_HEADERS = ("Leerlingnummer", "Toets", "Datum", "Moment", "Score", "Niveau")

# The roles EDEXML carries, as its codes (see pupils.imports.EDEX_ROLES for the reverse).
ROLE_CODES = {Role.TEACHER: "LRK", Role.CARE_COORDINATOR: "IB", Role.DIRECTOR: "DIR"}
# Words that make up a Dutch tussenvoegsel ("van der", "in 't"), written in lower case. A
# capitalised "El" or "Van" at the start of a family name belongs to the name itself.
NAME_PREFIX_WORDS = {
    "van", "de", "der", "den", "het", "'t", "in", "op", "te", "ten", "ter", "aan", "bij", "onder",
    "over", "uit", "voor", "'s", "d'", "l'", "la", "le", "les", "du", "des", "da", "di", "del",
    "della", "dos", "el", "al", "von", "zu", "zum",
}  # fmt: skip
# Same as in seed_demo: a pupil in grade N is N + 3 years old on 1 October.
AGE_REFERENCE = (10, 1)


def split_full_name(full_name: str) -> tuple[str, str, str]:
    """(roepnaam, voorvoegsel, achternaam) of a name as it is said.

    "Mark de Boer" -> ("Mark", "de", "Boer"); "Fatima El Amrani" -> ("Fatima", "", "El
    Amrani"); "Jan van der Berg-de Vries" -> ("Jan", "van der", "Berg-de Vries"); a single
    word is the family name.
    """
    words = full_name.split()
    if len(words) <= 1:
        return "", "", full_name.strip()
    given, rest = words[0], words[1:]
    prefix: list[str] = []
    # The last word is always part of the family name, even if it looks like a prefix.
    while len(rest) > 1 and rest[0] in NAME_PREFIX_WORDS:
        prefix.append(rest.pop(0))
    return given, " ".join(prefix), " ".join(rest)


def dutch_decimal(value: Decimal | None) -> str:
    """As Dutch Excel writes a number: 71,5; 110 (no trailing zeros); "" for none."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def find_school(code: str) -> School:
    """The school by BRIN ("99AA") or BRIN with its location code ("99AA01")."""
    code = code.strip().upper()
    brin, dependance_code = code[:4], code[4:]
    school = School.objects.with_brin(brin, dependance_code).first()
    if school is None:
        raise CommandError(f"There is no school with BRIN code {code}.")
    return school


def _current(day: datetime.date) -> Q:
    """Running on `day`, or starting later: what an export of the school year shows."""
    return Q(end_date__isnull=True) | Q(end_date__gt=day)


def _running_on(day: datetime.date) -> Q:
    return Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gt=day))


def current_pupils(school: School, day: datetime.date):
    return (
        Pupil.objects.filter(school=school)
        .filter(Q(date_out__isnull=True) | Q(date_out__gt=day))
        .order_by("las_key", "pk")
    )


@dataclass
class _Staff:
    user: User
    roles: set[str] = field(default_factory=set)
    groups: list[Group] = field(default_factory=list)


class EdexWriter:
    """Builds the EDEXML document of a school's school year, as of a day."""

    def __init__(self, school: School, year: SchoolYear, day: datetime.date) -> None:
        self.school, self.year, self.day = school, year, day
        self.groups = list(
            Group.objects.filter(school=school, school_year=year).order_by(
                "grade_low", "name", "pk"
            )
        )
        enrolments = (
            Enrolment.objects.filter(_current(day), group__in=self.groups)
            .select_related("group")
            .order_by("start_date", "pk")
        )
        self.main: dict[int, Group] = {}
        self.composed: dict[int, list[Group]] = {}
        main_group_ids: set[int] = set()
        for enrolment in enrolments:
            if enrolment.kind == EnrolmentKind.MAIN:
                # The group running today wins over one the pupil moves to later.
                self.main.setdefault(enrolment.pupil_id, enrolment.group)
                main_group_ids.add(enrolment.group_id)
            elif enrolment.group not in self.composed.setdefault(enrolment.pupil_id, []):
                self.composed[enrolment.pupil_id].append(enrolment.group)
        # A group without grades is a samengestelde groep, unless pupils have it as their main
        # group: then it is a special group (jaargroep S).
        self.is_composed = {
            g.pk: g.grade_low is None and g.pk not in main_group_ids for g in self.groups
        }

    @staticmethod
    def add(parent: ElementTree.Element, name: str, text: object = None, **attrs: str):
        element = ElementTree.SubElement(parent, name, attrs)
        if text is not None:
            element.text = str(text)
        return element

    def group_key(self, group: Group) -> str:
        if self.is_composed[group.pk]:
            return group.las_key.removeprefix(COMPOSED_KEY_PREFIX) or f"hgw-sg-{group.pk}"
        return group.las_key or f"hgw-g-{group.pk}"

    @staticmethod
    def group_grade(group: Group) -> str:
        if group.grade_low is None:
            return "S"
        return str(group.grade_low) if group.grade_low == group.grade_high else "C"

    def pupil_grade(self, pupil: Pupil, group: Group) -> str:
        """A pupil's jaargroep: the group's grade, or in a combination group the grade that
        fits the pupil's age (hgw does not keep the grade of a pupil)."""
        grade = self.group_grade(group)
        if grade != "C":
            return grade
        reference = datetime.date(self.year.start_year, *AGE_REFERENCE)
        by_age = pupil.age_on(reference) - 3
        return str(min(max(by_age, group.grade_low), group.grade_high))

    def build(self) -> bytes:
        # The namespace is declared as the default on the root, and every element is written
        # without a prefix, so that they are all in it. (ElementTree's default_namespace
        # option refuses attributes without a namespace, such as key.)
        root = ElementTree.Element("EDEX", {"xmlns": EDEX_NAMESPACE})
        self.write_school(root)
        self.write_groups(root)
        self.write_pupils(root)
        self.write_staff(root)
        ElementTree.indent(root, space="  ")
        return ElementTree.tostring(root, encoding="UTF-8", xml_declaration=True) + b"\n"

    def write_school(self, root: ElementTree.Element) -> None:
        school = self.add(root, "school")
        self.add(school, "schooljaar", self.year.name)
        self.add(school, "brincode", self.school.brin)
        if self.school.dependance_code:
            self.add(school, "dependancecode", self.school.dependance_code)
        self.add(school, "naam", self.school.name)
        self.add(school, "aanmaakdatum", timezone.localtime().strftime("%Y-%m-%dT%H:%M:%S"))
        self.add(school, "auteur", "hgw")
        self.add(school, "xsdversie", EDEX_VERSION)

    def write_groups(self, root: ElementTree.Element) -> None:
        groups = self.add(root, "groepen")
        composed = self.add(root, "samengestelde_groepen")
        for group in self.groups:
            if self.is_composed[group.pk]:
                element = self.add(composed, "samengestelde_groep", key=self.group_key(group))
                self.add(element, "naam", group.name)
            else:
                element = self.add(groups, "groep", key=self.group_key(group))
                self.add(element, "naam", group.name)
                self.add(element, "jaargroep", self.group_grade(group))

    def write_pupils(self, root: ElementTree.Element) -> None:
        pupils = self.add(root, "leerlingen")
        for pupil in current_pupils(self.school, self.day):
            attrs = {"key": pupil.las_key}
            if pupil.eck_id:
                attrs["eckid"] = pupil.eck_id
            element = self.add(pupils, "leerling", **attrs)
            self.add(element, "achternaam", pupil.family_name)
            if pupil.name_prefix:
                self.add(element, "voorvoegsel", pupil.name_prefix)
            self.add(element, "roepnaam", pupil.given_name)
            self.add(element, "geboortedatum", pupil.date_of_birth.isoformat())
            self.add(element, "geslacht", pupil.sex)
            group = self.main.get(pupil.pk)
            if group is not None:
                self.add(element, "jaargroep", self.pupil_grade(pupil, group))
                self.add(element, "groep", key=self.group_key(group))
            composed = self.composed.get(pupil.pk)
            if composed:
                block = self.add(element, "samengestelde_groepen")
                for other in composed:
                    self.add(block, "samengestelde_groep", key=self.group_key(other))
            self.add(element, "instroomdatum", pupil.date_in.isoformat())
            if pupil.date_out:
                self.add(element, "uitstroomdatum", pupil.date_out.isoformat())

    def staff(self) -> list[_Staff]:
        """Who teaches a group now, or holds a role EDEXML carries, with roles and groups."""
        people: dict[int, _Staff] = {}
        for assignment in (
            GroupTeacherAssignment.objects.filter(_running_on(self.day), group__in=self.groups)
            .select_related("teacher", "group")
            .order_by("group__grade_low", "group__name", "start_date", "pk")
        ):
            person = people.setdefault(assignment.teacher_id, _Staff(assignment.teacher))
            person.roles.add(Role.TEACHER)
            if assignment.group not in person.groups:
                person.groups.append(assignment.group)
        for membership in (
            Membership.objects.active(self.day)
            .filter(school=self.school, role__in=list(ROLE_CODES))
            .select_related("user")
        ):
            people.setdefault(membership.user_id, _Staff(membership.user)).roles.add(
                membership.role
            )
        return sorted(
            (p for p in people.values() if p.user.is_active),
            key=lambda p: (p.user.full_name.lower(), p.user.pk),
        )

    def write_staff(self, root: ElementTree.Element) -> None:
        staff = self.add(root, "leerkrachten")
        for person in self.staff():
            user = person.user
            element = self.add(staff, "leerkracht", key=f"hgw-lk-{user.pk}")
            given_name, name_prefix, family_name = split_full_name(user.full_name)
            self.add(element, "achternaam", family_name or user.email)
            if name_prefix:
                self.add(element, "voorvoegsel", name_prefix)
            if given_name:
                self.add(element, "roepnaam", given_name)
            self.add(element, "emailadres", user.email)
            roles = self.add(element, "rollen")
            for role, code in ROLE_CODES.items():
                if role in person.roles:
                    self.add(roles, "rol", code)
            groups = [g for g in person.groups if not self.is_composed[g.pk]]
            composed = [g for g in person.groups if self.is_composed[g.pk]]
            if groups:
                block = self.add(element, "groepen")
                for group in groups:
                    self.add(block, "groep", key=self.group_key(group))
            if composed:
                block = self.add(element, "samengestelde_groepen")
                for group in composed:
                    self.add(block, "samengestelde_groep", key=self.group_key(group))


def edexml_export(school: School, year: SchoolYear, day: datetime.date) -> bytes:
    return EdexWriter(school, year, day).build()


def results_csv(school: School, day: datetime.date) -> bytes:
    """Every test result of the school's current pupils, as Dutch Excel saves a CSV file."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(RESULTS_HEADERS)
    results = (
        TestResult.objects.filter(pupil__in=current_pupils(school, day))
        .select_related("pupil", "instrument")
        .order_by("pupil__las_key", "date_taken", "instrument__name", "pk")
    )
    for result in results:
        writer.writerow(
            (
                result.pupil.las_key,
                result.instrument.name,
                result.date_taken.strftime("%d-%m-%Y"),
                result.moment,
                dutch_decimal(result.score),
                result.level,
            )
        )
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")


class Command(BaseCommand):
    help = (
        "Write a school's current school year as an EDEXML 2.1 export (edexml.xml) and its "
        "pupils' test results as a Dutch CSV file (toetsresultaten.csv) into OUTDIR."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("outdir", type=Path, help="The directory to write the files to.")
        parser.add_argument(
            "--school",
            default=DEFAULT_SCHOOL,
            help=f"BRIN code, with the location code if any (default {DEFAULT_SCHOOL}).",
        )

    def handle(self, *args, outdir: Path, school: str, **options) -> None:
        found = find_school(school)
        today = timezone.localdate()
        year = SchoolYear.current(today)
        if year is None:
            raise CommandError(f"There is no school year for {today:%d-%m-%Y} in hgw.")
        outdir.mkdir(parents=True, exist_ok=True)
        xml = edexml_export(found, year, today)
        (outdir / EDEXML_FILE).write_bytes(xml)
        results = results_csv(found, today)
        (outdir / RESULTS_FILE).write_bytes(results)
        rows = TestResult.objects.filter(pupil__in=current_pupils(found, today)).count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {outdir / EDEXML_FILE} ({found.name}, {year.name}) and "
                f"{outdir / RESULTS_FILE} ({rows} results)."
            )
        )
