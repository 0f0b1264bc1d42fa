"""Reading the audit trail: the access log and the revisions of pupil data, with names.

`audit` sits below `pupils` and stores pupil ids without a foreign key, so the names are
looked up here, where every app may be read. Every function that decorates a page of rows
runs a fixed number of queries whatever the number of rows (one for the page's pupils, one
for the memberships that give each person's role at the time, a few per revision model).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.db.models import F, Q, Value
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Membership, Role
from audit.models import AccessLogEntry, AccessLogPupil
from careroute.models import (
    IHP,
    OPP,
    CareRoute,
    CareTeamCase,
    CareTeamRegistration,
    Consent,
    HGDRequest,
    ZATHandover,
)
from groupplans.models import OverviewRow, Placement
from meetings.models import MeetingItem, Registration
from pupils.models import Enrolment, Guardian, Pupil, PupilLogEntry, TestResult
from schools.models import School


@dataclass(frozen=True)
class RevisionSource:
    kind: str  # stable, English: also the key in the export
    model: type[models.Model]
    pupil_field: str  # where the historical row holds the pupil's id
    related: tuple[str, ...] = ()  # foreign keys shown by name
    learning: bool = False  # learning data: values hidden from whoever may not see them


REVISION_SOURCES = [
    RevisionSource("pupil", Pupil, "id", ("school",)),
    RevisionSource("guardian", Guardian, "pupil_id"),
    RevisionSource("enrolment", Enrolment, "pupil_id", ("group",)),
    RevisionSource(
        "test_result", TestResult, "pupil_id", ("instrument", "entered_by"), learning=True
    ),
    RevisionSource("pupil_log", PupilLogEntry, "pupil_id", ("author",), learning=True),
    RevisionSource(
        "overview_row",
        OverviewRow,
        "pupil_id",
        ("overview__group", "overview__period__school_year", "updated_by"),
        learning=True,
    ),
    RevisionSource(
        "placement",
        Placement,
        "pupil_id",
        (
            "section__plan__group",
            "section__plan__period__school_year",
            "section__area",
            "subgroup",
            "updated_by",
        ),
        learning=True,
    ),
    RevisionSource(
        "meeting_item", MeetingItem, "pupil_id", ("meeting__group", "created_by"), learning=True
    ),
    RevisionSource(
        "registration", Registration, "pupil_id", ("created_by", "submitted_by"), learning=True
    ),
    RevisionSource("care_route", CareRoute, "pupil_id", (), learning=True),
    RevisionSource("consent", Consent, "pupil_id", ("guardian", "recorded_by"), learning=True),
    RevisionSource(
        "care_team_registration", CareTeamRegistration, "pupil_id", ("created_by",), learning=True
    ),
    RevisionSource("care_team_case", CareTeamCase, "pupil_id", (), learning=True),
    RevisionSource("ihp", IHP, "pupil_id", ("created_by",), learning=True),
    RevisionSource("opp", OPP, "pupil_id", ("created_by",), learning=True),
    RevisionSource("hgd_request", HGDRequest, "pupil_id", ("created_by",), learning=True),
    RevisionSource("zat_handover", ZATHandover, "pupil_id", ("created_by",), learning=True),
]
_SOURCES = {source.kind: source for source in REVISION_SOURCES}


@dataclass
class Filters:
    pupil_id: int | None = None
    user_id: int | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None  # up to and including


@dataclass
class PupilRef:
    pk: int
    name: str | None  # None: the pupil has been erased

    def __str__(self) -> str:
        return self.name if self.name is not None else _("erased pupil")


@dataclass
class Change:
    name: str  # the field's attribute name (stable, for the export)
    field: str  # its label
    old: str
    new: str


@dataclass
class Revision:
    kind: str
    kind_label: str
    record: object  # the historical row
    at: datetime.datetime
    action: str
    pupil: PupilRef
    user: object
    role: str
    description: str
    changes: list[Change] = field(default_factory=list)
    values_hidden: bool = False


# Which pupils belong to a school ------------------------------------------------------------


def school_pupil_ids(school: School) -> models.QuerySet:
    """The ids of every pupil the school has held, erased pupils whose history is kept too."""
    return Pupil.history.filter(school_id=school.pk).values("id")


# The access log -----------------------------------------------------------------------------


def access_entries(school: School, filters: Filters | None = None) -> models.QuerySet:
    """The access-log entries about the school's pupils, newest first."""
    filters = filters or Filters()
    ours = school_pupil_ids(school)
    entries = AccessLogEntry.objects.filter(
        Q(school=school)
        | Q(pk__in=AccessLogPupil.objects.filter(pupil_id__in=ours).values("entry_id"))
    )
    if filters.pupil_id is not None:
        entries = entries.filter(
            pk__in=AccessLogPupil.objects.filter(pupil_id=filters.pupil_id).values("entry_id")
        )
    if filters.user_id is not None:
        entries = entries.filter(user_id=filters.user_id)
    if filters.date_from is not None:
        entries = entries.filter(at__date__gte=filters.date_from)
    if filters.date_to is not None:
        entries = entries.filter(at__date__lte=filters.date_to)
    return entries.select_related("user").order_by("-at", "-pk")


