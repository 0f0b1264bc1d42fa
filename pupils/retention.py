"""Retention (AVG): which pupils' data has been kept long enough, and erasing it.

A pupil's data is kept for `RETENTION_YEARS_AFTER_LEAVING` whole years after the day they
left. hgw never erases on its own: the scheduled task `pupils.tasks.list_expired_pupils` only
tells each school's IB how many pupils are due (no names), and the IB confirms the erasure on
the retention page or an operator runs `manage.py purge_expired --confirm`.

The erasure removes the pupil and every row that refers to them, in any app, found through
the models' relations (so later apps' data goes too, without this module knowing them), the
rows a later app says belong to those alone (`erase_also`: an individual offer in a group plan),
their revision history, and their lines in the access log, and leaves a tombstone
(`audit.Erasure`) without names or ids. It writes no revisions and runs through the one
privileged path the database allows (`audit.protection.erasure`).
"""

import datetime
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Membership, Role
from audit.history import history_off
from audit.models import AccessLogEntry, AccessLogPupil, Erasure
from audit.protection import erasure, is_history_model
from pupils.models import Pupil
from schools.models import School

# How many pupils one erasure handles at a time (one transaction each).
BATCH_SIZE = 200

REASON_RETENTION = gettext_lazy("retention period passed")


class PurgeRefused(Exception):
    """Erasing these pupils is not allowed (still at school, period not over, other school)."""


@dataclass(frozen=True)
class RetentionRule:
    years: int
    after: str  # what the period runs from: "leaving" (later: "referral")


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def retention_rule(pupil: Pupil) -> RetentionRule:
    """The period that applies to this pupil.

    Only the leaving rule is active now. When the care route lands, a pupil with a referral
    (their dossier sent to the samenwerkingsverband) keeps their data for
    `settings.RETENTION_YEARS_AFTER_REFERRAL` years after the referral; the period that
    ends last applies. Then `retention_ends` and `expired_pupils` take the referral date into
    account as well.
    """
    return RetentionRule(years=settings.RETENTION_YEARS_AFTER_LEAVING, after="leaving")


def retention_ends(pupil: Pupil) -> datetime.date | None:
    """The first day the pupil's data may be erased; None while they are at school."""
    if pupil.date_out is None:
        return None
    return add_years(pupil.date_out, retention_rule(pupil).years)


def expired_pupils(school: School, on: datetime.date | None = None) -> models.QuerySet[Pupil]:
    """The school's pupils whose retention period has passed on `on` (today)."""
    day = on or timezone.localdate()
    # The leaving rule in SQL: left on or before this day, `years` years ago.
    # (Referral, when it comes, excludes the referred pupils whose later period runs on.)
    cutoff = add_years(day, -settings.RETENTION_YEARS_AFTER_LEAVING)
    return Pupil.objects.for_school(school).filter(date_out__isnull=False, date_out__lte=cutoff)


def _is_expired(pupil: Pupil, day: datetime.date) -> bool:
    ends = retention_ends(pupil)
    return ends is not None and ends <= day


def notify_expired(on: datetime.date | None = None) -> dict[str, int]:
    """E-mail each school's IB how many pupils' retention period has passed; no pupil data
    in the e-mail. Returns the count per school (BRIN) for the schools that have any."""
    counts = {}
    link = settings.SITE_URL.rstrip("/") + reverse("pupils:retention")
    for school in School.objects.order_by("pk"):
        count = expired_pupils(school, on).count()
        if not count:
            continue
        counts[f"{school.brin}{school.dependance_code}"] = count
        coordinators = (
            Membership.objects.active(on)
            .at_school(school)
            .filter(role=Role.CARE_COORDINATOR, user__is_active=True)
            .select_related("user")
        )
        context = {"school": school, "count": count, "link": link}
        with translation.override(settings.LANGUAGE_CODE):
            subject = render_to_string("pupils/email/retention_subject.txt", context).strip()
            body = render_to_string("pupils/email/retention.txt", context)
        for email in sorted({m.user.email for m in coordinators}):
            send_mail(subject, body, None, [email])
    return counts


# Erasure ------------------------------------------------------------------------------------

# A row that refers to a pupil's data this way belongs to it and is erased with it. Relations
# declared SET_NULL or SET_DEFAULT keep their row (Django clears the reference).
_OWNED = (models.PROTECT, models.RESTRICT, models.CASCADE)


def _history_model(model):
    attribute = getattr(model._meta, "simple_history_manager_attribute", None)
    return getattr(model, attribute).model if attribute else None


# The rows that refer to no pupil but hold text about one pupil only (an individual offer in
# a group plan): the app that keeps them registers a finder with `erase_also`. A finder gets
# what the erasure removes so far ({model: ids}, revisions included) and returns the further
# (model, ids) that belong to those rows alone.
ErasureFinder = Callable[
    [Mapping[type[models.Model], set[int]]], Iterable[tuple[type[models.Model], set[int]]]
]
_finders: list[ErasureFinder] = []


def erase_also(finder: ErasureFinder) -> ErasureFinder:
    """Register `finder` (from an app's `ready()`; registering twice has no effect)."""
    if finder not in _finders:
        _finders.append(finder)
    return finder


