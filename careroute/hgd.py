"""Writes of diagnostics (HGD, handelingsgerichte diagnostiek).

The IB asks an external expert a question about a pupil (from level 2 of the route on), the
expert's report (a PDF) is uploaded once the parents' consent for this request stands, the IB
writes down the recommendations and the educational needs, translates the needs onto the
pupil's current group-overview row, and shares the recommendations with the pupil's teacher.
Until shared the teacher sees neither the report nor the recommendations (sensitive data).

The report is stored under MEDIA_ROOT through the model's FileField (outside the web root:
there is no MEDIA_URL) and is served only by the access-checked download view.
"""

from collections.abc import Mapping

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from audit.history import Stale
from careroute.consent import consent_state
from careroute.models import ConsentPurpose, HGDRequest, HGDStatus, Level
from careroute.pdf_files import is_pdf, pdf_problem
from careroute.route import current_level
from groupplans import actions as overview_actions
from groupplans.models import OverviewRow
from pupils.models import Pupil

REQUEST_FIELDS = ["question", "expert_name", "expert_discipline"]


class StaleRequest(Stale):
    """Someone else saved the request after the person opened it."""


class NoCurrentRow(ValidationError):
    """The pupil has no group-overview row that can take the needs now."""


def may_request(pupil: Pupil) -> bool:
    """Diagnostics are requested from level 2 (pupil meeting) of the care route on."""
    return current_level(pupil) >= Level.PUPIL_MEETING


def _clean(values: Mapping, allowed: list[str]) -> dict:
    unknown = set(values) - set(allowed)
    if unknown:
        raise ValidationError(_("These fields cannot be saved here."))
    return {name: str(values[name]).strip() for name in allowed if name in values}


def _lock(hgd: HGDRequest) -> HGDRequest:
    return HGDRequest.objects.select_for_update().get(pk=hgd.pk)


def _save_version(current: HGDRequest) -> HGDRequest:
    current.version += 1
    current.save()
    return current


@transaction.atomic
def request_hgd(
    *, pupil: Pupil, question: str, expert_name: str, expert_discipline: str = "", by
) -> HGDRequest:
    """The IB asks for diagnostics; only once the pupil is at level 2 (pupil meeting) or up."""
    if not may_request(pupil):
        raise ValidationError(
            _(
                "Diagnostics can be requested from level 2 of the care route (pupil meeting) "
                "on; this pupil is at level 1."
            )
        )
    values = _clean(
        {"question": question, "expert_name": expert_name, "expert_discipline": expert_discipline},
        REQUEST_FIELDS,
    )
    if not values["question"] or not values["expert_name"]:
        raise ValidationError(_("Give the question and the external expert."))
    return HGDRequest.objects.create(pupil=pupil, created_by=by, **values)


@transaction.atomic
def save_hgd_request(*, request: HGDRequest, values: Mapping, seen_version: int, by) -> HGDRequest:
    """Save the question and the expert over the version the person saw, or raise
    StaleRequest."""
    cleaned = _clean(values, REQUEST_FIELDS)
    if cleaned.get("question") == "" or cleaned.get("expert_name") == "":
        raise ValidationError(_("Give the question and the external expert."))
    current = _lock(request)
    if current.version != seen_version:
        raise StaleRequest(current)
    changed = {k: v for k, v in cleaned.items() if getattr(current, k) != v}
    if not changed:
        return current
    for name, value in changed.items():
        setattr(current, name, value)
    return _save_version(current)


