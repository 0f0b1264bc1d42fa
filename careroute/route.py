"""The 1-zorgroute's transition table and the one way to move a pupil along it.

Read it as the route table in domain.md ("entered when"). Every move locks the pupil's route
row (made with the first move; unique per pupil), checks the table and the move's guard, and
writes an append-only RouteEvent with the evidence as it was. Evidence counts only when it is
newer than the pupil's latest entry into the level below the move's target (for a move up),
so a pupil who went back down climbs again on fresh evidence. Newer is a moment (a
timestamp), not a day; an entry into level 2 by the registration step counts from the moment
the registration was submitted. Submitting a registration takes the step to level 2 itself
(careroute/registration_step.py).

INTERFACE (used by the rest of careroute; filled in by the route slice):
- `current_level(pupil) -> int`: 1 without a route row.
- `MOVES`: {name: Move(name, label, from_levels, to_level | None for a side step, roles)}.
- `check(pupil, move_name, *, actor_user, today=None) -> list[str]`: what is missing (in the
  person's language); [] when the move is allowed now.
- `move(*, pupil, move_name, by, reason="", today=None) -> RouteEvent`: raises
  `MoveRefused(missing)` when `check` finds anything missing.
- "other_down" alone takes `to_level` (the chosen lower level) in `check` and `move`.

Moves: "register_pupil_meeting" (1 -> 2), "start_ihp" (2 -> 3), "to_care_team" (3 -> 4,
opens the CareTeamCase), "goal_reached" (2/3/4 -> 1), "case_closed" (4 -> 1), "other_down"
(any -> lower, reason required), side steps without a level change: "hgd" (from 2, with
consent for the HGD request), "zat" (from 4, with consent). Level 5 (referral) is in the
table but has no move into it yet (a later issue: care-team discussion, an OPP, consent to
the referral).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role
from careroute import cases
from careroute.consent import consent_state
from careroute.models import (
    IHP,
    OPP,
    CareRoute,
    CareTeamCase,
    CareTeamRegistration,
    CaseDocument,
    CaseStatus,
    ConsentPurpose,
    HGDRequest,
    IHPOutcome,
    IHPStatus,
    Level,
    RouteEvent,
    ZATHandover,
)
from meetings.models import ItemOutcome, MeetingItem, MeetingKind, MeetingStatus, Registration
from pupils.models import Pupil

# `Move.to_level` of "other_down": a lower level, chosen when the move is made.
LOWER = 0

IB = frozenset({Role.CARE_COORDINATOR})
# "teacher" means the pupil's own teacher (who may see their learning data as teacher).
TEACHER_OR_IB = frozenset({Role.TEACHER, Role.CARE_COORDINATOR})


@dataclass(frozen=True)
class Move:
    name: str
    label: Promise
    from_levels: tuple[int, ...]
    to_level: int | None  # None: a side step (the level stays); LOWER: chosen
    roles: frozenset[str]
    # What the move needs, as in domain.md's route table ("entered when").
    needs: Promise
    reason_required: bool = False

    @property
    def is_side_step(self) -> bool:
        return self.to_level is None


_L = Level
MOVES: dict[str, Move] = {
    move.name: move
    for move in [
        Move(
            "register_pupil_meeting",
            gettext_lazy("Register for a pupil meeting"),
            (_L.GROUP,),
            _L.PUPIL_MEETING,
            TEACHER_OR_IB,
            gettext_lazy(
                "a submitted registration for a pupil meeting with the question for help "
                "(submitting it takes this step)"
            ),
        ),
        Move(
            "start_ihp",
            gettext_lazy("Start the IHP"),
            (_L.PUPIL_MEETING,),
            _L.IHP,
            IB,
            gettext_lazy(
                "a signed-off pupil meeting that concluded an IHP is needed, and a started IHP"
            ),
        ),
        Move(
            "to_care_team",
            gettext_lazy("To the care team"),
            (_L.IHP,),
            _L.CARE_TEAM,
            IB,
            gettext_lazy(
                "an IHP evaluated with too little result, the question for the care team "
                "formulated with the parents, the parents' consent and the documents selected "
                "(and an OPP the parents agreed to, when the school asks for one)"
            ),
        ),
        # Level 5 (referral) has no move into it yet: it will need the care team's discussion
        # of the case, an OPP and the parents' consent to the referral (the referral dossier).
        Move(
            "goal_reached",
            gettext_lazy("Goal reached: back to the group plan"),
            (_L.PUPIL_MEETING, _L.IHP),
            _L.GROUP,
            IB,
            gettext_lazy("a reason; from the IHP an evaluation concluding the pupil rejoins"),
            reason_required=True,
        ),
        Move(
            "case_closed",
            gettext_lazy("Close the case"),
            (_L.CARE_TEAM,),
            _L.GROUP,
            IB,
            gettext_lazy("the care-team case closed with its outcome"),
        ),
        Move(
            "other_down",
            gettext_lazy("Back to a lower level"),
            (_L.PUPIL_MEETING, _L.IHP, _L.CARE_TEAM, _L.REFERRAL),
            LOWER,
            IB,
            gettext_lazy("a reason"),
            reason_required=True,
        ),
        Move(
            "hgd",
            gettext_lazy("Start diagnostics (HGD)"),
            (_L.PUPIL_MEETING, _L.IHP, _L.CARE_TEAM, _L.REFERRAL),
            None,
            IB,
            gettext_lazy("a diagnostics request with the parents' consent"),
        ),
        Move(
            "zat",
            gettext_lazy("Hand over to the ZAT"),
            (_L.CARE_TEAM,),
            None,
            IB,
            gettext_lazy("an open care-team case, the parents' consent and a reason"),
            reason_required=True,
        ),
    ]
}


class MoveRefused(Exception):
    """The move is not allowed now; `missing` says why, in the person's language."""

    def __init__(self, missing: list[str]):
        super().__init__("; ".join(missing))
        self.missing = missing


