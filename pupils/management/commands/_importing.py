"""Printing an import's plan and outcome on the command line."""

from django.core.management.base import CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from pupils.imports import SECTIONS, ImportRefused, Plan, plan_record
from pupils.models import ImportRecord, ImportStatus


def check_plan(out, record: ImportRecord, *, dry_run: bool, skip_problems: bool) -> bool:
    """Print the plan of an import; True when it is to be applied (after this transaction).

    A dry run rolls the surrounding transaction back, so nothing of it stays.
    """
    try:
        plan = plan_record(record)
    except ImportRefused as error:
        raise CommandError(str(error)) from None
    print_plan(out, plan)
    if dry_run:
        transaction.set_rollback(True)
        out.write(_("Dry run: nothing has been changed."))
        return False
    if not plan.can_apply(skip_problems=skip_problems):
        raise CommandError(
            _("Nothing has been imported: solve the problems above, or use --skip-problems")
            + (" / --create-school-year" if plan.blockers else "")
        )
    return True


def print_plan(out, plan: Plan, *, lines_per_section: int = 20) -> None:
    for blocker in plan.blockers:
        out.write(_("Blocked: %(reason)s") % {"reason": blocker})
    for problem in plan.problems:
        out.write(_("Problem on line %(row)s: %(message)s") % problem.as_json())
    for problem in plan.skipped:
        out.write(_("Skipped, line %(row)s: %(message)s") % problem.as_json())
    for note in plan.notes:
        out.write(note)
    if not plan.changes:
        out.write(_("Nothing needs to change."))
    for _key, label, lines in plan.sections():
        out.write(f"{label}: {len(lines)}")
        for line in lines[:lines_per_section]:
            out.write(f"  - {line}")
        if len(lines) > lines_per_section:
            out.write(f"  … (+{len(lines) - lines_per_section})")


def print_outcome(out, record: ImportRecord) -> None:
    if record.status != ImportStatus.APPLIED:
        messages = "; ".join(p["message"] for p in record.problems)
        raise CommandError(
            _("The import failed; nothing has been changed. %(why)s") % {"why": messages}
        )
    counts = ", ".join(f"{SECTIONS[k]}: {n}" for k, n in record.counts.items())
    out.write(_("Imported. %(counts)s") % {"counts": counts or _("nothing needed to change")})
