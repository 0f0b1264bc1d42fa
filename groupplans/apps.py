from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupplansConfig(AppConfig):
    name = "groupplans"
    verbose_name = _("Group overviews and plans")

    def ready(self) -> None:
        from groupplans.erasure import individual_offers
        from pupils.retention import erase_also

        erase_also(individual_offers)