# What whoever may not see learning data (the privacy officer) reads instead of which
# learning or care page was opened or which such record changed: that a pupil has an IHP, a
# diagnostics request or a care-team case is itself a care fact.
GENERALISED_PAGE = gettext_lazy("a page with learning or care data")
GENERALISED_RECORD = gettext_lazy("learning or care data")

# Pages that show only basic data (name, group, guardians): named to everyone.
BASIC_PAGES = {
    "home",
    "pupils:group_detail",
    "pupils:pupil_list",
    "pupils:pupil_basic",
    "pupils:guardian_add",
    "pupils:guardian_edit",
    "pupils:retention",
    "pupils:rollover",
}
BASIC_DOSSIER_TABS = {"gegevens"}


@dataclass
class AccessRow:
    entry: AccessLogEntry
    role: str
    pupils: list[PupilRef]
    show_learning: bool = True

    @property
    def generalised(self) -> bool:
        """Whether the page is hidden behind GENERALISED_PAGE for this reader."""
        return not self.show_learning and not self._is_basic()

    def _is_basic(self) -> bool:
        name = self.entry.what
        if name == "pupil_dossier_tab":
            return self.entry.path.rstrip("/").rsplit("/", 1)[-1] in BASIC_DOSSIER_TABS
        return name in BASIC_PAGES or name.startswith(("admin:", "trail:"))

    @property
    def path(self) -> str:
        """The address opened; none when it would say which learning or care page."""
        return "" if self.generalised else self.entry.path

    @property
    def page(self) -> str:
        """The page in words a parent understands; the URL name when hgw has no words yet."""
        if self.generalised:
            return str(GENERALISED_PAGE)
        name = self.entry.what
        if name == "pupil_dossier_tab":
            tab = self.entry.path.rstrip("/").rsplit("/", 1)[-1]
            return _("pupil dossier: %(tab)s") % {"tab": tab}
        if name.startswith("admin:"):
            return str(_("platform administration (read-only)"))
        if name.startswith("trail:"):
            return str(_("audit trail"))
        return str(PAGE_NAMES.get(name, name))


