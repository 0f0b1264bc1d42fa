"""`manage.py seed_demo`: build the demo data.

What it builds, all in one transaction:

- the board "Stichting Voorbeeldscholen" with two schools: the demo school "De Regenboog"
  (BRIN 99AA) and "Het Kompas" (BRIN 99BB), so that the line between schools is visible;
- the current school year (from today's date) and the previous one, each with the default
  two periods at both schools;
- De Regenboog: "Groep 1" ... "Groep 8" in the current year, 20-28 pupils each, plus a
  composed group "Plusklas" with 8 pupils from groups 5-8; Het Kompas: the combination
  groups "Groep 1/2", "Groep 3/4", "Groep 5/6" and "Groep 7/8";
- pupils with Dutch names (tussenvoegsel kept apart), dates of birth that fit their grade,
  1-2 guardians each (siblings share their guardians), and a history: every pupil above
  grade 1 was enrolled one grade lower last year, and a grade 1 pupil who turned 4 before
  the summer was in grade 1 last year too;
- a login per role (see LOGINS; all share DEMO_PASSWORD) with their memberships, a teacher
  for every group of De Regenboog and one at Het Kompas, and a platform operator.

Everything is random but seeded, so a fresh database always gets the same data. Writes go
through the ORM one record at a time (never bulk), so the revision history records each one.
When the demo school exists already, the command writes nothing.
"""

import datetime
import random
import unicodedata
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, Role, User
from pupils.actions import assign_teacher, enrol
from pupils.models import EnrolmentKind, Group, Guardian, Pupil, Relation, Sex
from schools.actions import ensure_default_periods, ensure_school_year
from schools.models import Board, School, SchoolYear

DEMO_PASSWORD = "hgw-demo-2026"
RANDOM_SEED = 2026
BOARD_NAME = "Stichting Voorbeeldscholen"
DEMO_BRIN = "99AA"
OTHER_BRIN = "99BB"
# The day on which a pupil's age decides the grade (groep 3 starts in the school year a child
# is 6 on 1 October).
AGE_REFERENCE = (10, 1)


@dataclass(frozen=True)
class GroupSpec:
    name: str
    grade_low: int
    grade_high: int
    min_size: int
    max_size: int


@dataclass(frozen=True)
class SchoolSpec:
    name: str
    brin: str
    las_prefix: str
    groups: tuple[GroupSpec, ...]


SCHOOLS = (
    SchoolSpec(
        name="De Regenboog",
        brin=DEMO_BRIN,
        las_prefix="RB",
        groups=tuple(GroupSpec(f"Groep {grade}", grade, grade, 20, 28) for grade in range(1, 9)),
    ),
    SchoolSpec(
        name="Het Kompas",
        brin=OTHER_BRIN,
        las_prefix="HK",
        groups=tuple(
            GroupSpec(f"Groep {low}/{low + 1}", low, low + 1, 22, 27) for low in (1, 3, 5, 7)
        ),
    ),
)

COMPOSED_GROUP_NAME = "Plusklas"
COMPOSED_GROUP_SIZE = 8
COMPOSED_GROUP_GRADES = (5, 6, 7, 8)


@dataclass(frozen=True)
class Login:
    email: str
    full_name: str
    role: str
    # The school by BRIN; None for the board role.
    school_brin: str | None = None
    # The group this teacher teaches from the start of the school year.
    group: str | None = None
    note: str = ""


