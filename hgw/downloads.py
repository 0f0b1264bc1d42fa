"""A file to download (PDF, JSON, XLSX): never shown in the browser, stored by no cache.

The session middleware marks every signed-in response as uncacheable too; a download says
so itself, so it holds if that ever changes. Callers name files without pupil names.
"""

from django.http import HttpResponse


def attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
