"""When the parents' consent for a purpose stands.

Consent for a purpose (scoped to what it is for) stands while every guardian with parental
authority has given it — their standing decision for that scope is "given" and has not ended —
and none has refused or withdrawn it. It cannot stand for a pupil with no guardian with
parental authority on record.

A guardian's standing decision is the one made last: the latest decision date (`decided_on`),
on a tie the one recorded later. When it was typed in does not matter otherwise, and a decision
dated after the day asked about does not count yet. `STANDING_ORDER` and `counts_on` say this
once for Python (here) and for the SQL of the access policy (`hgw.access._consented_cases`);
`tests/careroute/test_consent_rule.py` runs both over the same decisions and asserts they agree.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from careroute.models import Consent, ConsentDecision, ConsentPurpose
from pupils.models import Guardian, Pupil


@dataclass
class ConsentState:
    stands: bool
    # What keeps it from standing, in the person's language (empty when it stands).
    problems: list[str] = field(default_factory=list)
    no_guardian: bool = False
    # Each guardian's standing decision (by guardian id), as read for this answer.
    decisions: dict[int, Consent] = field(default_factory=dict)


def _scope(purpose: str, *, registration=None, hgd_request=None, recipient: str = "") -> Q:
    scope = Q(purpose=purpose)
    if purpose == ConsentPurpose.CARE_TEAM:
        scope &= Q(care_team_registration=registration)
    elif purpose == ConsentPurpose.HGD:
        scope &= Q(hgd_request=hgd_request)
    elif purpose == ConsentPurpose.RECIPIENT:
        scope &= Q(recipient=recipient)
    return scope


# A guardian's decisions for one purpose and scope, the standing one first.
STANDING_ORDER = ("-decided_on", "-recorded_at", "-pk")


def counts_on(day: datetime.date) -> Q:
    """The decisions that count on `day`: those made by then."""
    return Q(decided_on__lte=day)


def latest_decisions(
    pupil: Pupil, purpose: str, *, on: datetime.date | None = None, **scope
) -> dict[int, Consent]:
    """Each guardian's standing decision (by guardian id) for the purpose and scope on `on`."""
    found: dict[int, Consent] = {}
    records = (
        Consent.objects.filter(_scope(purpose, **scope), counts_on(on or timezone.localdate()))
        .filter(pupil=pupil)
        .select_related("guardian")
        .order_by("guardian_id", *STANDING_ORDER)
    )
    for record in records:
        found.setdefault(record.guardian_id, record)
    return found


def latest_decision_of(guardian: Guardian, purpose: str, **scope) -> Consent | None:
    """The guardian's latest decision for the purpose and scope, whatever its date: a new
    decision may not be dated before it."""
    return (
        Consent.objects.filter(_scope(purpose, **scope), guardian=guardian)
        .order_by(*STANDING_ORDER)
        .first()
    )


def consent_state(
    pupil: Pupil, purpose: str, *, on: datetime.date | None = None, **scope
) -> ConsentState:
    guardians = list(Guardian.objects.filter(pupil=pupil, has_parental_authority=True))
    decisions = latest_decisions(pupil, purpose, on=on, **scope) if guardians else {}
    return _judge(guardians, decisions, on)


def hgd_consent_states(
    pupil: Pupil, hgd_requests: list, *, on: datetime.date | None = None
) -> dict[int, ConsentState]:
    """`consent_state` for each of the pupil's diagnostics requests (by id), in two queries
    however many requests there are."""
    guardians = list(Guardian.objects.filter(pupil=pupil, has_parental_authority=True))
    decisions: dict[int, dict[int, Consent]] = {request.pk: {} for request in hgd_requests}
    records = (
        Consent.objects.filter(
            counts_on(on or timezone.localdate()),
            pupil=pupil,
            purpose=ConsentPurpose.HGD,
            hgd_request__in=list(decisions),
        )
        .select_related("guardian")
        .order_by("guardian_id", *STANDING_ORDER)
    )
    for record in records:
        decisions[record.hgd_request_id].setdefault(record.guardian_id, record)
    return {pk: _judge(guardians, found, on) for pk, found in decisions.items()}


def _judge(
    guardians: list[Guardian], decisions: dict[int, Consent], on: datetime.date | None
) -> ConsentState:
    """Whether consent stands, given the guardians with parental authority and each one's
    standing decision."""
    if not guardians:
        return ConsentState(
            stands=False,
            problems=[_("No guardian with parental authority is on record.")],
            no_guardian=True,
        )
    day = on or timezone.localdate()
    problems = []
    for guardian in guardians:
        decision = decisions.get(guardian.pk)
        if decision is None:
            problems.append(_("%(name)s has not decided yet.") % {"name": guardian.name})
        elif decision.decision == ConsentDecision.REFUSED:
            problems.append(_("%(name)s refused.") % {"name": guardian.name})
        elif decision.decision == ConsentDecision.WITHDRAWN:
            problems.append(_("%(name)s withdrew their consent.") % {"name": guardian.name})
        elif decision.end_date is not None and decision.end_date < day:
            problems.append(_("The consent of %(name)s has ended.") % {"name": guardian.name})
    return ConsentState(stands=not problems, problems=problems, decisions=decisions)


def consent_stands(pupil: Pupil, purpose: str, **scope) -> bool:
    return consent_state(pupil, purpose, **scope).stands
