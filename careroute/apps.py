from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CarerouteConfig(AppConfig):
    name = "careroute"
    verbose_name = _("Care route")

    def ready(self) -> None:
        # The apps below careroute may not import it; they call what is registered here.
        from careroute import registration_step
        from careroute.cases import on_guardian_changed
        from meetings import registrations
        from pupils.actions import GUARDIAN_CHANGED

        # Submitting a registration for a pupil meeting is the route's step to level 2.
        registrations.set_submitter(registration_step.submit_for_meetings)
        # A guardian added or given parental authority: consent no longer stands.
        if on_guardian_changed not in GUARDIAN_CHANGED:
            GUARDIAN_CHANGED.append(on_guardian_changed)
