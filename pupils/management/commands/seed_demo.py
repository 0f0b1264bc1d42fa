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
  for every group of De Regenboog and one at Het Kompas, and a platform operator;
- for the pupils of De Regenboog, a Cito LVS history on the shared instruments (see
  `ResultsBuilder`): in grades 3-8 "Cito Rekenen-Wiskunde", "Cito Spelling", "Cito DMT" and,
  from grade 4, "Cito Begrijpend lezen", at the moments M (January) and E (June) of every
  half-year the pupil has been in those grades; AVI levels in grades 3-6 at the same
  moments; "Cito Taal voor kleuters" and "Cito Rekenen voor kleuters" at M1, E1 and M2. Only
  dates up to today, none before the pupil came to the school. Each pupil has an ability of
  their own (some are consistently weak or strong, some better at maths than at reading), a
  slight trend of their own, and noise; about one in ten pupils from grade 5 up shows a clear
  drop in one subject (or all) over their last moments. Levels I-V follow from the score's
  place among the grade's expected scores (I: the best 20 %), AVI levels only go up.
- for the first three pupils (by name) of De Regenboog's Groep 5, a few notes in the pupil log
  (see `LOG_NOTES`): handovers from last year's teacher, observations (one by the IB), a talk
  with a pupil and talks with the parents with the agreements made.