# What the access log's URL names mean, in the interface's words.
PAGE_NAMES = {
    # The care-team member's home lists their pupils.
    "home": gettext_lazy("home page"),
    "pupils:group_detail": gettext_lazy("group page"),
    "pupils:pupil_list": gettext_lazy("pupil list"),
    "pupils:pupil_basic": gettext_lazy("pupil dossier: gegevens"),
    "pupils:pupil_results": gettext_lazy("pupil dossier: toetsen"),
    "pupils:result_add": gettext_lazy("entering a test result"),
    "pupils:guardian_add": gettext_lazy("adding a guardian"),
    "pupils:guardian_edit": gettext_lazy("guardian"),
    "pupils:retention": gettext_lazy("retention"),
    "pupils:rollover": gettext_lazy("preparing the next school year"),
    "pupils:pupil_log": gettext_lazy("pupil dossier: logboek"),
    "pupils:log_add": gettext_lazy("adding a note to the pupil log"),
    "pupils:log_edit": gettext_lazy("note in the pupil log"),
    "groupplans:overview_detail": gettext_lazy("group overview"),
    "groupplans:row_save": gettext_lazy("saving a row of a group overview"),
    "groupplans:suggestion_decide": gettext_lazy("deciding on a signal suggestion"),
    "groupplans:overview_print": gettext_lazy("group overview, print view"),
    "groupplans:overview_pdf": gettext_lazy("group overview, PDF"),
    "groupplans:overview_xlsx": gettext_lazy("group overview, Excel"),
    "groupplans:plan_detail": gettext_lazy("group plan"),
    "groupplans:section_save": gettext_lazy("group plan, saving an area"),
    "groupplans:placement_move": gettext_lazy("group plan, placing a pupil"),
    "groupplans:suggestions_accept": gettext_lazy("group plan, placing pupils as suggested"),
    "groupplans:subgroup_save": gettext_lazy("group plan, saving a subgroup"),
    "groupplans:plan_evaluation": gettext_lazy("group plan, evaluation"),
    "groupplans:subgroup_evaluate": gettext_lazy("group plan, evaluating a subgroup"),
    "groupplans:placement_save": gettext_lazy("group plan, evaluating a pupil"),
    "groupplans:pupil_plans": gettext_lazy("pupil dossier: plannen"),
    "groupplans:plan_print": gettext_lazy("group plan, print view"),
    "groupplans:plan_pdf": gettext_lazy("group plan, PDF"),
    "groupplans:plan_week": gettext_lazy("group plan, week view"),
    "groupplans:subgroup_from_library": gettext_lazy("group plan, using a library entry"),
    "meetings:meeting_detail": gettext_lazy("meeting"),
    "meetings:minutes_save": gettext_lazy("meeting, saving the minutes"),
    "meetings:summary_save": gettext_lazy("meeting, saving the teacher's summary"),
    "meetings:preparation_save": gettext_lazy("meeting, saving the preparation"),
    "meetings:addendum_add": gettext_lazy("meeting, adding an addendum"),
    "meetings:zoom_in": gettext_lazy("group meeting, zooming in on a pupil"),
    "meetings:meeting_report": gettext_lazy("group meeting report (PDF)"),
    "meetings:item_detail": gettext_lazy("pupil on a meeting's agenda"),
    "meetings:item_addendum_add": gettext_lazy("pupil on a meeting's agenda, adding an addendum"),
    "meetings:item_report": gettext_lazy("meeting report of a pupil (PDF)"),
    "careroute:pupil_ihps": gettext_lazy("pupil dossier: IHP and OPP"),
    "careroute:ihp_create": gettext_lazy("making an IHP"),
    "careroute:ihp_detail": gettext_lazy("IHP"),
    "careroute:ihp_pdf": gettext_lazy("IHP (PDF)"),
    "careroute:goal_add": gettext_lazy("IHP, adding a goal"),
    "careroute:goal_edit": gettext_lazy("IHP, editing a goal"),
    "careroute:goal_remove": gettext_lazy("IHP, removing a goal"),
    "careroute:data_point_add": gettext_lazy("IHP, adding a data point"),
    "careroute:data_point_remove": gettext_lazy("IHP, removing a data point"),
    "careroute:organisation_add": gettext_lazy("IHP, adding to the organisation"),
    "careroute:organisation_remove": gettext_lazy("IHP, removing from the organisation"),
    "careroute:ihp_start": gettext_lazy("IHP, starting"),
    "careroute:ihp_evaluate": gettext_lazy("IHP, evaluating"),
    "careroute:ihp_revise": gettext_lazy("IHP, revising"),
    "careroute:opp_create": gettext_lazy("making an OPP"),
    "careroute:opp_detail": gettext_lazy("OPP"),
    "careroute:opp_pdf": gettext_lazy("OPP (PDF)"),
    "careroute:opp_agreement": gettext_lazy("OPP, recording the parents' agreement"),
    "careroute:opp_evaluation_add": gettext_lazy("OPP, adding an evaluation"),
    "meetings:pupil_meetings": gettext_lazy("pupil dossier: besprekingen"),
    "careroute:pupil_route": gettext_lazy("pupil dossier: route"),
    "careroute:route_move": gettext_lazy("care route, a move"),
    "meetings:action_point_add": gettext_lazy("meeting, adding an action point"),
    "meetings:my_actions": gettext_lazy("my actions"),
    "meetings:school_actions": gettext_lazy("all action points"),
    "meetings:action_point_edit": gettext_lazy("action point"),
    "meetings:registration_list": gettext_lazy("registrations for a pupil meeting"),
    "meetings:registration_create": gettext_lazy("registering for a pupil meeting"),
    "meetings:registration_detail": gettext_lazy("registration for a pupil meeting"),
    "meetings:registration_withdraw": gettext_lazy("withdrawing a registration"),
    "meetings:registration_attach": gettext_lazy("pupil meeting, putting pupils on the agenda"),
    "meetings:growth_document": gettext_lazy("pupil meeting, growth document"),
    "meetings:item_detach": gettext_lazy("pupil meeting, taking a pupil off the agenda"),
    "careroute:pupil_hgd": gettext_lazy("pupil dossier: onderzoek"),
    "careroute:hgd_create": gettext_lazy("requesting diagnostics (HGD)"),
    "careroute:hgd_detail": gettext_lazy("diagnostics (HGD)"),
    "careroute:hgd_upload": gettext_lazy("diagnostics (HGD), uploading the report"),
    "careroute:hgd_recommendations": gettext_lazy("diagnostics (HGD), recommendations"),
    "careroute:hgd_translate": gettext_lazy("diagnostics (HGD), adding the needs to the overview"),
    "careroute:hgd_share": gettext_lazy("diagnostics (HGD), sharing with the teacher"),
    "careroute:hgd_report": gettext_lazy("diagnostics (HGD) report (PDF)"),
    # Consent and the care team (the care route).
    "careroute:pupil_documents": gettext_lazy("pupil dossier: documenten"),
    "careroute:consent_add": gettext_lazy("recording a decision about consent"),
    "careroute:consent_form": gettext_lazy("signed consent form (PDF)"),
    "careroute:registration_edit": gettext_lazy("registration for the care team"),
    "careroute:documents_select": gettext_lazy("selecting documents for the care team"),
    "careroute:case_agenda": gettext_lazy("care-team case, putting it on an agenda"),
    "careroute:case_agenda_remove": gettext_lazy("care-team case, taking it off an agenda"),
    "careroute:case_monitoring": gettext_lazy("care-team case, monitoring"),
    "careroute:case_close": gettext_lazy("care-team case, closing"),
}


