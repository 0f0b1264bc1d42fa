"""Groups and their teachers, pupils, their enrolments in groups, and their guardians.

All date ranges here are half-open: from start_date up to, not including, end_date (empty:
still running). "Current" is always decided by a date, never by a flag.
"""

import datetime
import unicodedata

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from audit.history import pupil_history
from schools.models import DatedRange, School, SchoolYear


def _fold(text: str) -> str:
    """ "Çelik" and "celik" sort alike: drop accents, ignore case."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _running_on(day: datetime.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}start_date__lte": day}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gt": day})
    )


def _dates_ordered(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")), name=name
    )


class GroupQuerySet(models.QuerySet):
    def for_school(self, school: School) -> "GroupQuerySet":
        return self.filter(school=school)

    def in_year(self, school_year: SchoolYear | None) -> "GroupQuerySet":
        return self.filter(school_year=school_year)

    def taught_by(self, user, on: datetime.date | None = None) -> "GroupQuerySet":
        day = on or timezone.localdate()
        return self.filter(
            pk__in=GroupTeacherAssignment.objects.filter(_running_on(day), teacher=user).values(
                "group_id"
            )
        )

    def ordered(self) -> "GroupQuerySet":
        """By grade, then name; groups without a grade (composed, special) last."""
        return self.order_by(models.F("grade_low").asc(nulls_last=True), "name", "pk")

    def with_pupil_counts(self, on: datetime.date | None = None) -> "GroupQuerySet":
        day = on or timezone.localdate()
        return self.annotate(
            pupil_count=models.Count(
                "enrolments", filter=_running_on(day, "enrolments__"), distinct=True
            )
        )


class Group(models.Model):
    """A class (stamgroep) or a composed group of one school year.

    Grades: one grade (groep 5), a combination (groep 3/4: low 3, high 4), or none for a
    special or composed group.
    """

    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="groups", verbose_name=_("school")
    )
    school_year = models.ForeignKey(
        SchoolYear, on_delete=models.PROTECT, related_name="groups", verbose_name=_("school year")
    )
    name = models.CharField(_("name"), max_length=60)
    grade_low = models.PositiveSmallIntegerField(_("lowest grade"), null=True, blank=True)
    grade_high = models.PositiveSmallIntegerField(_("highest grade"), null=True, blank=True)
    # The key of the group in the school's administration system (EDEXML), if imported.
    las_key = models.CharField(_("key in administration system"), max_length=60, blank=True)

    objects = GroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["grade_low", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year", "name"], name="group_name_unique_per_year"
            ),
            models.UniqueConstraint(
                fields=["school", "school_year", "las_key"],
                condition=~Q(las_key=""),
                name="group_las_key_unique_per_year",
            ),
            models.CheckConstraint(
                condition=(
                    Q(grade_low__isnull=True, grade_high__isnull=True)
                    | Q(
                        grade_low__isnull=False,
                        grade_high__isnull=False,
                        grade_low__gte=1,
                        grade_low__lte=models.F("grade_high"),
                        grade_high__lte=8,
                    )
                ),
                name="group_grades_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def grades_display(self) -> str:
        if self.grade_low is None:
            return ""
        if self.grade_low == self.grade_high:
            return str(self.grade_low)
        if self.grade_high == self.grade_low + 1:
            return f"{self.grade_low}/{self.grade_high}"
        return f"{self.grade_low}-{self.grade_high}"


class GroupTeacherAssignment(DatedRange, models.Model):
    """A teacher teaches a group for a span of dates; a substitute gets exactly their weeks."""

    group = models.ForeignKey(
        Group, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("group")
    )
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="group_assignments",
        verbose_name=_("teacher"),
    )
    is_substitute = models.BooleanField(_("substitute"), default=False)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)

    history = pupil_history()

    class Meta:
        verbose_name = _("teacher assignment")
        verbose_name_plural = _("teacher assignments")
        ordering = ["start_date"]
        constraints = [_dates_ordered("assignment_dates_ordered")]
        indexes = [models.Index(fields=["teacher", "start_date", "end_date"])]

    def __str__(self) -> str:
        return f"{self.teacher} - {self.group}"


class PupilQuerySet(models.QuerySet):
    def for_school(self, school: School) -> "PupilQuerySet":
        return self.filter(school=school)

    def in_group(self, group: Group, on: datetime.date | None = None) -> "PupilQuerySet":
        day = on or timezone.localdate()
        return self.filter(
            pk__in=Enrolment.objects.filter(_running_on(day), group=group).values("pupil_id")
        )

    def in_groups(self, groups: models.QuerySet, on: datetime.date | None = None):
        day = on or timezone.localdate()
        return self.filter(
            pk__in=Enrolment.objects.filter(_running_on(day), group__in=groups).values("pupil_id")
        )

    def ordered(self) -> "PupilQuerySet":
        """Dutch order: by family name without its prefix ("de Vries" under V)."""
        return self.order_by(Lower("family_name"), Lower("given_name"), Lower("name_prefix"), "pk")

    def search(self, text: str) -> "PupilQuerySet":
        query = Q()
        # PostgreSQL refuses NUL in a query parameter (a server error); no name contains one.
        for word in text.replace("\x00", "").split()[:4]:
            query &= (
                Q(given_name__icontains=word)
                | Q(family_name__icontains=word)
                | Q(name_prefix__icontains=word)
            )
        return self.filter(query)


class Sex(models.IntegerChoices):
    """Coded as in EDEXML."""

    UNKNOWN = 0, _("unknown")
    MALE = 1, _("male")
    FEMALE = 2, _("female")
    UNSPECIFIED = 9, _("unspecified")


class Pupil(models.Model):
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="pupils", verbose_name=_("school")
    )
    given_name = models.CharField(_("given name"), max_length=100)
    # The tussenvoegsel ("de", "van der") is kept apart so that sorting uses the family name.
    name_prefix = models.CharField(_("name prefix"), max_length=20, blank=True)
    family_name = models.CharField(_("family name"), max_length=150)
    date_of_birth = models.DateField(_("date of birth"))
    sex = models.PositiveSmallIntegerField(_("sex"), choices=Sex.choices, default=Sex.UNKNOWN)
    las_key = models.CharField(_("key in administration system"), max_length=60)
    eck_id = models.CharField(_("ECK-iD"), max_length=255, blank=True)
    date_in = models.DateField(_("date of entry"))
    date_out = models.DateField(_("date of leaving"), null=True, blank=True)

    objects = PupilQuerySet.as_manager()
    history = pupil_history()

    class Meta:
        verbose_name = _("pupil")
        verbose_name_plural = _("pupils")
        ordering = [Lower("family_name"), Lower("given_name")]
        constraints = [
            models.UniqueConstraint(fields=["school", "las_key"], name="pupil_las_key_unique"),
            models.UniqueConstraint(
                fields=["school", "eck_id"], condition=~Q(eck_id=""), name="pupil_eck_id_unique"
            ),
            models.CheckConstraint(condition=Q(sex__in=Sex.values), name="pupil_sex_valid"),
            models.CheckConstraint(
                condition=Q(date_out__isnull=True) | Q(date_out__gte=models.F("date_in")),
                name="pupil_dates_ordered",
            ),
            models.CheckConstraint(
                condition=Q(date_in__gte=models.F("date_of_birth")),
                name="pupil_entry_after_birth",
            ),
        ]
        indexes = [models.Index(Lower("family_name"), Lower("given_name"), name="pupil_name_idx")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        """As it is said: "Sanne de Vries"."""
        return " ".join(
            part for part in (self.given_name, self.name_prefix, self.family_name) if part
        )

    @property
    def sort_key(self) -> tuple[str, str, str]:
        """For sorting in Python as Dutch readers expect: by family name, accents ignored."""
        return tuple(_fold(part) for part in (self.family_name, self.given_name, self.name_prefix))

    @property
    def sort_name(self) -> str:
        """As it is listed: "Vries, Sanne de"."""
        rest = " ".join(part for part in (self.given_name, self.name_prefix) if part)
        return f"{self.family_name}, {rest}"

    def age_on(self, day: datetime.date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())


class EnrolmentKind(models.TextChoices):
    MAIN = "main", _("main group")
    COMPOSED = "composed", _("composed group")


class EnrolmentQuerySet(models.QuerySet):
    def running_on(self, day: datetime.date | None = None) -> "EnrolmentQuerySet":
        return self.filter(_running_on(day or timezone.localdate()))


class Enrolment(DatedRange, models.Model):
    """A pupil belongs to a group for a span of dates: one main group at a time, plus any
    composed groups. A move ends one enrolment and starts another; history is kept."""

    pupil = models.ForeignKey(
        Pupil, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("pupil")
    )
    group = models.ForeignKey(
        Group, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("group")
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=EnrolmentKind.choices, default=EnrolmentKind.MAIN
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)

    objects = EnrolmentQuerySet.as_manager()
    history = pupil_history()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["start_date"]
        constraints = [
            _dates_ordered("enrolment_dates_ordered"),
            models.CheckConstraint(
                condition=Q(kind__in=EnrolmentKind.values), name="enrolment_kind_valid"
            ),
            # Overlapping ranges are refused by `pupils.actions.enrol`; the database guarantees
            # at least that a pupil never has two open main enrolments.
            models.UniqueConstraint(
                fields=["pupil"],
                condition=Q(kind=EnrolmentKind.MAIN, end_date__isnull=True),
                name="enrolment_one_open_main_group",
            ),
        ]
        indexes = [
            models.Index(fields=["group", "start_date", "end_date"]),
            models.Index(fields=["pupil", "start_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.pupil} - {self.group}"


class Relation(models.TextChoices):
    MOTHER = "mother", _("mother")
    FATHER = "father", _("father")
    PARENT = "parent", _("parent")
    GUARDIAN = "guardian", pgettext_lazy("relation to a pupil", "guardian")
    FOSTER_PARENT = "foster_parent", _("foster parent")
    OTHER = "other", _("other")


class Guardian(models.Model):
    pupil = models.ForeignKey(
        Pupil, on_delete=models.PROTECT, related_name="guardians", verbose_name=_("pupil")
    )
    name = models.CharField(_("name"), max_length=200)
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    has_parental_authority = models.BooleanField(_("parental authority"), default=True)

    history = pupil_history()

    class Meta:
        verbose_name = _("guardian")
        verbose_name_plural = _("guardians")
        ordering = ["-has_parental_authority", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(relation__in=Relation.values), name="guardian_relation_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


# Test results -------------------------------------------------------------------------------


class SubjectArea(models.TextChoices):
    TECHNICAL_READING = "technical_reading", _("technical reading")
    READING_COMPREHENSION = "reading_comprehension", _("reading comprehension")
    SPELLING = "spelling", _("spelling")
    LANGUAGE = "language", _("language")
    MATHS = "maths", _("maths")
    EMERGENT_LITERACY = "emergent_literacy", _("emergent literacy")
    EMERGENT_NUMERACY = "emergent_numeracy", _("emergent numeracy")
    OTHER = "other", _("other")


class ScoreKind(models.TextChoices):
    ABILITY_SCORE = "ability_score", _("ability score")
    WORDS_PER_MINUTE = "words_per_minute", _("words per minute")
    PERCENTAGE = "percentage", _("percentage")
    MARK = "mark", _("mark")
    LEVEL_ONLY = "level_only", _("level only")


class LevelScale(models.TextChoices):
    NONE = "none", _("no levels")
    ROMAN = "I-V", _("I to V (I best)")
    LETTERS = "A-E", _("A to E (A best)")
    AVI = "AVI", _("AVI levels")


# The levels of each scale, from worst to best.
LEVELS: dict[str, list[str]] = {
    LevelScale.NONE: [],
    LevelScale.ROMAN: ["V", "IV", "III", "II", "I"],
    LevelScale.LETTERS: ["E", "D", "C", "B", "A"],
    LevelScale.AVI: ["Start", "M3", "E3", "M4", "E4", "M5", "E5", "M6", "E6", "M7", "E7", "Plus"],
}


class InstrumentQuerySet(models.QuerySet):
    def for_school(self, school: School) -> "InstrumentQuerySet":
        """The instruments every school has, and the school's own."""
        return self.filter(Q(school__isnull=True) | Q(school=school))