def current_level(pupil: Pupil) -> int:
    level = CareRoute.objects.filter(pupil=pupil).values_list("level", flat=True).first()
    return level or Level.GROUP


# Evidence ----------------------------------------------------------------------------------


@dataclass
class _Found:
    """What a guard found: what is missing, and what the move relies on."""

    missing: list[str] = field(default_factory=list)
    evidence: list[dict] = field(default_factory=list)
    objects: dict = field(default_factory=dict)


def _day(moment: datetime.datetime | datetime.date) -> str:
    if isinstance(moment, datetime.datetime):
        moment = timezone.localtime(moment).date()
    return date_format(moment, "j F Y")


def _moment(moment: datetime.datetime) -> str:
    """The moment as the person reads it: "7 december 2026 om 10:42". The evidence windows
    compare moments, so what they name is a moment too, not only its day."""
    moment = timezone.localtime(moment)
    return _("%(date)s at %(time)s") % {
        "date": date_format(moment.date(), "j F Y"),
        "time": time_format(moment.time(), "H:i"),
    }


def _snapshot(kind: str, obj, label: str, at) -> dict:
    found = {"kind": kind, "id": obj.pk, "label": label, "at": at.isoformat() if at else None}
    if hasattr(obj, "version"):
        found["version"] = obj.version
    return found


def _latest_entry(pupil: Pupil, level: int) -> RouteEvent | None:
    """The move by which the pupil last entered `level`. Side steps leave the level as it
    is, so they are no entry."""
    return (
        RouteEvent.objects.filter(pupil=pupil, to_level=level)
        .exclude(from_level=level)
        .order_by("-at", "-pk")
        .first()
    )


def entered_at(pupil: Pupil, level: int) -> datetime.datetime | None:
    """When the pupil last entered `level` (None: never; then all evidence counts)."""
    event = _latest_entry(pupil, level)
    return event.at if event else None


def _evidence_since(pupil: Pupil, level: int) -> datetime.datetime | None:
    """From when evidence for a move up out of `level` counts: the pupil's latest entry into
    `level`, or, when that entry was the registration step, the moment the registration was
    submitted (a pupil meeting signed off after the registration, before the step was taken,
    counts). Compared as moments, never as days."""
    event = _latest_entry(pupil, level)
    if event is None:
        return None
    if event.move == "register_pupil_meeting":
        submitted = [
            datetime.datetime.fromisoformat(piece["at"])
            for piece in event.evidence
            if piece.get("kind") == "registration" and piece.get("at")
        ]
        return min([event.at, *submitted])
    return event.at


