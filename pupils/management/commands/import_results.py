"""`manage.py import_results PATH --school BRIN`: import test results from a CSV file.

The columns are matched as the upload page would: the school's remembered match first,
then the usual Dutch headers (Leerlingnummer, Toets, Datum, Moment, Score, Niveau).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from pupils.csvfiles import CsvError
from pupils.csvimports import FIELDS
from pupils.imports import apply_record, set_columns, start_import
from pupils.management.commands._importing import check_plan, print_outcome
from pupils.models import ImportKind
from schools.models import School


class Command(BaseCommand):
    help = "Import test results from a CSV file (semicolon or comma separated)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--school", required=True, help="BRIN code of the school.")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--skip-problems", action="store_true")

    def handle(self, *args, path: Path, school: str, **options):
        found = School.objects.with_brin(school[:4], school[4:]).first()
        if found is None:
            raise CommandError(_("There is no school with BRIN code %(brin)s.") % {"brin": school})
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(str(error)) from None
        with transaction.atomic():
            try:
                record = start_import(
                    kind=ImportKind.RESULTS_CSV,
                    data=data,
                    file_name=path.name,
                    school=found,
                    by=None,
                )
            except CsvError as error:
                raise CommandError(str(error)) from None
            columns = record.options["columns"]
            missing = [f.label for f in FIELDS[record.kind] if f.required and f.name not in columns]
            if missing:
                raise CommandError(
                    _("Cannot find the columns for: %(fields)s. The file has: %(headers)s.")
                    % {
                        "fields": ", ".join(str(m) for m in missing),
                        "headers": ", ".join(record.data["headers"]),
                    }
                )
            set_columns(record=record, columns=columns)
            record.options = {**record.options, "skip_problems": options["skip_problems"]}
            record.save(update_fields=["options"])
            apply = check_plan(
                self.stdout,
                record,
                dry_run=options["dry_run"],
                skip_problems=options["skip_problems"],
            )
        if apply:
            print_outcome(self.stdout, apply_record(record.pk))
