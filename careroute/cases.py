"""The care-team registration and case (writes).

The IB registers a pupil for the care team with the question formulated with the parents and
selects the documents the external members may see (the pupil's own: signed-off meeting
items, IHPs, diagnostics with a report, OPPs). The route's "to_care_team" move opens the case;
here the IB puts it on care-team agendas (only with consent standing), follows it up
(monitoring) and closes it with its outcome.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from audit.history import Stale
from careroute.consent import consent_state
from careroute.models import (
    IHP,
    OPP,
    CareTeamCase,
    CareTeamRegistration,
    CaseDocument,
    CaseStatus,
    ConsentPurpose,
    DocumentKind,
    HGDRequest,
    HGDStatus,
)
from meetings import actions as meeting_actions
from meetings.models import Meeting, MeetingItem, MeetingKind, MeetingStatus
from pupils.models import Pupil


class StaleRegistration(Stale):
    """Someone else saved the care-team registration after the person opened it."""


class StaleCase(Stale):
    """Someone else changed the case after the person opened it."""


# The registration -------------------------------------------------------------------------


def current_registration(pupil: Pupil) -> CareTeamRegistration | None:
    """The pupil's latest registration, unless its case has been closed (then a new one is
    started for a new question)."""
    latest = (
        CareTeamRegistration.objects.filter(pupil=pupil)
        .select_related("case")
        .order_by("-created_at", "-pk")
        .first()
    )
    if latest is None:
        return None
    case = getattr(latest, "case", None)
    if case is not None and case.status == CaseStatus.CLOSED:
        return None
    return latest


def _clean(question: str, parents_involved: str) -> tuple[str, str]:
    question = (question or "").strip()
    if not question:
        raise ValidationError(_("Write down the question for the care team."))
    return question, (parents_involved or "").strip()


@transaction.atomic
def start_care_team_registration(
    *, pupil: Pupil, question: str, parents_involved: str, by
) -> CareTeamRegistration:
    pupil = Pupil.objects.select_for_update().get(pk=pupil.pk)
    if current_registration(pupil) is not None:
        raise ValidationError(_("This pupil already has a registration for the care team."))
    question, parents_involved = _clean(question, parents_involved)
    return CareTeamRegistration.objects.create(
        pupil=pupil, question=question, parents_involved=parents_involved, created_by=by
    )


@transaction.atomic
def save_registration(
    *, registration: CareTeamRegistration, question: str, parents_involved: str, seen_version, by
) -> CareTeamRegistration:
    """Save over the version the person saw, or raise StaleRegistration."""
    current = CareTeamRegistration.objects.select_for_update().get(pk=registration.pk)
    if current.version != seen_version:
        raise StaleRegistration(current)
    question, parents_involved = _clean(question, parents_involved)
    if (current.question, current.parents_involved) == (question, parents_involved):
        return current
    current.question = question
    current.parents_involved = parents_involved
    current.version += 1
    current.save(update_fields=["question", "parents_involved", "version"])
    return current


# The documents for the external members ---------------------------------------------------


def _date(value) -> str:
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return f"{value:%d-%m-%Y}"


def document_choices(pupil: Pupil) -> list[tuple[str, str]]:
    """The pupil's documents that may be selected, as ("kind:id", title), newest first per
    kind: signed-off pupil and care-team meeting items, IHPs, diagnostics with a report, OPPs."""
    found = []
    items = (
        MeetingItem.objects.filter(
            pupil=pupil,
            meeting__school=pupil.school_id,
            meeting__kind__in=[MeetingKind.PUPIL, MeetingKind.CARE_TEAM],
            meeting__status=MeetingStatus.SIGNED_OFF,
        )
        .select_related("meeting")
        .order_by("-meeting__date", "-pk")
    )
    for item in items:
        found.append((f"{DocumentKind.MEETING_ITEM}:{item.pk}", _item_title(item)))
    for ihp in IHP.objects.filter(pupil=pupil).order_by("-created_at", "-pk"):
        found.append((f"{DocumentKind.IHP}:{ihp.pk}", _ihp_title(ihp)))
    hgd = HGDRequest.objects.filter(pupil=pupil, status=HGDStatus.REPORTED).exclude(report="")
    for request in hgd.order_by("-created_at", "-pk"):
        found.append((f"{DocumentKind.HGD_REPORT}:{request.pk}", _hgd_title(request)))
    for opp in OPP.objects.filter(pupil=pupil).order_by("-created_at", "-pk"):
        found.append((f"{DocumentKind.OPP}:{opp.pk}", _opp_title(opp)))
    return found


def _item_title(item: MeetingItem) -> str:
    if item.meeting.kind == MeetingKind.PUPIL:
        return _("Report of the pupil meeting of %(date)s") % {"date": _date(item.meeting.date)}
    return _("Report of the care-team meeting of %(date)s") % {"date": _date(item.meeting.date)}


def _ihp_title(ihp: IHP) -> str:
    return _("Individual plan (IHP) of %(date)s") % {"date": _date(ihp.created_at)}


def _hgd_title(request: HGDRequest) -> str:
    return _("Diagnostics report (%(expert)s) of %(date)s") % {
        "expert": request.expert_name,
        "date": _date(request.report_uploaded_at or request.created_at),
    }


def _opp_title(opp: OPP) -> str:
    return _("Development perspective (OPP) of %(date)s") % {"date": _date(opp.created_at)}


def _document_field(kind: str) -> str:
    return {
        DocumentKind.MEETING_ITEM: "meeting_item",
        DocumentKind.IHP: "ihp",
        DocumentKind.HGD_REPORT: "hgd_request",
        DocumentKind.OPP: "opp",
    }[kind]


def _resolve(pupil: Pupil, kind: str, pk: int):
    """The pupil's own document of `kind`, selectable as it is now, and its title."""
    if kind == DocumentKind.MEETING_ITEM:
        item = (
            MeetingItem.objects.filter(
                pk=pk,
                pupil=pupil,
                meeting__school=pupil.school_id,
                meeting__kind__in=[MeetingKind.PUPIL, MeetingKind.CARE_TEAM],
                meeting__status=MeetingStatus.SIGNED_OFF,
            )
            .select_related("meeting")
            .first()
        )
        return item, item and _item_title(item)
    if kind == DocumentKind.IHP:
        ihp = IHP.objects.filter(pk=pk, pupil=pupil).first()
        return ihp, ihp and _ihp_title(ihp)
    if kind == DocumentKind.HGD_REPORT:
        found = (
            HGDRequest.objects.filter(pk=pk, pupil=pupil, status=HGDStatus.REPORTED)
            .exclude(report="")
            .first()
        )
        return found, found and _hgd_title(found)
    if kind == DocumentKind.OPP:
        opp = OPP.objects.filter(pk=pk, pupil=pupil).first()
        return opp, opp and _opp_title(opp)
    return None, None