LOGINS = (
    Login("leerkracht@demo.hgw.nl", "Sanne Jansen", Role.TEACHER, DEMO_BRIN, "Groep 5"),
    Login("leerkracht2@demo.hgw.nl", "Mark de Boer", Role.TEACHER, DEMO_BRIN, "Groep 6"),
    Login("groep1@demo.hgw.nl", "Anouk van Dijk", Role.TEACHER, DEMO_BRIN, "Groep 1"),
    Login("groep2@demo.hgw.nl", "Esther Hendriks", Role.TEACHER, DEMO_BRIN, "Groep 2"),
    Login("groep3@demo.hgw.nl", "Kim Vermeulen", Role.TEACHER, DEMO_BRIN, "Groep 3"),
    Login("groep4@demo.hgw.nl", "Ilse Bos", Role.TEACHER, DEMO_BRIN, "Groep 4"),
    Login("groep7@demo.hgw.nl", "Rachid Ouali", Role.TEACHER, DEMO_BRIN, "Groep 7"),
    Login("groep8@demo.hgw.nl", "Bas Kramer", Role.TEACHER, DEMO_BRIN, "Groep 8"),
    Login("ib@demo.hgw.nl", "Fatima El Amrani", Role.CARE_COORDINATOR, DEMO_BRIN),
    Login("directeur@demo.hgw.nl", "Peter Visser", Role.DIRECTOR, DEMO_BRIN),
    Login(
        "zorgteam@demo.hgw.nl",
        "Linda Smit",
        Role.CARE_TEAM_MEMBER,
        DEMO_BRIN,
        note="orthopedagoog",
    ),
    Login("administratie@demo.hgw.nl", "Joyce Bakker", Role.SCHOOL_ADMIN, DEMO_BRIN),
    Login("privacy@demo.hgw.nl", "Ahmed Yilmaz", Role.PRIVACY_OFFICER, DEMO_BRIN),
    Login("bestuur@demo.hgw.nl", "Hans Mulder", Role.BOARD, note=BOARD_NAME),
    Login("ib@kompas.demo.hgw.nl", "Marieke Dekker", Role.CARE_COORDINATOR, OTHER_BRIN),
    Login("leerkracht@kompas.demo.hgw.nl", "Tom Willems", Role.TEACHER, OTHER_BRIN, "Groep 5/6"),
)
SUPERUSER = Login("beheer@demo.hgw.nl", "Platformbeheer", "superuser", note="Django admin")


@dataclass(frozen=True)
class NameSet:
    """Names common in the Netherlands among families of one background."""

    boys: tuple[str, ...]
    girls: tuple[str, ...]
    mothers: tuple[str, ...]
    fathers: tuple[str, ...]
    # (name prefix, family name): ("van der", "Meer") is listed as "Meer, ... van der".
    families: tuple[tuple[str, str], ...]


