"""The school's choices for its care route, kept by the IB (the school's history records who
changed them and when)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hgw import access
from schools.models import School


class CareRouteSettingsForm(forms.ModelForm):
    class Meta:
        model = School
        fields = ["opp_required_for_care_team"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", gettext_lazy("Save")))


def care_route_settings(request: HttpRequest) -> HttpResponse:
    actor = access.actor_for(request)
    if not access.can_configure_care_route(actor):
        raise Http404
    form = CareRouteSettingsForm(request.POST or None, instance=actor.school)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The settings have been saved."))
        return redirect("careroute:settings")
    changes = actor.school.history.filter(history_type="~").select_related("history_user")
    return render(
        request,
        "careroute/settings.html",
        {"form": form, "last_change": changes.first()},
        status=422 if form.errors else 200,
    )
