"""PDF documents from Django templates with WeasyPrint, fetching nothing but our own files.

The template is rendered by Django's engine (autoescaping on: no user HTML ever reaches the
PDF). WeasyPrint then fetches what the HTML refers to through `StaticOnlyFetcher`: `data:`
URLs and files under the static folders, nothing else (no network, no `file://` elsewhere).
"""

import mimetypes
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint.urls import URLFetcherResponse


class FetchRefused(ValueError):
    pass


def _static_roots() -> list[Path]:
    # The collected static root, and in development the source folders collectstatic reads.
    return [Path(settings.STATIC_ROOT).resolve()] + [
        Path(folder).resolve() for folder in settings.STATICFILES_DIRS
    ]


class StaticOnlyFetcher(weasyprint.URLFetcher):
    """Serves `data:` URLs and files under the static roots; refuses everything else."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False, timeout=2)

    def fetch(self, url: str, headers=None):
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            parts = urlsplit(url)
            if parts.netloc in ("", "localhost"):
                path = Path(url2pathname(parts.path)).resolve()
                if path.is_file() and any(path.is_relative_to(r) for r in _static_roots()):
                    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(
                        path.as_uri(), path.read_bytes(), {"Content-Type": content_type}
                    )
        raise FetchRefused(f"Only data: URLs and static files may be fetched, not {url[:80]!r}.")


def static_file_url(name: str) -> str:
    """The file: URL of a static file, for a PDF template (collected, or found in DEBUG)."""
    collected = Path(settings.STATIC_ROOT) / name
    path = collected if collected.is_file() else finders.find(name)
    if not path:
        raise FileNotFoundError(name)
    return Path(path).resolve().as_uri()


def render_pdf(template_name: str, context: dict, *, language: str = "nl") -> bytes:
    """A tagged, accessible PDF (PDF/UA-1) of the template, in the given language."""
    with translation.override(language):
        html = render_to_string(template_name, context)
    document = weasyprint.HTML(string=html, url_fetcher=StaticOnlyFetcher())
    return document.write_pdf(pdf_variant="pdf/ua-1")
