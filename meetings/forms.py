"""Forms of the year plan. Each validates and normalises; the actions decide."""

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib import messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from meetings.models import AGENDA, CHECKLIST, Meeting, MeetingKind
from pupils.models import Group
from schools.models import Period, SchoolYear

LOCATION_MAX_LENGTH = 120


def stale_form(request, current, build, warning: str | None = None) -> forms.Form:
    """After a stale save: the form `build(data)` again with what the person typed, now over
    the version saved meanwhile (`current`), validated so its errors show, with a warning
    (by default: someone else saved). The view renders it beside that version."""
    data = request.POST.copy()
    data["version"] = str(current.version)
    form = build(data)
    form.is_valid()
    messages.warning(
        request,
        warning
        or gettext("Someone else saved this while you were editing it. Check both versions."),
    )
    return form


WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
]


def _date_field(**kwargs) -> forms.DateField:
    return forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **kwargs
    )


def _time_field(**kwargs) -> forms.TimeField:
    return forms.TimeField(
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"), required=False, **kwargs
    )


def _location_field() -> forms.CharField:
    return forms.CharField(label=_("Location"), max_length=LOCATION_MAX_LENGTH, required=False)


def _helper(action: str, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.form_action = action
    helper.add_input(Submit("submit", submit))
    return helper


class GroupMeetingsForm(forms.Form):
    """One date per group still without a group meeting in the period; an empty date leaves
    the group out."""

    start_time = _time_field(label=_("Start time"))

    def __init__(self, *args, period: Period, groups: list[Group], defaults, action, **kw):
        super().__init__(*args, **kw)
        self.period = period
        self.groups = groups
        for group in groups:
            self.fields[f"group_{group.pk}"] = _date_field(
                label=group.name, required=False, initial=defaults.get(group.pk)
            )
        self.helper = _helper(action, _("Plan the group meetings"))

    def clean(self):
        data = super().clean()
        year = self.period.school_year
        for group in self.groups:
            day = data.get(f"group_{group.pk}")
            if day and not year.start_date <= day <= year.end_date:
                self.add_error(
                    f"group_{group.pk}",
                    _("The date falls outside school year %(year)s.") % {"year": year.name},
                )
        if not any(data.get(f"group_{group.pk}") for group in self.groups):
            raise forms.ValidationError(_("Give at least one group a date."))
        return data

    def dates(self) -> dict[int, datetime.date]:
        return {
            group.pk: self.cleaned_data[f"group_{group.pk}"]
            for group in self.groups
            if self.cleaned_data.get(f"group_{group.pk}")
        }


class CareTeamMeetingsForm(forms.Form):
    school_year = forms.ModelChoiceField(
        label=_("School year"), queryset=SchoolYear.objects.none(), empty_label=None
    )
    count = forms.IntegerField(label=_("Number of meetings"), min_value=1, max_value=20, initial=6)
    weekday = forms.TypedChoiceField(label=_("Weekday"), choices=WEEKDAYS, coerce=int, initial=1)
    start_time = _time_field(label=_("Start time"))
    location = _location_field()

    def __init__(self, *args, years, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_year"].queryset = years
        self.helper = _helper(action, _("Plan the care-team meetings"))


class MeetingForm(forms.Form):
    """A single meeting: a pupil meeting when needed, or one more of the other kinds."""

    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)
    date = _date_field(label=_("Date"))
    start_time = _time_field(label=_("Start time"))
    location = _location_field()
    group = forms.ModelChoiceField(
        label=_("Group"),
        queryset=Group.objects.none(),
        required=False,
        empty_label=_("Choose a group"),
        help_text=_("For a group meeting."),
    )
    period = forms.ModelChoiceField(
        label=_("Period"),
        queryset=Period.objects.none(),
        required=False,
        empty_label=_("Choose a period"),
        help_text=_("For a group meeting."),
    )

    def __init__(self, *args, groups, periods, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
        self.fields["period"].queryset = periods
        self.helper = _helper(action, _("Plan the meeting"))

    def clean(self):
        data = super().clean()
        if data.get("kind") == MeetingKind.GROUP:
            for name in ("group", "period"):
                if not data.get(name):
                    self.add_error(name, _("A group meeting needs a group and a period."))
        return data


class RescheduleForm(forms.Form):
    """Date, time and place of a planned meeting, over the version the person saw."""

    date = _date_field(label=_("Date"))
    start_time = _time_field(label=_("Start time"))
    location = _location_field()
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, meeting: Meeting, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.update(
            {
                "date": meeting.date,
                "start_time": meeting.start_time,
                "location": meeting.location,
                "version": meeting.version,
            }
        )
        self.helper = _helper(action, _("Save"))


# The group meeting (slice 2) ---------------------------------------------------------------

TEXT_MAX_LENGTH = 10000


def _text(label) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MinutesForm(forms.Form):
    """The IB's minutes: the fixed agenda and the report, over the version they saw."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, minutes, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in AGENDA:
            self.fields[name] = _text(label)
        self.fields["report"] = _text(_("Report"))
        self.fields["report"].widget.attrs["rows"] = 6
        self.fields["version"] = self.fields.pop("version")
        self.initial.update({name: getattr(minutes, name) for name in self.text_fields})
        self.initial["version"] = minutes.version
        self.helper = _helper(action, _("Save the minutes"))

    @property
    def text_fields(self) -> list[str]:
        return [name for name in self.fields if name != "version"]

    def values(self) -> dict:
        return {name: self.cleaned_data[name].strip() for name in self.text_fields}


class SummaryForm(forms.Form):
    """The teacher's own short summary of the group meeting."""

    teacher_summary = _text(_("Summary of the teacher"))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, minutes, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.update(
            {"teacher_summary": minutes.teacher_summary, "version": minutes.version}
        )
        self.helper = _helper(action, _("Save the summary"))

    def values(self) -> dict:
        return {"teacher_summary": self.cleaned_data["teacher_summary"].strip()}


class PreparationForm(forms.Form):
    """The teacher's preparation checklist."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, preparation, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in CHECKLIST:
            self.fields[name] = forms.BooleanField(label=label, required=False)
        self.fields["version"] = self.fields.pop("version")
        self.initial.update({name: getattr(preparation, name) for name, _label in CHECKLIST})
        self.initial["version"] = preparation.version
        self.helper = _helper(action, _("Save the preparation"))

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name, _label in CHECKLIST}


class AddendumForm(forms.Form):
    text = forms.CharField(
        label=_("Addendum"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(action, _("Add the addendum"))


class ItemMinutesForm(forms.Form):
    """An item's minutes over the version the person saw: a group meeting's notes about one
    pupil, or a care-team item's question, advice, agreements and follow-up."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, item, names: list[str], action: str, **kwargs):
        super().__init__(*args, **kwargs)
        for name in names:
            label = item._meta.get_field(name).verbose_name
            self.fields[name] = _text(label[:1].upper() + label[1:])
        self.fields["version"] = self.fields.pop("version")
        self.initial.update({name: getattr(item, name) for name in names})
        self.initial["version"] = item.version
        self.names = names
        self.helper = _helper(action, _("Save"))

    def values(self) -> dict:
        return {name: self.cleaned_data[name].strip() for name in self.names}


class ZoomInForm(forms.Form):
    """A pupil of the group to zoom in on in a group meeting."""

    pupil = forms.ModelChoiceField(label=_("Pupil"), queryset=None, empty_label=None)

    def __init__(self, *args, pupils, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupil"].queryset = pupils
        self.fields["pupil"].label_from_instance = lambda pupil: pupil.full_name
        self.helper = _helper(action, _("Zoom in on this pupil"))


class AttendeeForm(forms.Form):
    """A colleague with an account at the school, or a guest by name; a discipline for both."""

    user = forms.ModelChoiceField(
        label=_("Colleague"), queryset=None, required=False, empty_label=_("(a guest)")
    )
    name = forms.CharField(label=_("Or a guest's name"), max_length=150, required=False)
    discipline = forms.CharField(
        label=_("Discipline"),
        max_length=100,
        required=False,
        help_text=_("For example: orthopedagogue, school social work, youth doctor."),
    )

    def __init__(self, *args, users, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users
        self.fields["user"].label_from_instance = lambda user: user.full_name
        self.helper = _helper(action, _("Add the attendee"))

    def clean(self):
        data = super().clean()
        if not data.get("user") and not (data.get("name") or "").strip():
            raise forms.ValidationError(_("Choose a colleague or write a guest's name."))
        if data.get("user") and (data.get("name") or "").strip():
            raise forms.ValidationError(_("Choose a colleague or write a guest's name, not both."))
        return data
