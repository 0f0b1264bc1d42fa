"""Forms of the group plan. Every text form carries the version the person saw, so a save
over someone else's is caught (`plan_actions.save_versioned`)."""

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from groupplans.models import (
    ATTITUDE_FIELDS,
    Outcome,
    Placement,
    PlanPart,
    PlanSection,
    Subgroup,
    Weekday,
)
from schools.numbers import MAX_ID

TEXT_MAX_LENGTH = 4000


def _textareas(form: forms.ModelForm, rows: int = 2) -> None:
    for field in form.fields.values():
        if isinstance(field, forms.CharField) and isinstance(field.widget, forms.Textarea):
            field.max_length = TEXT_MAX_LENGTH
            field.validators.append(forms.fields.validators.MaxLengthValidator(TEXT_MAX_LENGTH))
            field.widget.attrs.update({"rows": rows, "maxlength": TEXT_MAX_LENGTH})


class VersionedForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["version"] = self.instance.version

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields if name != "version"}


class SectionForm(VersionedForm):
    """The basic offer for the whole group; in part 2 also what the group needs."""

    class Meta:
        model = PlanSection
        fields = ["basic_offer", *[name for name, _label in ATTITUDE_FIELDS]]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix=f"s{kwargs['instance'].pk}", **kwargs)
        if self.instance.area.part == PlanPart.SUBJECTS:
            for name, _label in ATTITUDE_FIELDS:
                del self.fields[name]
        else:
            self.fields["basic_offer"].label = _("What the whole group needs")
        _textareas(self, rows=3)


class SubgroupForm(VersionedForm):
    """A subgroup's goals, offer and organisation; while the plan runs, also its evaluation."""

    days = forms.TypedMultipleChoiceField(
        label=_("Days"),
        choices=Weekday.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    class Meta:
        model = Subgroup
        fields = [
            "name",
            "goal_didactic",
            "goal_pedagogic",
            "goal_measure",
            "goal_criterion",
            "goal_date",
            "content",
            "approach",
            "materials",
            "days",
            "start_time",
            "minutes",
            "staff",
        ]
        widgets = {
            "goal_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args, period, **kwargs):
        super().__init__(*args, prefix=f"g{kwargs['instance'].pk}", **kwargs)
        self.period = period
        if self.instance.kind != "small":
            del self.fields["name"]
        else:
            self.fields["name"].required = True
        if not self.is_bound:
            self.initial["days"] = self.instance.weekdays
        self.fields["minutes"].widget.attrs.update({"min": 1, "max": 600})
        self.fields["goal_date"].widget.attrs.update(
            {"min": period.start_date.isoformat(), "max": period.end_date.isoformat()}
        )
        _textareas(self)

    def clean_days(self) -> str:
        return ",".join(str(day) for day in sorted(set(self.cleaned_data["days"])))

    def clean_minutes(self):
        minutes = self.cleaned_data["minutes"]
        if minutes is not None and not 1 <= minutes <= 600:
            raise forms.ValidationError(_("Give the minutes as a number from 1 to 600."))
        return minutes

    def clean_goal_date(self):
        day = self.cleaned_data["goal_date"]
        if day is not None and not self.period.start_date <= day <= self.period.end_date:
            raise forms.ValidationError(
                _("Choose a date in this period (%(start)s to %(end)s).")
                % {
                    "start": formats.date_format(self.period.start_date, "j F Y"),
                    "end": formats.date_format(self.period.end_date, "j F Y"),
                }
            )
        return day


class SubgroupEvaluationForm(VersionedForm):
    """Whether the subgroup reached its goal, what helped and what hindered."""

    class Meta:
        model = Subgroup
        fields = ["outcome", "helped", "hindered"]
        widgets = {"outcome": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix=f"e{kwargs['instance'].pk}", **kwargs)
        self.fields["outcome"].choices = Outcome.choices
        self.fields["outcome"].required = True
        self.fields["outcome"].error_messages["required"] = _("Say whether the goal was reached.")
        _textareas(self)


class PlacementForm(VersionedForm):
    """One pupil's evaluation; an empty outcome means: as the subgroup."""

    class Meta:
        model = Placement
        fields = ["outcome", "helped", "hindered"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix=f"p{kwargs['instance'].pk}", **kwargs)
        self.fields["outcome"].choices = [("", _("as the subgroup")), *Outcome.choices]
        self.fields["outcome"].required = False
        for name in ("helped", "hindered"):
            self.fields[name].widget = forms.Textarea(attrs={"rows": 1})
        _textareas(self, rows=1)


class MoveForm(forms.Form):
    """Put a pupil in a subgroup ("individual": an offer of their own)."""

    pupil = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_ID)
    subgroup = forms.CharField(max_length=20)


class SubgroupAddForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the subgroup"),
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT_MAX_LENGTH
    )
