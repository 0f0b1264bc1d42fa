"""The route in the platform admin: read-only, like all pupil data there. Every move goes
through `careroute.route.move`; the admin can neither add, change nor delete a route or an
event (and reading them is logged)."""

from django.contrib import admin

from audit.admin import PupilDataAdmin
from careroute.models import CareRoute, RouteEvent


@admin.register(CareRoute)
class CareRouteAdmin(PupilDataAdmin):
    list_display = ["pupil", "school", "level", "version", "updated_at"]
    list_filter = ["school", "level"]
    list_select_related = ["pupil", "school"]


@admin.register(RouteEvent)
class RouteEventAdmin(PupilDataAdmin):
    list_display = ["at", "pupil", "move", "from_level", "to_level", "by"]
    list_filter = ["move"]
    list_select_related = ["pupil", "by"]
    date_hierarchy = "at"
