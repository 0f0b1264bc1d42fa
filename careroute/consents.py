"""Recording the parents' consent (writes).

A decision is one guardian's, for one purpose and scope, recorded how it was given: on a signed
form (a PDF, uploaded) or in a conversation (a note in the pupil log). A new decision is a new
record; `careroute.consent` reads the standing one per guardian (the latest by decision date).
A decision dated before the guardian's latest one for the same purpose and scope is refused
(it could not change what stands, and would read as if it did), as is one dated in the
future. When consent for a care-team registration falls (refused or withdrawn), the pupil
leaves every care-team agenda not yet signed off at once; the route's level stays (the IB
decides what happens next).
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from careroute import cases
from careroute.consent import latest_decision_of
from careroute.models import (
    CareTeamRegistration,
    Consent,
    ConsentDecision,
    ConsentHow,
    ConsentPurpose,
    HGDRequest,
)
from careroute.pdf_files import is_pdf, pdf_problem
from pupils.models import Guardian, LogKind, Pupil, PupilLogEntry

# A scanned signed form is one or two pages.
MAX_FORM_BYTES = 5 * 1024 * 1024


def check_form_file(upload: UploadedFile | None) -> None:
    """A signed form: a plain PDF document (by its structure, not its name) of at most
    MAX_FORM_BYTES."""
    if upload is None:
        raise ValidationError(_("Upload the signed form (PDF)."), code="required")
    if upload.size is not None and upload.size > MAX_FORM_BYTES:
        raise ValidationError(
            _("The file is too large: at most %(mb)d MB.") % {"mb": MAX_FORM_BYTES // 1024 // 1024},
            code="too_large",
        )
    if not is_pdf(upload):
        raise ValidationError(_("The signed form must be a PDF file."), code="not_pdf")
    if problem := pdf_problem(upload):
        raise ValidationError(problem, code="unsafe_pdf")


def note_conversation(*, pupil: Pupil, date: datetime.date, notes: str, participants: str, by):
    """A note of the conversation with the parents in the pupil log (for a decision taken in
    a conversation)."""
    if not notes.strip():
        raise ValidationError(_("Write down what was said in the conversation."))
    return PupilLogEntry.objects.create(
        pupil=pupil,
        date=date,
        kind=LogKind.PARENTS,
        participants=participants.strip()[:300],
        notes=notes.strip(),
        author=by,
    )


@transaction.atomic
def record_consent(
    *,
    pupil: Pupil,
    guardian: Guardian,
    purpose: str,
    decision: str,
    decided_on: datetime.date,
    how: str,
    by,
    registration: CareTeamRegistration | None = None,
    hgd_request: HGDRequest | None = None,
    recipient: str = "",
    end_date: datetime.date | None = None,
    form: UploadedFile | None = None,
    log_entry: PupilLogEntry | None = None,
) -> Consent:
    """Record one guardian's decision. Raises ValidationError when it cannot be recorded."""
    # The pupil's row is the lock for its consent: two decisions are recorded one by one.
    pupil = Pupil.objects.select_for_update().get(pk=pupil.pk)
    if guardian.pupil_id != pupil.pk:
        raise ValidationError(_("This guardian is not one of this pupil's."))
    if purpose not in ConsentPurpose.values:
        raise ValidationError(_("Choose what the consent is for."))
    if decision not in ConsentDecision.values:
        raise ValidationError(_("Choose the decision."))
    if how not in ConsentHow.values:
        raise ValidationError(_("Choose how the decision was given."))
    if decided_on > timezone.localdate():
        raise ValidationError(_("The date of the decision cannot be in the future."))
    if end_date is not None and end_date < decided_on:
        raise ValidationError(_("The end date comes before the date of the decision."))
    scope: dict = {}
    if purpose == ConsentPurpose.CARE_TEAM:
        if registration is None or registration.pupil_id != pupil.pk:
            raise ValidationError(
                _("Consent for the care team is for a registration of this pupil.")
            )
        scope["care_team_registration"] = registration
    elif purpose == ConsentPurpose.HGD:
        if hgd_request is None or hgd_request.pupil_id != pupil.pk:
            raise ValidationError(_("Consent for diagnostics is for a request of this pupil."))
        scope["hgd_request"] = hgd_request
    elif purpose == ConsentPurpose.RECIPIENT:
        if not recipient.strip():
            raise ValidationError(_("Name the recipient."))
        scope["recipient"] = recipient.strip()[:200]
    _check_not_before_latest(guardian, purpose, decided_on, scope)
    if how == ConsentHow.FORM:
        check_form_file(form)
        log_entry = None
    else:
        form = None
        if log_entry is None or log_entry.pupil_id != pupil.pk:
            raise ValidationError(
                _("A decision in a conversation needs a note of it in the pupil log.")
            )
    consent = Consent(
        pupil=pupil,
        guardian=guardian,
        purpose=purpose,
        decision=decision,
        decided_on=decided_on,
        how=how,
        log_entry=log_entry,
        end_date=end_date,
        recorded_by=by,
        **scope,
    )
    if form is not None:
        # The stored name carries no pupil name: the storage makes it unique.
        consent.form.save("toestemming.pdf", form, save=False)
    try:
        consent.save()
        if purpose == ConsentPurpose.CARE_TEAM:
            cases.keep_agendas_to_consented_cases(pupil=pupil, by=by)
    except BaseException:
        # Nothing is recorded, so no row may name the stored form: it goes too.
        if consent.form:
            consent.form.storage.delete(consent.form.name)
        raise
    return consent


def _check_not_before_latest(guardian: Guardian, purpose: str, decided_on, scope: dict) -> None:
    """A decision dated before the guardian's latest one for this purpose and scope is
    refused, naming that later decision: the latest decision date is what stands."""
    scope_args = {
        "registration": scope.get("care_team_registration"),
        "hgd_request": scope.get("hgd_request"),
        "recipient": scope.get("recipient", ""),
    }
    later = latest_decision_of(guardian, purpose, **scope_args)
    if later is None or decided_on >= later.decided_on:
        return
    raise ValidationError(
        _(
            "%(name)s already decided later: %(decision)s on %(date)s (recorded on "
            "%(recorded)s). A decision dated %(this)s cannot come after it; record only a "
            "decision taken on or after %(date)s."
        )
        % {
            "name": guardian.name,
            "decision": later.get_decision_display(),
            "date": date_format(later.decided_on, "j F Y"),
            "recorded": date_format(timezone.localtime(later.recorded_at).date(), "j F Y"),
            "this": date_format(decided_on, "j F Y"),
        },
        code="before_latest",
    )