def _after(field_name: str, since: datetime.datetime | None) -> dict:
    return {} if since is None else {f"{field_name}__gt": since}


def _missing(without: str, with_date: str, since: datetime.datetime | None) -> str:
    if since is None:
        return without
    return with_date % {"date": _moment(since)}


def _registration_evidence(pupil: Pupil, found: _Found) -> None:
    since = entered_at(pupil, Level.GROUP)
    registration = (
        Registration.objects.filter(pupil=pupil, submitted_at__isnull=False)
        .filter(**_after("submitted_at", since))
        .exclude(question="")
        .order_by("-submitted_at", "-pk")
        .first()
    )
    if registration is None or not registration.question.strip():
        found.missing.append(
            _missing(
                _("There is no submitted registration for a pupil meeting."),
                _("There is no submitted registration for a pupil meeting after %(date)s."),
                since,
            )
        )
        return
    found.evidence.append(
        _snapshot(
            "registration",
            registration,
            _("Registration for a pupil meeting, submitted on %(date)s")
            % {"date": _moment(registration.submitted_at)},
            registration.submitted_at,
        )
    )


def _start_ihp_evidence(pupil: Pupil, found: _Found) -> None:
    since = _evidence_since(pupil, Level.PUPIL_MEETING)
    item = (
        MeetingItem.objects.filter(
            pupil=pupil,
            outcome=ItemOutcome.IHP_NEEDED,
            meeting__kind=MeetingKind.PUPIL,
            meeting__status=MeetingStatus.SIGNED_OFF,
            meeting__school_id=pupil.school_id,
        )
        .filter(**_after("meeting__signed_off_at", since))
        .select_related("meeting")
        .order_by("-meeting__signed_off_at", "-pk")
        .first()
    )
    if item is None:
        found.missing.append(
            _missing(
                _("No signed-off pupil meeting concluded that an individual plan is needed."),
                _(
                    "No pupil meeting signed off after %(date)s concluded that an individual "
                    "plan is needed."
                ),
                since,
            )
        )
    else:
        found.evidence.append(
            _snapshot(
                "meeting_item",
                item,
                _("Pupil meeting of %(date)s: an individual plan (IHP) is needed")
                % {"date": _day(item.meeting.date)},
                item.meeting.signed_off_at,
            )
        )
    ihp = (
        IHP.objects.filter(pupil=pupil, status=IHPStatus.ACTIVE)
        .filter(**_after("started_at", since))
        .order_by("-started_at", "-pk")
        .first()
    )
    if ihp is None:
        found.missing.append(
            _missing(
                _("No individual plan (IHP) has been started."),
                _("No individual plan (IHP) has been started after %(date)s."),
                since,
            )
        )
    else:
        found.evidence.append(
            _snapshot(
                "ihp",
                ihp,
                _("Individual plan (IHP) started on %(date)s") % {"date": _day(ihp.started_at)},
                ihp.started_at,
            )
        )


def _consent_evidence(pupil, purpose, found: _Found, today, **scope) -> None:
    state = consent_state(pupil, purpose, on=today, **scope)
    if not state.stands:
        found.missing.extend(state.problems)
        return
    for decision in state.decisions.values():
        found.evidence.append(
            _snapshot(
                "consent",
                decision,
                _("Consent of %(name)s (%(purpose)s), given on %(date)s")
                % {
                    "name": decision.guardian.name,
                    "purpose": decision.get_purpose_display(),
                    "date": _day(decision.decided_on),
                },
                decision.recorded_at,
            )
        )


