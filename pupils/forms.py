import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Role, User


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
