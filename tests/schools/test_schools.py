import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from schools.actions import ensure_default_periods, ensure_school_year
from schools.models import Period, SchoolYear
from tests import factories

pytestmark = pytest.mark.django_db


def test_school_year_is_decided_by_date():
    year = ensure_school_year(start_year=2026)
    assert year.name == "2026-2027"
    assert SchoolYear.current(datetime.date(2026, 8, 1)) == year
    assert SchoolYear.current(datetime.date(2027, 7, 31)) == year
    assert SchoolYear.current(datetime.date(2026, 7, 31)) is None
    assert SchoolYear.start_year_on(datetime.date(2027, 1, 15)) == 2026


def test_default_periods_are_august_january_and_february_july():
    school = factories.SchoolFactory()
    year = ensure_school_year(start_year=2026)
    first, second = ensure_default_periods(school=school, school_year=year)
    assert (first.start_date, first.end_date) == (
        datetime.date(2026, 8, 1),
        datetime.date(2027, 1, 31),
    )
    assert (second.start_date, second.end_date) == (
        datetime.date(2027, 2, 1),
        datetime.date(2027, 7, 31),
    )
    assert Period.objects.for_school(school).on(datetime.date(2027, 2, 1)).get() == second
    # Running it again changes nothing.
    assert ensure_default_periods(school=school, school_year=year) == [first, second]


def test_periods_may_not_overlap_or_leave_their_year():
    school = factories.SchoolFactory()
    year = ensure_school_year(start_year=2026)
    ensure_default_periods(school=school, school_year=year)
    overlapping = Period(
        school=school,
        school_year=year,
        number=3,
        start_date=datetime.date(2027, 1, 1),
        end_date=datetime.date(2027, 3, 1),
    )
    with pytest.raises(ValidationError):
        overlapping.full_clean()
    outside = Period(
        school=school,
        school_year=year,
        number=3,
        start_date=datetime.date(2027, 8, 1),
        end_date=datetime.date(2027, 9, 1),
    )
    with pytest.raises(ValidationError):
        outside.full_clean()


def test_a_period_nothing_uses_stays_editable():
    school = factories.SchoolFactory()
    first, _second = ensure_default_periods(
        school=school, school_year=ensure_school_year(start_year=2026)
    )
    assert not first.is_in_use()
    first.end_date = datetime.date(2027, 1, 15)
    first.full_clean()


def test_brin_code_has_two_digits_and_two_letters():
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.SchoolFactory(brin="9A9A")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.SchoolFactory(brin="12ab")
    factories.SchoolFactory(brin="12AB")


def test_school_year_ends_after_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        SchoolYear.objects.create(
            start_year=2030,
            start_date=datetime.date(2030, 8, 1),
            end_date=datetime.date(2030, 7, 1),
        )
