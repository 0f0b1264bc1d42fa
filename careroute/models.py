"""The 1-zorgroute: each pupil's level (1 group -> 2 pupil meeting -> 3 IHP -> 4 care team ->
5 referral), the append-only events of every move with the evidence as it was, the parents'
consent per purpose, the care-team registration and case, the IHP with its goals and data,
the OPP and diagnostics (HGD).

The transition table and its guards live in `careroute/route.py`; every move goes through
`careroute.route.move`, which locks the route row. A pupil without a route row is at level 1.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.history import pupil_history
from meetings.models import MeetingItem
from pupils.models import Guardian, Pupil, PupilLogEntry
from schools.models import School


class Level(models.IntegerChoices):
    GROUP = 1, _("group")
    PUPIL_MEETING = 2, _("pupil meeting")
    IHP = 3, _("individual plan (IHP)")
    CARE_TEAM = 4, _("care team")
    REFERRAL = 5, _("referral")


class CareRoute(models.Model):
    """A pupil's place on the route; made with the first move (one per pupil)."""

    pupil = models.OneToOneField(
        Pupil, on_delete=models.PROTECT, related_name="care_route", verbose_name=_("pupil")
    )
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, default=Level.GROUP)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = pupil_history()

    class Meta:
        verbose_name = _("care route")
        verbose_name_plural = _("care routes")
        constraints = [
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=5), name="care_route_level_valid"
            ),
        ]
        indexes = [models.Index(fields=["school", "level"], name="care_route_school_level")]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.get_level_display()}"


