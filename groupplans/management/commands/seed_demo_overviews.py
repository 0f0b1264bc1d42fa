from django.core.management.base import BaseCommand
from django.utils import timezone

from groupplans.demo import seed, seed_library


class Command(BaseCommand):
    help = (
        "Group overviews, last year's evaluated group plans and the library of goals and "
        "approaches for the demo school (after seed_demo). Does nothing for what exists."
    )

    def handle(self, *args, **options) -> None:
        # The library first: last year's plans are made from it.
        entries = seed_library()
        made = seed(timezone.localdate())
        if options["verbosity"]:
            self.stdout.write(f"{made} group overviews made.")
            self.stdout.write(f"{entries} library entries made.")