def access_rows(
    school: School, entries: list[AccessLogEntry], *, show_learning: bool = True
) -> list[AccessRow]:
    """The page's entries with the pupils each showed (of this school only) and the role
    each person held at the school that day. Without show_learning, which learning or care
    page was opened is generalised (the pupils and who opened it are not)."""
    ours = school_pupil_ids(school)
    shown = AccessLogPupil.objects.filter(entry__in=[e.pk for e in entries]).filter(
        Q(entry__school=school) | Q(pupil_id__in=ours)
    )
    by_entry: dict[int, list[int]] = defaultdict(list)
    for entry_id, pupil_id in shown.values_list("entry_id", "pupil_id"):
        by_entry[entry_id].append(pupil_id)
    names = pupil_names(school, {pk for ids in by_entry.values() for pk in ids})
    roles = RolesAtTheTime(school, [e.user for e in entries if e.user_id])
    return [
        AccessRow(
            entry=entry,
            role=roles.label(entry.user, entry.at),
            pupils=sorted(
                (names[pk] for pk in by_entry.get(entry.pk, [])), key=lambda p: str(p).casefold()
            ),
            show_learning=show_learning,
        )
        for entry in entries
    ]


def pupil_names(school: School, ids: set[int]) -> dict[int, PupilRef]:
    """One query for the names of the pupils on a page; a missing pupil has been erased."""
    found = {
        pupil.pk: PupilRef(pupil.pk, pupil.sort_name)
        for pupil in Pupil.objects.for_school(school)
        .filter(pk__in=ids)
        .only("pk", "given_name", "name_prefix", "family_name")
    }
    return {pk: found.get(pk) or PupilRef(pk, None) for pk in ids}


