"""The forms of consent and the care-team registration and case."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from careroute.consents import check_form_file
from careroute.models import ConsentDecision, ConsentHow, ConsentPurpose, HGDRequest
from meetings.forms import TEXT_MAX_LENGTH
from pupils.forms import DateInput

# The purposes recorded here, with their scope (HGD consent is for a request of the pupil).
PURPOSES = [
    (ConsentPurpose.CARE_TEAM.value, _("discussion by the care team (this registration)")),
    (ConsentPurpose.HGD.value, ConsentPurpose.HGD.label),
    (ConsentPurpose.ZAT.value, ConsentPurpose.ZAT.label),
    (ConsentPurpose.RECIPIENT.value, ConsentPurpose.RECIPIENT.label),
    (ConsentPurpose.REFERRAL.value, ConsentPurpose.REFERRAL.label),
]


def _helper(action: str, label) -> FormHelper:
    helper = FormHelper()
    helper.form_action = action
    helper.add_input(Submit("save", label))
    return helper


class ConsentForm(forms.Form):
    """One guardian's decision, on a signed form (uploaded PDF) or in a conversation (a note in
    the pupil log is written with it)."""

    guardian = forms.TypedChoiceField(label=_("Guardian"), coerce=int)
    purpose = forms.ChoiceField(label=_("For"), choices=PURPOSES)
    hgd_request = forms.TypedChoiceField(
        label=_("Diagnostics request"), coerce=int, required=False, empty_value=None
    )
    recipient = forms.CharField(label=_("Recipient"), max_length=200, required=False)
    decision = forms.ChoiceField(
        label=_("Decision"), choices=ConsentDecision.choices, widget=forms.RadioSelect
    )
    decided_on = forms.DateField(label=_("Date of the decision"), widget=DateInput())
    end_date = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty when the consent has no end date."),
    )
    how = forms.ChoiceField(label=_("How"), choices=ConsentHow.choices, widget=forms.RadioSelect)
    form_file = forms.FileField(
        label=_("Signed form (PDF, at most 5 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
    participants = forms.CharField(
        label=_("Who took part in the conversation"), max_length=300, required=False
    )
    notes = forms.CharField(
        label=_("Note of the conversation (saved in the pupil log)"),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, pupil, registration, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.pupil = pupil
        self.registration = registration
        self.guardians = {g.pk: g for g in pupil.guardians.all()}
        self.fields["guardian"].choices = [
            (
                g.pk,
                f"{g.name} ({g.get_relation_display()})"
                + ("" if g.has_parental_authority else f", {_('no parental authority')}"),
            )
            for g in self.guardians.values()
        ]
        self.hgd_requests = {
            r.pk: r for r in HGDRequest.objects.filter(pupil=pupil).order_by("-created_at")
        }
        self.fields["hgd_request"].choices = [("", "---------")] + [
            (r.pk, f"{r.question[:60]} ({r.expert_name})") for r in self.hgd_requests.values()
        ]
        self.initial.setdefault("decided_on", timezone.localdate())
        self.initial.setdefault("purpose", ConsentPurpose.CARE_TEAM)
        self.helper = _helper(action, _("Record the decision"))

    def clean(self):
        data = super().clean()
        purpose = data.get("purpose")
        if purpose == ConsentPurpose.CARE_TEAM and self.registration is None:
            self.add_error(
                "purpose", _("Register the pupil for the care team first (below on this page).")
            )
        if purpose == ConsentPurpose.HGD and data.get("hgd_request") not in self.hgd_requests:
            self.add_error("hgd_request", _("Choose the diagnostics request."))
        if purpose == ConsentPurpose.RECIPIENT and not (data.get("recipient") or "").strip():
            self.add_error("recipient", _("Name the recipient."))
        how = data.get("how")
        if how == ConsentHow.FORM and "form_file" not in self.errors:
            try:
                check_form_file(data.get("form_file") or None)
            except ValidationError as problem:
                self.add_error("form_file", problem)
        if how == ConsentHow.CONVERSATION and not (data.get("notes") or "").strip():
            self.add_error("notes", _("Write down what was said in the conversation."))
        decided_on = data.get("decided_on")
        if decided_on and decided_on > timezone.localdate():
            self.add_error("decided_on", _("The date of the decision cannot be in the future."))
        end_date = data.get("end_date")
        if decided_on and end_date and end_date < decided_on:
            self.add_error("end_date", _("The end date comes before the date of the decision."))
        return data

    def clean_guardian(self):
        value = self.cleaned_data["guardian"]
        if value not in self.guardians:
            raise ValidationError(_("Choose one of the pupil's guardians."))
        return value


class CareTeamRegistrationForm(forms.Form):
    question = forms.CharField(
        label=_("Question for the care team (formulated with the parents)"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    parents_involved = forms.CharField(
        label=_("How the parents were involved"),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(self, *args, registration, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        if registration is not None:
            self.initial.update(
                {
                    "question": registration.question,
                    "parents_involved": registration.parents_involved,
                    "version": registration.version,
                }
            )
            self.fields["version"].required = True
        self.helper = _helper(action, _("Save the registration"))


class MonitoringForm(forms.Form):
    since = forms.DateField(label=_("Monitoring since"), widget=DateInput())


class CloseCaseForm(forms.Form):
    outcome = forms.CharField(
        label=_("Outcome"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(action, _("Close the case"))


class AgendaForm(forms.Form):
    meeting = forms.TypedChoiceField(label=_("Care-team meeting"), coerce=int)

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.meetings = {m.pk: m for m in meetings}
        self.offer(self.meetings.values())

    def offer(self, meetings) -> None:
        """The meetings the picker shows (after a refusal: those the case can go on)."""
        self.fields["meeting"].choices = [
            (m.pk, f"{m.date:%d-%m-%Y} · {m.title}") for m in meetings
        ]
