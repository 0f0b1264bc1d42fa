"""`manage.py list_expired_pupils`: tell each school's IB how many pupils' retention period
has passed (for cron, e.g. weekly). Erases nothing; the e-mail names no pupil."""

from django.core.management.base import BaseCommand

from pupils.tasks import list_expired_pupils


class Command(BaseCommand):
    help = "E-mail each school's IB the number of pupils whose retention period has passed."

    def handle(self, *args, **options):
        counts = list_expired_pupils.call()
        for brin, count in counts.items():
            self.stdout.write(f"{brin}: {count}")
        if not counts:
            self.stdout.write("0")