class Instrument(models.Model):
    """A test (toets) with its scale: what a score means and which direction is better."""

    school = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        related_name="instruments",
        null=True,
        blank=True,
        verbose_name=_("school"),
        help_text=_("Empty: available to every school."),
    )
    name = models.CharField(_("name"), max_length=100)
    subject = models.CharField(_("subject area"), max_length=30, choices=SubjectArea.choices)
    score_kind = models.CharField(_("kind of score"), max_length=20, choices=ScoreKind.choices)
    level_scale = models.CharField(
        _("levels"), max_length=5, choices=LevelScale.choices, default=LevelScale.NONE
    )
    higher_score_is_better = models.BooleanField(_("a higher score is better"), default=True)

    objects = InstrumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        ordering = ["subject", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "name"], name="instrument_name_unique_per_school"
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(school__isnull=True),
                name="instrument_name_unique_shared",
            ),
            models.CheckConstraint(
                condition=Q(subject__in=SubjectArea.values), name="instrument_subject_valid"
            ),
            models.CheckConstraint(
                condition=Q(score_kind__in=ScoreKind.values), name="instrument_score_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(level_scale__in=LevelScale.values), name="instrument_scale_valid"
            ),
            models.CheckConstraint(
                condition=~Q(score_kind=ScoreKind.LEVEL_ONLY) | ~Q(level_scale=LevelScale.NONE),
                name="instrument_level_only_has_levels",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def levels(self) -> list[str]:
        return LEVELS[self.level_scale]

    @property
    def has_score(self) -> bool:
        return self.score_kind != ScoreKind.LEVEL_ONLY

    def normalise_level(self, text: str) -> str:
        """The level as this scale writes it ("iii" -> "III", "avi-m4" -> "M4"); "" for none.

        Raises ValueError for a level the scale does not have.
        """
        cleaned = text.strip()
        if not cleaned:
            return ""
        if self.level_scale == LevelScale.AVI:
            cleaned = cleaned.upper().removeprefix("AVI").strip(" -:")
        for level in self.levels:
            if cleaned.upper() == level.upper():
                return level
        raise ValueError(
            _("%(level)s is not a level of %(instrument)s (levels: %(levels)s).")
            % {"level": text, "instrument": self.name, "levels": ", ".join(self.levels) or "-"}
        )

    def level_rank(self, level: str) -> int | None:
        """Higher is better, whatever the scale; None when there is no level."""
        return self.levels.index(level) if level in self.levels else None


class TestResultQuerySet(models.QuerySet):
    def chronological(self) -> "TestResultQuerySet":
        return self.order_by("date_taken", "pk")


class TestResult(models.Model):
    """One result of one pupil on one instrument, taken on a date."""

    pupil = models.ForeignKey(
        Pupil, on_delete=models.PROTECT, related_name="results", verbose_name=_("pupil")
    )
    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="results", verbose_name=_("instrument")
    )
    date_taken = models.DateField(_("date taken"))
    # The moment in the test calendar, e.g. "M4" (middle of grade 4) or "E4" (end).
    moment = models.CharField(_("moment"), max_length=10, blank=True)
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2, null=True, blank=True)
    level = models.CharField(_("level"), max_length=10, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("entered by"),
    )
    import_record = models.ForeignKey(
        "ImportRecord",
        on_delete=models.PROTECT,
        related_name="results",
        null=True,
        blank=True,
        verbose_name=_("import"),
    )

    objects = TestResultQuerySet.as_manager()
    history = pupil_history()

    class Meta:
        verbose_name = _("test result")
        verbose_name_plural = _("test results")
        ordering = ["date_taken"]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil", "instrument", "date_taken"], name="result_unique_per_day"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=False) | ~Q(level=""), name="result_has_score_or_level"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument} {self.date_taken}"