class RolesAtTheTime:
    """The roles people held at the school on a day, from one query for all of them."""

    def __init__(self, school: School, users: list) -> None:
        self._memberships = defaultdict(list)
        for membership in Membership.objects.filter(
            school=school, user__in={user.pk for user in users}
        ):
            self._memberships[membership.user_id].append(membership)

    def label(self, user, at: datetime.datetime) -> str:
        if user is None:
            return ""
        day = timezone.localdate(at)
        roles = sorted(
            str(Role(m.role).label)
            for m in self._memberships.get(user.pk, [])
            if m.start_date <= day and (m.end_date is None or m.end_date > day)
        )
        if not roles and user.is_superuser:
            return _("platform operator")
        return ", ".join(roles)


# Revisions ----------------------------------------------------------------------------------


def revision_index(
    school: School, filters: Filters | None = None, *, kinds: list[str] | None = None
) -> models.QuerySet:
    """Every revision of the school's pupil data as (kind, history_id, ...) rows, newest
    first: one UNION over the history tables, so a page of it is one query."""
    filters = filters or Filters()
    ours = school_pupil_ids(school)
    parts = []
    for source in REVISION_SOURCES:
        if kinds is not None and source.kind not in kinds:
            continue
        rows = source.model.history.all()
        if source.kind == "pupil":
            rows = rows.filter(school_id=school.pk)
        else:
            rows = rows.filter(pupil_id__in=ours)
        if filters.pupil_id is not None:
            rows = rows.filter(**{source.pupil_field: filters.pupil_id})
        if filters.user_id is not None:
            rows = rows.filter(history_user_id=filters.user_id)
        if filters.date_from is not None:
            rows = rows.filter(history_date__date__gte=filters.date_from)
        if filters.date_to is not None:
            rows = rows.filter(history_date__date__lte=filters.date_to)
        parts.append(
            rows.order_by()
            .annotate(
                source_kind=Value(source.kind, models.CharField()),
                pupil_ref=F(source.pupil_field),
            )
            .values_list("history_id", "history_date", "source_kind", "pupil_ref")
        )
    first, *rest = parts
    return first.union(*rest, all=True).order_by("-history_date", "-history_id")


