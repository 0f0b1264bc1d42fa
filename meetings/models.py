"""Meetings: the year plan's group meetings, pupil meetings and care-team meetings.

A meeting has a kind, a date, attendees and a status (planned -> held -> signed off), and one
item per pupil discussed. An item is what other parts of hgw point to; it counts as evidence
once its meeting is signed off. This app knows nothing of the care route: `careroute` puts
pupils on a care-team agenda through `actions.add_care_team_item`.
"""

import datetime
import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from audit.history import pupil_history
from pupils.models import Group, Pupil
from schools.models import Period, School


class MeetingKind(models.TextChoices):
    GROUP = "group", _("group meeting")
    PUPIL = "pupil", _("pupil meeting")
    CARE_TEAM = "care_team", _("care-team meeting")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    HELD = "held", _("held")
    SIGNED_OFF = "signed_off", _("signed off")


# How long a meeting of each kind takes unless the IB says otherwise (the seed: a group
# meeting takes one to one and a half hours).
DEFAULT_DURATION: dict[str, int] = {
    MeetingKind.GROUP: 60,
    MeetingKind.PUPIL: 45,
    MeetingKind.CARE_TEAM: 90,
}


class MeetingQuerySet(models.QuerySet):
    def for_school(self, school: School) -> "MeetingQuerySet":
        return self.filter(school=school)

    def of_kind(self, kind: str) -> "MeetingQuerySet":
        return self.filter(kind=kind)

    def between(self, first: datetime.date, last: datetime.date) -> "MeetingQuerySet":
        """Meetings on the days from `first` up to and including `last`."""
        return self.filter(date__gte=first, date__lte=last)

    def upcoming(self, today: datetime.date) -> "MeetingQuerySet":
        return self.filter(date__gte=today).exclude(status=MeetingStatus.SIGNED_OFF)

    def ordered(self) -> "MeetingQuerySet":
        return self.order_by("date", models.F("start_time").asc(nulls_last=True), "kind", "pk")


class Meeting(models.Model):
    """One meeting of the year plan."""

    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("school")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=MeetingKind.choices)
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    location = models.CharField(_("location"), max_length=120, blank=True)
    # A group meeting discusses one group's overview and plan of one period.
    group = models.ForeignKey(
        Group,
        on_delete=models.PROTECT,
        related_name="meetings",
        null=True,
        blank=True,
        verbose_name=_("group"),
    )
    period = models.ForeignKey(
        Period,
        on_delete=models.PROTECT,
        related_name="meetings",
        null=True,
        blank=True,
        verbose_name=_("period"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    held_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = MeetingQuerySet.as_manager()
    history = pupil_history()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=MeetingKind.values), name="meeting_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=MeetingStatus.values), name="meeting_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(kind=MeetingKind.GROUP) | Q(group__isnull=False, period__isnull=False),
                name="meeting_group_needs_group_and_period",
            ),
            models.CheckConstraint(
                condition=Q(signed_off_by__isnull=True, signed_off_at__isnull=True)
                | Q(signed_off_by__isnull=False, signed_off_at__isnull=False),
                name="meeting_signed_off_paired",
            ),
            models.CheckConstraint(
                condition=Q(status=MeetingStatus.SIGNED_OFF, signed_off_at__isnull=False)
                | (~Q(status=MeetingStatus.SIGNED_OFF) & Q(signed_off_at__isnull=True)),
                name="meeting_signed_off_status",
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1), name="meeting_duration_positive"
            ),
            models.UniqueConstraint(
                fields=["group", "period"],
                condition=Q(kind=MeetingKind.GROUP),
                name="meeting_group_one_per_period",
            ),
        ]
        # The year plan's month and list views, and the filter by kind.
        indexes = [
            models.Index(fields=["school", "date"], name="meeting_school_date"),
            models.Index(fields=["school", "kind", "date"], name="meeting_school_kind_date"),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.date:%Y-%m-%d}"

    @property
    def title(self) -> str:
        """What the meeting is called in the calendar: no pupil data, ever."""
        label = str(self.get_kind_display())
        label = label[:1].upper() + label[1:]
        if self.kind == MeetingKind.GROUP and self.group_id:
            return f"{label} {self.group.name}"
        return label

    @property
    def starts_at(self) -> datetime.datetime | None:
        if self.start_time is None:
            return None
        return datetime.datetime.combine(self.date, self.start_time)

    @property
    def ends_at(self) -> datetime.datetime | None:
        start = self.starts_at
        return start + datetime.timedelta(minutes=self.duration_minutes) if start else None

    @property
    def is_planned(self) -> bool:
        return self.status == MeetingStatus.PLANNED


