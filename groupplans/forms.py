"""Forms of the group overview. A row is edited one step at a time; every row form carries
the version the person saw, so a save over someone else's is caught (`actions.save_row`)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from groupplans.models import NEED_ASPECTS, SOURCE_FIELDS, OverviewRow, SignalDecision
from pupils.models import Group
from schools.models import Period

# A cell holds a few sentences; a page of text belongs in the pupil log.
CELL_MAX_LENGTH = 2000

# The steps of the grid: (number, title, the row fields edited in it).
STEPS: dict[int, tuple[str, list[str]]] = {
    1: (
        _("Step 1 · collect"),
        [name for name, _label, _kind in SOURCE_FIELDS] + ["stimulating", "hindering"],
    ),
    2: (_("Step 2 · signal"), ["signalled", "signal_reason"]),
    3: (
        _("Step 3 · educational needs"),
        [name for name, _label in NEED_ASPECTS] + ["specific_needs"],
    ),
}

NEEDS_PLACEHOLDER = _("This pupil needs …")


class RowForm(forms.ModelForm):
    """The fields of one step of one row; its prefix keeps ids unique in the grid."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = OverviewRow
        fields = [name for _title, names in STEPS.values() for name in names]

    def __init__(self, *args, step: int, **kwargs):
        super().__init__(*args, prefix=f"r{kwargs['instance'].pk}", **kwargs)
        self.step = step
        keep = set(STEPS[step][1]) | {"version"}
        if step == 3 and not self.instance.signalled:
            # The seven aspects are for signalled pupils; the plan's outcome is for every pupil.
            keep = {"specific_needs", "version"}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if not self.is_bound:
            self.initial["version"] = self.instance.version
        # Each cell belongs to its row's form (which sits in the row's last cell) and, with
        # JavaScript, saves itself when it changes; saves of one row wait for each other.
        form_id = f"rowform-{self.instance.pk}"
        save_url = reverse(
            "groupplans:row_save",
            kwargs={"pk": self.instance.overview_id, "row_pk": self.instance.pk},
        )
        for name, field in self.fields.items():
            if name == "version":
                continue
            field.widget.attrs.update(
                {
                    "form": form_id,
                    "hx-post": save_url,
                    "hx-trigger": "change",
                    "hx-include": f"#{form_id}",
                    "hx-swap": "none",
                    "hx-sync": f"#{form_id}:queue all",
                    "hx-indicator": f"#saving-{self.instance.pk}",
                    "data-col": name,
                    "aria-label": f"{field.label}: {self.instance.pupil.full_name}",
                }
            )
            if isinstance(field, forms.BooleanField):
                field.widget.attrs["class"] = "form-check-input grid-cell"
            elif isinstance(field, forms.CharField):
                field.max_length = CELL_MAX_LENGTH
                field.validators.append(forms.fields.validators.MaxLengthValidator(CELL_MAX_LENGTH))
                field.widget = forms.Textarea(
                    attrs={
                        **field.widget.attrs,
                        "rows": 2,
                        "class": "grid-cell form-control form-control-sm",
                        "maxlength": CELL_MAX_LENGTH,
                    }
                )
                if name.startswith("need_"):
                    field.widget.attrs["placeholder"] = NEEDS_PLACEHOLDER

    def clean(self):
        data = super().clean()
        # A signal needs its reason; a reason without a signal may stay (why it was lifted).
        if self.step == 2 and data.get("signalled") and not data.get("signal_reason", "").strip():
            self.add_error("signal_reason", _("Say why this pupil needs extra support."))
        return data

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields if name != "version"}


class OverviewCreateForm(forms.Form):
    group = forms.ModelChoiceField(
        label=_("Group"), queryset=Group.objects.none(), empty_label=_("Choose a group")
    )
    period = forms.ModelChoiceField(
        label=_("Period"), queryset=Period.objects.none(), empty_label=_("Choose a period")
    )

    def __init__(self, *args, groups, periods, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
        self.fields["period"].queryset = periods
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.add_input(Submit("submit", _("Start the overview")))


class DecisionForm(forms.Form):
    key = forms.CharField(max_length=60, widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=SignalDecision.choices)
    reason = forms.CharField(label=_("Why not?"), required=False, max_length=CELL_MAX_LENGTH)


class SendForm(forms.Form):
    questions = forms.CharField(
        label=_("Questions and points for discussion"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        required=False,
        help_text=_(
            "What would you like to discuss in the group meeting? The care coordinator gets "
            "an e-mail with a link to this overview (no pupil names in it)."
        ),
    )

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.add_input(Submit("submit", _("Send to the care coordinator")))