def _care_team_evidence(pupil: Pupil, found: _Found, today) -> None:
    since = entered_at(pupil, Level.IHP)
    ihp = (
        IHP.objects.filter(pupil=pupil, status=IHPStatus.EVALUATED, result_sufficient=False)
        .filter(**_after("evaluated_at", since))
        .order_by("-evaluated_at", "-pk")
        .first()
    )
    if ihp is None:
        found.missing.append(
            _missing(
                _("No individual plan (IHP) has been evaluated with too little result."),
                _(
                    "No individual plan (IHP) has been evaluated with too little result after "
                    "%(date)s."
                ),
                since,
            )
        )
    else:
        found.evidence.append(
            _snapshot(
                "ihp",
                ihp,
                _("Individual plan (IHP) evaluated on %(date)s: too little result")
                % {"date": _day(ihp.evaluated_at)},
                ihp.evaluated_at,
            )
        )
    registration = (
        CareTeamRegistration.objects.filter(pupil=pupil)
        .filter(**_after("created_at", since))
        .exclude(question="")
        .order_by("-created_at", "-pk")
        .first()
    )
    if registration is None or not registration.question.strip():
        found.missing.append(
            _missing(
                _("There is no registration for the care team with a question."),
                _("There is no registration for the care team with a question after %(date)s."),
                since,
            )
        )
        # Consent and the documents belong to a registration: without one, both are missing.
        found.missing.append(_("The parents have not consented to discussion by the care team."))
        found.missing.append(_("No documents have been selected for the care team."))
    else:
        _registration_pieces(pupil, registration, found, today)
    if pupil.school.opp_required_for_care_team:
        _opp_evidence(pupil, found)


def _registration_pieces(pupil: Pupil, registration, found: _Found, today) -> None:
    """What the care-team registration brings: the case not opened yet, the parents'
    consent for it, and the documents selected for the external members."""
    found.objects["registration"] = registration
    found.evidence.append(
        _snapshot(
            "care_team_registration",
            registration,
            _("Registration for the care team of %(date)s")
            % {"date": _day(registration.created_at)},
            registration.created_at,
        )
    )
    if CareTeamCase.objects.filter(registration=registration).exists():
        found.missing.append(_("This registration already has a care-team case."))
    elif CareTeamCase.objects.filter(pupil=pupil).exclude(status=CaseStatus.CLOSED).exists():
        found.missing.append(_("The pupil already has a care-team case that is not closed."))
    _consent_evidence(pupil, ConsentPurpose.CARE_TEAM, found, today, registration=registration)
    documents = list(CaseDocument.objects.filter(registration=registration).order_by("pk"))
    if not documents:
        found.missing.append(_("No documents have been selected for the care team."))
    for document in documents:
        found.evidence.append(
            _snapshot("case_document", document, document.title, document.selected_at)
        )


def _opp_evidence(pupil: Pupil, found: _Found) -> None:
    """The school's choice: an OPP whose support part the parents agreed to (the latest OPP;
    it runs for years, so it need not be newer than the last entry into level 3)."""
    opp = OPP.objects.filter(pupil=pupil).order_by("-created_at", "-pk").first()
    if opp is None:
        found.missing.append(_("The school needs an OPP before the care team; there is none."))
    elif opp.parents_agreed_on is None:
        found.missing.append(_("The parents have not agreed to the support part of the OPP."))
    else:
        found.evidence.append(
            _snapshot(
                "opp",
                opp,
                _("OPP; the parents agreed to its support on %(date)s")
                % {"date": _day(opp.parents_agreed_on)},
                opp.created_at,
            )
        )


def _latest_case(pupil: Pupil) -> CareTeamCase | None:
    return CareTeamCase.objects.filter(pupil=pupil).order_by("-opened_at", "-pk").first()


def _case_closed_evidence(pupil: Pupil, found: _Found) -> None:
    since = entered_at(pupil, Level.CARE_TEAM)
    case = _latest_case(pupil)
    closed = (
        case is not None
        and case.status == CaseStatus.CLOSED
        and case.closed_at is not None
        and (since is None or case.closed_at > since)
    )
    if not closed:
        found.missing.append(_("The care-team case has not been closed."))
        return
    if not case.outcome.strip():
        found.missing.append(_("The outcome of the closed care-team case is not recorded."))
        return
    found.evidence.append(
        _snapshot(
            "care_team_case",
            case,
            _("Care-team case closed on %(date)s") % {"date": _day(case.closed_at)},
            case.closed_at,
        )
    )


def _rejoin_evidence(pupil: Pupil, found: _Found) -> None:
    since = entered_at(pupil, Level.IHP)
    ihp = (
        IHP.objects.filter(pupil=pupil, status=IHPStatus.EVALUATED, outcome=IHPOutcome.REJOIN)
        .filter(**_after("evaluated_at", since))
        .order_by("-evaluated_at", "-pk")
        .first()
    )
    if ihp is None:
        found.missing.append(
            _("No evaluation of the individual plan (IHP) concluded that the pupil rejoins.")
        )
        return
    found.evidence.append(
        _snapshot(
            "ihp",
            ihp,
            _("Individual plan (IHP) evaluated on %(date)s: the pupil rejoins")
            % {"date": _day(ihp.evaluated_at)},
            ihp.evaluated_at,
        )
    )


