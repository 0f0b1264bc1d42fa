"""`manage.py import_edexml PATH`: import pupils, groups and staff from an EDEXML file.

The same pipeline as the upload page (pupils/imports.py): the plan is printed; with
--dry-run nothing is written; otherwise it is applied in one transaction, or not at all.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from pupils.edexml import EdexError
from pupils.imports import ImportRefused, apply_record, read_edexml, start_import
from pupils.management.commands._importing import check_plan, print_outcome
from schools.models import Board, School


class Command(BaseCommand):
    help = "Import pupils, groups and staff from an EDEXML 2.0/2.1 file."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--school", help="BRIN code the file must carry (refused if not).")
        parser.add_argument("--dry-run", action="store_true", help="Show the changes only.")
        parser.add_argument(
            "--full", action="store_true", help="A full export: mark missing pupils as left."
        )
        parser.add_argument("--create-school-year", action="store_true")
        parser.add_argument("--skip-problems", action="store_true")
        parser.add_argument(
            "--board", help="Board for a school that is not in hgw yet (default: the only one)."
        )

    def handle(self, *args, path: Path, **options):
        try:
            data = path.read_bytes()
            edex = read_edexml(data, school=None)
        except OSError as error:
            raise CommandError(str(error)) from None
        except EdexError as error:
            raise CommandError(str(error)) from None
        brin = edex.school.brin
        given = (options["school"] or "").upper()
        if given and not (
            given[:4] == brin and given[4:] in (edex.school.dependance_code, "", "00")
        ):
            raise CommandError(
                _("This file is for the school with BRIN code %(file)s, not %(given)s.")
                % {"file": brin + edex.school.dependance_code, "given": options["school"]}
            )
        with transaction.atomic():
            school = self._school(edex, options["board"], dry_run=options["dry_run"])
            try:
                record = start_import(
                    kind="edexml", data=data, file_name=path.name, school=school, by=None
                )
            except (EdexError, ImportRefused) as error:
                raise CommandError(str(error)) from None
            record.options = {
                "full": options["full"],
                "create_school_year": options["create_school_year"],
                "skip_problems": options["skip_problems"],
            }
            record.save(update_fields=["options"])
            apply = check_plan(
                self.stdout,
                record,
                dry_run=options["dry_run"],
                skip_problems=options["skip_problems"],
            )
        if apply:
            print_outcome(self.stdout, apply_record(record.pk))

    def _school(self, edex, board_name: str | None, *, dry_run: bool) -> School:
        block = edex.school
        school = School.objects.with_brin(block.brin, block.dependance_code).first()
        if school is not None:
            return school
        if board_name:
            board, _created = Board.objects.get_or_create(name=board_name)
        elif Board.objects.count() == 1:
            board = Board.objects.get()
        else:
            raise CommandError(
                _("School %(brin)s is not in hgw yet; name its board with --board.")
                % {"brin": block.brin}
            )
        self.stdout.write(_("School %(brin)s is new and will be created.") % {"brin": block.brin})
        return School.objects.create(
            board=board,
            brin=block.brin,
            dependance_code=block.dependance_code,
            name=block.name or f"School {block.brin}",
        )
