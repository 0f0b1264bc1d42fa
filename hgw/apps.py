from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class HgwConfig(AppConfig):
    default = True
    name = "hgw"
    verbose_name = "hgw"

    def ready(self):
        # Django 6.1's blank choice of a select ("- Select an option -") has no Dutch in
        # Django's own catalogue yet; Django asks apps to set their own label here.
        from django.db.models import fields

        fields.BLANK_CHOICE_LABEL = _("Choose …")


class PlatformAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "hgw.admin_site.PlatformAdminSite"