def _hgd_evidence(pupil: Pupil, found: _Found, today) -> None:
    # A request is one side step: those already on the route are no new evidence.
    used = {
        piece.get("id")
        for evidence in RouteEvent.objects.filter(pupil=pupil, move="hgd").values_list(
            "evidence", flat=True
        )
        for piece in evidence
        if piece.get("kind") == "hgd_request"
    }
    requests = [
        request
        for request in HGDRequest.objects.filter(pupil=pupil).order_by("-created_at", "-pk")
        if request.pk not in used
    ]
    if not requests:
        found.missing.append(_("There is no diagnostics (HGD) request."))
        return
    for request in requests:
        if consent_state(pupil, ConsentPurpose.HGD, on=today, hgd_request=request).stands:
            found.evidence.append(
                _snapshot(
                    "hgd_request",
                    request,
                    _("Diagnostics (HGD) request of %(date)s") % {"date": _day(request.created_at)},
                    request.created_at,
                )
            )
            _consent_evidence(pupil, ConsentPurpose.HGD, found, today, hgd_request=request)
            return
    # None has consent: say what keeps the latest from it.
    _consent_evidence(pupil, ConsentPurpose.HGD, found, today, hgd_request=requests[0])


def _case_opened(case: CareTeamCase) -> dict:
    return _snapshot(
        "care_team_case",
        case,
        _("Care-team case opened on %(date)s") % {"date": _day(case.opened_at)},
        case.opened_at,
    )


def _zat_evidence(pupil: Pupil, found: _Found, today) -> None:
    case = CareTeamCase.objects.filter(pupil=pupil).exclude(status=CaseStatus.CLOSED).first()
    if case is None:
        found.missing.append(_("The pupil has no open care-team case."))
    else:
        found.objects["case"] = case
        found.evidence.append(_case_opened(case))
    _consent_evidence(pupil, ConsentPurpose.ZAT, found, today)


# Checking and moving -----------------------------------------------------------------------


def _target(move: Move, level: int, to_level: int | None) -> int:
    if move.is_side_step:
        return level
    if move.to_level == LOWER:
        return to_level if to_level is not None else Level.GROUP
    return move.to_level


def _examine(
    pupil: Pupil,
    move: Move,
    *,
    level: int,
    actor_user,
    today: datetime.date,
    reason: str | None,
    to_level: int | None,
) -> _Found:
    from hgw import access  # the policy reads every app; imported late to keep it one-way

    found = _Found()
    actor = access.Actor(
        user=actor_user,
        school=pupil.school,
        roles=access.roles_at(actor_user, pupil.school, today),
        today=today,
    )
    if not access.can_move(actor, pupil, move):
        found.missing.append(_("You may not make this move for this pupil."))
        return found
    if move.name == "goal_reached" and level == Level.CARE_TEAM:
        found.missing.append(
            _("From the care team the pupil goes back when the case is closed (case closed).")
        )
        return found
    if level not in move.from_levels:
        found.missing.append(
            _("The pupil is at level %(level)s (%(name)s); this move starts from %(from)s.")
            % {
                "level": level,
                "name": Level(level).label,
                "from": ", ".join(f"{_('level')} {n} ({Level(n).label})" for n in move.from_levels),
            }
        )
        return found
    if move.to_level == LOWER and to_level is not None and not (Level.GROUP <= to_level < level):
        found.missing.append(_("Choose a level lower than the current one."))
    if move.reason_required and reason is not None and not reason.strip():
        found.missing.append(_("Give the reason."))
    guard = _GUARDS.get(move.name)
    if guard is not None:
        guard(pupil, found, level=level, today=today)
    return found


