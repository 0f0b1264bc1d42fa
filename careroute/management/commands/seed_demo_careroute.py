from django.core.management.base import BaseCommand

from careroute.demo import seed


class Command(BaseCommand):
    help = (
        "The demo school's care route: the pupil registered for the first pupil meeting at "
        "level 2 (after seed_demo_meetings). Does nothing when the school has a route."
    )

    def handle(self, *args, **options) -> None:
        made = seed()
        if options["verbosity"]:
            self.stdout.write(f"{made} route steps made.")