# fmt: off
NAMES = {
    "dutch": NameSet(
        boys=(
            "Noah", "Daan", "Sem", "Milan", "Luuk", "Lucas", "Levi", "Finn", "Bram", "Jesse",
            "Thijs", "Liam", "Mees", "Siem", "Lars", "Julian", "Thomas", "Tim", "Ruben", "Gijs",
            "Jens", "Max", "Boaz", "Hugo", "Olivier", "Teun", "Sven", "Stijn", "Floris", "Jurre",
            "Mats", "Dex", "Vince", "Guus", "Benjamin", "Otis", "Adam", "Morris",
        ),
        girls=(
            "Emma", "Julia", "Tess", "Sophie", "Mila", "Anna", "Zoë", "Sara", "Evi", "Lotte",
            "Nora", "Liv", "Fleur", "Lieke", "Saar", "Noor", "Fenna", "Roos", "Isa", "Femke",
            "Yara", "Elin", "Nova", "Olivia", "Maud", "Jasmijn", "Lisa", "Eva", "Fenne", "Vera",
            "Luna", "Hanna", "Ivy", "Puck", "Sofie", "Lina",
        ),
        mothers=(
            "Linda", "Marloes", "Kim", "Sanne", "Anouk", "Esther", "Iris", "Mirjam", "Femke",
            "Eline", "Laura", "Charlotte", "Judith", "Marieke", "Nienke", "Suzanne", "Inge",
            "Manon", "Wendy", "Sabine",
        ),
        fathers=(
            "Jeroen", "Martijn", "Bas", "Mark", "Stefan", "Tom", "Dennis", "Jasper", "Ruud",
            "Niels", "Sander", "Joost", "Maarten", "Erik", "Wouter", "Rick", "Vincent",
            "Michiel", "Roel", "Arjan",
        ),
        families=(
            ("de", "Jong"), ("", "Jansen"), ("de", "Vries"), ("van den", "Berg"),
            ("van", "Dijk"), ("", "Bakker"), ("", "Janssen"), ("", "Visser"), ("", "Smit"),
            ("", "Meijer"), ("de", "Boer"), ("", "Mulder"), ("de", "Groot"), ("", "Bos"),
            ("", "Vos"), ("", "Peters"), ("", "Hendriks"), ("van", "Leeuwen"), ("", "Dekker"),
            ("", "Brouwer"), ("de", "Wit"), ("", "Dijkstra"), ("", "Smits"), ("de", "Graaf"),
            ("van der", "Meer"), ("van der", "Linden"), ("", "Kok"), ("", "Jacobs"),
            ("de", "Haan"), ("", "Vermeulen"), ("van den", "Heuvel"), ("van der", "Veen"),
            ("van den", "Broek"), ("de", "Bruijn"), ("van der", "Heijden"), ("", "Schouten"),
            ("van", "Beek"), ("", "Willems"), ("van", "Vliet"), ("van de", "Ven"),
            ("", "Hoekstra"), ("", "Maas"), ("", "Verhoeven"), ("", "Koster"), ("van", "Dam"),
            ("van der", "Wal"), ("", "Prins"), ("", "Blom"), ("", "Huisman"), ("", "Kuipers"),
            ("ter", "Horst"), ("ter", "Haar"), ("van", "Wijk"), ("", "Postma"), ("", "Kramer"),
            ("van den", "Bosch"), ("in 't", "Veld"), ("van 't", "Hof"), ("", "Timmermans"),
        ),
    ),
    "moroccan": NameSet(
        boys=(
            "Mohammed", "Adam", "Ayoub", "Amir", "Yassin", "Rayan", "Bilal", "Ilyas", "Zakaria",
            "Anas", "Youssef", "Imran",
        ),
        girls=(
            "Yasmina", "Nour", "Sara", "Amira", "Malak", "Lina", "Aya", "Hiba", "Salma", "Ines",
            "Rania", "Dounia",
        ),
        mothers=("Fatima", "Khadija", "Naima", "Samira", "Loubna", "Hanan", "Souad", "Nadia"),
        fathers=("Mohamed", "Abdelkader", "Rachid", "Karim", "Youssef", "Hassan", "Said", "Driss"),
        families=(
            ("el", "Amrani"), ("el", "Idrissi"), ("el", "Khattabi"), ("el", "Haddouchi"),
            ("el", "Ouardi"), ("el", "Hamdaoui"), ("", "Bouzid"), ("", "Benali"), ("", "Aznag"),
            ("", "Boukhari"), ("", "Ziani"), ("", "Azzouzi"), ("", "Tahiri"), ("", "Bakkali"),
        ),
    ),
    "turkish": NameSet(
        boys=("Emir", "Yusuf", "Mert", "Kerem", "Eymen", "Ömer", "Baran", "Arda", "Efe", "Kaan"),
        girls=("Zeynep", "Elif", "Ecrin", "Azra", "Defne", "Esma", "Meryem", "Hira", "Eylül"),
        mothers=("Ayşe", "Fatma", "Emine", "Hatice", "Derya", "Özlem", "Gül", "Sibel"),
        fathers=("Mehmet", "Mustafa", "Ahmet", "Hasan", "Murat", "Kemal", "Serkan", "Burak"),
        families=(
            ("", "Yilmaz"), ("", "Kaya"), ("", "Demir"), ("", "Şahin"), ("", "Çelik"),
            ("", "Öztürk"), ("", "Aydin"), ("", "Arslan"), ("", "Doğan"), ("", "Koç"),
            ("", "Kiliç"), ("", "Aksoy"), ("", "Polat"), ("", "Korkmaz"),
        ),
    ),
    "surinamese": NameSet(
        boys=("Jayden", "Quincy", "Ravi", "Dion", "Kenji", "Jairo", "Xavi", "Damian"),
        girls=("Shanice", "Naomi", "Priya", "Aaliyah", "Dayenne", "Kiara", "Jamila", "Sharina"),
        mothers=("Sharda", "Shirley", "Chandni", "Romina", "Gerda", "Anjali"),
        fathers=("Ricardo", "Anand", "Romano", "Clyde", "Rishi", "Errol"),
        families=(
            ("", "Ramdin"), ("", "Jagessar"), ("", "Sital"), ("", "Biharie"), ("", "Pinas"),
            ("", "Doelwijt"), ("", "Wijngaarde"), ("", "Zeefuik"), ("", "Sno"),
            ("", "Kromodimedjo"),
        ),
    ),
    "polish": NameSet(
        boys=("Jakub", "Szymon", "Antoni", "Filip", "Kacper", "Jan", "Mikołaj", "Oskar"),
        girls=("Oliwia", "Zuzanna", "Lena", "Maja", "Julia", "Hanna", "Wiktoria", "Alicja"),
        mothers=("Agnieszka", "Katarzyna", "Magdalena", "Marta", "Joanna", "Ewa"),
        fathers=("Tomasz", "Piotr", "Paweł", "Krzysztof", "Marcin", "Łukasz"),
        # Surnames that do not change with sex (unlike Kowalski/Kowalska).
        families=(
            ("", "Nowak"), ("", "Wójcik"), ("", "Kowalczyk"), ("", "Woźniak"), ("", "Mazur"),
            ("", "Krawczyk"), ("", "Kaczmarek"), ("", "Zając"), ("", "Król"), ("", "Wróbel"),
            ("", "Pawlak"), ("", "Dudek"),
        ),
    ),
}
# fmt: on
BACKGROUND_WEIGHTS = {"dutch": 68, "moroccan": 10, "turkish": 9, "surinamese": 7, "polish": 6}

