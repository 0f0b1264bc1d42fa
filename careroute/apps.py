from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CarerouteConfig(AppConfig):
    name = "careroute"
    verbose_name = _("Care route")

    def ready(self):
        # Submitting a registration for a pupil meeting is the route's step to level 2:
        # meetings (below careroute) submits through the submitter registered here.
        from careroute import registration_step
        from meetings import registrations

        registrations.set_submitter(registration_step.submit_for_meetings)