Everything is random but seeded, so a fresh database always gets the same data (the test
results depend on today's date too, as only past moments are filled in; they have a random
generator of their own, so the rest of the data does not change with the date). Writes go
through the ORM one record at a time (never bulk), so the revision history records each one.
When the demo school exists already, the command writes nothing.
"""

import datetime
import random
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, Role, User
from audit.history import acting_as
from pupils.actions import assign_teacher, enrol
from pupils.models import (
    LEVELS,
    EnrolmentKind,
    Group,
    Guardian,
    Instrument,
    LevelScale,
    LogKind,
    Pupil,
    PupilLogEntry,
    Relation,
    Sex,
    TestResult,
)
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


# -- test results -----------------------------------------------------------------------------

# The shared instruments (migration 0003) the demo fills.
REKENEN = "Cito Rekenen-Wiskunde"
BEGRIJPEND_LEZEN = "Cito Begrijpend lezen"
SPELLING = "Cito Spelling"
DMT = "Cito DMT"
AVI = "AVI"
TAAL_KLEUTERS = "Cito Taal voor kleuters"
REKENEN_KLEUTERS = "Cito Rekenen voor kleuters"


@dataclass(frozen=True)
class Norm:
    """What is expected of a pupil on one instrument: per moment ("M5"), the median score of
    the grade and the spread (standard deviation) around it."""

    instrument: str
    # The pupil's ability that drives this instrument (see ResultsBuilder.profile).
    domain: str
    by_moment: dict[str, tuple[int, int]]


# Plausible ability scores, on one rising scale per instrument (modelled on Cito's LVS scales,
# not copied from their norm tables); DMT in words read per minute. The tables run to E8, so
# that a demo built in June has the moments of that month too.
# fmt: off
NORMS = (
    Norm(REKENEN, "maths", {
        "M3": (31, 11), "E3": (45, 11), "M4": (56, 11), "E4": (65, 12), "M5": (74, 12),
        "E5": (80, 12), "M6": (87, 13), "E6": (92, 13), "M7": (97, 13), "E7": (102, 14),
        "M8": (107, 14), "E8": (110, 14),
    }),
    Norm(BEGRIJPEND_LEZEN, "comprehension", {
        "M4": (26, 9), "E4": (31, 9), "M5": (35, 10), "E5": (38, 10), "M6": (42, 10),
        "E6": (45, 10), "M7": (48, 11), "E7": (51, 11), "M8": (55, 11), "E8": (57, 11),
    }),
    Norm(SPELLING, "spelling", {
        "M3": (105, 7), "E3": (112, 7), "M4": (117, 7), "E4": (121, 7), "M5": (125, 7),
        "E5": (128, 7), "M6": (131, 7), "E6": (134, 7), "M7": (136, 7), "E7": (138, 7),
        "M8": (141, 7), "E8": (143, 7),
    }),
    Norm(DMT, "technical", {
        "M3": (22, 10), "E3": (38, 13), "M4": (48, 14), "E4": (56, 14), "M5": (63, 14),
        "E5": (69, 14), "M6": (74, 14), "E6": (79, 14), "M7": (84, 14), "E7": (88, 14),
        "M8": (93, 14), "E8": (100, 14),
    }),
    Norm(TAAL_KLEUTERS, "comprehension", {"M1": (52, 10), "E1": (58, 10), "M2": (65, 10)}),
    Norm(REKENEN_KLEUTERS, "maths", {"M1": (50, 10), "E1": (57, 10), "M2": (64, 10)}),
)
# fmt: on
AVI_GRADES = (3, 4, 5, 6)
DOMAINS = ("maths", "comprehension", "spelling", "technical")

# The test weeks: M around 20 January, E around 10 June; a school spreads its tests over the
# week (the instrument's day in it), and a pupil who was ill takes the test a bit later.
MOMENT_DAYS = {"M": (1, 20), "E": (6, 10)}
INSTRUMENT_DAY = {
    REKENEN: 0, BEGRIJPEND_LEZEN: 1, SPELLING: 2, DMT: 3, AVI: 3,
    TAAL_KLEUTERS: 0, REKENEN_KLEUTERS: 1,
}  # fmt: skip
LATE_SHARE = 0.04
# Kleuters are tested once they have been at school for some weeks.
KLEUTER_SETTLING_DAYS = 60

# How strongly a pupil's general ability shows in each domain (the rest is their own), the
# noise of one test, and the drift of some pupils per half-year, all in standard deviations of
# the grade: together about one, so that each level holds about a fifth of the results.
GENERAL_WEIGHT = 0.7
DOMAIN_WEIGHT = 0.6
TEST_NOISE = 0.35
TREND_SPREAD = 0.05
# No pupil scores further from the median than this (the tests have a floor and a ceiling).
MAX_Z = 3.0
# Share of pupils from grade 5 who drop in the last moments, and how far (in standard deviations
# at the first moment of the drop, and further at every next moment).
DROP_SHARE = 0.1
DROP_FIRST = 1.4
DROP_FURTHER = 0.3
# Cut-offs of the levels I-V: each holds 20 % of the grade (the normal quantiles of 20/40/60/80).
LEVEL_CUTS = (-0.8416, -0.2533, 0.2533, 0.8416)
# How many AVI levels one standard deviation of technical reading is ahead or behind.
AVI_SPREAD = 1.6


def moment_index(label: str) -> int:
    """M1 -> 0, E1 -> 1, M2 -> 2, ... E8 -> 15: half-years since the start of grade 1."""
    return 2 * (int(label[1:]) - 1) + (label[0] == "E")


def level_for(z: float) -> str:
    """The level I-V of a score `z` standard deviations from the grade's median."""
    worst_first = LEVELS[LevelScale.ROMAN]
    return worst_first[sum(z >= cut for cut in LEVEL_CUTS)]


@dataclass
class Profile:
    """A pupil's abilities per domain (in standard deviations from the median), the drift per
    half-year, and the drop: from which moment (index) in which domain, if any."""

    ability: dict[str, float]
    trend: float
    drop_from: int | None = None
    drop_domain: str | None = None  # None with drop_from set: every domain

    def z(self, domain: str, index: int) -> float:
        value = self.ability[domain] + self.trend * (index - 9)
        dropping = self.drop_from is not None and index >= self.drop_from
        if dropping and self.drop_domain in (None, domain):
            value -= DROP_FIRST + DROP_FURTHER * (index - self.drop_from)
        return value