def erasure_plan(pupil_ids: Iterable[int]) -> list[tuple[type[models.Model], set[int]]]:
    """What erasing these pupils removes: (model, ids) with every row before what it refers to.

    Walks the relations to `Pupil` (and on from each model found), in the live tables and
    in the revision history, so rows deleted earlier whose history still names the pupil are
    found too; then asks the registered finders (`erase_also`) for the rows above those that
    belong to them alone.
    """
    seen: dict[type[models.Model], set[int]] = {Pupil: set(pupil_ids)}
    plan = _dependants(Pupil, seen[Pupil], seen)
    for finder in _finders:
        for model, found in list(finder(seen)):
            ids = set(found) - seen.setdefault(model, set())
            if ids:
                seen[model] |= ids
                plan += _dependants(model, ids, seen)
                plan.append((model, ids))
    plan.append((Pupil, seen[Pupil]))
    return plan


def _dependants(model, ids: set[int], seen: dict) -> list:
    plan = []
    for relation in model._meta.related_objects:
        child = relation.related_model
        if relation.many_to_many or is_history_model(child) or relation.on_delete not in _OWNED:
            continue
        field = relation.field
        child_ids = set(
            child._base_manager.filter(**{f"{field.name}__in": ids}).values_list("pk", flat=True)
        )
        history = _history_model(child)
        if history is not None:
            child_ids |= set(
                history._base_manager.filter(**{f"{field.attname}__in": ids}).values_list(
                    child._meta.pk.attname, flat=True
                )
            )
        child_ids -= seen.setdefault(child, set())
        if child_ids:
            seen[child] |= child_ids
            plan += _dependants(child, child_ids, seen)
            plan.append((child, child_ids))
    return plan


def _stored_files(plan) -> list[tuple[object, str]]:
    """The uploaded files (a signed consent form, a diagnostics report) of the rows the
    erasure removes, and of their revisions (a replaced file the history still names)."""
    found = []
    for model, ids in plan:
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        if not names:
            continue
        sources = [model._base_manager.filter(pk__in=ids)]
        history = _history_model(model)
        if history is not None:
            sources.append(history._base_manager.filter(**{f"{model._meta.pk.attname}__in": ids}))
        for rows in sources:
            for name in names:
                storage = model._meta.get_field(name).storage
                for path in rows.exclude(**{name: ""}).values_list(name, flat=True):
                    found.append((storage, path))
    return found


def _delete_files(files) -> None:
    for storage, path in set(files):
        storage.delete(path)


_ID_SEGMENT = re.compile(r"/(\d+)(?=/|$)")


def _scrub_paths(pupil_ids: set[int]) -> None:
    """Take the erased pupils' ids out of the paths of the access-log entries that showed
    them (/leerlingen/123/ becomes /leerlingen/-/)."""
    if not pupil_ids:
        return

    def scrub(match: re.Match) -> str:
        return "/-" if int(match.group(1)) in pupil_ids else match.group(0)

    entries = AccessLogEntry.objects.filter(pupils__pupil_id__in=pupil_ids).distinct()
    for entry in entries.only("pk", "path"):
        scrubbed = _ID_SEGMENT.sub(scrub, entry.path)
        if scrubbed != entry.path:
            entry.path = scrubbed
            entry.save(update_fields=["path"])


def purge_pupils(
    *,
    school: School,
    pupil_ids: Iterable[int],
    by=None,
    reason: str = "",
    on: datetime.date | None = None,
) -> Erasure:
    """Erase these pupils of `school` whose retention period has passed, with everything that
    refers to them, and leave a tombstone. All or nothing: one pupil who may not be erased
    (still at school, period not over, another school) refuses the whole batch."""
    day = on or timezone.localdate()
    wanted = set(pupil_ids)
    if not wanted:
        raise PurgeRefused(_("No pupils were chosen."))
    with transaction.atomic():
        pupils = list(Pupil.objects.filter(pk__in=wanted).select_for_update())
        if len(pupils) != len(wanted) or any(p.school_id != school.pk for p in pupils):
            raise PurgeRefused(_("Some of these pupils are not at this school."))
        if any(p.date_out is None or p.date_out > day for p in pupils):
            raise PurgeRefused(_("A pupil who is still at school is never erased."))
        if not all(_is_expired(p, day) for p in pupils):
            raise PurgeRefused(_("The retention period of some of these pupils has not passed."))
        plan = erasure_plan(wanted)
        files = _stored_files(plan)
        with history_off(), erasure():
            for model, ids in plan:
                model._base_manager.filter(pk__in=ids).delete()
                history = _history_model(model)
                if history is not None:
                    history._base_manager.filter(**{f"{model._meta.pk.attname}__in": ids}).delete()
            _scrub_paths(wanted)
            AccessLogPupil.objects.filter(pupil_id__in=wanted).delete()
            # The files go once the rows are gone for good (not when the batch rolls back).
            transaction.on_commit(lambda: _delete_files(files))
            return Erasure.objects.create(
                school=school,
                by=by,
                pupil_count=len(wanted),
                reason=(reason or str(REASON_RETENTION))[:200],
            )


def purge_expired(*, school: School, by=None, reason: str = "", limit: int | None = None) -> int:
    """Erase every pupil of `school` whose period has passed, in batches (one tombstone per
    batch); at most `limit` pupils. Returns how many were erased."""
    erased = 0
    while limit is None or erased < limit:
        size = BATCH_SIZE if limit is None else min(BATCH_SIZE, limit - erased)
        ids = list(expired_pupils(school).order_by("pk").values_list("pk", flat=True)[:size])
        if not ids:
            break
        purge_pupils(school=school, pupil_ids=ids, by=by, reason=reason)
        erased += len(ids)
    return erased
