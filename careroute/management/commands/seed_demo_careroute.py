from django.core.management.base import BaseCommand

from careroute.demo import seed


class Command(BaseCommand):
    help = (
        "The demo school's care route (after seed_demo_meetings, whose submitted "
        "registrations took their pupils to level 2): back to level 1 after a pupil meeting "
        "that found the group plan enough, and pupils at levels 2 to 4 with a pupil meeting, "
        "IHPs and a care-team case. Does nothing when the school's route has more than the "
        "registration steps."
    )

    def handle(self, *args, **options) -> None:
        made = seed()
        if options["verbosity"]:
            self.stdout.write(f"{made} route steps made.")