class ResultsBuilder:
    """The LVS history of a school's pupils; used by DemoBuilder for the demo school."""

    def __init__(self, today: datetime.date, year: SchoolYear, counts: dict[str, int]) -> None:
        self.today = today
        self.year = year
        self.counts = counts
        # A generator of its own: the rest of the demo stays the same whatever the results.
        self.rng = random.Random(f"{RANDOM_SEED}-results")
        self.instruments: dict[str, Instrument] = {}
        self.test_days: dict[tuple[int, str], datetime.date] = {}

    def build(self, placed: list[PlacedPupil]) -> None:
        names = [norm.instrument for norm in NORMS] + [AVI]
        self.instruments = {
            i.name: i for i in Instrument.objects.filter(school=None, name__in=names)
        }
        missing = sorted(set(names) - set(self.instruments))
        if missing:
            raise CommandError(f"The shared instruments are missing: {', '.join(missing)}.")
        for item in placed:
            self.pupil_results(item.pupil, item.grade)

    def profile(self, grade: int, moments: list[str]) -> Profile:
        rng = self.rng
        general = rng.gauss(0, 1)
        ability = {
            domain: GENERAL_WEIGHT * general + DOMAIN_WEIGHT * rng.gauss(0, 1) for domain in DOMAINS
        }
        profile = Profile(ability=ability, trend=rng.gauss(0, TREND_SPREAD))
        lvs = [moment_index(m) for m in moments if int(m[1:]) >= 3]
        if grade >= 5 and len(lvs) >= 4 and rng.random() < DROP_SHARE:
            profile.drop_from = rng.choice(lvs[-3:])
            profile.drop_domain = rng.choice((*DOMAINS, None))
        return profile

    def pupil_results(self, pupil: Pupil, grade: int) -> None:
        """Every moment of the grades the pupil has been in, from grade 1 up to now."""
        moments = []
        for grade_then in range(1, grade + 1):
            start_year = self.year.start_year - (grade - grade_then)
            for half in ("M", "E"):
                moments.append((f"{half}{grade_then}", self.test_day(start_year, half)))
        # Only past moments at which the pupil was at the school (test weeks start on Monday).
        moments = [(m, day) for m, day in moments if day <= self.today and day >= pupil.date_in]
        profile = self.profile(grade, [m for m, _day in moments])
        avi_rank = 0
        for moment, week in moments:
            index = moment_index(moment)
            grade_then = int(moment[1:])
            late = self.rng.random() < LATE_SHARE
            for norm in NORMS:
                if moment not in norm.by_moment:
                    continue
                day = self.day_taken(week, norm.instrument, late)
                if day is None or (
                    grade_then <= 2
                    and day < pupil.date_in + datetime.timedelta(days=KLEUTER_SETTLING_DAYS)
                ):
                    continue
                median, spread = norm.by_moment[moment]
                z = profile.z(norm.domain, index) + self.rng.gauss(0, TEST_NOISE)
                z = min(max(z, -MAX_Z), MAX_Z)
                score = max(round(median + spread * z), 1)
                self.result(
                    pupil,
                    norm.instrument,
                    day,
                    moment,
                    score=Decimal(score),
                    level=level_for((score - median) / spread),
                )
            if grade_then in AVI_GRADES:
                day = self.day_taken(week, AVI, late)
                if day is None:
                    continue
                # The level a pupil of the median reaches by now (M3 at M3), ahead or behind.
                expected = index - moment_index("M3") + 1
                ahead = AVI_SPREAD * profile.z("technical", index) + self.rng.gauss(0, 0.5)
                levels = LEVELS[LevelScale.AVI]
                avi_rank = max(avi_rank, min(max(round(expected + ahead), 0), len(levels) - 1))
                self.result(pupil, AVI, day, moment, level=levels[avi_rank])

    def test_day(self, start_year: int, half: str) -> datetime.date:
        """The Monday of the school's test week for a moment of a school year."""
        key = (start_year, half)
        if key not in self.test_days:
            month, day = MOMENT_DAYS[half]
            middle = datetime.date(start_year + 1, month, day)
            middle += datetime.timedelta(days=self.rng.randint(-3, 3))
            self.test_days[key] = middle - datetime.timedelta(days=middle.weekday())
        return self.test_days[key]

    def day_taken(self, week: datetime.date, instrument: str, late: bool) -> datetime.date | None:
        """The day in the test week (a week later when the pupil was ill); None if in the future."""
        day = week + datetime.timedelta(days=INSTRUMENT_DAY[instrument] + (7 if late else 0))
        return day if day <= self.today else None

    def result(
        self,
        pupil: Pupil,
        instrument: str,
        day: datetime.date,
        moment: str,
        *,
        score: Decimal | None = None,
        level: str = "",
    ) -> None:
        TestResult.objects.create(
            pupil=pupil,
            instrument=self.instruments[instrument],
            date_taken=day,
            moment=moment,
            score=score,
            level=level,
        )
        self.counts["test results"] = self.counts.get("test results", 0) + 1


