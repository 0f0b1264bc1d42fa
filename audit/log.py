"""Recording reads of pupil data.

Views (through the access policy) note which pupils a response shows with `note_pupils`;
`AccessLogMiddleware` writes one entry per successful response that showed any pupil. A list
page is one entry naming every pupil shown.
"""

import ipaddress
from collections.abc import Callable, Iterable

from django.db import transaction
from django.http import HttpRequest, HttpResponse

from accounts.middleware import client_address
from audit.models import AccessLogEntry, AccessLogPupil


def note_pupils(request: HttpRequest, pupils: Iterable) -> None:
    """Note pupils (objects or ids) shown by this response."""
    noted = request.__dict__.setdefault("_audit_pupil_ids", set())
    for pupil in pupils:
        noted.add(pupil if isinstance(pupil, int) else pupil.pk)


def keep_path_out_of_log(request: HttpRequest) -> None:
    """This request's path is a secret (a calendar link's token): should an entry ever be
    written for it, it names the page only."""
    request._audit_path_secret = True


def noted_pupil_ids(request: HttpRequest) -> set[int]:
    return request.__dict__.get("_audit_pupil_ids", set())


def _client_address(request: HttpRequest) -> str | None:
    """The same address the login lockout uses: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT
    proxies the one the outermost proxy saw (entries a client can forge are never used)."""
    address = client_address(request)
    try:
        return str(ipaddress.ip_address(address)) if address else None
    except ValueError:
        return None


def write_entry(request: HttpRequest, pupil_ids: set[int]) -> AccessLogEntry:
    match = getattr(request, "resolver_match", None)
    school = getattr(request, "school", None)
    with transaction.atomic():
        entry = AccessLogEntry.objects.create(
            user=request.user if request.user.is_authenticated else None,
            school_id=school.pk if school else None,
            what=(match.view_name if match else "")[:150],
            path="" if request.__dict__.get("_audit_path_secret") else request.path[:500],
            ip_address=_client_address(request),
        )
        AccessLogPupil.objects.bulk_create(
            AccessLogPupil(entry=entry, pupil_id=pupil_id) for pupil_id in sorted(pupil_ids)
        )
    return entry


class AccessLogMiddleware:
    """Write the access-log entry for a response that showed pupil data."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        pupil_ids = noted_pupil_ids(request)
        if pupil_ids and 200 <= response.status_code < 300:
            write_entry(request, pupil_ids)
        return response
