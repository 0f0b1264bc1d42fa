"""The pupil log (logboek): the dossier tab, and adding and editing a note."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from hgw import access
from pupils.log_forms import PupilLogEntryForm
from pupils.models import LogKind, Pupil, PupilLogEntry, PupilLogQuerySet

PAGE_SIZE = 20


def pupil_log(request: HttpRequest, pk: int) -> HttpResponse:
    """The dossier tab "logboek": the notes, newest first, optionally of one kind.

    `?notitie=<id>` (a link from another page, or back from saving) opens the page that holds
    that note.
    """
    actor = access.actor_for(request)
    pupil = access.get_pupil_or_404(request, pk, access.Category.LEARNING)
    kind = request.GET.get("soort", "")
    if kind not in LogKind.values:
        kind = ""
    entries = PupilLogEntry.objects.filter(pupil=pupil).select_related("author").newest_first()
    if kind:
        entries = entries.of_kind(kind)
    page = Paginator(entries, PAGE_SIZE).get_page(_page_number(request, entries))
    return render(
        request,
        "pupils/pupil_log.html",
        {
            "pupil": pupil,
            "page": page,
            "kinds": LogKind.choices,
            "kind": kind,
            "extra_query": urlencode({"soort": kind}) if kind else "",
            "can_write_pupil_log": access.can_write_pupil_log(actor, pupil),
            "editable": access.log_entries_editable(actor, pupil, page.object_list),
        },
    )


def _page_number(request: HttpRequest, entries: PupilLogQuerySet) -> str | int | None:
    """The page asked for, or the one that holds the note `?notitie=` names."""
    wanted = request.GET.get("notitie", "")
    if wanted.isascii() and wanted.isdigit() and len(wanted) <= 12:
        note = entries.filter(pk=int(wanted)).values("date", "pk").first()
        if note is not None:
            newer = entries.filter(
                Q(date__gt=note["date"]) | Q(date=note["date"], pk__gt=note["pk"])
            ).count()
            return newer // PAGE_SIZE + 1
    return request.GET.get("page")


def log_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = access.actor_for(request)
    pupil = access.get_pupil_or_404(request, pk, access.Category.LEARNING)
    if not access.can_write_pupil_log(actor, pupil):
        raise Http404
    form = PupilLogEntryForm(
        request.POST or None,
        instance=PupilLogEntry(pupil=pupil, author=request.user),
        pupil=pupil,
        action=reverse("pupils:log_add", kwargs={"pk": pupil.pk}),
    )
    if request.method == "POST" and form.is_valid():
        entry = form.save()
        messages.success(request, _("The note has been saved."))
        return redirect(entry.get_absolute_url())
    return _render_form(request, pupil, form)


def log_edit(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    actor = access.actor_for(request)
    pupil = access.get_pupil_or_404(request, pk, access.Category.LEARNING)
    with transaction.atomic():
        # Locked from the version check to the save: two saves over one version cannot both
        # pass (a no-op on SQLite, which writes one transaction at a time anyway).
        entries = PupilLogEntry.objects.filter(pupil=pupil)
        if request.method == "POST":
            entries = entries.select_for_update()
        try:
            entry = entries.get(pk=entry_pk)
        except PupilLogEntry.DoesNotExist:
            raise Http404 from None
        entry.pupil = pupil
        if not access.can_edit_log_entry(actor, entry):
            raise Http404
        form = PupilLogEntryForm(
            request.POST or None,
            instance=entry,
            pupil=pupil,
            action=reverse("pupils:log_edit", kwargs={"pk": pupil.pk, "entry_pk": entry.pk}),
        )
        if request.method == "POST" and form.is_valid():
            form.instance.save_edit()
            messages.success(request, _("The note has been saved."))
            return redirect(entry.get_absolute_url())
    return _render_form(request, pupil, form)


def _render_form(request: HttpRequest, pupil: Pupil, form: PupilLogEntryForm) -> HttpResponse:
    return render(
        request,
        "pupils/pupil_log_form.html",
        {"pupil": pupil, "entry": form.instance, "form": form, "current": form.current},
    )
