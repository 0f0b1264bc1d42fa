"""The form of a note in the pupil log."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from pupils.forms import DateInput
from pupils.models import LogKind, PupilLogEntry


class PupilLogEntryForm(forms.ModelForm):
    """A new note, or a change to one. A stale save (someone saved the note since this form
    was opened) is refused with their version shown, and what this person typed is kept."""

    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(value, capfirst(label)) for value, label in LogKind.choices],
        widget=forms.RadioSelect,
    )
    # The version this person opened; compared with the saved one when they save.
    seen_version = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = PupilLogEntry
        fields = ["date", "kind", "participants", "notes", "agreements"]
        widgets = {
            "date": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 8}),
            "agreements": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"participants": _("Who took part, for example: mother, father, the IB.")}

    def __init__(self, *args, pupil, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.pupil = pupil
        self.current: PupilLogEntry | None = None  # the other person's version, if stale
        if self.instance.pk:
            if not self.is_bound:
                self.initial["seen_version"] = self.instance.version
        else:
            del self.fields["seen_version"]
            self.initial["date"] = timezone.localdate()
        self.fields["date"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.add_input(Submit("submit", _("Save")))

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A note cannot be dated in the future."))
        if day < self.pupil.date_of_birth:
            raise forms.ValidationError(_("This date lies before the pupil's birth."))
        return day

    def clean(self):
        data = super().clean()
        # The instance holds the saved version here: the view read it (locked, when saving)
        # and the typed values are copied onto it only after this method.
        if self.instance.pk and str(self.instance.version) != data.get("seen_version", "").strip():
            self.current = PupilLogEntry.objects.select_related("author").get(pk=self.instance.pk)
            # From now on the form compares against what the person has now been shown.
            self.data = self.data.copy()
            self.data["seen_version"] = str(self.current.version)
            raise forms.ValidationError(
                _(
                    "Someone else changed this note while you were editing. Their version is "
                    "shown next to the form; yours is still in the form. Save again to keep "
                    "yours."
                )
            )
        return data