# Imports ------------------------------------------------------------------------------------


class ImportKind(models.TextChoices):
    EDEXML = "edexml", _("EDEXML (pupils, groups and staff)")
    PUPILS_CSV = "pupils_csv", _("pupils (CSV)")
    GUARDIANS_CSV = "guardians_csv", _("guardians (CSV)")
    RESULTS_CSV = "results_csv", _("test results (CSV)")


class ImportStatus(models.TextChoices):
    MAPPING = "mapping", _("columns to match")
    PREVIEW = "preview", _("ready to check")
    QUEUED = "queued", _("waiting to be processed")
    APPLYING = "applying", _("being processed")
    APPLIED = "applied", _("imported")
    FAILED = "failed", _("failed")
    CANCELLED = "cancelled", _("cancelled")


class ImportRecord(models.Model):
    """One import: who, when, which file, what it changed, and how it ended.

    Between upload and confirmation `data` holds what hgw read from the file — only the
    fields hgw stores, never the rest of the file — and it is emptied once the import is
    applied or cancelled, leaving the counts and the problems found.
    """

    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="imports", verbose_name=_("school")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    file_name = models.CharField(_("file name"), max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.PREVIEW
    )
    data = models.JSONField(_("data read"), default=dict, blank=True)
    options = models.JSONField(_("options"), default=dict, blank=True)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    progress = models.CharField(_("progress"), max_length=200, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["school", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ImportKind.values), name="import_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ImportStatus.values), name="import_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name}"

    @property
    def is_open(self) -> bool:
        """Still to be checked or confirmed by a person."""
        return self.status in (ImportStatus.MAPPING, ImportStatus.PREVIEW)

    @property
    def is_running(self) -> bool:
        return self.status in (ImportStatus.QUEUED, ImportStatus.APPLYING)