_GUARDS: dict[str, Callable] = {
    "register_pupil_meeting": lambda pupil, found, **_: _registration_evidence(pupil, found),
    "start_ihp": lambda pupil, found, **_: _start_ihp_evidence(pupil, found),
    "to_care_team": lambda pupil, found, today, **_: _care_team_evidence(pupil, found, today),
    "goal_reached": lambda pupil, found, level, **_: (
        _rejoin_evidence(pupil, found) if level == Level.IHP else None
    ),
    "case_closed": lambda pupil, found, **_: _case_closed_evidence(pupil, found),
    "hgd": lambda pupil, found, today, **_: _hgd_evidence(pupil, found, today),
    "zat": lambda pupil, found, today, **_: _zat_evidence(pupil, found, today),
}


def _move_or_refuse(move_name: str) -> Move:
    try:
        return MOVES[move_name]
    except KeyError:
        raise MoveRefused([_("This move does not exist.")]) from None


def check(
    pupil: Pupil,
    move_name: str,
    *,
    actor_user,
    today: datetime.date | None = None,
    reason: str | None = None,
    to_level: int | None = None,
) -> list[str]:
    """What is missing for `actor_user` to make the move now ([] when allowed). A reason is
    checked only when given (None: not asked yet)."""
    try:
        move = _move_or_refuse(move_name)
    except MoveRefused as refused:
        return refused.missing
    return _examine(
        pupil,
        move,
        level=current_level(pupil),
        actor_user=actor_user,
        today=today or timezone.localdate(),
        reason=reason,
        to_level=to_level,
    ).missing


def _locked_route(pupil: Pupil) -> CareRoute:
    """The pupil's route row, locked; made (at level 1) when this is the first move. Two
    first moves at once: one insert wins, the other finds and locks its row."""
    routes = CareRoute.objects.select_for_update(of=("self",))
    found = routes.filter(pupil=pupil).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return CareRoute.objects.create(pupil=pupil, school_id=pupil.school_id)
    except IntegrityError:
        return routes.get(pupil=pupil)


@transaction.atomic
def move(
    *,
    pupil: Pupil,
    move_name: str,
    by,
    reason: str = "",
    today: datetime.date | None = None,
    to_level: int | None = None,
) -> RouteEvent:
    """Make the move, or raise MoveRefused with everything missing. The one way a level
    changes: locks the route, checks again under the lock, writes the event with the
    evidence as it is now."""
    chosen = _move_or_refuse(move_name)
    if chosen.to_level != LOWER:
        to_level = None
    elif to_level is None:
        raise MoveRefused([_("Choose a level lower than the current one.")])
    reason = (reason or "").strip()
    route = _locked_route(pupil)
    found = _examine(
        pupil,
        chosen,
        level=route.level,
        actor_user=by,
        today=today or timezone.localdate(),
        reason=reason,
        to_level=to_level,
    )
    if found.missing:
        raise MoveRefused(found.missing)
    from_level = route.level
    target = _target(chosen, from_level, to_level)
    if chosen.name == "to_care_team":
        case = CareTeamCase.objects.create(
            pupil=pupil, registration=found.objects["registration"], status=CaseStatus.OPEN
        )
        found.evidence.append(_case_opened(case))
    elif chosen.name == "zat":
        handover = ZATHandover.objects.create(
            pupil=pupil, case=found.objects["case"], reason=reason, created_by=by
        )
        found.evidence.append(
            _snapshot(
                "zat_handover",
                handover,
                _("Handover to the ZAT of %(date)s") % {"date": _day(handover.created_at)},
                handover.created_at,
            )
        )
    if from_level == Level.CARE_TEAM and target < Level.CARE_TEAM:
        # Leaving the care team ends its case in this transaction (off the agendas, no more
        # access for the external members); "case_closed" finds it closed already.
        ended = cases.end_case_on_leaving_the_care_team(
            pupil=pupil, outcome=reason or str(chosen.label), by=by
        )
        if ended is not None:
            found.evidence.append(
                _snapshot(
                    "care_team_case",
                    ended,
                    _("Care-team case closed on %(date)s") % {"date": _day(ended.closed_at)},
                    ended.closed_at,
                )
            )
    route.level = target
    route.version += 1
    route.save()
    return RouteEvent.objects.create(
        route=route,
        pupil=pupil,
        move=chosen.name,
        from_level=from_level,
        to_level=target,
        reason=reason,
        evidence=found.evidence,
        by=by,
    )
