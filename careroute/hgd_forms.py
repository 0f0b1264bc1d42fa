"""Forms of diagnostics (HGD): the request, the report upload and the recommendations."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from careroute.models import HGDRequest
from meetings.forms import TEXT_MAX_LENGTH


def _text(label, *, required=False, rows=3, help_text="") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_MAX_LENGTH,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class HGDRequestForm(forms.Form):
    """The question for the external expert, and who the expert is."""

    question = _text(
        _("Question for the expert"),
        required=True,
        help_text=_("What do teacher, parents and IB want to understand or know what to do about?"),
    )
    expert_name = forms.CharField(label=_("External expert"), max_length=200)
    expert_discipline = forms.CharField(
        label=_("Discipline"),
        max_length=100,
        required=False,
        help_text=_("For example psychologist, orthopedagogue, school doctor, social worker."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(self, *args, hgd: HGDRequest | None, action: str, **kwargs):
        kwargs.setdefault("auto_id", "request-%s")
        super().__init__(*args, **kwargs)
        if hgd is not None:
            self.initial.update(
                {
                    "question": hgd.question,
                    "expert_name": hgd.expert_name,
                    "expert_discipline": hgd.expert_discipline,
                    "version": hgd.version,
                }
            )
            self.fields["version"].required = True
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.form_id = "hgd-request"
        label = _("Save the request") if hgd is not None else _("Request diagnostics")
        self.helper.add_input(Submit("save", label))

    def values(self) -> dict:
        return {
            name: self.cleaned_data[name].strip()
            for name in ("question", "expert_name", "expert_discipline")
        }


class ReportUploadForm(forms.Form):
    """The expert's report: a PDF, checked by its content and size in the action."""

    report = forms.FileField(
        label=_("Report (PDF)"),
        help_text=_("A PDF file of at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args, action: str, replacing: bool = False, **kwargs):
        kwargs.setdefault("auto_id", "upload-%s")
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.form_id = "hgd-upload"
        label = _("Replace the report") if replacing else _("Upload the report")
        self.helper.add_input(Submit("upload", label))


class RecommendationsForm(forms.Form):
    """The IB's account of the report: the recommendations and the educational needs."""

    recommendations = _text(_("Recommendations"), rows=5)
    educational_needs = _text(
        _("Educational needs"),
        rows=4,
        help_text=_("What this pupil needs, in the words of the group overview."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, hgd: HGDRequest, action: str, **kwargs):
        kwargs.setdefault("auto_id", "advice-%s")
        super().__init__(*args, **kwargs)
        self.initial.update(
            {
                "recommendations": hgd.recommendations,
                "educational_needs": hgd.educational_needs,
                "version": hgd.version,
            }
        )
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.form_id = "hgd-advice"
        self.helper.add_input(Submit("save", _("Save the recommendations")))