class Attendee(models.Model):
    """Someone at a meeting: a user of hgw, or an outside guest by name; with a discipline
    for care-team meetings (e.g. school social work)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendees", verbose_name=_("meeting")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="meeting_attendances",
        null=True,
        blank=True,
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=150, blank=True)
    discipline = models.CharField(_("discipline"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=Q(user__isnull=False),
                name="attendee_user_once",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False, name="") | (Q(user__isnull=True) & ~Q(name="")),
                name="attendee_user_or_name",
            ),
        ]
        indexes = [models.Index(fields=["user", "meeting"], name="attendee_user_meeting")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.user.full_name if self.user_id else self.name


# What an item's minutes hold, per kind of meeting.
ITEM_FIELDS: dict[str, list[str]] = {
    MeetingKind.GROUP: ["notes"],
    MeetingKind.PUPIL: [
        "going_well",
        "difficult",
        "insight",
        "know_enough",
        "outlook",
        "teacher_needs",
        "agreements",
        "outcome",
        "outcome_note",
    ],
    MeetingKind.CARE_TEAM: ["question", "advice", "agreements", "follow_up"],
}


class ItemOutcome(models.TextChoices):
    """A pupil meeting's conclusion about one pupil (the care route reads it)."""

    PLAN_SUFFICES = "plan_suffices", _("the (sub)group plan can meet the needs")
    IHP_NEEDED = "ihp_needed", _("an individual plan (IHP) is needed")
    INVESTIGATE = "investigate", _("more investigation is needed")
    OTHER = "other", _("other")


