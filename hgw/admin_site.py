from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class PlatformAdminSite(admin.AdminSite):
    """The Django admin is for platform operators (superusers) only.

    Schools work in hgw's own screens; pupil data is read-only here, and reading it is
    logged like anywhere else (see `audit.admin.PupilDataAdmin`).
    """

    site_header = _("hgw platform administration")
    site_title = _("hgw platform administration")

    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser
