"""Everything held on one pupil, for the parents' right of access (AVG art. 15).

`pupil_export` gathers it as plain data with stable English keys and ISO dates: the JSON
download is exactly this, and the PDF shows the same data for people to read. Add a key when
an app starts holding more pupil data (plans, meetings, the care route); never rename one.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from careroute.models import (
    IHP,
    OPP,
    CareTeamCase,
    CareTeamRegistration,
    CaseDocument,
    Consent,
    DataPoint,
    HGDRequest,
    IHPGoal,
    IHPOrganisation,
    OPPEvaluation,
    RouteEvent,
)
from groupplans.models import NEED_ASPECTS, OFFER_FIELDS, SOURCE_FIELDS, OverviewRow
from groupplans.pupil_plans import PupilPlan, areas_in, plans_of
from hgw import trail
from meetings.actions import ITEM_FIELDS
from meetings.models import MeetingItem, Registration
from pupils.models import Enrolment, Guardian, Pupil, PupilLogEntry, TestResult

# The text of an overview row, in the grid's order: the five sources, the factors, the
# signal and its reason, the seven needs and the specific needs.
OVERVIEW_TEXT = (
    [name for name, _label, _kind in SOURCE_FIELDS]
    + ["stimulating", "hindering", "signal_reason"]
    + [name for name, _label in NEED_ASPECTS]
    + ["specific_needs"]
)

FORMAT_VERSION = 1


def _iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat()
    return value.isoformat()


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.normalize():f}"


def _person(user) -> dict | None:
    if user is None:
        return None
    return {"id": user.pk, "name": user.full_name}


@dataclass
class PupilRecord:
    """Everything held on one pupil, as objects (the PDF) and as data (`as_data`, the JSON)."""

    pupil: Pupil
    guardians: list[Guardian]
    enrolments: list[Enrolment]
    results: list[TestResult]
    log_entries: list[PupilLogEntry]
    overview_rows: list[OverviewRow]
    plans: list[PupilPlan]
    registrations: list[Registration]
    meeting_items: list[MeetingItem]
    care_route: dict
    access_rows: list[trail.AccessRow]
    revisions: list[trail.Revision]

    def overview_blocks(self) -> list[tuple[OverviewRow, list[tuple[str, str]]]]:
        """Per overview row, the filled-in text with its label (for the PDF)."""
        return [
            (
                row,
                [
                    (str(OverviewRow._meta.get_field(name).verbose_name), getattr(row, name))
                    for name in OVERVIEW_TEXT
                    if getattr(row, name)
                ],
            )
            for row in self.overview_rows
        ]


def gather(pupil: Pupil) -> PupilRecord:
    """The pupil's data, guardians, groups, results, and who saw and changed them."""
    school = pupil.school
    filters = trail.Filters(pupil_id=pupil.pk)
    return PupilRecord(
        pupil=pupil,
        guardians=list(Guardian.objects.filter(pupil=pupil)),
        enrolments=list(
            Enrolment.objects.filter(pupil=pupil)
            .select_related("group__school_year")
            .order_by("start_date", "pk")
        ),
        results=list(
            TestResult.objects.filter(pupil=pupil)
            .select_related("instrument", "entered_by")
            .chronological()
        ),
        log_entries=list(PupilLogEntry.objects.for_pupils([pupil.pk]).order_by("date", "pk")),
        overview_rows=list(
            OverviewRow.objects.filter(pupil=pupil)
            .select_related("overview__group", "overview__period__school_year")
            .order_by("overview__period__start_date", "pk")
        ),
        plans=areas_in(
            pupil.pk, plans_of(pupil.pk).order_by("period__start_date", "group__name", "pk")
        ),
        registrations=list(
            Registration.objects.filter(pupil=pupil)
            .select_related("created_by", "submitted_by")
            .order_by("created_at", "pk")
        ),
        meeting_items=list(
            MeetingItem.objects.filter(pupil=pupil)
            .select_related("meeting__group", "shared_by")
            .prefetch_related("addenda__author", "action_points__owner")
            .order_by("meeting__date", "pk")
        ),
        care_route=_care_route(pupil),
        access_rows=trail.access_rows(school, list(trail.access_entries(school, filters))),
        revisions=trail.revisions(
            school, list(trail.revision_index(school, filters)), show_learning=True
        ),
    )


