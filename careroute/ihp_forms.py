"""The forms of the IHP and OPP pages. Rules live in careroute/ihp.py and careroute/opp.py."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from careroute.ihp import GOAL_FIELDS, SECTION_FIELDS, evaluation_problems, goal_owners
from careroute.models import GoalOutcome, GoalTerm, IHPOutcome
from careroute.opp import OPP_FIELDS

MAX_TEXT = 5000
MAX_LINE = 300


def _helper(action: str, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.form_action = action
    helper.add_input(Submit("submit", submit))
    return helper


def _date(label, required=True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def _text(label, rows=3, required=False) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class SectionsForm(forms.Form):
    """Sections 1, 3, 4, 5 and 7 over the version the person saw. Once started, the term is
    shown but not posted."""

    starting_situation = _text(_("1. Starting situation"), rows=8)
    term_start = _date(_("3. Term: from"), required=False)
    term_end = _date(_("3. Term: until"), required=False)
    content = _text(_("4. Content: what is done, how and with what"), rows=4)
    people_involved = _text(_("5. People involved"), rows=2)
    evaluation_what = _text(_("7. Evaluation: what"), rows=2)
    evaluation_who = _text(_("7. Evaluation: who"), rows=2)
    evaluation_how = _text(_("7. Evaluation: how"), rows=2)
    evaluation_criteria = _text(_("7. Evaluation: criteria"), rows=2)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, ihp, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.update({name: getattr(ihp, name) for name in SECTION_FIELDS})
        self.initial["version"] = ihp.version
        if ihp.status != "draft":
            for name in ("term_start", "term_end"):
                self.fields[name].disabled = True
        self.helper = _helper(action, _("Save the sections"))

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in SECTION_FIELDS}


class GoalForm(forms.Form):
    term = forms.ChoiceField(label=_("Term"), choices=GoalTerm.choices)
    description = _text(_("Goal"), rows=2, required=True)
    measure = forms.CharField(label=_("What is measured"), max_length=MAX_LINE, required=False)
    criterion = forms.CharField(
        label=_("Criterion"),
        max_length=MAX_LINE,
        required=False,
        help_text=_("For example: 45 words per minute. A number makes the chart show a line."),
    )
    target_date = _date(_("Target date"), required=False)
    owner = forms.ModelChoiceField(
        label=_("Owner"), queryset=None, required=False, empty_label=_("Choose the owner")
    )

    def __init__(self, *args, ihp, action: str, goal=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only those who may read the IHP; a forged owner is refused as an invalid choice.
        self.fields["owner"].queryset = goal_owners(ihp.pupil)
        self.fields["owner"].label_from_instance = lambda user: user.full_name
        if goal is not None:
            self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
            self.initial.update(
                {
                    "term": goal.term,
                    "description": goal.description,
                    "measure": goal.measure,
                    "criterion": goal.criterion,
                    "target_date": goal.target_date,
                    "owner": goal.owner_id,
                    "version": goal.version,
                }
            )
        self.helper = _helper(action, _("Save the goal") if goal else _("Add the goal"))

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in GOAL_FIELDS}


class OrganisationForm(forms.Form):
    goal = forms.ModelChoiceField(
        label=_("Goal"), queryset=None, required=False, empty_label=_("all goals")
    )
    who = forms.CharField(label=_("Who"), max_length=200)
    how_often = forms.CharField(label=_("How often"), max_length=100, required=False)
    where = forms.CharField(label=_("Where"), max_length=100, required=False)
    when = forms.CharField(label=_("When"), max_length=100, required=False)
    duration = forms.CharField(label=_("How long"), max_length=100, required=False)

    def __init__(self, *args, ihp, goals, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = ihp.goals.order_by("position", "pk")
        numbers = {goal.pk: n for n, goal in enumerate(goals, start=1)}
        self.fields["goal"].label_from_instance = lambda goal: (
            f"{numbers.get(goal.pk, '')}. {goal.description[:60]}"
        )
        self.helper = _helper(action, _("Add the row"))

    def values(self) -> dict:
        return dict(self.cleaned_data)


class DataPointForm(forms.Form):
    date = _date(_("Date"))
    value = forms.DecimalField(label=_("Value"), required=False, max_digits=8, decimal_places=2)
    observation = forms.CharField(label=_("Or an observation"), max_length=MAX_TEXT, required=False)

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(action, _("Add the data point"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("value") is None and not (cleaned.get("observation") or "").strip():
            raise forms.ValidationError(_("Give a value or an observation."))
        return cleaned


class NewIHPForm(forms.Form):
    based_on = forms.ModelChoiceField(
        label=_("Based on the pupil meeting"),
        queryset=None,
        required=False,
        empty_label=_("(no pupil meeting)"),
    )

    def __init__(self, *args, items, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["based_on"].queryset = items
        self.fields["based_on"].label_from_instance = lambda item: (
            f"{item.meeting.title} · {item.meeting.date:%d-%m-%Y}"
        )
        if items:
            self.initial["based_on"] = items[0].pk
        self.helper = _helper(action, _("New IHP"))


YES_NO = [("yes", _("yes")), ("no", _("no"))]


class EvaluateForm(forms.Form):
    """Per goal: reached, partly or not reached with notes; then what happens next."""

    # No choice made beforehand: rejoining, a new IHP or external steps is the IB's decision.
    outcome = forms.ChoiceField(
        label=_("What happens next"), choices=[("", _("Choose …")), *IHPOutcome.choices]
    )
    result_sufficient = forms.ChoiceField(
        label=_("Is the result enough?"), choices=YES_NO, widget=forms.RadioSelect
    )
    notes = _text(_("Evaluation"), rows=3)

    def __init__(self, *args, ihp, goals, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        outcome = self.fields.pop("outcome")
        sufficient = self.fields.pop("result_sufficient")
        notes = self.fields.pop("notes")
        for number, goal in enumerate(goals, start=1):
            self.fields[f"goal_{goal.pk}"] = forms.ChoiceField(
                label=_("Goal %(number)s: %(goal)s")
                % {"number": number, "goal": goal.description[:80]},
                choices=GoalOutcome.choices,
                widget=forms.RadioSelect,
            )
            self.fields[f"goal_{goal.pk}_notes"] = forms.CharField(
                label=_("Notes on goal %(number)s") % {"number": number},
                help_text=None
                if goal.data_points.exists()
                else _("This goal has no data points: say why."),
                required=False,
                max_length=MAX_TEXT,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.fields["outcome"] = outcome
        self.fields["result_sufficient"] = sufficient
        self.fields["notes"] = notes
        self.ihp = ihp
        self.goals = goals
        self.helper = _helper(action, _("Evaluate and lock the IHP"))

    def clean(self):
        """The rules' refusal (careroute.ihp.evaluation_problems), every problem at once, over
        what could be read of the form."""
        cleaned = super().clean()
        sufficient = cleaned.get("result_sufficient")
        problems = evaluation_problems(
            self.ihp,
            self.goals,
            self.goal_outcomes(),
            cleaned.get("outcome", ""),
            None if sufficient is None else sufficient == "yes",
        )
        if problems:
            raise forms.ValidationError(problems)
        return cleaned

    def goal_outcomes(self) -> dict:
        return {
            goal.pk: (
                self.cleaned_data.get(f"goal_{goal.pk}", ""),
                self.cleaned_data.get(f"goal_{goal.pk}_notes", ""),
            )
            for goal in self.goals
        }


class OPPForm(forms.Form):
    exit_level = forms.CharField(label=_("Expected exit level"), max_length=100, required=False)
    rationale = _text(_("Rationale"), rows=4)
    hindering = _text(_("Hindering factors"), rows=6)
    stimulating = _text(_("Stimulating factors"), rows=6)
    support = _text(_("Support to be given"), rows=5)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, opp, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.update({name: getattr(opp, name) for name in OPP_FIELDS})
        self.initial["version"] = opp.version

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in OPP_FIELDS}


class AgreementForm(forms.Form):
    agreed_on = _date(_("The parents agreed on"))
    how = forms.CharField(
        label=_("How"),
        max_length=MAX_TEXT,
        help_text=_("For example: in a conversation with both parents; signed form."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, opp, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["version"] = opp.version
        self.helper = _helper(action, _("Record the agreement"))


class OPPEvaluationForm(forms.Form):
    date = _date(_("Date"))
    with_parents = forms.BooleanField(label=_("With the parents"), required=False, initial=True)
    notes = _text(_("Evaluation"), rows=3, required=True)

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(action, _("Add the evaluation"))
