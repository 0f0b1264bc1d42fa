"""Forms of the action points. Each validates and normalises; meetings.action_points decides."""

from django import forms
from django.utils.translation import gettext_lazy as _

from meetings.action_points import DESCRIPTION_MAX_LENGTH
from meetings.forms import _helper


class OwnerField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.full_name


class PupilItemField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.pupil.full_name


class _ActionPointFields(forms.Form):
    description = forms.CharField(
        label=_("Action"),
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    owner = OwnerField(label=_("Owner"), queryset=None, empty_label=_("Choose the owner"))
    due_date = forms.DateField(
        label=_("Due date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners


class ActionPointForm(_ActionPointFields):
    """A new action point of a meeting; about one pupil on its agenda, if chosen."""

    item = PupilItemField(
        label=_("About the pupil"),
        queryset=None,
        required=False,
        empty_label=_("Not about one pupil"),
    )

    def __init__(self, *args, owners, items, action: str, **kwargs):
        super().__init__(*args, owners=owners, **kwargs)
        if items is None:
            del self.fields["item"]  # no pupil on the agenda (that the IB may see)
        else:
            self.fields["item"].queryset = items
            self.fields["description"].help_text = _(
                "Choose the pupil below instead of naming them here: the owner may not be "
                "allowed to see every pupil."
            )
        self.helper = _helper(action, _("Add the action point"))
        self.helper.form_id = "action-point-form"


class ActionPointEditForm(_ActionPointFields):
    """An open action point corrected by the IB, over the version they saw."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, point, owners, action: str, **kwargs):
        super().__init__(*args, owners=owners, **kwargs)
        self.initial.update(
            {
                "description": point.description,
                "owner": point.owner_id,
                "due_date": point.due_date,
                "version": point.version,
            }
        )
        self.helper = _helper(action, _("Save"))