class ColumnMapping(models.Model):
    """How a school's CSV files of one kind name our fields: matched once, remembered."""

    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="column_mappings", verbose_name=_("school")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    # Our field name -> the file's column header (normalised).
    columns = models.JSONField(_("columns"), default=dict)

    class Meta:
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")
        constraints = [
            models.UniqueConstraint(fields=["school", "kind"], name="column_mapping_unique")
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.kind}"


# Pupil log ----------------------------------------------------------------------------------


class LogKind(models.TextChoices):
    """What a note in the pupil log records. Four of them are sources of the group overview
    (observation, talks with the pupil and with the parents, the handover)."""

    PARENTS = "parents", _("conversation with the parents")
    PUPIL = "pupil", _("conversation with the pupil")
    OBSERVATION = "observation", _("observation")
    HANDOVER = "handover", _("handover from the previous teacher")
    OTHER = "other", _("other")


class PupilLogQuerySet(models.QuerySet):
    def newest_first(self) -> "PupilLogQuerySet":
        return self.order_by("-date", "-pk")

    def of_kind(self, kind: str) -> "PupilLogQuerySet":
        return self.filter(kind=kind)

    def for_pupils(
        self,
        pupil_ids,
        since: datetime.date | None = None,
        until: datetime.date | None = None,
    ) -> "PupilLogQuerySet":
        """The notes of these pupils (ids, or a queryset of pupils) dated from `since` up to and
        including `until` (either may be left open), newest first, each with its author: one
        query for a whole group. It does not check access: pass only pupils the person may
        see the learning data of."""
        entries = self.filter(pupil__in=pupil_ids)
        if since is not None:
            entries = entries.filter(date__gte=since)
        if until is not None:
            entries = entries.filter(date__lte=until)
        return entries.select_related("author").newest_first()