class MeetingItem(models.Model):
    """One pupil discussed in a meeting. Later slices add the preparation and the minutes."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="items", verbose_name=_("meeting")
    )
    pupil = models.ForeignKey(
        Pupil, on_delete=models.PROTECT, related_name="meeting_items", verbose_name=_("pupil")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    # For a care-team item: the names of the documents supplied, as the care route passed
    # them in (a snapshot; the documents themselves belong to the care route).
    documents = models.JSONField(_("documents supplied"), default=list, blank=True)
    # A pupil meeting's item answers one submitted registration.
    registration = models.OneToOneField(
        "Registration",
        on_delete=models.PROTECT,
        related_name="item",
        null=True,
        blank=True,
        verbose_name=_("registration"),
    )
    # The minutes of the item. A group meeting: what was said about the pupil.
    notes = models.TextField(_("notes"), blank=True)
    # A pupil meeting: the growth document's six steps (step 1 in two parts), pre-filled from
    # the overview, the plans and the results when the item is made; after the meeting it is
    # the report. Step 6 (`agreements`) is also a care-team item's agreements.
    going_well = models.TextField(_("What goes well"), blank=True)
    difficult = models.TextField(_("What is hard"), blank=True)
    insight = models.TextField(
        _("Insight: how could it be that things are as they are?"), blank=True
    )
    know_enough = models.TextField(_("Do we know enough to answer the questions?"), blank=True)
    outlook = models.TextField(_("Outlook: what does it mean for the approach?"), blank=True)
    teacher_needs = models.TextField(_("What does the teacher need?"), blank=True)
    agreements = models.TextField(_("Agreements and planning"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=ItemOutcome.choices, blank=True)
    outcome_note = models.TextField(_("explanation of the outcome"), blank=True)
    # A care-team item: the question put to the care team, its advice and the follow-up.
    question = models.TextField(_("question for the care team"), blank=True)
    advice = models.TextField(_("advice"), blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)
    # Care-team advice is sensitive: the teacher sees it once the IB shares it.
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    shared_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    updated_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = pupil_history()

    class Meta:
        verbose_name = _("meeting item")
        verbose_name_plural = _("meeting items")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "pupil"], name="meeting_item_one_per_pupil"),
            models.CheckConstraint(
                condition=Q(outcome__in=["", *ItemOutcome.values]),
                name="meeting_item_outcome_valid",
            ),
            models.CheckConstraint(
                condition=Q(shared_by__isnull=True, shared_at__isnull=True)
                | Q(shared_by__isnull=False, shared_at__isnull=False),
                name="meeting_item_shared_paired",
            ),
        ]
        indexes = [models.Index(fields=["pupil", "meeting"], name="meeting_item_pupil")]

    def __str__(self) -> str:
        return f"{self.meeting} - {self.position}"

    @property
    def export_fields(self) -> list[tuple[str, str]]:
        """What the minutes say about the pupil, as (label, text), the filled-in ones only
        (all of them: for the parents' export, not for a screen with a policy)."""
        found = []
        for name in ITEM_FIELDS[self.meeting.kind]:
            value = self.get_outcome_display() if name == "outcome" else getattr(self, name)
            if value:
                found.append((str(self._meta.get_field(name).verbose_name), value))
        return found


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeed(models.Model):
    """A person's secret calendar link. Only the token's SHA-256 is kept: the link is shown
    once, like a password, and a new one replaces the old."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar link")
        verbose_name_plural = _("calendar links")

    def __str__(self) -> str:
        return str(self.user)


# The group meeting (slice 2) ---------------------------------------------------------------

# The seed's fixed agenda of a group meeting, in its order: (field, label).
AGENDA: list[tuple[str, str]] = [
    ("questions", _("Questions of teacher and IB")),
    ("plan_evaluation", _("Evaluation of the previous group plan")),
    ("group_points", _("Points for the whole group")),
    ("pupils_zoom", _("Zooming in on pupils")),
    ("plan_execution", _("Carrying out the group plan")),
    ("motivation", _("Motivation, self-confidence and competence")),
    ("class_visit", _("Class visit")),
    ("registrations", _("Registering for a pupil meeting or the care team")),
]
MINUTES_FIELDS = [name for name, _label in AGENDA] + ["report"]

# The teacher's preparation checklist (the seed's points), in its order.
CHECKLIST: list[tuple[str, str]] = [
    ("plan_evaluated", _("The group plan has been evaluated")),
    ("overview_updated", _("The group overview has been updated")),
    ("results_reviewed", _("The results have been reviewed")),
    ("looked_ahead", _("I have looked ahead to the next period")),
    ("goals_adjusted", _("Goals and needs have been adjusted")),
    ("reclustered", _("The pupils have been clustered again")),
    ("questions_listed", _("My questions have been listed")),
]


class Minutes(models.Model):
    """The minutes of a meeting: for a group meeting the fixed agenda, the teacher's own
    summary and the IB's report. Locked once the meeting is signed off."""

    meeting = models.OneToOneField(
        Meeting, on_delete=models.PROTECT, related_name="minutes", verbose_name=_("meeting")
    )
    questions = models.TextField(AGENDA[0][1], blank=True)
    plan_evaluation = models.TextField(AGENDA[1][1], blank=True)
    group_points = models.TextField(AGENDA[2][1], blank=True)
    pupils_zoom = models.TextField(AGENDA[3][1], blank=True)
    plan_execution = models.TextField(AGENDA[4][1], blank=True)
    motivation = models.TextField(AGENDA[5][1], blank=True)
    class_visit = models.TextField(AGENDA[6][1], blank=True)
    registrations = models.TextField(AGENDA[7][1], blank=True)
    teacher_summary = models.TextField(_("Summary of the teacher"), blank=True)
    report = models.TextField(_("Report"), blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = pupil_history()

    class Meta:
        verbose_name = _("meeting minutes")
        verbose_name_plural = _("meeting minutes")

    def __str__(self) -> str:
        return str(self.meeting)


class Preparation(models.Model):
    """The teacher's preparation checklist for a group meeting."""

    meeting = models.OneToOneField(
        Meeting, on_delete=models.PROTECT, related_name="preparation", verbose_name=_("meeting")
    )
    plan_evaluated = models.BooleanField(CHECKLIST[0][1], default=False)
    overview_updated = models.BooleanField(CHECKLIST[1][1], default=False)
    results_reviewed = models.BooleanField(CHECKLIST[2][1], default=False)
    looked_ahead = models.BooleanField(CHECKLIST[3][1], default=False)
    goals_adjusted = models.BooleanField(CHECKLIST[4][1], default=False)
    reclustered = models.BooleanField(CHECKLIST[5][1], default=False)
    questions_listed = models.BooleanField(CHECKLIST[6][1], default=False)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = pupil_history()

    class Meta:
        verbose_name = _("preparation")
        verbose_name_plural = _("preparations")

    def __str__(self) -> str:
        return str(self.meeting)


class Addendum(models.Model):
    """A dated correction to signed-off minutes: added, never edited. In a pupil or
    care-team meeting it belongs to one pupil's item, so a pupil's report holds only theirs."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="addenda", verbose_name=_("meeting")
    )
    item = models.ForeignKey(
        MeetingItem,
        on_delete=models.PROTECT,
        related_name="addenda",
        null=True,
        blank=True,
        verbose_name=_("meeting item"),
    )
    text = models.TextField(_("Addendum"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = pupil_history()

    class Meta:
        verbose_name = _("addendum")
        verbose_name_plural = _("addenda")

    def __str__(self) -> str:
        return f"{self.meeting} - {self.created_at:%Y-%m-%d}"


# Pupil meetings and decisions (slice 3) ----------------------------------------------------


class RegistrationQuerySet(models.QuerySet):
    def submitted(self) -> "RegistrationQuerySet":
        return self.filter(submitted_at__isnull=False)

    def waiting(self) -> "RegistrationQuerySet":
        """Submitted and not yet on a pupil meeting's agenda."""
        return self.submitted().filter(item__isnull=True)

    def planned(self) -> "RegistrationQuerySet":
        """On a pupil meeting's agenda."""
        return self.filter(item__isnull=False)

    def drafts(self) -> "RegistrationQuerySet":
        """Not yet submitted."""
        return self.filter(submitted_at__isnull=True)


class Registration(models.Model):
    """A registration for a pupil meeting (aanmelding): the teacher's question for help and
    what has been tried. Made by the teacher (or the IB on their behalf), locked once
    submitted and evidence from then on; the IB puts it on a pupil meeting's agenda."""

    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("school")
    )
    pupil = models.ForeignKey(
        Pupil, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("pupil")
    )
    question = models.TextField(_("question for help"))
    tried = models.TextField(_("what has been tried"))
    going_well = models.TextField(_("what goes well"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = RegistrationQuerySet.as_manager()
    history = pupil_history()

    class Meta:
        verbose_name = _("registration for a pupil meeting")
        verbose_name_plural = _("registrations for a pupil meeting")
        constraints = [
            models.CheckConstraint(
                condition=Q(submitted_by__isnull=True, submitted_at__isnull=True)
                | Q(submitted_by__isnull=False, submitted_at__isnull=False),
                name="registration_submitted_paired",
            ),
        ]
        indexes = [
            models.Index(fields=["school", "submitted_at"], name="registration_school"),
            models.Index(fields=["pupil", "created_at"], name="registration_pupil"),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.created_at:%Y-%m-%d}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class ActionPointQuerySet(models.QuerySet):
    def open(self) -> "ActionPointQuerySet":
        return self.filter(done_at__isnull=True)

    def done(self) -> "ActionPointQuerySet":
        return self.filter(done_at__isnull=False)

    def overdue(self, today: datetime.date) -> "ActionPointQuerySet":
        return self.open().filter(due_date__lt=today)

    def ordered(self) -> "ActionPointQuerySet":
        return self.order_by(models.F("done_at").asc(nulls_first=True), "due_date", "pk")


class ActionPoint(models.Model):
    """A decision of a meeting that someone owns (actiepunt): what, who, by when; about one
    pupil when it hangs off an item."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="action_points", verbose_name=_("meeting")
    )
    item = models.ForeignKey(
        MeetingItem,
        on_delete=models.PROTECT,
        related_name="action_points",
        null=True,
        blank=True,
        verbose_name=_("pupil"),
    )
    description = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="action_points",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due date"))
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    objects = ActionPointQuerySet.as_manager()
    history = pupil_history()

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            models.CheckConstraint(
                condition=Q(done_by__isnull=True, done_at__isnull=True)
                | Q(done_by__isnull=False, done_at__isnull=False),
                name="action_point_done_paired",
            ),
        ]
        # "My actions" and the overdue ones on the home page; a meeting's own list.
        indexes = [
            models.Index(fields=["owner", "done_at", "due_date"], name="action_point_owner"),
            models.Index(fields=["meeting", "due_date"], name="action_point_meeting"),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.due_date:%Y-%m-%d}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
