"""The school's choices for its care route, kept by the IB (the school's history records who
changed them and when)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from careroute.route_forms import CareRouteSettingsForm
from hgw import access


def _last_change(school):
    """The latest change of these settings (not of the school's other settings)."""
    fields = CareRouteSettingsForm._meta.fields
    rows = school.history.select_related("history_user").order_by("-history_date", "-pk")
    newer = None
    for row in rows.iterator():
        if newer is not None and any(getattr(row, f) != getattr(newer, f) for f in fields):
            return newer
        newer = row
    return None


def care_route_settings(request: HttpRequest) -> HttpResponse:
    actor = access.actor_for(request)
    if not access.can_configure_care_route(actor):
        raise Http404
    form = CareRouteSettingsForm(request.POST or None, instance=actor.school)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The settings have been saved."))
        return redirect("careroute:settings")
    return render(
        request,
        "careroute/settings.html",
        {"form": form, "last_change": _last_change(actor.school)},
        status=422 if form.errors else 200,
    )