# Share of pupils (above grade 2) who are a younger or older sibling of a pupil created earlier.
SIBLING_SHARE = 0.2
# Share of pupils who are a year older than their grade (kleuterverlenging, a repeated year).
OLDER_SHARE = 0.06
# Share of pupils (grade 3 and up) who came from another school, after their 4th birthday.
TRANSFER_SHARE = 0.08

# Letters that Unicode does not decompose into a base letter plus accents (\u0131: dotless i).
_ASCII_LETTERS = str.maketrans({"\u0131": "i", "ł": "l", "Ł": "l", "ø": "o", "ß": "ss"})


def mail_slug(text: str) -> str:
    """'van der Meer' -> 'vandermeer', 'Wójcik' -> 'wojcik', "in 't Veld" -> 'intveld'."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_ASCII_LETTERS))
    return "".join(char for char in decomposed.lower() if char.isascii() and char.isalnum())


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later (or earlier); 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def display_name(*parts: str) -> str:
    return " ".join(part for part in parts if part)


@dataclass
class GuardianSpec:
    name: str
    relation: str
    phone: str
    email: str
    has_parental_authority: bool = True


@dataclass
class Family:
    background: str
    name_prefix: str
    family_name: str
    guardians: list[GuardianSpec]
    grades: list[int] = field(default_factory=list)


@dataclass
class PlacedPupil:
    pupil: Pupil
    grade: int


class DemoBuilder:
    """Writes the demo data; `build` is meant to run inside one transaction."""

    def __init__(self, today: datetime.date) -> None:
        self.today = today
        self.rng = random.Random(RANDOM_SEED)
        self.counts: dict[str, int] = {}
        # (BRIN, school year start, group name) -> group
        self.groups: dict[tuple[str, int, str], Group] = {}
        # The families of the school being built (siblings go to the same school).
        self.families: list[Family] = []

    # -- entry point -----------------------------------------------------------------------

    def build(self) -> dict[str, int]:
        start_year = SchoolYear.start_year_on(self.today)
        self.previous_year = ensure_school_year(start_year=start_year - 1)
        self.year = ensure_school_year(start_year=start_year)
        board, _ = Board.objects.get_or_create(name=BOARD_NAME)

        schools: dict[str, School] = {}
        for spec in SCHOOLS:
            school = School.objects.create(board=board, name=spec.name, brin=spec.brin)
            schools[spec.brin] = school
            for school_year in (self.previous_year, self.year):
                ensure_default_periods(school=school, school_year=school_year)
                self.count("periods", 2)
            placed = self.build_pupils(school, spec)
            if spec.brin == DEMO_BRIN:
                self.build_composed_group(school, placed)

        self.build_logins(board, schools)
        return self.counts

    def count(self, what: str, number: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + number

    # -- pupils ------------------------------------------------------------------------------

    def build_pupils(self, school: School, spec: SchoolSpec) -> list[PlacedPupil]:
        self.families = []
        placed: list[PlacedPupil] = []
        number = 0
        for group_spec in spec.groups:
            group = self.group(school, self.year, group_spec)
            # Last year's group one grade lower, for the pupils' history.
            if group_spec.grade_low <= 7:
                self.group(school, self.previous_year, group_spec)
            for _ in range(self.rng.randint(group_spec.min_size, group_spec.max_size)):
                number += 1
                grade = self.rng.randint(group_spec.grade_low, group_spec.grade_high)
                pupil = self.pupil(school, f"{spec.las_prefix}-{number:04d}", grade)
                self.enrol_with_history(pupil, group, grade, spec)
                placed.append(PlacedPupil(pupil, grade))
        return placed

    def group(self, school: School, school_year: SchoolYear, spec: GroupSpec) -> Group:
        group = Group.objects.create(
            school=school,
            school_year=school_year,
            name=spec.name,
            grade_low=spec.grade_low,
            grade_high=spec.grade_high,
        )
        self.groups[(school.brin, school_year.start_year, spec.name)] = group
        self.count("groups")
        return group

    def pupil(self, school: School, las_key: str, grade: int) -> Pupil:
        family = self.family_for(grade)
        sex = self.rng.choice((Sex.MALE, Sex.FEMALE))
        names = NAMES[family.background]
        given_name = self.rng.choice(names.boys if sex == Sex.MALE else names.girls)
        if self.rng.random() < 0.015:
            sex = self.rng.choice((Sex.UNKNOWN, Sex.UNSPECIFIED))
        date_of_birth = self.date_of_birth(grade)
        date_in = self.date_in(date_of_birth, grade)
        pupil = Pupil.objects.create(
            school=school,
            given_name=given_name,
            name_prefix=family.name_prefix,
            family_name=family.family_name,
            date_of_birth=date_of_birth,
            sex=sex,
            las_key=las_key,
            date_in=date_in,
        )
        self.count("pupils")
        for spec in family.guardians:
            Guardian.objects.create(
                pupil=pupil,
                name=spec.name,
                relation=spec.relation,
                phone=spec.phone,
                email=spec.email,
                has_parental_authority=spec.has_parental_authority,
            )
            self.count("guardians")
        return pupil

    def date_of_birth(self, grade: int) -> datetime.date:
        """A child in grade N is N+3 on 1 October of the school year (a few are a year older).

        Grade 1 holds only children who have turned 4 by today.
        """
        age = grade + 3
        if grade >= 2 and self.rng.random() < OLDER_SHARE:
            age += 1
        reference = datetime.date(self.year.start_year, *AGE_REFERENCE)
        earliest = add_years(reference, -age - 1) + datetime.timedelta(days=1)
        latest = add_years(reference, -age)
        if grade == 1:
            latest = min(latest, add_years(self.today, -4))
        span = (latest - earliest).days + 1
        return earliest + datetime.timedelta(days=int(self.rng.random() * span))

    def date_in(self, date_of_birth: datetime.date, grade: int) -> datetime.date:
        """The 4th birthday; for a pupil who came from another school, a day after it."""
        fourth_birthday = add_years(date_of_birth, 4)
        if grade < 3 or self.rng.random() >= TRANSFER_SHARE:
            return fourth_birthday
        earliest = fourth_birthday + datetime.timedelta(days=180)
        latest = self.year.start_date - datetime.timedelta(days=30)
        if latest <= earliest:
            return fourth_birthday
        return earliest + datetime.timedelta(days=self.rng.randint(0, (latest - earliest).days))

    def enrol_with_history(self, pupil: Pupil, group: Group, grade: int, spec: SchoolSpec) -> None:
        """Enrol in this year's group and in last year's group a grade lower.

        A grade 1 pupil who turned 4 before the summer started in last year's grade 1 and
        stays there another year, as Dutch schools do with children born after September.
        """
        previous_grade = max(grade - 1, 1)
        if pupil.date_in < self.year.start_date:
            previous_spec = next(
                g for g in spec.groups if g.grade_low <= previous_grade <= g.grade_high
            )
            enrol(
                pupil=pupil,
                group=self.groups[(spec.brin, self.previous_year.start_year, previous_spec.name)],
                start_date=max(self.previous_year.start_date, pupil.date_in),
                end_date=self.year.start_date,
            )
            self.count("enrolments")
        enrol(pupil=pupil, group=group, start_date=max(self.year.start_date, pupil.date_in))
        self.count("enrolments")

    def build_composed_group(self, school: School, placed: list[PlacedPupil]) -> None:
        group = Group.objects.create(school=school, school_year=self.year, name=COMPOSED_GROUP_NAME)
        self.count("groups")
        candidates = [p.pupil for p in placed if p.grade in COMPOSED_GROUP_GRADES]
        for pupil in self.rng.sample(candidates, COMPOSED_GROUP_SIZE):
            enrol(
                pupil=pupil,
                group=group,
                start_date=self.year.start_date,
                kind=EnrolmentKind.COMPOSED,
            )
            self.count("enrolments")

    # -- families and guardians ---------------------------------------------------------

    def family_for(self, grade: int) -> Family:
        """A sibling's family now and then (two grades apart at least), else a new family."""
        if self.families and self.rng.random() < SIBLING_SHARE:
            family = self.rng.choice(self.families)
            if all(abs(grade - other) >= 2 for other in family.grades):
                family.grades.append(grade)
                return family
        family = self.new_family()
        family.grades.append(grade)
        self.families.append(family)
        return family

    def new_family(self) -> Family:
        rng = self.rng
        background = rng.choices(list(BACKGROUND_WEIGHTS), weights=BACKGROUND_WEIGHTS.values())[0]
        names = NAMES[background]
        prefix, family_name = rng.choice(names.families)
        own_name = display_name(prefix, family_name)

        def other_name() -> str:
            return display_name(*rng.choice(names.families))

        shape = rng.random()
        if shape < 0.75:
            # Mother and father; the children carry the father's name, the mother often
            # keeps her own.
            mother_family = own_name if rng.random() < 0.5 else other_name()
            people = [
                (rng.choice(names.mothers), mother_family, Relation.MOTHER),
                (rng.choice(names.fathers), own_name, Relation.FATHER),
            ]
        elif shape < 0.80:
            people = [
                (rng.choice(names.mothers), own_name, Relation.PARENT),
                (rng.choice(names.mothers), other_name(), Relation.PARENT),
            ]
        elif shape < 0.91:
            people = [(rng.choice(names.mothers), own_name, Relation.MOTHER)]
        elif shape < 0.96:
            people = [(rng.choice(names.fathers), own_name, Relation.FATHER)]
        else:
            # A guardian (voogd), often a relative with another name.
            given = rng.choice(names.mothers + names.fathers)
            people = [(given, other_name(), Relation.GUARDIAN)]

        shared_mail = rng.random() < 0.35
        guardians = []
        for given, surname, relation in people:
            if rng.random() < 0.05:
                email = ""
            elif shared_mail:
                email = f"fam.{mail_slug(own_name)}@example.nl"
            else:
                email = f"{mail_slug(given)}.{mail_slug(surname)}@example.nl"
            guardians.append(
                GuardianSpec(
                    name=display_name(given, surname),
                    relation=relation,
                    phone=f"06-{rng.randint(10_000_000, 99_999_999)}",
                    email=email,
                )
            )
        if len(guardians) == 2 and rng.random() < 0.07:
            # One parent without parental authority, usually the father.
            guardians[-1].has_parental_authority = False
        return Family(background, prefix, family_name, guardians)

    # -- people who log in ------------------------------------------------------------------

    def build_logins(self, board: Board, schools: dict[str, School]) -> None:
        start = self.year.start_date
        # One Argon2 run for all demo users rather than one each (a fifth of a second apiece).
        password_hash = make_password(DEMO_PASSWORD)
        for login in LOGINS:
            user = self.user(login, password_hash)
            if login.role == Role.BOARD:
                Membership.objects.create(user=user, board=board, role=login.role, start_date=start)
            else:
                school = schools[login.school_brin]
                Membership.objects.create(
                    user=user, school=school, role=login.role, start_date=start
                )
            self.count("memberships")
            if login.group:
                assign_teacher(
                    group=self.groups[(login.school_brin, self.year.start_year, login.group)],
                    teacher=user,
                    start_date=start,
                )
                self.count("teacher assignments")
        self.user(SUPERUSER, password_hash, superuser=True)

    def user(self, login: Login, password_hash: str, *, superuser: bool = False) -> User:
        create = User.objects.create_superuser if superuser else User.objects.create_user
        user = create(login.email, login.full_name)
        user.password = password_hash
        user.save(update_fields=["password"])
        self.count("users")
        return user