def parse_document_key(key: str) -> tuple[str, int] | None:
    kind, _sep, pk = (key or "").partition(":")
    if kind not in DocumentKind.values or not (pk.isascii() and pk.isdigit()) or len(pk) > 12:
        return None
    return kind, int(pk)


def document_key(document: CaseDocument) -> str:
    return f"{document.kind}:{getattr(document, _document_field(document.kind) + '_id')}"


@transaction.atomic
def select_document(*, registration: CareTeamRegistration, kind: str, pk: int, by) -> CaseDocument:
    registration = CareTeamRegistration.objects.select_for_update().get(pk=registration.pk)
    target, title = _resolve(registration.pupil, kind, pk)
    if target is None:
        raise ValidationError(_("This document cannot be selected for this pupil."))
    field = _document_field(kind)
    existing = CaseDocument.objects.filter(
        registration=registration, kind=kind, **{field: target}
    ).first()
    if existing is not None:
        return existing
    return CaseDocument.objects.create(
        registration=registration, kind=kind, title=title[:200], selected_by=by, **{field: target}
    )


@transaction.atomic
def unselect_document(*, document: CaseDocument, by) -> None:
    CareTeamRegistration.objects.select_for_update().get(pk=document.registration_id)
    CaseDocument.objects.filter(pk=document.pk).delete()


@transaction.atomic
def set_selection(*, registration: CareTeamRegistration, keys: list[str], by) -> None:
    """Make the selection exactly `keys` ("kind:id"); unknown keys are refused."""
    wanted = set()
    for key in keys:
        parsed = parse_document_key(key)
        if parsed is None:
            raise ValidationError(_("This document cannot be selected for this pupil."))
        wanted.add(parsed)
    for document in list(CaseDocument.objects.filter(registration=registration)):
        parsed = parse_document_key(document_key(document))
        if parsed not in wanted:
            unselect_document(document=document, by=by)
        else:
            wanted.discard(parsed)
    for kind, pk in sorted(wanted):
        select_document(registration=registration, kind=kind, pk=pk, by=by)


# The case ---------------------------------------------------------------------------------


def _locked_case(case: CareTeamCase) -> CareTeamCase:
    return CareTeamCase.objects.select_for_update(of=("self",)).get(pk=case.pk)


# A care-team meeting whose agenda can still change: not signed off.
OPEN_AGENDA = (MeetingStatus.PLANNED, MeetingStatus.HELD)


def upcoming_care_team_meetings(school):
    """The care-team meetings of the school a pupil can still be put on (or taken off)."""
    return Meeting.objects.filter(
        school=school, kind=MeetingKind.CARE_TEAM, status__in=OPEN_AGENDA
    ).order_by("date", "pk")


def agenda_meetings(case: CareTeamCase):
    """The care-team meetings the case can be put on: not signed off, and on or after the day
    the case was opened (a meeting held before cannot have discussed it)."""
    return upcoming_care_team_meetings(case.pupil.school_id).filter(date__gte=case.opened_on)