def _plan_data(item: PupilPlan) -> dict:
    """A plan the pupil was in: per area their subgroup with its goals and offer, the
    subgroup's evaluation and the pupil's own (the PDF shows the pupil's where there is one)."""
    plan = item.plan
    return {
        "id": plan.pk,
        "group": plan.group.name,
        "period": str(plan.period),
        "status": plan.status,
        "areas": [
            {
                "placement_id": entry.placement.pk,
                "area": entry.area.name,
                "subgroup": {
                    "id": entry.subgroup.pk,
                    "kind": entry.subgroup.kind,
                    "name": entry.subgroup.name,
                    **{name: getattr(entry.subgroup, name) for name in OFFER_FIELDS},
                    "goal_date": _iso(entry.subgroup.goal_date),
                    "outcome": entry.subgroup.outcome,
                    "helped": entry.subgroup.helped,
                    "hindered": entry.subgroup.hindered,
                },
                "outcome": entry.placement.outcome,
                "helped": entry.placement.helped,
                "hindered": entry.placement.hindered,
            }
            for entry in item.areas
        ],
    }


def _fields(obj, *, skip=("id", "pupil")) -> dict:
    """A record's own fields as plain data (dates as ISO, people and related rows by id)."""
    found = {}
    for field in obj._meta.concrete_fields:
        if field.name in skip:
            continue
        value = getattr(obj, field.attname)
        if isinstance(value, datetime.date):
            value = _iso(value)
        elif isinstance(value, Decimal):
            value = _decimal(value)
        elif hasattr(value, "name") and not isinstance(value, str):  # a stored file
            value = value.name or None
        found[field.attname] = value
    return found


def _care_route(pupil: Pupil) -> dict:
    """The care route: its steps, consent, the care team, IHPs (goals, organisation, data
    points), OPPs (evaluations) and diagnostics — everything the care route holds."""
    # Every list in the order it was made, so two exports of the same record read the same.
    ihps = (
        IHP.objects.filter(pupil=pupil)
        .order_by("pk")
        .prefetch_related(
            Prefetch("goals", IHPGoal.objects.order_by("position", "pk")),
            Prefetch("goals__data_points", DataPoint.objects.order_by("date", "pk")),
            Prefetch("organisation", IHPOrganisation.objects.order_by("pk")),
        )
    )
    return {
        "events": [
            {**_fields(e, skip=("id", "pupil", "route")), "id": e.pk}
            for e in RouteEvent.objects.filter(pupil=pupil).order_by("at", "pk")
        ],
        "consents": [
            {**_fields(c), "id": c.pk}
            for c in Consent.objects.filter(pupil=pupil).order_by("recorded_at", "pk")
        ],
        "care_team_registrations": [
            {
                **_fields(r),
                "id": r.pk,
                "documents": [d.title for d in r.documents.all()],
            }
            for r in CareTeamRegistration.objects.filter(pupil=pupil)
            .order_by("pk")
            .prefetch_related(Prefetch("documents", CaseDocument.objects.order_by("pk")))
        ],
        "care_team_cases": [
            {**_fields(c), "id": c.pk}
            for c in CareTeamCase.objects.filter(pupil=pupil).order_by("pk")
        ],
        "ihps": [
            {
                **_fields(ihp),
                "id": ihp.pk,
                "goals": [
                    {
                        **_fields(goal, skip=("id", "ihp")),
                        "data_points": [
                            _fields(point, skip=("id", "goal")) for point in goal.data_points.all()
                        ],
                    }
                    for goal in ihp.goals.all()
                ],
                "organisation": [
                    _fields(row, skip=("id", "ihp")) for row in ihp.organisation.all()
                ],
            }
            for ihp in ihps
        ],
        "opps": [
            {
                **_fields(opp),
                "id": opp.pk,
                "evaluations": [_fields(e, skip=("id", "opp")) for e in opp.evaluations.all()],
            }
            for opp in OPP.objects.filter(pupil=pupil)
            .order_by("pk")
            .prefetch_related(Prefetch("evaluations", OPPEvaluation.objects.order_by("date", "pk")))
        ],
        "diagnostics": [
            {**_fields(h), "id": h.pk}
            for h in HGDRequest.objects.filter(pupil=pupil).order_by("pk")
        ],
    }


def _item_data(item: MeetingItem) -> dict:
    """A meeting that discussed the pupil: what its minutes say about them, the documents
    supplied, their addenda and the action points about them."""
    meeting = item.meeting
    return {
        "id": item.pk,
        "meeting": {
            "id": meeting.pk,
            "kind": meeting.kind,
            "date": _iso(meeting.date),
            "status": meeting.status,
            "group": meeting.group.name if meeting.group_id else None,
        },
        "registration_id": item.registration_id,
        "documents": list(item.documents),
        **{name: getattr(item, name) for name in ITEM_FIELDS[meeting.kind]},
        "shared_with_teacher_at": _iso(item.shared_at),
        "addenda": [
            {"at": _iso(a.created_at), "author": _person(a.author), "text": a.text}
            for a in item.addenda.all()
        ],
        "action_points": [
            {
                "description": point.description,
                "owner": _person(point.owner),
                "due_date": _iso(point.due_date),
                "done_at": _iso(point.done_at),
            }
            for point in item.action_points.all()
        ],
    }


