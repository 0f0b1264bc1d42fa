"""Forms of the pupil meeting: the registration and the growth document of one pupil."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from meetings.forms import TEXT_MAX_LENGTH
from meetings.models import ITEM_FIELDS, ItemOutcome, MeetingItem, MeetingKind, Registration

# The growth document's steps, in their order: (field, label). Step 1 has two parts.
GROWTH_STEPS: list[tuple[str, str]] = [
    ("going_well", _("1. What goes well?")),
    ("difficult", _("1. What is hard?")),
    ("insight", _("2. Insight: how could it be that things are as they are?")),
    ("know_enough", _("3. Do we know enough to answer the questions?")),
    ("outlook", _("4. Outlook: what does it mean for the approach?")),
    ("teacher_needs", _("5. What does the teacher need?")),
    ("agreements", _("6. Agreements and planning")),
]
# The steps, then the outcome: what the growth document saves.
GROWTH_FIELDS = ITEM_FIELDS[MeetingKind.PUPIL]


class _DraftSubmit(Submit):
    """The secondary button: saving a draft (submitting is the primary one)."""

    field_classes = "btn btn-outline-primary"


def _text(label, *, required=False, rows=3, help_text="") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_MAX_LENGTH,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class RegistrationForm(forms.Form):
    """The teacher's question for help, what has been tried and what goes well. Saved as a
    draft, or submitted (then locked: the warning says so beside the button)."""

    question = _text(
        _("Question for help"),
        help_text=_("What do you want to know or achieve for this pupil?"),
    )
    tried = _text(_("What has been tried"), help_text=_("What did you do, and how did it go?"))
    going_well = _text(_("What goes well"))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    SUBMIT = "submit_registration"

    def __init__(self, *args, registration: Registration | None, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        if registration is not None:
            self.initial.update(
                {
                    "question": registration.question,
                    "tried": registration.tried,
                    "going_well": registration.going_well,
                    "version": registration.version,
                }
            )
            self.fields["version"].required = True
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.add_input(_DraftSubmit("save", _("Save as draft")))
        self.helper.add_input(Submit(self.SUBMIT, _("Submit the registration")))

    def wants_submit(self) -> bool:
        return self.SUBMIT in self.data

    def values(self) -> dict:
        return {
            name: self.cleaned_data[name].strip() for name in ("question", "tried", "going_well")
        }


class GrowthDocumentForm(forms.Form):
    """The IB's minutes of one pupil at a pupil meeting: the growth document's six steps and
    the coded outcome with its explanation, over the version they saw."""

    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=ItemOutcome.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    outcome_note = _text(_("Explanation of the outcome"), rows=2)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, item: MeetingItem, action: str, **kwargs):
        kwargs.setdefault("auto_id", f"item{item.pk}-%s")
        super().__init__(*args, **kwargs)
        steps = {name: _text(label, rows=4) for name, label in GROWTH_STEPS}
        others = {name: self.fields.pop(name) for name in ("outcome", "outcome_note", "version")}
        self.fields.update(steps | others)
        self.initial.update({name: getattr(item, name) for name in GROWTH_FIELDS})
        self.initial["version"] = item.version
        self.item = item
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.form_id = f"growth-{item.pk}"
        self.helper.add_input(Submit("save", _("Save the growth document")))

    def values(self) -> dict:
        return {
            name: (value.strip() if isinstance(value, str) else value)
            for name, value in ((n, self.cleaned_data[n]) for n in GROWTH_FIELDS)
        }
