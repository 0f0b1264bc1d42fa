from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class HgwConfig(AppConfig):
    default = True
    name = "hgw"
    verbose_name = "hgw"


class PlatformAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "hgw.admin_site.PlatformAdminSite"
