"""Forms of the school's configuration of group plans: its areas and its library of goals and
approaches. An edit carries a fingerprint of the record the person opened, so a save over
someone else's change is refused with their version shown (as the guardian form does)."""

from crispy_forms.bootstrap import InlineCheckboxes, InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout, Submit
from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from groupplans.models import (
    OFFER_FIELDS,
    OfferTemplate,
    PlanArea,
    PlanPart,
    SubgroupKind,
)
from pupils.forms import record_state
from pupils.models import SubjectArea
from schools.models import School
from schools.numbers import MAX_ID

LOWEST_GRADE, HIGHEST_GRADE = 1, 8


class _ConfigForm(forms.ModelForm):
    """A record of the school: its fields, the fingerprint of what the person saw, a Save
    button. `current` holds someone else's version after a refused save."""

    seen_state = forms.CharField(widget=forms.HiddenInput, required=False)
    state_fields: list[str] = []
    stale_message = ""

    def __init__(self, *args, school: School, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school
        self.current = None
        if self.instance.pk and not self.is_bound:
            self.initial["seen_state"] = record_state(self.instance, self.state_fields)
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.add_input(Submit("submit", _("Save")))

    def _others(self):
        """The school's other records of this kind."""
        found = type(self.instance).objects.filter(school=self.school)
        return found.exclude(pk=self.instance.pk) if self.instance.pk else found

    def clean(self):
        data = super().clean()
        if self.instance.pk:
            current = type(self.instance).objects.get(pk=self.instance.pk)
            state = record_state(current, self.state_fields)
            if state != data.get("seen_state"):
                self.current = current
                # From now on the form stands over the version the person has now been shown.
                self.data = self.data.copy()
                self.data["seen_state"] = state
                raise forms.ValidationError(self.stale_message)
        return data


def _grade_field(name: str) -> forms.IntegerField:
    message = _("Enter a grade from 1 to 8.")
    return forms.IntegerField(
        label=capfirst(PlanArea._meta.get_field(name).verbose_name),
        min_value=LOWEST_GRADE,
        max_value=HIGHEST_GRADE,
        error_messages={"min_value": message, "max_value": message},
    )


class PlanAreaForm(_ConfigForm):
    """An area of the school's plans. Its part cannot change once plans use it: a subject
    area's sections have subgroups every pupil is placed in, part 2's do not."""

    subjects = forms.MultipleChoiceField(
        label=_("Tests of these subject areas"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The results of these tests suggest each pupil's subgroup when a plan is made."
        ),
    )
    grade_low = _grade_field("grade_low")
    grade_high = _grade_field("grade_high")
    state_fields = ["name", "part", "subjects", "grade_low", "grade_high", "position", "active"]
    stale_message = _(
        "Someone else changed this area while you were editing. Their version is shown "
        "beside the form; yours is still in the form. Save again to keep yours."
    )

    class Meta:
        model = PlanArea
        fields = ["name", "part", "subjects", "grade_low", "grade_high", "position", "active"]
        widgets = {"part": forms.RadioSelect}
        help_texts = {"position": _("Areas are shown in plans in this order.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["part"].choices = [
            (value, capfirst(label)) for value, label in PlanPart.choices
        ]
        self.fields["subjects"].choices = [
            (value, capfirst(label)) for value, label in SubjectArea.choices
        ]
        if self.instance.pk:
            self.initial["subjects"] = self.instance.subject_list
            if self.instance.sections.exists():
                self.fields["part"].disabled = True
                self.fields["part"].help_text = _(
                    "Plans use this area, so its part stays as it is. For the other part, "
                    "add a new area."
                )
        self.helper.layout = Layout(
            "name",
            InlineRadios("part"),
            InlineCheckboxes("subjects"),
            Div(
                Div("grade_low", css_class="col-sm-4"),
                Div("grade_high", css_class="col-sm-4"),
                Div("position", css_class="col-sm-4"),
                css_class="row",
            ),
            "active",
            "seen_state",
        )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if self._others().filter(name__iexact=name).exists():
            raise forms.ValidationError(_("The school already has an area with this name."))
        return name

    def clean_subjects(self) -> str:
        chosen = set(self.cleaned_data["subjects"])
        return ",".join(value for value in SubjectArea.values if value in chosen)

    def clean(self):
        data = super().clean()
        low, high = data.get("grade_low"), data.get("grade_high")
        if low is not None and high is not None and low > high:
            self.add_error("grade_high", _("The last grade cannot come before the first."))
        if data.get("part") == PlanPart.ATTITUDE and data.get("subjects"):
            self.add_error(
                "subjects",
                _(
                    "Pupils are not placed in work attitude from test results; leave the "
                    "subject areas unchecked."
                ),
            )
        return data


def _pair(left: str, right: str) -> Div:
    """Two fields side by side on a wide screen."""
    return Div(Div(left, css_class="col-md-6"), Div(right, css_class="col-md-6"), css_class="row")


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: PlanArea) -> str:
        if obj.active:
            return obj.name
        return _("%(name)s (not in new plans)") % {"name": obj.name}


class OfferTemplateForm(_ConfigForm):
    """An entry of the school's library: a title to find it by, what it is meant for (an
    area, a kind of subgroup, or both empty: for everything) and the texts of an offer."""

    state_fields = ["title", "area_id", "kind", *OFFER_FIELDS]
    stale_message = _(
        "Someone else changed this library entry while you were editing. Their version is "
        "shown beside the form; yours is still in the form. Save again to keep yours."
    )

    class Meta:
        model = OfferTemplate
        fields = ["title", "area", "kind", *OFFER_FIELDS]
        field_classes = {"area": AreaChoiceField}
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in OFFER_FIELDS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        area = self.fields["area"]
        area.queryset = PlanArea.objects.for_school(self.school).ordered()
        area.empty_label = _("Every area")
        kind = self.fields["kind"]
        kind.choices = [("", _("Every subgroup"))] + [
            (value, capfirst(label)) for value, label in SubgroupKind.choices
        ]
        # The empty choices say what the model's help texts say.
        area.help_text = kind.help_text = ""
        self.fields["title"].help_text = _("The name teachers choose the entry by in a plan.")
        self.helper.layout = Layout(
            "title",
            _pair("area", "kind"),
            _pair("goal_didactic", "goal_pedagogic"),
            _pair("goal_measure", "goal_criterion"),
            "content",
            "approach",
            "materials",
            "seen_state",
        )

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if self._others().filter(title__iexact=title).exists():
            raise forms.ValidationError(_("The library already has an entry with this title."))
        return title

    def clean(self):
        data = super().clean()
        if not any((data.get(name) or "").strip() for name in OFFER_FIELDS):
            raise forms.ValidationError(
                _("Write at least one text: a goal, the content, the approach or the materials.")
            )
        return data


class ApplyTemplateForm(forms.Form):
    """Which library entry a teacher uses for a subgroup, over the version they saw."""

    template = forms.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        error_messages={"required": _("Choose an entry from the library.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
