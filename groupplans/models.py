"""The group overview (HGW steps 1-3) and, later, the group plan (steps 4-6).

An overview belongs to one group and one period and has a row per pupil enrolled in the
group during that period. People edit it row by row; each row carries a version, so a save
made over a version the person never saw is refused (see `actions.save_row`).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from audit.history import pupil_history
from pupils.models import Group, Instrument, Pupil
from schools.models import Period, School


class OverviewStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SENT = "sent", _("sent to the care coordinator")
    DISCUSSED = "discussed", _("discussed")


class GroupOverviewQuerySet(models.QuerySet):
    def for_groups(self, groups: models.QuerySet) -> "GroupOverviewQuerySet":
        return self.filter(group__in=groups)

    def ordered(self) -> "GroupOverviewQuerySet":
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

    objects = GroupOverviewQuerySet.as_manager()
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
