"""The small form of a move on the route (the reason, and for "other_down" the level), and the
school's choices for its care route."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from careroute.models import Level
from careroute.route import LOWER, Move
from schools.models import School

REASON_MAX = 2000


class RouteMoveForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=REASON_MAX, widget=forms.Textarea
    )
    to_level = forms.TypedChoiceField(label=_("To level"), coerce=int, required=False)

    def __init__(self, *args, move: Move, level: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.move = move
        self.fields["reason"].required = move.reason_required
        if move.to_level == LOWER:
            self.fields["to_level"].required = True
            self.fields["to_level"].choices = [
                (value, f"{value} {capfirst(label)}")
                for value, label in Level.choices
                if value < level
            ]
        else:
            del self.fields["to_level"]


class CareRouteSettingsForm(forms.ModelForm):
    class Meta:
        model = School
        fields = ["opp_required_for_care_team"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save")))
