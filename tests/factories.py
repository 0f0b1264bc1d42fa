"""factory_boy factories for every model the tests build."""

import datetime

import factory
from django.utils import timezone

from accounts.models import Membership, Role, User
from pupils.models import (
    Enrolment,
    Group,
    GroupTeacherAssignment,
    Guardian,
    LogKind,
    Pupil,
    PupilLogEntry,
)
from schools.models import Board, School, SchoolYear


def _year_start() -> datetime.date:
    today = timezone.localdate()
    return datetime.date(SchoolYear.start_year_on(today), 8, 1)


class BoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Board
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Stichting {n}")


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    board = factory.SubFactory(BoardFactory)
    name = factory.Sequence(lambda n: f"School {n}")
    brin = factory.Sequence(lambda n: f"{n % 100:02d}{chr(65 + (n // 100) % 26)}{chr(65 + n % 26)}")


class SchoolYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolYear
        django_get_or_create = ["start_year"]

    start_year = factory.LazyFunction(lambda: SchoolYear.start_year_on(timezone.localdate()))
    start_date = factory.LazyAttribute(lambda o: datetime.date(o.start_year, 8, 1))
    end_date = factory.LazyAttribute(lambda o: datetime.date(o.start_year + 1, 7, 31))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@school.example")
    full_name = factory.Faker("name", locale="nl_NL")
    password = factory.django.Password("correct-horse-battery")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    role = Role.TEACHER
    start_date = factory.LazyFunction(_year_start)


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    school = factory.SubFactory(SchoolFactory)
    school_year = factory.SubFactory(SchoolYearFactory)
    name = factory.Sequence(lambda n: f"Groep {n}")
    grade_low = 5
    grade_high = 5


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupTeacherAssignment

    group = factory.SubFactory(GroupFactory)
    teacher = factory.SubFactory(UserFactory)
    start_date = factory.LazyFunction(_year_start)


class PupilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pupil

    school = factory.SubFactory(SchoolFactory)
    given_name = factory.Faker("first_name", locale="nl_NL")
    family_name = factory.Faker("last_name", locale="nl_NL")
    date_of_birth = datetime.date(2016, 5, 17)
    las_key = factory.Sequence(lambda n: f"L{n:05d}")
    date_in = datetime.date(2020, 5, 17)


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    pupil = factory.SubFactory(PupilFactory)
    group = factory.SubFactory(GroupFactory, school=factory.SelfAttribute("..pupil.school"))
    start_date = factory.LazyFunction(_year_start)


class GuardianFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guardian

    pupil = factory.SubFactory(PupilFactory)
    name = factory.Faker("name", locale="nl_NL")
    relation = "mother"
    email = "ouder@example.nl"


class PupilLogEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PupilLogEntry

    pupil = factory.SubFactory(PupilFactory)
    date = factory.LazyFunction(timezone.localdate)
    kind = LogKind.OBSERVATION
    notes = "Werkt geconcentreerd aan de rekentaak, vraagt weinig hulp."
    author = factory.SubFactory(UserFactory)