class RouteEvent(models.Model):
    """One move on a pupil's route: who, when, from, to, which move, why, and the evidence as
    it was at that moment. Append-only (the database refuses UPDATE and DELETE)."""

    route = models.ForeignKey(CareRoute, on_delete=models.PROTECT, related_name="events")
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="route_events")
    move = models.CharField(_("move"), max_length=40)
    from_level = models.PositiveSmallIntegerField(_("from"), choices=Level.choices)
    to_level = models.PositiveSmallIntegerField(_("to"), choices=Level.choices)
    reason = models.TextField(_("reason"), blank=True)
    # [{"kind": "meeting_item", "id": 12, "version": 3, "label": "...", "at": "..."}, ...]
    evidence = models.JSONField(_("evidence"), default=list, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("route event")
        verbose_name_plural = _("route events")
        indexes = [models.Index(fields=["route", "at"], name="route_event_route_at")]

    def __str__(self) -> str:
        return f"{self.move} {self.from_level}->{self.to_level}"


# Consent ----------------------------------------------------------------------------------


class ConsentPurpose(models.TextChoices):
    CARE_TEAM = "care_team", _("discussion by the care team")
    HGD = "hgd", _("diagnostics (HGD)")
    ZAT = "zat", _("handover to the ZAT")
    RECIPIENT = "recipient", _("sharing with a named external recipient")
    REFERRAL = "referral", _("referral")


class ConsentDecision(models.TextChoices):
    GIVEN = "given", _("given")
    REFUSED = "refused", _("refused")
    WITHDRAWN = "withdrawn", _("withdrawn")


class ConsentHow(models.TextChoices):
    FORM = "form", _("signed form (uploaded)")
    CONVERSATION = "conversation", _("in a conversation (noted in the pupil log)")


class Consent(models.Model):
    """One guardian's decision about one purpose, scoped to what it is for (a care-team
    registration — its case inherits it —, an HGD request, a ZAT handover, a named
    recipient). A new decision is a new record; the latest per guardian and scope counts."""

    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="consents")
    guardian = models.ForeignKey(
        Guardian, on_delete=models.PROTECT, related_name="consents", verbose_name=_("guardian")
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    care_team_registration = models.ForeignKey(
        "CareTeamRegistration",
        on_delete=models.PROTECT,
        related_name="consents",
        null=True,
        blank=True,
    )
    hgd_request = models.ForeignKey(
        "HGDRequest", on_delete=models.PROTECT, related_name="consents", null=True, blank=True
    )
    recipient = models.CharField(_("recipient"), max_length=200, blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=ConsentDecision.choices)
    decided_on = models.DateField(_("date of the decision"))
    how = models.CharField(_("how"), max_length=15, choices=ConsentHow.choices)
    form = models.FileField(_("signed form"), upload_to="consent/%Y/", blank=True)
    log_entry = models.ForeignKey(
        PupilLogEntry, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    end_date = models.DateField(_("valid until"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = pupil_history()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.CheckConstraint(
                condition=Q(purpose__in=ConsentPurpose.values), name="consent_purpose_valid"
            ),
            models.CheckConstraint(
                condition=Q(decision__in=ConsentDecision.values), name="consent_decision_valid"
            ),
            models.CheckConstraint(
                condition=~Q(purpose=ConsentPurpose.CARE_TEAM)
                | Q(care_team_registration__isnull=False),
                name="consent_care_team_scoped",
            ),
            models.CheckConstraint(
                condition=~Q(purpose=ConsentPurpose.HGD) | Q(hgd_request__isnull=False),
                name="consent_hgd_scoped",
            ),
        ]
        indexes = [
            models.Index(fields=["pupil", "purpose", "recorded_at"], name="consent_pupil_purpose")
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}: {self.get_decision_display()}"


# The care team ----------------------------------------------------------------------------


class CareTeamRegistration(models.Model):
    """The school's registration of a pupil for the care team: the question formulated with
    the parents, and the documents the IB selected for the external members."""

    pupil = models.ForeignKey(
        Pupil, on_delete=models.PROTECT, related_name="care_team_registrations"
    )
    question = models.TextField(_("question for the care team (formulated with the parents)"))
    parents_involved = models.TextField(_("how the parents were involved"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    history = pupil_history()

    class Meta:
        verbose_name = _("care-team registration")
        verbose_name_plural = _("care-team registrations")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.created_at:%Y-%m-%d}"


class CaseStatus(models.TextChoices):
    OPEN = "open", _("open")
    MONITORING = "monitoring", _("monitoring")
    CLOSED = "closed", _("closed")


class CareTeamCase(models.Model):
    """A pupil's case at the care team, over several meetings: open -> monitoring -> closed
    ("open" in the access policy means not closed). Inherits the registration's consent."""

    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="care_team_cases")
    registration = models.OneToOneField(
        CareTeamRegistration, on_delete=models.PROTECT, related_name="case"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    monitoring_since = models.DateField(_("monitoring since"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    version = models.PositiveIntegerField(default=1)

    history = pupil_history()

    class Meta:
        verbose_name = _("care-team case")
        verbose_name_plural = _("care-team cases")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CaseStatus.values), name="case_status_valid"
            ),
            models.UniqueConstraint(
                fields=["pupil"],
                condition=~Q(status=CaseStatus.CLOSED),
                name="case_one_not_closed_per_pupil",
            ),
        ]
        indexes = [models.Index(fields=["status", "pupil"], name="case_status_pupil")]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} ({self.get_status_display()})"

    @property
    def can_close(self) -> bool:
        """A case is closed after its monitoring period."""
        return self.status == CaseStatus.MONITORING

    @property
    def opened_on(self) -> datetime.date:
        """The day the case was opened: no care-team meeting before it can discuss it."""
        return timezone.localtime(self.opened_at).date()


class DocumentKind(models.TextChoices):
    MEETING_ITEM = "meeting_item", _("meeting report")
    IHP = "ihp", _("individual plan (IHP)")
    HGD_REPORT = "hgd_report", _("diagnostics report")
    OPP = "opp", _("development perspective (OPP)")


class CaseDocument(models.Model):
    """A document the IB selected for a care-team registration: what the external members
    of the care team may see of this pupil (and nothing else)."""

    registration = models.ForeignKey(
        CareTeamRegistration, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    meeting_item = models.ForeignKey(
        MeetingItem, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    ihp = models.ForeignKey(
        "IHP", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    hgd_request = models.ForeignKey(
        "HGDRequest", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    opp = models.ForeignKey(
        "OPP", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    title = models.CharField(_("title"), max_length=200)
    selected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    selected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document for the care team")
        verbose_name_plural = _("documents for the care team")

    def __str__(self) -> str:
        return self.title


# The individual plan (IHP) -----------------------------------------------------------------


class IHPStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    ACTIVE = "active", _("started")
    EVALUATED = "evaluated", _("evaluated")


class IHPOutcome(models.TextChoices):
    REJOIN = "rejoin", _("the pupil rejoins a subgroup")
    NEW_IHP = "new_ihp", _("a new, adjusted IHP")
    EXTERNAL = "external", _("external steps (care team)")


class IHP(models.Model):
    """An individual plan in seven sections: starting situation, goals (IHPGoal), term,
    content, people involved, organisation (IHPOrganisation rows), evaluation. Started
    (locked for structure) and evaluated; a revision is a new IHP pointing to the one before."""

    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="ihps")
    # The signed-off pupil-meeting item that concluded an IHP was needed.
    based_on = models.ForeignKey(
        MeetingItem,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("pupil meeting"),
    )
    previous = models.ForeignKey(
        "self", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=IHPStatus.choices, default=IHPStatus.DRAFT
    )
    starting_situation = models.TextField(_("1. Starting situation"), blank=True)
    term_start = models.DateField(_("3. Term: from"), null=True, blank=True)
    term_end = models.DateField(_("3. Term: until"), null=True, blank=True)
    content = models.TextField(_("4. Content"), blank=True)
    people_involved = models.TextField(_("5. People involved"), blank=True)
    evaluation_what = models.TextField(_("7. Evaluation: what"), blank=True)
    evaluation_who = models.TextField(_("7. Evaluation: who"), blank=True)
    evaluation_how = models.TextField(_("7. Evaluation: how"), blank=True)
    evaluation_criteria = models.TextField(_("7. Evaluation: criteria"), blank=True)
    # The evaluation.
    outcome = models.CharField(_("outcome"), max_length=10, choices=IHPOutcome.choices, blank=True)
    result_sufficient = models.BooleanField(_("enough result"), null=True, blank=True)
    evaluation_notes = models.TextField(_("evaluation"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    evaluated_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    history = pupil_history()

    class Meta:
        verbose_name = _("individual plan (IHP)")
        verbose_name_plural = _("individual plans (IHP)")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=IHPStatus.values), name="ihp_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=IHPStatus.EVALUATED)
                | Q(evaluated_at__isnull=False, result_sufficient__isnull=False),
                name="ihp_evaluated_complete",
            ),
            # One evaluation is evidence for one way on (careroute.route): "rejoins a
            # subgroup" is never "too little result", "external steps" never "enough".
            models.CheckConstraint(
                condition=~Q(outcome=IHPOutcome.REJOIN, result_sufficient=False)
                & ~Q(outcome=IHPOutcome.EXTERNAL, result_sufficient=True),
                name="ihp_evaluation_coherent",
            ),
            models.CheckConstraint(
                condition=Q(status=IHPStatus.DRAFT) | Q(started_at__isnull=False),
                name="ihp_started_at",
            ),
        ]
        indexes = [models.Index(fields=["pupil", "created_at"], name="ihp_pupil")]

    def __str__(self) -> str:
        return f"IHP {self.created_at:%Y-%m-%d}"


class GoalTerm(models.TextChoices):
    LONG = "long", _("long term")
    SHORT = "short", _("short term")


class GoalOutcome(models.TextChoices):
    REACHED = "reached", _("reached")
    PARTLY = "partly", _("partly reached")
    NOT_REACHED = "not_reached", _("not reached")


class IHPGoal(models.Model):
    """A SMARTI goal of an IHP: what is measured, the criterion, the target date, the owner."""

    ihp = models.ForeignKey(IHP, on_delete=models.CASCADE, related_name="goals")
    term = models.CharField(_("term"), max_length=5, choices=GoalTerm.choices)
    description = models.TextField(_("goal"))
    measure = models.CharField(_("what is measured"), max_length=300, blank=True)
    criterion = models.CharField(_("criterion"), max_length=300, blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("owner"),
    )
    position = models.PositiveSmallIntegerField(default=1)
    outcome = models.CharField(
        _("evaluation"), max_length=12, choices=GoalOutcome.choices, blank=True
    )
    evaluation = models.TextField(_("evaluation notes"), blank=True)
    version = models.PositiveIntegerField(default=1)

    history = pupil_history()

    class Meta:
        verbose_name = _("IHP goal")
        verbose_name_plural = _("IHP goals")

    def __str__(self) -> str:
        return self.description[:60]


class IHPOrganisation(models.Model):
    """Section 6, one row of the grid: who works on which goal, how often, where, when, how
    long."""

    ihp = models.ForeignKey(IHP, on_delete=models.CASCADE, related_name="organisation")
    goal = models.ForeignKey(
        IHPGoal, on_delete=models.CASCADE, related_name="organisation", null=True, blank=True
    )
    who = models.CharField(_("who"), max_length=200)
    how_often = models.CharField(_("how often"), max_length=100, blank=True)
    where = models.CharField(_("where"), max_length=100, blank=True)
    when = models.CharField(_("when"), max_length=100, blank=True)
    duration = models.CharField(_("how long"), max_length=100, blank=True)

    history = pupil_history()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisation")

    def __str__(self) -> str:
        return self.who


class DataPoint(models.Model):
    """A dated measurement or observation towards a goal."""

    goal = models.ForeignKey(IHPGoal, on_delete=models.CASCADE, related_name="data_points")
    date = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=8, decimal_places=2, null=True, blank=True)
    observation = models.TextField(_("observation"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = pupil_history()

    class Meta:
        verbose_name = _("data point")
        verbose_name_plural = _("data points")
        indexes = [models.Index(fields=["goal", "date"], name="data_point_goal_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__isnull=False) | ~Q(observation=""),
                name="data_point_value_or_observation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d}"


# OPP and HGD --------------------------------------------------------------------------------


class OPP(models.Model):
    """The development perspective (ontwikkelingsperspectief): the expected exit level with its
    rationale, hindering and stimulating factors side by side, the support to be given, and
    the parents' agreement to the support part."""

    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="opps")
    exit_level = models.CharField(_("expected exit level"), max_length=100)
    rationale = models.TextField(_("rationale"))
    hindering = models.TextField(_("hindering factors"), blank=True)
    stimulating = models.TextField(_("stimulating factors"), blank=True)
    support = models.TextField(_("support to be given"), blank=True)
    parents_agreed_on = models.DateField(
        _("parents agreed to the support on"), null=True, blank=True
    )
    parents_agreement_note = models.TextField(_("how the parents agreed"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    history = pupil_history()

    class Meta:
        verbose_name = _("development perspective (OPP)")
        verbose_name_plural = _("development perspectives (OPP)")

    def __str__(self) -> str:
        return f"OPP {self.created_at:%Y-%m-%d}"


class OPPEvaluation(models.Model):
    """The yearly evaluation of an OPP with the parents."""

    opp = models.ForeignKey(OPP, on_delete=models.CASCADE, related_name="evaluations")
    date = models.DateField(_("date"))
    with_parents = models.BooleanField(_("with the parents"), default=True)
    notes = models.TextField(_("evaluation"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = pupil_history()

    class Meta:
        verbose_name = _("OPP evaluation")
        verbose_name_plural = _("OPP evaluations")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d}"


class HGDStatus(models.TextChoices):
    REQUESTED = "requested", _("requested")
    REPORTED = "reported", _("report received")


class HGDRequest(models.Model):
    """Diagnostics (handelingsgerichte diagnostiek): the question, the external expert, the
    report (PDF, stored outside the web root, served only through an access-checked view) and
    its recommendations translated into educational needs."""

    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="hgd_requests")
    question = models.TextField(_("question"))
    expert_name = models.CharField(_("external expert"), max_length=200)
    expert_discipline = models.CharField(_("discipline"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=HGDStatus.choices, default=HGDStatus.REQUESTED
    )
    report = models.FileField(_("report (PDF)"), upload_to="hgd/%Y/", blank=True)
    report_uploaded_at = models.DateTimeField(null=True, blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    educational_needs = models.TextField(_("educational needs"), blank=True)
    # Like care-team advice: sensitive; the teacher sees the recommendations once shared.
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    shared_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    history = pupil_history()

    class Meta:
        verbose_name = _("diagnostics request (HGD)")
        verbose_name_plural = _("diagnostics requests (HGD)")

    def __str__(self) -> str:
        return f"HGD {self.created_at:%Y-%m-%d}"


class ZATHandover(models.Model):
    """A handover to the ZAT (zorg- en adviesteam) from level 4, with consent."""

    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="zat_handovers")
    case = models.ForeignKey(CareTeamCase, on_delete=models.PROTECT, related_name="zat_handovers")
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = pupil_history()

    class Meta:
        verbose_name = _("handover to the ZAT")
        verbose_name_plural = _("handovers to the ZAT")

    def __str__(self) -> str:
        return f"ZAT {self.created_at:%Y-%m-%d}"