class Command(BaseCommand):
    help = (
        "Build the demo data: two schools of one board, groups, pupils with guardians and "
        "a year of history, and a login per role. Does nothing if the demo school exists."
    )

    def handle(self, *args, **options) -> None:
        if School.objects.filter(brin=DEMO_BRIN, dependance_code="").exists():
            self.stdout.write("Demo data is already present.")
            self.write_logins()
            return
        self.refuse_partial_data()
        with transaction.atomic():
            counts = DemoBuilder(timezone.localdate()).build()
        summary = ", ".join(f"{number} {what}" for what, number in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo data built: {summary}."))
        self.write_logins()

    def refuse_partial_data(self) -> None:
        """Stop, rather than mix with them, when other parts of the demo data exist."""
        emails = [login.email for login in (*LOGINS, SUPERUSER)]
        taken = sorted(User.objects.filter(email__in=emails).values_list("email", flat=True))
        if taken:
            raise CommandError(f"Demo users exist already: {', '.join(taken)}.")
        if School.objects.filter(brin=OTHER_BRIN, dependance_code="").exists():
            raise CommandError(f"A school with BRIN {OTHER_BRIN} exists already.")

    def write_logins(self) -> None:
        school_names = {spec.brin: spec.name for spec in SCHOOLS}
        rows = [("E-mail", "Name", "Role", "Where", "Password")]
        for login in (*LOGINS, SUPERUSER):
            where = school_names.get(login.school_brin, "")
            details = ", ".join(part for part in (where, login.group, login.note) if part)
            rows.append((login.email, login.full_name, login.role, details, DEMO_PASSWORD))
        widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
        self.stdout.write("")
        for index, row in enumerate(rows):
            self.stdout.write(
                "  ".join(
                    cell.ljust(width) for cell, width in zip(row, widths, strict=True)
                ).rstrip()
            )
            if index == 0:
                self.stdout.write("  ".join("-" * width for width in widths))