class PupilLogEntry(models.Model):
    """A dated note in a pupil's log (logboek): a conversation, an observation, a handover.

    `version` goes up with every save through the form, so that a save over a version the
    person never saw is refused (optimistic locking).
    """

    pupil = models.ForeignKey(
        Pupil, on_delete=models.PROTECT, related_name="log_entries", verbose_name=_("pupil")
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=LogKind.choices)
    participants = models.CharField(_("participants"), max_length=300, blank=True)
    notes = models.TextField(_("notes"))
    agreements = models.TextField(_("agreements"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = PupilLogQuerySet.as_manager()
    history = pupil_history()

    class Meta:
        verbose_name = _("pupil log entry")
        verbose_name_plural = _("pupil log entries")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=LogKind.values), name="pupil_log_kind_valid"
            ),
        ]
        indexes = [models.Index(fields=["pupil", "date"], name="pupil_log_pupil_date_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"

    def get_absolute_url(self) -> str:
        """The note on the pupil's log tab (on the page that holds it)."""
        from django.urls import reverse

        tab = reverse("pupil_dossier_tab", kwargs={"pk": self.pupil_id, "tab": "logboek"})
        return f"{tab}?notitie={self.pk}#log-{self.pk}"

    def save_edit(self) -> None:
        """Save a change a person made: a new version, so that whoever opened the note before
        this save is told so when they save theirs."""
        self.version += 1
        self.save()