def as_data(record: PupilRecord, *, by) -> dict:
    """Plain data with stable English keys and ISO dates."""
    pupil = record.pupil
    school = pupil.school
    return {
        "format": "hgw-pupil-export",
        "format_version": FORMAT_VERSION,
        "generated_at": _iso(timezone.now()),
        "generated_by": _person(by),
        "school": {"name": school.name, "brin": school.brin},
        "pupil": {
            "id": pupil.pk,
            "given_name": pupil.given_name,
            "name_prefix": pupil.name_prefix,
            "family_name": pupil.family_name,
            "date_of_birth": _iso(pupil.date_of_birth),
            "sex": pupil.get_sex_display(),
            "sex_code": pupil.sex,
            "key_in_administration_system": pupil.las_key,
            "eck_id": pupil.eck_id,
            "date_in": _iso(pupil.date_in),
            "date_out": _iso(pupil.date_out),
        },
        "guardians": [
            {
                "id": guardian.pk,
                "name": guardian.name,
                "relation": guardian.relation,
                "has_parental_authority": guardian.has_parental_authority,
                "phone": guardian.phone,
                "email": guardian.email,
            }
            for guardian in record.guardians
        ],
        "enrolments": [
            {
                "id": enrolment.pk,
                "kind": enrolment.kind,
                "start_date": _iso(enrolment.start_date),
                "end_date": _iso(enrolment.end_date),
                "group": {
                    "id": enrolment.group.pk,
                    "name": enrolment.group.name,
                    "school_year": enrolment.group.school_year.name,
                    "grade_low": enrolment.group.grade_low,
                    "grade_high": enrolment.group.grade_high,
                },
            }
            for enrolment in record.enrolments
        ],
        "test_results": [
            {
                "id": result.pk,
                "instrument": result.instrument.name,
                "subject": result.instrument.subject,
                "score_kind": result.instrument.score_kind,
                "date_taken": _iso(result.date_taken),
                "moment": result.moment,
                "score": _decimal(result.score),
                "level": result.level,
                "entered_by": _person(result.entered_by),
            }
            for result in record.results
        ],
        "pupil_log": [
            {
                "id": entry.pk,
                "date": _iso(entry.date),
                "kind": entry.kind,
                "participants": entry.participants,
                "notes": entry.notes,
                "agreements": entry.agreements,
                "author": _person(entry.author),
            }
            for entry in record.log_entries
        ],
        "group_overviews": [
            {
                "id": row.pk,
                "group": row.overview.group.name,
                "period": str(row.overview.period),
                "status": row.overview.status,
                "signalled": row.signalled,
                **{name: getattr(row, name) for name in OVERVIEW_TEXT},
            }
            for row in record.overview_rows
        ],
        "group_plans": [_plan_data(item) for item in record.plans],
        "pupil_meeting_registrations": [
            {
                "id": registration.pk,
                "question": registration.question,
                "tried": registration.tried,
                "going_well": registration.going_well,
                "created_at": _iso(registration.created_at),
                "created_by": _person(registration.created_by),
                "submitted_at": _iso(registration.submitted_at),
                "submitted_by": _person(registration.submitted_by),
            }
            for registration in record.registrations
        ],
        "meetings": [_item_data(item) for item in record.meeting_items],
        "care_route": record.care_route,
        "access_log": [
            {
                "at": _iso(row.entry.at),
                "user": _person(row.entry.user),
                "role": row.role,
                "what": row.entry.what,
                "path": row.entry.path,
                "ip_address": row.entry.ip_address,
            }
            for row in record.access_rows
        ],
        "revisions": [
            {
                "record": revision.kind,
                "record_id": revision.record.id,
                "action": {"+": "created", "~": "changed", "-": "deleted"}[
                    revision.record.history_type
                ],
                "at": _iso(revision.at),
                "user": _person(revision.user),
                "role": revision.role,
                "changes": [
                    {"field": change.name, "old": change.old, "new": change.new}
                    for change in revision.changes
                ],
            }
            for revision in record.revisions
        ],
    }
