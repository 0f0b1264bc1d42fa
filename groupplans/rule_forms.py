"""The form of a school's signal rule for one instrument. It shows only what the instrument can
signal on (levels when its scale has them, growth when it has a score) and carries the
fingerprint of the rule the person saw (`rule_actions.rule_state`)."""

from decimal import Decimal

from crispy_forms.bootstrap import InlineCheckboxes
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from groupplans.models import SignalRule
from groupplans.rule_actions import written_order
from groupplans.signals import Rule
from pupils.models import Instrument

# The largest drop a school may set; on a scale of five levels at most four can happen.
MAX_LEVEL_DROP = 5

# The name of the submit button that deletes the school's rule.
RESET = "restore_default"


def _label(name: str):
    return capfirst(SignalRule._meta.get_field(name).verbose_name)


def _tidy(value: Decimal | None) -> Decimal | None:
    """2.50 as 2.5 and 0.00 as 0, as a person would type it."""
    if value is None:
        return None
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


class SignalRuleForm(forms.Form):
    signal_levels = forms.MultipleChoiceField(
        label=_label("signal_levels"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A latest result at a checked level raises a suggestion."),
    )
    level_drop = forms.IntegerField(
        label=_label("level_drop"),
        help_text=_("How many levels the latest result fell since the previous one; 0: off."),
    )
    min_growth = forms.DecimalField(
        label=_label("min_growth"),
        max_digits=7,
        decimal_places=2,
        required=False,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    seen_state = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args,
        instrument: Instrument,
        rule: Rule,
        seen_state: str,
        can_reset: bool,
        action: str,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.rule = rule
        self.initial.update(
            {
                "signal_levels": [
                    lv for lv in written_order(instrument) if lv in rule.signal_levels
                ],
                "level_drop": rule.level_drop,
                "min_growth": _tidy(rule.min_growth),
                "seen_state": seen_state,
            }
        )
        layout = []
        if instrument.levels:
            self.fields["signal_levels"].choices = [(lv, lv) for lv in written_order(instrument)]
            most = min(MAX_LEVEL_DROP, len(instrument.levels) - 1)
            drop = self.fields["level_drop"]
            drop.min_value, drop.max_value = 0, most
            drop.validators += [MinValueValidator(0), MaxValueValidator(most)]
            drop.widget.attrs.update({"min": 0, "max": most})
            message = _("Enter a drop of 0 to %(most)s levels (0: off).") % {"most": most}
            drop.error_messages.update(min_value=message, max_value=message)
            layout += [InlineCheckboxes("signal_levels"), "level_drop"]
        else:
            del self.fields["signal_levels"], self.fields["level_drop"]
        if instrument.has_score:
            self.fields["min_growth"].help_text = (
                _(
                    "Growth is the change in score since the previous result. A lower score "
                    "is better on this test, so a falling score counts as growth. Empty: off."
                )
                if not instrument.higher_score_is_better
                else _("Growth is the change in score since the previous result. Empty: off.")
            )
            layout.append("min_growth")
        else:
            del self.fields["min_growth"]
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.layout = Layout(*layout, "seen_state")
        self.helper.add_input(Submit("submit", _("Save")))
        if can_reset:
            reset = Submit(RESET, _("Back to the default"))
            reset.field_classes = "btn btn-outline-secondary"
            self.helper.add_input(reset)

    def saw(self, state: str) -> None:
        """From now on the form stands over the rule the person has now been shown."""
        self.data = self.data.copy()
        self.data["seen_state"] = state

    def values(self) -> dict:
        """The rule as saved; what the instrument cannot signal on stays as it was."""
        data = self.cleaned_data
        return {
            "signal_levels": data.get("signal_levels", []),
            "level_drop": data.get("level_drop", self.rule.level_drop),
            "min_growth": data.get("min_growth", self.rule.min_growth),
        }
