import datetime
import hashlib

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Role, User
from pupils.models import Guardian, ImportKind, Instrument, TestResult


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TeacherAssignmentForm(forms.Form):
    teacher = forms.ModelChoiceField(
        label=_("Teacher"), queryset=User.objects.none(), empty_label=_("Choose a teacher")
    )
    start_date = forms.DateField(label=_("From"), widget=DateInput())
    last_day = forms.DateField(
        label=_("Up to and including"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty when there is no end date yet."),
    )
    is_substitute = forms.BooleanField(label=_("Substitute"), required=False)

    def __init__(self, *args, school, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        teachers = Membership.objects.active().filter(school=school, role=Role.TEACHER)
        self.fields["teacher"].queryset = User.objects.filter(
            pk__in=teachers.values("user_id"), is_active=True
        ).order_by("full_name")
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.add_input(Submit("submit", _("Add teacher")))

    def clean(self):
        data = super().clean()
        start, last = data.get("start_date"), data.get("last_day")
        if start and last and last < start:
            self.add_error("last_day", _("The last day cannot lie before the first day."))
        return data

    @property
    def end_date(self) -> datetime.date | None:
        """The model stores the first day after the assignment (half-open range)."""
        last = self.cleaned_data.get("last_day")
        return last + datetime.timedelta(days=1) if last else None


class TestResultForm(forms.Form):
    """A result entered by hand. Validates against the instrument's scale."""

    instrument = forms.ModelChoiceField(label=_("Test"), queryset=Instrument.objects.none())
    date_taken = forms.DateField(label=_("Date taken"), widget=DateInput())
    moment = forms.CharField(
        label=_("Moment"),
        max_length=10,
        required=False,
        help_text=_('For example "M4" (middle of grade 4) or "E4" (end of grade 4).'),
    )
    score = forms.DecimalField(
        label=_("Score"),
        max_digits=7,
        decimal_places=2,
        required=False,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    level = forms.CharField(label=_("Level"), max_length=10, required=False)

    def __init__(self, *args, pupil, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.pupil = pupil
        self.fields["instrument"].queryset = Instrument.objects.for_school(pupil.school)
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.add_input(Submit("submit", _("Save result")))

    def clean(self):
        data = super().clean()
        instrument, taken = data.get("instrument"), data.get("date_taken")
        if taken:
            if taken > timezone.localdate():
                self.add_error("date_taken", _("A test cannot have been taken in the future."))
            elif taken < self.pupil.date_of_birth:
                self.add_error("date_taken", _("This date lies before the pupil's birth."))
        if instrument is None:
            return data
        if instrument.has_score and data.get("score") is None:
            self.add_error("score", _("This test needs a score."))
        if not instrument.has_score and data.get("score") is not None:
            self.add_error("score", _("This test has levels only; leave the score empty."))
        try:
            data["level"] = instrument.normalise_level(data.get("level") or "")
        except ValueError as error:
            self.add_error("level", str(error))
        if not instrument.has_score and not data.get("level"):
            self.add_error("level", _("This test needs a level."))
        if (
            taken
            and TestResult.objects.filter(
                pupil=self.pupil, instrument=instrument, date_taken=taken
            ).exists()
        ):
            self.add_error(
                "date_taken", _("This pupil already has a result on this test on this date.")
            )
        return data


UPLOAD_LIMITS = {ImportKind.EDEXML: 20 * 1024 * 1024}
DEFAULT_UPLOAD_LIMIT = 10 * 1024 * 1024


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What does the file hold?"), choices=ImportKind.choices)
    file = forms.FileField(label=_("File"))

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.add_input(Submit("submit", _("Upload and check")))

    def clean(self):
        data = super().clean()
        upload, kind = data.get("file"), data.get("kind")
        if upload and kind:
            limit = UPLOAD_LIMITS.get(kind, DEFAULT_UPLOAD_LIMIT)
            if upload.size > limit:
                self.add_error(
                    "file",
                    _("The file is too large (%(size)s); the limit is %(limit)s.")
                    % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
                )
        return data


class ColumnsForm(forms.Form):
    """Match each of our fields to one of the file's columns."""

    def __init__(self, *args, fields, headers: list[str], initial_columns: dict, action: str, **kw):
        super().__init__(*args, **kw)
        choices = [("", _("— not in the file —")), *((h, h) for h in headers)]
        for f in fields:
            self.fields[f.name] = forms.ChoiceField(
                label=f.label,
                choices=choices,
                required=f.required,
                initial=initial_columns.get(f.name, ""),
            )
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.add_input(Submit("submit", _("Use these columns")))

    def clean(self):
        data = super().clean()
        used: dict[str, str] = {}
        for name, header in list(data.items()):
            if not header:
                continue
            if header in used:
                self.add_error(
                    name,
                    _("Column %(column)s is already used for %(field)s.")
                    % {"column": header, "field": self.fields[used[header]].label},
                )
            used[header] = name
        return data


class ImportOptionsForm(forms.Form):
    full = forms.BooleanField(
        label=_("This is a full export of the school"),
        required=False,
        help_text=_(
            "Then pupils missing from the file are marked as left, and staff missing from it "
            "lose their roles here. A partial export never removes anyone."
        ),
    )
    create_school_year = forms.BooleanField(
        label=_("Create the school year of this file"), required=False
    )
    skip_problems = forms.BooleanField(
        label=_("Skip the rows with problems (and the rows that depend on them)"),
        required=False,
    )

    def __init__(self, *args, kind: str, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        if kind != ImportKind.EDEXML:
            del self.fields["full"]
            del self.fields["create_school_year"]
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.add_input(Submit("options", _("Update the preview"), css_class="btn-secondary"))


class RolloverForm(forms.Form):
    """One choice per pupil: the group next year, or leaving the school."""

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        from pupils.rollover import LEAVES

        choices = [(name, name) for name in plan.target_group_names] + [
            (LEAVES, _("leaves the school"))
        ]
        self.moves = plan.moves
        for move in plan.moves:
            self.fields[f"pupil_{move.pupil.pk}"] = forms.ChoiceField(
                label=move.pupil.full_name,
                choices=choices,
                initial=move.default,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )

    def rows(self):
        """(move, bound field) per pupil, for the table."""
        return [(move, self[f"pupil_{move.pupil.pk}"]) for move in self.moves]

    def choices(self) -> dict[int, str]:
        return {move.pupil.pk: self.cleaned_data[f"pupil_{move.pupil.pk}"] for move in self.moves}


def record_state(instance, fields: list[str]) -> str:
    """A fingerprint of what a person saw of a record, to catch a save over someone else's."""
    values = "\x1f".join(str(getattr(instance, name)) for name in fields)
    return hashlib.sha256(values.encode()).hexdigest()[:32]


class GuardianForm(forms.ModelForm):
    """A guardian entered by hand. A stale save (someone changed the guardian since this form
    was opened) is refused with the current values shown, so nothing is lost silently."""

    seen_state = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Guardian
        fields = ["name", "relation", "has_parental_authority", "phone", "email"]

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.current = None
        if self.instance.pk and not self.is_bound:
            self.initial["seen_state"] = record_state(self.instance, self.Meta.fields)
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.add_input(Submit("submit", _("Save")))

    def clean(self):
        data = super().clean()
        if self.instance.pk:
            current = Guardian.objects.get(pk=self.instance.pk)
            if record_state(current, self.Meta.fields) != data.get("seen_state"):
                self.current = current
                # From now on the form compares against what the person has now been shown.
                self.data = self.data.copy()
                self.data["seen_state"] = record_state(current, self.Meta.fields)
                raise forms.ValidationError(
                    _(
                        "Someone else changed this guardian while you were editing. Their "
                        "version is shown below; yours is still in the form. Save again to "
                        "keep yours."
                    )
                )
        return data


class InstrumentForm(forms.ModelForm):
    class Meta:
        model = Instrument
        fields = ["name", "subject", "score_kind", "level_scale", "higher_score_is_better"]

    def __init__(self, *args, school, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.add_input(Submit("submit", _("Add test")))

    def clean(self):
        data = super().clean()
        name = (data.get("name") or "").strip()
        if name and Instrument.objects.for_school(self.school).filter(name__iexact=name).exists():
            self.add_error("name", _("There is already a test with this name."))
        if data.get("score_kind") == "level_only" and data.get("level_scale") == "none":
            self.add_error("level_scale", _("A test with levels only needs a scale of levels."))
        return data