def revisions(school: School, index_rows, *, show_learning: bool) -> list[Revision]:
    """The page's revisions in full, each with what changed (simple-history's diff_against
    against the revision before it); a fixed number of queries whatever the rows. Without
    show_learning, a learning or care record is only "learning or care data", created,
    changed or deleted: not which record, nor its fields or values."""
    wanted: dict[str, list[int]] = defaultdict(list)
    for history_id, _at, kind, _pupil in index_rows:
        wanted[kind].append(history_id)
    records: dict[tuple[str, int], object] = {}
    previous: dict[tuple[str, int], object] = {}
    for kind, history_ids in wanted.items():
        source = _SOURCES[kind]
        history = source.model.history.select_related("history_user", *source.related)
        page = list(history.filter(history_id__in=history_ids))
        for record in page:
            records[(kind, record.history_id)] = record
        # The revisions before these of the same objects: one query per model.
        latest = max(record.history_date for record in page)
        earlier = history.filter(id__in={r.id for r in page}, history_date__lte=latest)
        by_object = defaultdict(list)
        for record in earlier.order_by("history_date", "history_id"):
            by_object[record.id].append(record)
        for record in page:
            chain = by_object[record.id]
            position = next(i for i, r in enumerate(chain) if r.history_id == record.history_id)
            previous[(kind, record.history_id)] = chain[position - 1] if position else None
    names = pupil_names(school, {row[3] for row in index_rows})
    roles = RolesAtTheTime(school, [r.history_user for r in records.values() if r.history_user])
    result = []
    for history_id, _at, kind, pupil_id in index_rows:
        record = records[(kind, history_id)]
        source = _SOURCES[kind]
        hide = source.learning and not show_learning
        result.append(
            Revision(
                kind=kind,
                kind_label=str(GENERALISED_RECORD if hide else source.model._meta.verbose_name),
                record=record,
                at=record.history_date,
                action=_ACTIONS[record.history_type](),
                pupil=names[pupil_id],
                user=record.history_user,
                role=roles.label(record.history_user, record.history_date),
                description="" if hide else _describe(kind, record),
                changes=[] if hide else _changes(source, record, previous[(kind, history_id)]),
                values_hidden=hide,
            )
        )
    return result


_ACTIONS = {
    "+": lambda: _("created"),
    "~": lambda: _("changed"),
    "-": lambda: _("deleted"),
}

# Never worth showing: the historical row's own bookkeeping and the key of the import.
# A placement's area is in its description already.
_SKIPPED_FIELDS = {"id", "import_record", "version", "carried_from", "updated_by", "section"}


def _describe(kind: str, record) -> str:
    if kind == "guardian":
        return record.name
    if kind == "enrolment":
        return str(record.group) if record.group_id else ""
    if kind == "test_result":
        return f"{record.instrument} ({display_value(record, 'date_taken')})"
    if kind == "pupil_log":
        return f"{record.get_kind_display()} ({display_value(record, 'date')})"
    if kind == "overview_row":
        return _("group overview %(overview)s") % {"overview": record.overview}
    if kind == "placement":
        return _("group plan %(plan)s, %(area)s") % {
            "plan": record.section.plan,
            "area": record.section.area,
        }
    if kind == "registration":
        return _("registration for a pupil meeting")
    if kind == "meeting_item":
        meeting = getattr(record, "meeting", None)
        return str(meeting) if meeting is not None else _("(deleted since)")
    model = _SOURCES[kind].model
    if model._meta.app_label == "careroute":
        # The care route's records: what they are (the changes say the rest).
        return str(model._meta.verbose_name)
    return ""


def _tracked_fields(source: RevisionSource) -> list[str]:
    return [
        f.name
        for f in source.model._meta.concrete_fields
        if f.editable and f.name not in _SKIPPED_FIELDS and f.attname != source.pupil_field
    ]


def _changes(source: RevisionSource, record, before) -> list[Change]:
    meta = source.model._meta
    if record.history_type == "~" and before is not None:
        names = [
            name
            for name in record.diff_against(before).changed_fields
            if name in _tracked_fields(source)
        ]
    elif record.history_type == "+":
        names = [n for n in _tracked_fields(source) if display_value(record, n) != ""]
    else:
        return []
    return [
        Change(
            name=name,
            field=str(meta.get_field(name).verbose_name),
            old="" if before is None or record.history_type == "+" else display_value(before, name),
            new=display_value(record, name),
        )
        for name in names
    ]


def display_value(record, name: str) -> str:
    """A field's value as a person reads it."""
    model_field = record._meta.get_field(name)
    if model_field.is_relation:
        if getattr(record, model_field.attname) is None:
            return ""
        # A revision may name a row deleted since (an individual subgroup nobody follows).
        related = getattr(record, name, None)
        return _("(deleted since)") if related is None else str(related)
    value = getattr(record, name)
    if value is None:
        return ""
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)
