"""`manage.py purge_expired --confirm [--school BRIN]`: erase the pupils whose retention
period has passed. `--dry-run` lists them (ids and dates, no names) and changes nothing.

The IB usually confirms this on the retention page; this command is for the operator, e.g.
when a school asked for it in writing.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from pupils.retention import expired_pupils, purge_expired, retention_ends
from schools.models import School


class Command(BaseCommand):
    help = "Erase the pupils whose retention period has passed (needs --confirm or --dry-run)."

    def add_arguments(self, parser):
        parser.add_argument("--school", help="BRIN code of the school (default: every school).")
        parser.add_argument("--confirm", action="store_true", help="Really erase them.")
        parser.add_argument("--dry-run", action="store_true", help="List them; erase nothing.")
        parser.add_argument("--reason", default="", help="Kept with the erasure.")

    def handle(self, *args, school: str | None, confirm: bool, dry_run: bool, reason: str, **o):
        if confirm == dry_run:
            raise CommandError(_("Give either --confirm or --dry-run."))
        if school:
            schools = list(School.objects.with_brin(school[:4], school[4:]))
            if not schools:
                raise CommandError(
                    _("There is no school with BRIN code %(brin)s.") % {"brin": school}
                )
        else:
            schools = list(School.objects.order_by("brin", "dependance_code"))
        total = 0
        for found in schools:
            label = f"{found.brin}{found.dependance_code} {found.name}"
            if dry_run:
                pupils = list(expired_pupils(found).order_by("date_out", "pk"))
                self.stdout.write(f"{label}: {len(pupils)}")
                for pupil in pupils:
                    self.stdout.write(
                        f"  id {pupil.pk}, left {pupil.date_out}, period ended "
                        f"{retention_ends(pupil)}"
                    )
                total += len(pupils)
            else:
                erased = purge_expired(school=found, reason=reason)
                self.stdout.write(f"{label}: {erased}")
                total += erased
        verb = "due" if dry_run else "erased"
        self.stdout.write(f"{total} {verb}")
