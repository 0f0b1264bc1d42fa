from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CarerouteConfig(AppConfig):
    name = "careroute"
    verbose_name = _("Care route")
