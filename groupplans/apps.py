from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupplansConfig(AppConfig):
    name = "groupplans"
    verbose_name = _("Group overviews and plans")