@transaction.atomic
def put_on_agenda(*, case: CareTeamCase, meeting: Meeting, by) -> MeetingItem:
    """The case on a care-team meeting's agenda, its item starting from the registration's
    question (formulated with the parents) and naming the documents selected."""
    current = _locked_case(case)
    if current.status != CaseStatus.OPEN:
        raise ValidationError(_("Only an open case can be put on an agenda."))
    pupil = current.pupil
    state = consent_state(pupil, ConsentPurpose.CARE_TEAM, registration=current.registration)
    if not state.stands:
        raise ValidationError(
            [_("The parents' consent for the care team does not stand."), *state.problems]
        )
    if not upcoming_care_team_meetings(pupil.school_id).filter(pk=meeting.pk).exists():
        raise ValidationError(_("Choose a planned care-team meeting of the school."))
    if meeting.date < current.opened_on:
        raise ValidationError(
            _("The case was opened on %(date)s: choose a care-team meeting on or after that day.")
            % {"date": date_format(current.opened_on, "j F Y")}
        )
    titles = list(
        CaseDocument.objects.filter(registration=current.registration)
        .order_by("selected_at", "pk")
        .values_list("title", flat=True)
    )
    return meeting_actions.add_care_team_item(
        meeting=meeting,
        pupil=pupil,
        documents=titles,
        question=current.registration.question,
        by=by,
    )


@transaction.atomic
def take_off_agenda(*, case: CareTeamCase, item: MeetingItem, by) -> None:
    current = _locked_case(case)
    if item.pupil_id != current.pupil_id:
        raise ValidationError(_("This item is not about this pupil."))
    meeting_actions.remove_care_team_item(item=item, by=by)


@transaction.atomic
def set_monitoring(*, case: CareTeamCase, since: datetime.date, by) -> CareTeamCase:
    current = _locked_case(case)
    if current.status != CaseStatus.OPEN:
        raise ValidationError(_("Only an open case can be followed up (monitoring)."))
    if since is None:
        raise ValidationError(_("Give the date the monitoring starts."))
    current.status = CaseStatus.MONITORING
    current.monitoring_since = since
    current.version += 1
    current.save(update_fields=["status", "monitoring_since", "version"])
    return current


def _close(case: CareTeamCase, outcome: str, by) -> CareTeamCase:
    """Close the (locked) case with its outcome; the pupil leaves every care-team agenda not
    yet signed off, and the external members' access ends with it."""
    case.status = CaseStatus.CLOSED
    case.outcome = outcome
    case.closed_at = timezone.now()
    case.version += 1
    case.save(update_fields=["status", "outcome", "closed_at", "version"])
    keep_agendas_to_consented_cases(pupil=case.pupil, by=by)
    return case


@transaction.atomic
def close_case(*, case: CareTeamCase, outcome: str, by) -> CareTeamCase:
    current = _locked_case(case)
    if not current.can_close:
        raise ValidationError(_("A case is closed after the monitoring."))
    outcome = (outcome or "").strip()
    if not outcome:
        raise ValidationError(_("Write down the outcome of the case."))
    return _close(current, outcome, by)


def end_case_on_leaving_the_care_team(*, pupil: Pupil, outcome: str, by) -> CareTeamCase | None:
    """The route leaves level 4 (any move down): the case that is not closed yet closes now,
    with the move's reason as its outcome, whether it was open or being monitored. Called by
    `careroute.route.move` inside its transaction; None when no case was left open."""
    found = CareTeamCase.objects.filter(pupil=pupil).exclude(status=CaseStatus.CLOSED).first()
    if found is None:
        return None
    return _close(_locked_case(found), outcome, by)


# The care-team agendas follow the cases and consent -----------------------------------------


def upcoming_care_team_items(pupil: Pupil):
    """The pupil's places on care-team agendas not yet signed off."""
    return MeetingItem.objects.filter(
        pupil=pupil, meeting__kind=MeetingKind.CARE_TEAM, meeting__status__in=OPEN_AGENDA
    ).select_related("meeting")


def has_consented_case(pupil: Pupil) -> bool:
    """Whether the pupil has a care-team case that is not closed and whose consent stands:
    what a place on a care-team agenda (and the external members' access) needs."""
    return any(
        consent_state(pupil, ConsentPurpose.CARE_TEAM, registration=case.registration).stands
        for case in CareTeamCase.objects.filter(pupil=pupil)
        .exclude(status=CaseStatus.CLOSED)
        .select_related("registration")
    )


def keep_agendas_to_consented_cases(*, pupil: Pupil, by) -> None:
    """Take the pupil off every care-team agenda not yet signed off unless they have a case
    that is not closed with consent standing (consent fell — refused, withdrawn, a new guardian
    with parental authority who has not decided — or the case closed). Signed-off meetings
    keep their items: they are the record of what was discussed."""
    if has_consented_case(pupil):
        return
    for item in upcoming_care_team_items(pupil):
        meeting_actions.remove_care_team_item(item=item, by=by)


def on_guardian_changed(*, pupil: Pupil, by) -> None:
    """Registered in `pupils.actions.GUARDIAN_CHANGED` (see `CarerouteConfig.ready`): a
    guardian added or changed may mean consent no longer stands."""
    keep_agendas_to_consented_cases(pupil=pupil, by=by)