# -- pupil log ---------------------------------------------------------------------------------

LOG_GROUP = "Groep 5"
LOG_TEACHER = "leerkracht@demo.hgw.nl"  # Sanne Jansen, teacher of Groep 5
LOG_IB = "ib@demo.hgw.nl"  # Fatima El Amrani
# Who wrote the handovers with the teacher: last year's teacher of grade 4.
LOG_PREVIOUS_TEACHER = "Ilse Bos (leerkracht groep 4)"
# The handover was held before the summer holiday, this many days before the school year.
HANDOVER_DAYS_BEFORE_YEAR = 20


@dataclass(frozen=True)
class LogNote:
    """A note in the pupil log of one of the first pupils of LOG_GROUP. `{name}` in the text is
    the pupil's given name; "{guardians}" in the participants, the names of their guardians."""

    pupil: int  # the pupil's place in the group, by name
    kind: str
    author: str  # a login's e-mail address
    # Days before today (the handover: None, before the school year); never before the year.
    days_ago: int | None
    participants: str
    notes: str
    agreements: str = ""


LOG_NOTES = (
    LogNote(
        0,
        LogKind.HANDOVER,
        LOG_TEACHER,
        None,
        f"{LOG_PREVIOUS_TEACHER}, Sanne Jansen",
        "{name} is een vrolijke leerling die graag samenwerkt en makkelijk contact maakt. "
        "Rekenen gaat goed. Bij begrijpend lezen vindt {name} de hoofdgedachte van een tekst "
        "nog moeilijk. Werkt het best op een plek vooraan, dicht bij de instructietafel.",
        "Begrijpend lezen: de eerste weken aansluiten bij de verlengde instructie, na de "
        "herfstvakantie evalueren.",
    ),
    LogNote(
        0,
        LogKind.OBSERVATION,
        LOG_TEACHER,
        30,
        "",
        "Tijdens de rekenles (verhoudingstabellen) is {name} na ongeveer tien minuten "
        "afgeleid en gaat praten met de buren. Met een time-timer op tafel en een "
        "opdrachtkaart met drie stappen werkt {name} zichtbaar langer zelfstandig door.",
    ),
    LogNote(
        0,
        LogKind.PARENTS,
        LOG_TEACHER,
        12,
        "{guardians}, Sanne Jansen",
        "Gesprek op verzoek van de leerkracht over de concentratie in de klas. De ouders "
        "herkennen het beeld van thuis, bij het huiswerk. Sinds de verhuizing in de zomer "
        "slaapt {name} slecht en is 's ochtends vaak moe.\n\n"
        "{name} zelf zegt dat het in de klas 'te druk' is.",
        "- Thuis elke dag een kwartier samen lezen, op een vaste tijd.\n"
        "- In de klas een vaste werkplek aan de rand van de groep en de time-timer.\n"
        "- Over zes weken een vervolggesprek; eerder contact als het thuis of op school niet "
        "goed gaat.",
    ),
    LogNote(
        1,
        LogKind.HANDOVER,
        LOG_TEACHER,
        None,
        f"{LOG_PREVIOUS_TEACHER}, Sanne Jansen",
        "Sterke rekenaar, leest vlot en met plezier. Is in de grote groep wat stil en "
        "teruggetrokken; in een tweetal komt {name} beter los.",
    ),
    LogNote(
        1,
        LogKind.PUPIL,
        LOG_TEACHER,
        20,
        "{name}, Sanne Jansen",
        "Kindgesprek over hoe het gaat in de klas. {name} vindt rekenen 'te makkelijk' en "
        "het wachten op de anderen saai. Zou graag moeilijker werk doen, het liefst samen met "
        "een klasgenoot.",
        "Na de instructie gaat {name} aan de slag met de verrijkingstaken uit de plusmap. Over "
        "vier weken bespreken we samen hoe dat bevalt.",
    ),
    LogNote(
        2,
        LogKind.OBSERVATION,
        LOG_IB,
        25,
        "Fatima El Amrani (IB)",
        "Klassenobservatie tijdens de spellingles. {name} schrijft de dictee-woorden langzaam "
        "en klankzuiver ('hont', 'fieds'); de regels van de categorieën worden nog niet "
        "toegepast. Goede werkhouding: {name} vraagt zelf om hulp en blijft doorwerken.",
        "De leerkracht zet {name} in de subgroep met verlengde instructie spelling. De IB "
        "brengt {name} in bij de groepsbespreking.",
    ),
    LogNote(
        2,
        LogKind.PARENTS,
        LOG_IB,
        8,
        "{guardians}, Sanne Jansen, Fatima El Amrani (IB)",
        "Gesprek over de spellingresultaten en de observatie in de klas. De ouders maken zich "
        "zorgen: een oudere broer heeft dyslexie. Thuis leest {name} weinig uit zichzelf.",
        "- Thuis drie keer per week tien minuten oefenen met de oefensoftware van de "
        "spellingmethode.\n"
        "- Na de middentoets bekijken we samen of verder onderzoek nodig is.",
    ),
)


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
                ResultsBuilder(self.today, self.year, self.counts).build(placed)

        self.build_logins(board, schools)
        self.build_pupil_log()
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

    # -- pupil log ---------------------------------------------------------------------------

    def build_pupil_log(self) -> None:
        group = self.groups[(DEMO_BRIN, self.year.start_year, LOG_GROUP)]
        pupils = list(Pupil.objects.in_group(group, on=self.today).ordered()[:3])
        authors = {u.email: u for u in User.objects.filter(email__in=(LOG_TEACHER, LOG_IB))}
        for note in LOG_NOTES:
            pupil = pupils[note.pupil]
            names = {
                "name": pupil.given_name,
                "guardians": ", ".join(g.name for g in pupil.guardians.order_by("pk")),
            }
            author = authors[note.author]
            # The revision names the author, as it would had they written it in the app.
            with acting_as(author):
                PupilLogEntry.objects.create(
                    pupil=pupil,
                    date=self.log_date(note.days_ago),
                    kind=note.kind,
                    participants=note.participants.format(**names),
                    notes=note.notes.format(**names),
                    agreements=note.agreements.format(**names),
                    author=author,
                )
            self.count("pupil log entries")

    def log_date(self, days_ago: int | None) -> datetime.date:
        """`days_ago` before today, but not before the school year began; the handover (None)
        before the summer holiday."""
        start = self.year.start_date
        if days_ago is None:
            return start - datetime.timedelta(days=HANDOVER_DAYS_BEFORE_YEAR)
        return max(self.today - datetime.timedelta(days=days_ago), start)

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
