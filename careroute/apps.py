from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CarerouteConfig(AppConfig):
    name = "careroute"
    verbose_name = _("Care route")

    def ready(self) -> None:
        # pupils may not import careroute: it calls the hooks registered here instead.
        from careroute.cases import on_guardian_changed
        from pupils.actions import GUARDIAN_CHANGED

        if on_guardian_changed not in GUARDIAN_CHANGED:
            GUARDIAN_CHANGED.append(on_guardian_changed)