def upload_problems(request: HGDRequest, file) -> list[str]:
    """Why this file cannot be the request's report (empty when it can)."""
    problems = []
    state = consent_state(request.pupil, ConsentPurpose.HGD, hgd_request=request)
    if not state.stands:
        problems.append(_("The parents' consent for this diagnostics request does not stand."))
        problems.extend(state.problems)
    if file is None:
        problems.append(_("Choose the report (a PDF file)."))
        return problems
    limit = settings.HGD_REPORT_MAX_BYTES
    if file.size > limit:
        problems.append(
            _("The file is too large: at most %(mb)s MB.") % {"mb": limit // (1024 * 1024)}
        )
    elif not is_pdf(file):
        problems.append(_("The report must be a PDF file."))
    elif problem := pdf_problem(file):
        problems.append(problem)
    return problems


@transaction.atomic
def upload_report(*, request: HGDRequest, file, by) -> HGDRequest:
    """Store the expert's report (PDF) once the parents' consent for this request stands."""
    current = _lock(request)
    problems = upload_problems(current, file)
    if problems:
        raise ValidationError(problems)
    # The stored name never carries the pupil's name (nor the uploaded file's name). A
    # replaced report stays on disk: the request's history names it (the retention purge
    # removes the files with the pupil's data).
    current.report.save(f"hgd-{current.pk}.pdf", file, save=False)
    current.status = HGDStatus.REPORTED
    current.report_uploaded_at = timezone.now()
    return _save_version(current)


@transaction.atomic
def save_recommendations(
    *, request: HGDRequest, recommendations: str, educational_needs: str, seen_version: int, by
) -> HGDRequest:
    """The IB's account of the report: the recommendations and the educational needs."""
    current = _lock(request)
    if current.version != seen_version:
        raise StaleRequest(current)
    if current.status != HGDStatus.REPORTED:
        raise ValidationError(_("Upload the report first."))
    values = {
        "recommendations": str(recommendations).strip(),
        "educational_needs": str(educational_needs).strip(),
    }
    changed = {k: v for k, v in values.items() if getattr(current, k) != v}
    if not changed:
        return current
    for name, value in changed.items():
        setattr(current, name, value)
    return _save_version(current)


def current_row(pupil: Pupil) -> OverviewRow | None:
    """The pupil's row in the overview of the period running today (any group)."""
    today = timezone.localdate()
    return (
        OverviewRow.objects.filter(
            pupil=pupil,
            overview__period__start_date__lte=today,
            overview__period__end_date__gte=today,
        )
        .select_related("overview")
        .order_by("-overview__period__start_date", "-pk")
        .first()
    )


def needs_text(request: HGDRequest) -> str:
    day = date_format(timezone.localtime(request.report_uploaded_at or request.created_at), "j-n-Y")
    return f"{request.educational_needs} (HGD {day})"


@transaction.atomic
def translate_to_needs(*, request: HGDRequest, by) -> OverviewRow:
    """Append the educational needs, with their source, to the specific educational needs of
    the pupil's current group-overview row (a new version of the row). Without a row that can
    take them the needs stay on the request, and NoCurrentRow says so."""
    current = _lock(request)
    if not current.educational_needs:
        raise ValidationError(_("Write down the educational needs first."))
    row = current_row(current.pupil)
    if row is None:
        raise NoCurrentRow(
            _(
                "This pupil has no group overview for the current period; the educational "
                "needs stay on this request until there is one."
            )
        )
    if row.overview.is_locked:
        raise NoCurrentRow(
            _(
                "The group overview of this period has been discussed and can no longer be "
                "changed; the educational needs stay on this request."
            )
        )
    text = needs_text(current)
    lines = [line for line in row.specific_needs.splitlines() if line.strip()]
    if text in lines:
        raise ValidationError(_("These educational needs are already in the group overview."))
    new = "\n".join([*lines, text])
    return overview_actions.save_row(
        row=row, values={"specific_needs": new}, seen_version=row.version, by=by
    )


@transaction.atomic
def share_recommendations(*, request: HGDRequest, by) -> HGDRequest:
    """The IB shares the recommendations and needs (not the report) with the pupil's teacher."""
    current = _lock(request)
    if current.shared_at is not None:
        raise ValidationError(_("The recommendations have already been shared."))
    if not current.recommendations and not current.educational_needs:
        raise ValidationError(_("Write down the recommendations first."))
    current.shared_by = by
    current.shared_at = timezone.now()
    current.save()
    return current
