"""The personal calendar link: made (or renewed) on a page, read by calendar apps without a
login. The token is a password: it is shown once, kept only as a hash, and its path is never
written to the access log (the feed shows no pupil, so it notes none, and the log writes
entries only for responses that showed pupils)."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from audit.log import keep_path_out_of_log
from hgw import access
from meetings import actions, ics
from meetings.models import CalendarFeed, hash_token

# The feed covers the recent past and everything planned ahead.
FEED_PAST_DAYS = 60


@require_http_methods(["GET", "POST"])
def feed_link(request: HttpRequest) -> HttpResponse:
    actor = access.actor_for(request)
    if not access.can_view_meetings(actor):
        raise Http404
    if request.method == "POST":
        token = actions.renew_calendar_feed(user=request.user)
        url = request.build_absolute_uri(reverse("meetings:feed", args=[token]))
        messages.success(request, _("Your new calendar link has been made."))
        # Shown once, on this response only (never stored, never in a redirect's URL); the
        # school middleware marks it uncacheable like every signed-in page.
        return render(request, "meetings/feed_link.html", {"feed_url": url, "has_feed": True})
    has_feed = CalendarFeed.objects.filter(user=request.user).exists()
    return render(request, "meetings/feed_link.html", {"has_feed": has_feed})


@login_not_required
@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    keep_path_out_of_log(request)
    found = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=hash_token(token), user__is_active=True)
        .first()
    )
    if found is None:
        raise Http404
    since = timezone.localdate() - datetime.timedelta(days=FEED_PAST_DAYS)
    meetings = (
        access.meetings_in_feed(found.user)
        .filter(date__gte=since)
        .select_related("group")
        .ordered()
    )
    with translation.override(settings.LANGUAGE_CODE):
        body = ics.calendar(meetings, name=_("hgw meetings"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "no-store"
    response["Content-Disposition"] = 'inline; filename="hgw.ics"'
    return response
