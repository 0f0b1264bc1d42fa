"""The group overview (HGW steps 1-3) and, later, the group plan (steps 4-6).

An overview belongs to one group and one period and has a row per pupil enrolled in the
group during that period. People edit it row by row; each row carries a version, so a save
made over a version the person never saw is refused (see `actions.save_row`).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from audit.history import pupil_history
from pupils.models import Group, Instrument, Pupil
from schools.models import Period, School


class OverviewStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SENT = "sent", _("sent to the care coordinator")
    DISCUSSED = "discussed", _("discussed")


class GroupPeriodQuerySet(models.QuerySet):
    """Overviews and plans: one per group and period, listed newest period first."""

    def for_groups(self, groups: models.QuerySet) -> "GroupPeriodQuerySet":
        return self.filter(group__in=groups)

    def ordered(self) -> "GroupPeriodQuerySet":
        return self.order_by(
            "-period__start_date", models.F("group__grade_low").asc(nulls_last=True), "group__name"
        )


class GroupOverview(models.Model):
    """Groepsoverzicht: what the teacher knows of each pupil of a group in one period."""

    group = models.ForeignKey(
        Group, on_delete=models.PROTECT, related_name="overviews", verbose_name=_("group")
    )
    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="overviews", verbose_name=_("period")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=OverviewStatus.choices, default=OverviewStatus.DRAFT
    )
    # The teacher's questions and points for discussion, sent with the overview to the IB.
    questions = models.TextField(_("questions and points for discussion"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    discussed_at = models.DateTimeField(null=True, blank=True)

    objects = GroupPeriodQuerySet.as_manager()
    history = pupil_history()

    class Meta:
        verbose_name = _("group overview")
        verbose_name_plural = _("group overviews")
        constraints = [
            models.UniqueConstraint(fields=["group", "period"], name="overview_one_per_period"),
            models.CheckConstraint(
                condition=Q(status__in=OverviewStatus.values), name="overview_status_valid"
            ),
        ]
        # The IB's "sent to you" and the list's status filter.
        indexes = [models.Index(fields=["status", "group"], name="overview_status_group")]

    def __str__(self) -> str:
        return f"{self.group} - {self.period}"

    @property
    def is_locked(self) -> bool:
        """A discussed overview is the record of that group meeting: it is not edited."""
        return self.status == OverviewStatus.DISCUSSED


# The seven aspects of general educational needs (step 3), in the order of the seed.
NEED_ASPECTS: list[tuple[str, str]] = [
    ("need_instruction", _("instruction")),
    ("need_assignments", _("assignments")),
    ("need_environment", _("learning environment")),
    ("need_feedback", _("feedback")),
    ("need_classmates", _("classmates")),
    ("need_teacher", _("teacher")),
    ("need_parents", _("parents")),
]

# The five sources of step 1, with the pupil-log kind each source column links.
SOURCE_FIELDS: list[tuple[str, str, str | None]] = [
    ("notes_tests", _("tests"), None),
    ("notes_observation", _("observation"), "observation"),
    ("notes_pupil", _("talk with the pupil"), "pupil"),
    ("notes_parents", _("talk with the parents"), "parents"),
    ("notes_handover", _("handover"), "handover"),
]


class OverviewRow(models.Model):
    """One pupil in one overview: the five sources, the factors, the signal and the needs."""

    overview = models.ForeignKey(
        GroupOverview, on_delete=models.PROTECT, related_name="rows", verbose_name=_("overview")
    )
    pupil = models.ForeignKey(
        Pupil, on_delete=models.PROTECT, related_name="overview_rows", verbose_name=_("pupil")
    )
    # Step 1: collect.
    notes_tests = models.TextField(_("tests"), blank=True)
    notes_observation = models.TextField(_("observation"), blank=True)
    notes_pupil = models.TextField(_("talk with the pupil"), blank=True)
    notes_parents = models.TextField(_("talk with the parents"), blank=True)
    notes_handover = models.TextField(_("handover"), blank=True)
    stimulating = models.TextField(_("stimulating factors"), blank=True)
    hindering = models.TextField(_("hindering factors"), blank=True)
    # Step 2: signal.
    signalled = models.BooleanField(_("needs extra support"), default=False)
    signal_reason = models.TextField(_("reason for the signal"), blank=True)
    # Step 3: general educational needs ("this pupil needs ...").
    need_instruction = models.TextField(_("instruction"), blank=True)
    need_assignments = models.TextField(_("assignments"), blank=True)
    need_environment = models.TextField(_("learning environment"), blank=True)
    need_feedback = models.TextField(_("feedback"), blank=True)
    need_classmates = models.TextField(_("classmates"), blank=True)
    need_teacher = models.TextField(_("teacher"), blank=True)
    need_parents = models.TextField(_("parents"), blank=True)
    # Specific educational needs ("stretch"): the outcome of the group plan's evaluation.
    specific_needs = models.TextField(_("specific educational needs"), blank=True)
    # The row of an earlier overview this one started from (also in another group).
    carried_from = models.ForeignKey(
        "self", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = pupil_history()

    class Meta:
        verbose_name = _("overview row")
        verbose_name_plural = _("overview rows")
        constraints = [
            models.UniqueConstraint(fields=["overview", "pupil"], name="overview_row_one_per_pupil")
        ]
        indexes = [models.Index(fields=["pupil", "overview"])]

    def __str__(self) -> str:
        return f"{self.overview} - {self.pupil}"


# The fields a person edits in a row, in the order of the grid.
ROW_FIELDS: list[str] = (
    [name for name, _label, _kind in SOURCE_FIELDS]
    + ["stimulating", "hindering", "signalled", "signal_reason"]
    + [name for name, _label in NEED_ASPECTS]
    + ["specific_needs"]
)


class SignalDecision(models.TextChoices):
    CONFIRMED = "confirmed", _("confirmed")
    DISMISSED = "dismissed", _("dismissed")


class SuggestionDecision(models.Model):
    """What the teacher did with one signal suggestion: confirmed it, or dismissed it with a
    reason. A suggestion is known by its key (the result and the rule that raised it)."""

    row = models.ForeignKey(
        OverviewRow, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("row")
    )
    key = models.CharField(max_length=60)
    suggestion = models.TextField(_("suggestion"))
    decision = models.CharField(_("decision"), max_length=10, choices=SignalDecision.choices)
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    history = pupil_history()

    class Meta:
        verbose_name = _("signal decision")
        verbose_name_plural = _("signal decisions")
        constraints = [
            models.UniqueConstraint(fields=["row", "key"], name="suggestion_decided_once"),
            models.CheckConstraint(
                condition=Q(decision__in=SignalDecision.values), name="suggestion_decision_valid"
            ),
            models.CheckConstraint(
                condition=~Q(decision=SignalDecision.DISMISSED) | ~Q(reason=""),
                name="suggestion_dismissed_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()}: {self.suggestion}"


class SignalRule(models.Model):
    """A school's signal rule for one instrument. Without a row, the defaults apply
    (`signals.default_rule`): the two worst levels of a I-V or A-E scale, a drop of one level
    or more, and for ability scores any fall since the previous result."""

    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="signal_rules", verbose_name=_("school")
    )
    instrument = models.ForeignKey(
        Instrument,
        on_delete=models.PROTECT,
        related_name="signal_rules",
        verbose_name=_("instrument"),
    )
    # The levels that raise a signal, comma-separated as the scale writes them ("IV,V").
    signal_levels = models.CharField(_("signal at these levels"), max_length=200, blank=True)
    # A fall of at least this many levels since the previous result; 0: off.
    level_drop = models.PositiveSmallIntegerField(_("signal at a drop of levels"), default=1)
    # Score growth since the previous result below this threshold raises a signal; empty: off.
    min_growth = models.DecimalField(
        _("signal at score growth below"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("signal rule")
        verbose_name_plural = _("signal rules")
        constraints = [
            models.UniqueConstraint(fields=["school", "instrument"], name="signal_rule_unique")
        ]

    def __str__(self) -> str:
        return str(self.instrument)


DEFAULT_MIN_GROWTH = Decimal("0")


# The group plan (groepsplan): HGW steps 4-6 ------------------------------------------------


class PlanPart(models.IntegerChoices):
    SUBJECTS = 1, _("subject areas")
    ATTITUDE = 2, _("work attitude and social-emotional functioning")


class PlanAreaQuerySet(models.QuerySet):
    def for_school(self, school: School) -> "PlanAreaQuerySet":
        return self.filter(school=school)

    def ordered(self) -> "PlanAreaQuerySet":
        return self.order_by("part", "position", "pk")


class PlanArea(models.Model):
    """An area a school's group plans cover: a subject area (part 1; every pupil is placed
    in one of its subgroups) or work attitude and social-emotional functioning (part 2)."""

    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="plan_areas", verbose_name=_("school")
    )
    part = models.PositiveSmallIntegerField(_("part"), choices=PlanPart.choices)
    name = models.CharField(_("name"), max_length=100)
    # The subject areas of the tests whose results suggest a pupil's subgroup, comma-separated
    # (`pupils.models.SubjectArea` values).
    subjects = models.CharField(_("tests of these subject areas"), max_length=200, blank=True)
    grade_low = models.PositiveSmallIntegerField(_("from grade"), default=1)
    grade_high = models.PositiveSmallIntegerField(_("to grade"), default=8)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(
        _("in new plans"), default=True, help_text=_("Plans made earlier keep the area.")
    )

    objects = PlanAreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan area")
        verbose_name_plural = _("plan areas")
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="plan_area_name_unique"),
            models.CheckConstraint(condition=Q(part__in=PlanPart.values), name="plan_area_part"),
            models.CheckConstraint(
                condition=Q(grade_low__gte=1, grade_high__lte=8, grade_low__lte=F("grade_high")),
                name="plan_area_grades",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def subject_list(self) -> list[str]:
        return [s for s in self.subjects.split(",") if s]

    def covers(self, group: Group) -> bool:
        """Whether plans of this group have the area; a group without grades has them all."""
        if group.grade_low is None:
            return True
        return self.grade_low <= group.grade_high and group.grade_low <= self.grade_high


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    ACTIVE = "active", _("active")
    EVALUATED = "evaluated", _("evaluated")


class GroupPlan(models.Model):
    """Groepsplan: the offer for one group in one period, made from that period's overview.

    The teacher owns it: draft -> active (the teacher starts it, normally at the period's
    start) -> evaluated (at the period's end; the outcomes flow into the next overview).
    """

    overview = models.OneToOneField(
        GroupOverview, on_delete=models.PROTECT, related_name="plan", verbose_name=_("overview")
    )
    group = models.ForeignKey(
        Group, on_delete=models.PROTECT, related_name="plans", verbose_name=_("group")
    )
    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="plans", verbose_name=_("period")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    # The plan this one was pre-filled from (the previous period's, usually).
    carried_from = models.ForeignKey(
        "self", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    activated_at = models.DateTimeField(null=True, blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    evaluated_at = models.DateTimeField(null=True, blank=True)

    objects = GroupPeriodQuerySet.as_manager()
    history = pupil_history()

    class Meta:
        verbose_name = _("group plan")
        verbose_name_plural = _("group plans")
        constraints = [
            models.UniqueConstraint(fields=["group", "period"], name="plan_one_per_period"),
            models.CheckConstraint(
                condition=Q(status__in=PlanStatus.values), name="plan_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(activated_at__isnull=True, activated_by__isnull=True)
                | Q(activated_at__isnull=False, activated_by__isnull=False),
                name="plan_activated_paired",
            ),
            models.CheckConstraint(
                condition=Q(evaluated_at__isnull=True, evaluated_by__isnull=True)
                | Q(evaluated_at__isnull=False, evaluated_by__isnull=False),
                name="plan_evaluated_paired",
            ),
        ]
        indexes = [models.Index(fields=["status", "group"], name="plan_status_group")]

    def __str__(self) -> str:
        return f"{self.group} - {self.period}"

    @property
    def is_locked(self) -> bool:
        """An evaluated plan is the record of the period: it is not edited."""
        return self.status == PlanStatus.EVALUATED


# What part 2 describes for the whole group (seed section 3).
ATTITUDE_FIELDS: list[tuple[str, str]] = [
    ("learning_style", _("learning style")),
    ("need_relation", _("need for relation")),
    ("need_competence", _("need for competence")),
    ("need_autonomy", _("need for autonomy")),
    ("interests", _("interests")),
]


class PlanSection(models.Model):
    """One area of one plan: the basic offer for the whole group, and its subgroups."""

    plan = models.ForeignKey(
        GroupPlan, on_delete=models.PROTECT, related_name="sections", verbose_name=_("plan")
    )
    area = models.ForeignKey(
        PlanArea, on_delete=models.PROTECT, related_name="sections", verbose_name=_("area")
    )
    position = models.PositiveSmallIntegerField(default=0)
    basic_offer = models.TextField(_("basic offer for the whole group"), blank=True)
    # Part 2: what the whole group needs.
    learning_style = models.TextField(_("learning style"), blank=True)
    need_relation = models.TextField(_("need for relation"), blank=True)
    need_competence = models.TextField(_("need for competence"), blank=True)
    need_autonomy = models.TextField(_("need for autonomy"), blank=True)
    interests = models.TextField(_("interests"), blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = pupil_history()

    class Meta:
        verbose_name = _("plan section")
        verbose_name_plural = _("plan sections")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "area"], name="plan_section_one_per_area")
        ]

    def __str__(self) -> str:
        return f"{self.plan} - {self.area}"


class SubgroupKind(models.TextChoices):
    INTENSIVE = "intensive", _("intensive group")
    CORE = "core", _("core group")
    EXTENSION = "extension", _("extension group")
    SMALL = "small", _("small group")
    INDIVIDUAL = "individual", _("individual")


# The three subgroups every subject area has, in the order the plan shows them.
STANDARD_KINDS = [SubgroupKind.INTENSIVE, SubgroupKind.CORE, SubgroupKind.EXTENSION]


class Outcome(models.TextChoices):
    REACHED = "reached", _("reached")
    PARTLY = "partly", _("partly reached")
    NOT_REACHED = "not_reached", _("not reached")


class Weekday(models.IntegerChoices):
    MONDAY = 1, _("Monday")
    TUESDAY = 2, _("Tuesday")
    WEDNESDAY = 3, _("Wednesday")
    THURSDAY = 4, _("Thursday")
    FRIDAY = 5, _("Friday")


# The texts of a subgroup's offer: what a library entry holds and a new plan carries over.
OFFER_FIELDS: list[str] = [
    "goal_didactic",
    "goal_pedagogic",
    "goal_measure",
    "goal_criterion",
    "content",
    "approach",
    "materials",
]


class Subgroup(models.Model):
    """A subgroup of one area (or one pupil placed individually): its goals, the offer, when
    it is given, and at the period's end its evaluation."""

    section = models.ForeignKey(
        PlanSection, on_delete=models.PROTECT, related_name="subgroups", verbose_name=_("area")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=SubgroupKind.choices)
    name = models.CharField(_("name"), max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    # Goals, with what makes them SMARTI: what is measured, the criterion, the date.
    goal_didactic = models.TextField(_("didactic goal"), blank=True)
    goal_pedagogic = models.TextField(_("pedagogical goal"), blank=True)
    goal_measure = models.TextField(_("what is measured"), blank=True)
    goal_criterion = models.TextField(_("criterion"), blank=True)
    goal_date = models.DateField(_("goal date"), null=True, blank=True)
    content = models.TextField(_("content"), blank=True)
    approach = models.TextField(_("approach and method"), blank=True)
    materials = models.TextField(_("materials"), blank=True)
    # Organisation: how often (days of the week), when, how long, who.
    days = models.CharField(_("days"), max_length=20, blank=True)  # weekday numbers, "1,3"
    start_time = models.TimeField(_("time"), null=True, blank=True)
    minutes = models.PositiveSmallIntegerField(_("minutes"), null=True, blank=True)
    staff = models.CharField(_("by whom"), max_length=100, blank=True)
    # Evaluation at the period's end.
    outcome = models.CharField(
        _("goal reached?"), max_length=12, choices=Outcome.choices, blank=True
    )
    helped = models.TextField(_("what helped (stimulating)"), blank=True)
    hindered = models.TextField(_("what hindered"), blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = pupil_history()

    class Meta:
        verbose_name = _("subgroup")
        verbose_name_plural = _("subgroups")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SubgroupKind.values), name="subgroup_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(outcome__in=Outcome.values),
                name="subgroup_outcome_valid",
            ),
            models.CheckConstraint(
                condition=Q(minutes__isnull=True) | Q(minutes__gte=1, minutes__lte=600),
                name="subgroup_minutes_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.name or capfirst(str(self.get_kind_display()))

    @property
    def weekdays(self) -> list[int]:
        return [int(d) for d in self.days.split(",") if d]

    @property
    def day_names(self) -> list[str]:
        return [str(Weekday(day).label) for day in self.weekdays]

    @property
    def is_individual(self) -> bool:
        return self.kind == SubgroupKind.INDIVIDUAL


class Placement(models.Model):
    """One pupil in one subgroup of one area (at most one per area; in part 1 exactly one
    before the plan starts), with the pupil's own evaluation at the period's end."""

    section = models.ForeignKey(
        PlanSection, on_delete=models.PROTECT, related_name="placements", verbose_name=_("area")
    )
    subgroup = models.ForeignKey(
        Subgroup, on_delete=models.PROTECT, related_name="placements", verbose_name=_("subgroup")
    )
    pupil = models.ForeignKey(
        Pupil, on_delete=models.PROTECT, related_name="plan_placements", verbose_name=_("pupil")
    )
    outcome = models.CharField(
        _("goal reached?"), max_length=12, choices=Outcome.choices, blank=True
    )
    helped = models.TextField(_("what helped (stimulating)"), blank=True)
    hindered = models.TextField(_("what hindered"), blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = pupil_history()

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        constraints = [
            models.UniqueConstraint(fields=["section", "pupil"], name="placement_one_per_area"),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(outcome__in=Outcome.values),
                name="placement_outcome_valid",
            ),
        ]
        indexes = [models.Index(fields=["pupil", "section"])]

    def __str__(self) -> str:
        return f"{self.pupil} - {self.subgroup}"


class PlanComment(models.Model):
    """A remark on a plan, usually by the IB; the teacher owns the plan and decides."""

    plan = models.ForeignKey(
        GroupPlan, on_delete=models.PROTECT, related_name="comments", verbose_name=_("plan")
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    history = pupil_history()

    class Meta:
        verbose_name = _("plan comment")
        verbose_name_plural = _("plan comments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:50]


class OfferTemplate(models.Model):
    """A school's library of goals and approaches to start a subgroup's offer from."""

    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="offer_templates", verbose_name=_("school")
    )
    area = models.ForeignKey(
        PlanArea,
        on_delete=models.PROTECT,
        related_name="offer_templates",
        null=True,
        blank=True,
        verbose_name=_("area"),
        help_text=_("Empty: for every area."),
    )
    kind = models.CharField(
        _("subgroup"),
        max_length=12,
        choices=SubgroupKind.choices,
        blank=True,
        help_text=_("Empty: for every subgroup."),
    )
    title = models.CharField(_("title"), max_length=100)
    goal_didactic = models.TextField(_("didactic goal"), blank=True)
    goal_pedagogic = models.TextField(_("pedagogical goal"), blank=True)
    goal_measure = models.TextField(_("what is measured"), blank=True)
    goal_criterion = models.TextField(_("criterion"), blank=True)
    content = models.TextField(_("content"), blank=True)
    approach = models.TextField(_("approach and method"), blank=True)
    materials = models.TextField(_("materials"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("library entry")
        verbose_name_plural = _("library")
        ordering = ["area__part", "area__position", "kind", "title"]
        constraints = [
            models.UniqueConstraint(fields=["school", "title"], name="offer_template_title_unique"),
            models.CheckConstraint(
                condition=Q(kind="") | Q(kind__in=SubgroupKind.values),
                name="offer_template_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title
