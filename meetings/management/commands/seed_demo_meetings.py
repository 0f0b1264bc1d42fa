from django.core.management.base import BaseCommand
from django.utils import timezone

from meetings.demo import seed


class Command(BaseCommand):
    help = (
        "The demo school's year plan: group, care-team and pupil meetings (after seed_demo "
        "and seed_demo_overviews). Does nothing when the school has meetings."
    )

    def handle(self, *args, **options) -> None:
        made = seed(timezone.localdate())
        if options["verbosity"]:
            self.stdout.write(f"{made} meetings planned.")
