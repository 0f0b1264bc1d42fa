"""The organisation: a school board, its schools, school years and their periods."""

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class DatedRange:
    """For models with a half-open date range: from start_date up to, not including, end_date
    (empty: still running). Memberships, teacher assignments and enrolments use it."""

    start_date: datetime.date
    end_date: datetime.date | None

    def is_running_on(self, day: datetime.date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date > day)

    @property
    def last_day(self) -> datetime.date | None:
        """The last day in the range, as people say it ("up to and including")."""
        return self.end_date - datetime.timedelta(days=1) if self.end_date else None


class Board(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)

    class Meta:
        verbose_name = _("school board")
        verbose_name_plural = _("school boards")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


MAIN_LOCATION_CODES = ("", "00")  # administration systems write the main location either way


def _location_codes(dependance_code: str) -> tuple[str, ...]:
    return MAIN_LOCATION_CODES if dependance_code in MAIN_LOCATION_CODES else (dependance_code,)


class SchoolQuerySet(models.QuerySet):
    def with_brin(self, brin: str, dependance_code: str = "") -> "SchoolQuerySet":
        """The school with this BRIN code and location ("" and "00" both mean the main one)."""
        return self.filter(brin=brin.upper(), dependance_code__in=_location_codes(dependance_code))


class School(models.Model):
    board = models.ForeignKey(
        Board, on_delete=models.PROTECT, related_name="schools", verbose_name=_("school board")
    )
    name = models.CharField(_("name"), max_length=200)
    brin = models.CharField(
        _("BRIN code"), max_length=4, help_text=_("Four characters: two digits, two letters.")
    )
    # A school with several locations has one BRIN and a dependance code per location.
    dependance_code = models.CharField(_("location code"), max_length=2, blank=True)
    # Two-factor login is always required for the roles that see more than one group (see
    # accounts.models.User.requires_two_factor); for teachers the school decides.
    teachers_require_two_factor = models.BooleanField(
        _("teachers log in with two factors"),
        default=False,
        help_text=_("Teachers then need an authenticator app too, as the other roles always do."),
    )

    # Passend Onderwijs: a referral will need an OPP; a school can choose to need one (with the
    # parents' agreement to its support part) before a pupil goes to the care team.
    opp_required_for_care_team = models.BooleanField(
        _("an OPP is needed before the care team"),
        default=False,
        help_text=_(
            "The step to the care team (level 4) then also needs an OPP to which the parents "
            "agreed."
        ),
    )

    objects = SchoolQuerySet.as_manager()
    # Who changed the school's settings (e.g. two-factor login for teachers), and when.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["brin", "dependance_code"], name="school_brin_location_unique"
            ),
            models.CheckConstraint(
                condition=Q(brin__regex=r"^[0-9]{2}[A-Z]{2}$"), name="school_brin_format"
            ),
            models.CheckConstraint(
                condition=Q(dependance_code="") | Q(dependance_code__regex=r"^[0-9]{2}$"),
                name="school_dependance_code_format",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def has_brin(self, brin: str, dependance_code: str = "") -> bool:
        return self.brin == brin.upper() and self.dependance_code in _location_codes(
            dependance_code
        )


class SchoolYearQuerySet(models.QuerySet):
    def on(self, day: datetime.date) -> "SchoolYearQuerySet":
        return self.filter(start_date__lte=day, end_date__gte=day)


class SchoolYear(models.Model):
    """A school year such as 2026-2027, from 1 August to 31 July unless set otherwise."""

    start_year = models.PositiveSmallIntegerField(_("first calendar year"), unique=True)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))

    objects = SchoolYearQuerySet.as_manager()

    class Meta:
        verbose_name = _("school year")
        verbose_name_plural = _("school years")
        ordering = ["start_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=models.F("start_date")), name="schoolyear_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return f"{self.start_year}-{self.start_year + 1}"

    @classmethod
    def default_dates(cls, start_year: int) -> tuple[datetime.date, datetime.date]:
        return datetime.date(start_year, 8, 1), datetime.date(start_year + 1, 7, 31)

    @classmethod
    def start_year_on(cls, day: datetime.date) -> int:
        return day.year if day.month >= 8 else day.year - 1

    @classmethod
    def current(cls, day: datetime.date | None = None) -> "SchoolYear | None":
        """The school year that contains the day (today by default), decided by dates alone."""
        return cls.objects.on(day or timezone.localdate()).first()

    def default_periods(self) -> list[tuple[datetime.date, datetime.date]]:
        """Two periods: August-January and February-July."""
        split = datetime.date(self.start_year + 1, 2, 1)
        return [
            (self.start_date, split - datetime.timedelta(days=1)),
            (split, self.end_date),
        ]


class PeriodQuerySet(models.QuerySet):
    def on(self, day: datetime.date) -> "PeriodQuerySet":
        return self.filter(start_date__lte=day, end_date__gte=day)

    def for_school(self, school: School) -> "PeriodQuerySet":
        return self.filter(school=school)


class Period(models.Model):
    """A part of a school year at one school; group overviews and plans are made per period."""

    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="periods", verbose_name=_("school")
    )
    school_year = models.ForeignKey(
        SchoolYear, on_delete=models.PROTECT, related_name="periods", verbose_name=_("school year")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        ordering = ["school_year__start_year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year", "number"], name="period_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="period_dates_ordered"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="period_number_positive"),
        ]
        indexes = [models.Index(fields=["school", "start_date", "end_date"])]

    def __str__(self) -> str:
        return _("Period %(number)s %(year)s") % {
            "number": self.number,
            "year": self.school_year.name,
        }

    def is_in_use(self) -> bool:
        """True once anything (an overview, a plan, a meeting) refers to this period.

        Every later model that points to a period does so with PROTECT, so the reverse
        relations tell, without this app knowing those models.
        """
        for relation in self._meta.related_objects:
            accessor = relation.get_accessor_name()
            if relation.one_to_many and getattr(self, accessor).exists():
                return True
        return False

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        errors = {}
        if self.pk and self.is_in_use():
            original = Period.objects.get(pk=self.pk)
            if (original.start_date, original.end_date) != (self.start_date, self.end_date):
                errors["start_date"] = _("This period is in use; its dates can no longer change.")
        if self.start_date and self.end_date and self.school_year_id:
            year = self.school_year
            if self.start_date < year.start_date or self.end_date > year.end_date:
                errors["end_date"] = _("A period lies within its school year.")
            overlapping = (
                Period.objects.filter(school_id=self.school_id, school_year_id=self.school_year_id)
                .filter(start_date__lte=self.end_date, end_date__gte=self.start_date)
                .exclude(pk=self.pk)
            )
            if overlapping.exists():
                errors["start_date"] = _("Periods of one school year may not overlap.")
        if errors:
            raise ValidationError(errors)
