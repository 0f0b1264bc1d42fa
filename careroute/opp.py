"""The development perspective (OPP): the expected exit level with its rationale, hindering and
stimulating factors side by side, the support to be given, the parents' agreement to the
support part and the yearly evaluations with the parents. Made and kept by the IB; every save
over the version the person saw (StaleIHP otherwise)."""

import datetime
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from careroute.ihp import StaleIHP, _lock
from careroute.models import IHP, OPP, OPPEvaluation
from meetings.registrations import latest_overview_row
from pupils.models import Pupil

OPP_FIELDS = ["exit_level", "rationale", "hindering", "stimulating", "support"]


def latest_ihp(pupil: Pupil) -> IHP | None:
    return IHP.objects.filter(pupil=pupil).order_by("-created_at", "-pk").first()


def prefill(pupil: Pupil) -> dict:
    """Hindering and stimulating factors from the latest overview row, the support from the
    latest IHP's content."""
    row = latest_overview_row(pupil)
    hindering = [row.hindering] if row and row.hindering else []
    stimulating = [row.stimulating] if row and row.stimulating else []
    support = []
    ihp = latest_ihp(pupil)
    if ihp is not None:
        if ihp.starting_situation:
            hindering.append(
                _("See also the starting situation of the IHP of %(date)s.")
                % {"date": f"{ihp.created_at:%d-%m-%Y}"}
            )
        if ihp.content:
            support.append(_("From the IHP: %(text)s") % {"text": ihp.content})
    return {
        "hindering": "\n".join(hindering),
        "stimulating": "\n".join(stimulating),
        "support": "\n".join(support),
    }


@transaction.atomic
def create_opp(*, pupil: Pupil, by) -> OPP:
    return OPP.objects.create(
        pupil=pupil, created_by=by, exit_level="", rationale="", **prefill(pupil)
    )


@transaction.atomic
def save_opp(*, opp: OPP, values: Mapping, seen_version: int, by) -> OPP:
    current = _lock(OPP, opp.pk)
    if current.version != seen_version:
        raise StaleIHP(current)
    values = {name: (values.get(name) or "").strip() for name in OPP_FIELDS if name in values}
    problems = []
    if "exit_level" in values and not values["exit_level"]:
        problems.append(_("Give the expected exit level."))
    if "rationale" in values and not values["rationale"]:
        problems.append(_("Give the rationale for the exit level."))
    if problems:
        raise ValidationError(problems)
    changed = False
    for name, value in values.items():
        if getattr(current, name) != value:
            setattr(current, name, value)
            changed = True
    if changed:
        current.version += 1
        current.save()
    return current


@transaction.atomic
def record_agreement(*, opp: OPP, on: datetime.date, how: str, seen_version: int, by) -> OPP:
    """The parents agreed to the support part: when and how (a conversation, a signed form)."""
    current = _lock(OPP, opp.pk)
    if current.version != seen_version:
        raise StaleIHP(current)
    if not current.support.strip():
        raise ValidationError(_("Describe the support before recording the parents' agreement."))
    if on > timezone.localdate():
        raise ValidationError(_("The date cannot lie in the future."))
    if not (how or "").strip():
        raise ValidationError(_("Say how the parents agreed."))
    current.parents_agreed_on = on
    current.parents_agreement_note = how.strip()
    current.version += 1
    current.save()
    return current


@transaction.atomic
def add_evaluation(
    *, opp: OPP, on: datetime.date, notes: str, with_parents: bool = True, by
) -> OPPEvaluation:
    """The yearly evaluation with the parents."""
    _lock(OPP, opp.pk)
    if not (notes or "").strip():
        raise ValidationError(_("Write down the evaluation."))
    if on > timezone.localdate():
        raise ValidationError(_("The date cannot lie in the future."))
    return OPPEvaluation.objects.create(
        opp=opp, date=on, with_parents=with_parents, notes=notes.strip(), recorded_by=by
    )
