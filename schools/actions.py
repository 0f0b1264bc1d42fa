"""Writes that set up the organisation."""

from django.db import transaction

from schools.models import Period, School, SchoolYear


@transaction.atomic
def ensure_school_year(*, start_year: int) -> SchoolYear:
    start, end = SchoolYear.default_dates(start_year)
    year, _ = SchoolYear.objects.get_or_create(
        start_year=start_year, defaults={"start_date": start, "end_date": end}
    )
    return year


@transaction.atomic
def ensure_default_periods(*, school: School, school_year: SchoolYear) -> list[Period]:
    """Give the school the default two periods of the year, unless it has periods already."""
    existing = list(Period.objects.filter(school=school, school_year=school_year))
    if existing:
        return existing
    return [
        Period.objects.create(
            school=school, school_year=school_year, number=number, start_date=start, end_date=end
        )
        for number, (start, end) in enumerate(school_year.default_periods(), start=1)
    ]
