from django.core.management.base import BaseCommand
from django.utils import timezone

from groupplans.demo import seed


class Command(BaseCommand):
    help = "Group overviews for the demo school (after seed_demo). Does nothing if they exist."

    def handle(self, *args, **options) -> None:
        made = seed(timezone.localdate())
        if options["verbosity"]:
            self.stdout.write(f"{made} group overviews made.")
