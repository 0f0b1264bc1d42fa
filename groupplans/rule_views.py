"""The school's signal rules (HGW step 2), kept by the IB: per instrument, which results
suggest that a pupil needs extra support. Without a rule of its own, an instrument follows
the default (`signals.default_rule`)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from groupplans.rule_actions import (
    StaleRule,
    reset_signal_rule,
    rule_in_effect,
    rule_state,
    save_signal_rule,
    written_order,
)
from groupplans.rule_forms import RESET, SignalRuleForm
from groupplans.signals import Rule, default_rule, number, rules_for
from hgw import access
from pupils.models import Instrument

PER_PAGE = 50


def _in_words(instrument: Instrument, rule: Rule) -> list[str]:
    """The rule as the IB reads it, one part per way a result can raise a suggestion; only
    what the instrument can signal on (levels when it has a scale, growth when it has a
    score)."""
    parts = []
    if instrument.levels:
        levels = [level for level in written_order(instrument) if level in rule.signal_levels]
        if len(levels) == 1:
            parts.append(_("level %(level)s") % {"level": levels[0]})
        elif levels:
            parts.append(
                _("level %(levels)s or %(last)s")
                % {"levels": ", ".join(levels[:-1]), "last": levels[-1]}
            )
        if rule.level_drop:
            parts.append(
                ngettext(
                    "dropped %(count)s level or more",
                    "dropped %(count)s levels or more",
                    rule.level_drop,
                )
                % {"count": rule.level_drop}
            )
    if instrument.has_score and rule.min_growth is not None:
        growth = {"threshold": number(rule.min_growth)}
        if instrument.higher_score_is_better:
            parts.append(_("growth below %(threshold)s") % growth)
        else:
            parts.append(_("growth below %(threshold)s (a falling score is growth)") % growth)
    return parts or [_("no signals")]


def _instrument_or_404(actor: access.Actor, pk: int) -> Instrument:
    try:
        return Instrument.objects.for_school(actor.school).get(pk=pk)
    except Instrument.DoesNotExist:
        raise Http404 from None


def rule_list(request: HttpRequest) -> HttpResponse:
    actor = access.actor_for(request)
    if not access.can_configure_signals(actor):
        raise Http404
    instruments = Instrument.objects.for_school(actor.school).order_by("subject", "name")
    page = Paginator(instruments, PER_PAGE).get_page(request.GET.get("page"))
    rules = rules_for(actor.school)
    rows = []
    for instrument in page:
        rule = rules.get(instrument.pk) or default_rule(instrument)
        rows.append({"instrument": instrument, "rule": rule, "words": _in_words(instrument, rule)})
    return render(request, "groupplans/rule_list.html", {"page": page, "rows": rows})


def rule_edit(request: HttpRequest, instrument_pk: int) -> HttpResponse:
    actor = access.actor_for(request)
    if not access.can_configure_signals(actor):
        raise Http404
    instrument = _instrument_or_404(actor, instrument_pk)
    rule, row = rule_in_effect(actor.school, instrument)
    form = SignalRuleForm(
        request.POST or None,
        instrument=instrument,
        rule=rule,
        seen_state=rule_state(instrument, rule),
        can_reset=row is not None,
        action=reverse("groupplans:rule_edit", kwargs={"instrument_pk": instrument.pk}),
    )
    names = {"instrument": instrument.name}
    conflict = None
    try:
        if request.method == "POST" and RESET in request.POST:
            reset_signal_rule(
                school=actor.school,
                instrument=instrument,
                seen_state=request.POST.get("seen_state", ""),
            )
            messages.success(request, _("%(instrument)s follows the default rule again.") % names)
            return redirect("groupplans:rule_list")
        if request.method == "POST" and form.is_valid():
            save_signal_rule(
                school=actor.school,
                instrument=instrument,
                **form.values(),
                seen_state=form.cleaned_data["seen_state"],
                by=request.user,
            )
            messages.success(
                request, _("The signal rule of %(instrument)s has been saved.") % names
            )
            return redirect("groupplans:rule_list")
    except StaleRule as stale:
        form.saw(rule_state(instrument, stale.current))
        conflict = {
            "words": _in_words(instrument, stale.current),
            "row": stale.row,
            "is_default": stale.row is None,
        }
    return render(
        request,
        "groupplans/rule_form.html",
        {
            "instrument": instrument,
            "form": form,
            "words": _in_words(instrument, rule),
            "row": row,
            "conflict": conflict,
        },
    )
