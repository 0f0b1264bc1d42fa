"""Filtering the audit trail. Only ids and dates reach the query string, never a name."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from schools.numbers import MAX_ID


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TrailFilterForm(forms.Form):
    """Who, which pupil (by id: a name search is a POST of its own), which days."""

    user = forms.ModelChoiceField(
        label=_("Person"), queryset=User.objects.none(), required=False, empty_label=_("anyone")
    )
    pupil = forms.IntegerField(
        label=_("Pupil number"), required=False, min_value=1, max_value=MAX_ID
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=_DateInput())
    date_to = forms.DateField(label=_("Up to and including"), required=False, widget=_DateInput())

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        # People with a role at the school, at any time, and the platform operators.
        self.fields["user"].queryset = (
            User.objects.filter(Q(memberships__school=school) | Q(is_superuser=True))
            .distinct()
            .order_by("full_name", "pk")
        )
        for name, form_field in self.fields.items():
            css = "form-select" if name == "user" else "form-control"
            form_field.widget.attrs.setdefault("class", css)


class PupilSearchForm(forms.Form):
    q = forms.CharField(label=_("Search by name"), max_length=100)
