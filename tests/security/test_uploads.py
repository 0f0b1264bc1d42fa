"""Uploads: checked by their content, limited in size, never kept as files.

The import page accepts EDEXML and CSV files. A file is judged by what it holds, not by its
name; a file that is too large is refused before it is read; and what is kept of an import is
only the data read from it (ImportRecord.data), never the file.
"""

import inspect
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import Resolver404, resolve, reverse

from pupils import csvfiles, edexml, forms
from pupils.models import ImportKind, ImportRecord
from tests.pupils.test_imports import _edexml
from tests.security.hostile import (
    BINARIES,
    HOSTILE_FILE_NAMES,
    HOSTILE_TEXT,
    INVALID_UTF8,
    SCRIPT,
    raw_markup_in,
)
from tests.security.test_hostile_forms import row_counts

SAMPLES = Path(__file__).parents[1] / "pupils" / "samples" / "edexml"
CSV_KINDS = [ImportKind.PUPILS_CSV, ImportKind.GUARDIANS_CSV, ImportKind.RESULTS_CSV]


@pytest.fixture
def ib(world, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return client_for("care_coordinator")


def _upload(client, kind: str, content: bytes, name: str = "export.xml"):
    return client.post(
        reverse("pupils:import_upload"),
        {"kind": kind, "file": SimpleUploadedFile(name, content)},
    )


def _refused(response) -> str:
    """The upload form came back with a message on the file; return it."""
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "file" in errors, errors
    return errors["file"][0]


# --- Type by content ------------------------------------------------------------------------


@pytest.mark.parametrize("binary", sorted(BINARIES))
def test_a_binary_file_as_edexml_is_refused_clearly(binary, world, ib):
    counts = row_counts()
    message = _refused(_upload(ib, ImportKind.EDEXML, BINARIES[binary], name="export.xml"))
    assert "geen EDEXML-bestand" in message or "not an EDEXML file" in message, message
    assert "tekencodering" not in message  # not the misleading "save it as UTF-8"
    assert row_counts() == counts


@pytest.mark.parametrize("kind", CSV_KINDS)
@pytest.mark.parametrize("binary", sorted(BINARIES))
def test_a_binary_file_as_csv_is_refused_clearly(binary, kind, world, ib):
    counts = row_counts()
    message = _refused(_upload(ib, kind, BINARIES[binary], name="toetsen.csv"))
    assert "CSV" in message, message
    assert row_counts() == counts


def test_xml_after_a_byte_order_mark_and_whitespace_is_read_as_xml():
    """The content check lets XML through however it starts; only the parser judges it."""
    for start in (b"<?xml", b"\xef\xbb\xbf<?xml", b"  \n\t<EDEX", b"\xef\xbb\xbf \r\n<EDEX"):
        edexml._refuse_binary(start)  # no error
    with pytest.raises(edexml.EdexError):
        edexml._refuse_binary(b"\xef\xbb\xbfMZ\x90\x00\x03")  # a program
    with pytest.raises(csvfiles.CsvError):
        csvfiles._refuse_binary(b"%PDF-1.7\nno NUL byte here")


# --- Size -----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [ImportKind.EDEXML, *CSV_KINDS])
def test_a_file_just_over_the_limit_is_refused_and_nothing_is_stored(kind, world, ib, monkeypatch):
    limit = 2000
    if kind in forms.UPLOAD_LIMITS:
        monkeypatch.setitem(forms.UPLOAD_LIMITS, kind, limit)
    else:
        monkeypatch.setattr(forms, "DEFAULT_UPLOAD_LIMIT", limit)
    counts = row_counts()
    message = _refused(_upload(ib, kind, b"a;b\n" + b"x" * (limit - 3)))  # limit + 1 bytes
    assert "te groot" in message or "too large" in message, message
    assert row_counts() == counts
    # At the limit exactly, the size is fine (the file may still be refused for its content).
    at_limit = _upload(ib, kind, b"a;b\n" + b"x" * (limit - 4))
    if at_limit.status_code == 200:
        message = _refused(at_limit)
        assert "te groot" not in message and "too large" not in message, message


def test_the_page_limits_match_what_the_readers_accept():
    """A file the page lets through is never refused for its size by the reader afterwards."""
    assert forms.UPLOAD_LIMITS[ImportKind.EDEXML] <= edexml.DEFAULT_MAX_BYTES
    csv_limit = inspect.signature(csvfiles.read_csv).parameters["max_bytes"].default
    assert csv_limit >= forms.DEFAULT_UPLOAD_LIMIT


# --- Never kept as a file -------------------------------------------------------------------


def test_only_the_care_routes_documents_keep_files(settings):
    """Imports are read and thrown away; the only files kept are the parents' signed consent
    form and the diagnostics report, under MEDIA_ROOT (outside the static files, served by
    no URL of its own: only through access-checked views)."""
    file_fields = sorted(
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField) and not model.__name__.startswith("Historical")
    )
    assert file_fields == ["careroute.Consent.form", "careroute.HGDRequest.report"]
    media = Path(settings.MEDIA_ROOT).resolve()
    assert not media.is_relative_to(Path(settings.STATIC_ROOT).resolve())
    with pytest.raises(Resolver404):
        resolve("/media/hgd/2026/hgd-1.pdf")


@pytest.mark.parametrize("kind", [ImportKind.EDEXML, ImportKind.RESULTS_CSV])
def test_an_upload_leaves_no_file_behind(kind, world, ib, settings):
    content = _edexml(world) if kind == ImportKind.EDEXML else b"Leerlingnummer;Score\nL1;40\n"
    response = _upload(ib, kind, content)
    assert response.status_code == 302
    record = ImportRecord.objects.get()
    assert record.file_name == "export.xml"
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or list(media.rglob("*")) == []
    # Cancelling forgets what was read of the file, too.
    ib.post(reverse("pupils:import_cancel", args=[record.pk]))
    record.refresh_from_db()
    assert record.status == "cancelled"
    assert not record.data or not record.data.get("rows")


# --- Hostile names and contents -------------------------------------------------------------


@pytest.mark.parametrize("label", sorted(HOSTILE_FILE_NAMES))
def test_hostile_file_names(label, world, ib):
    name = HOSTILE_FILE_NAMES[label]
    response = _upload(ib, ImportKind.RESULTS_CSV, b"Leerlingnummer;Score\nL1;40\n", name=name)
    assert response.status_code < 500
    for record in ImportRecord.objects.all():
        assert "/" not in record.file_name and "\\" not in record.file_name, record.file_name
        assert len(record.file_name) <= 255
        for url in (
            reverse("pupils:import_list"),
            reverse("pupils:import_detail", args=[record.pk]),
            reverse("pupils:import_columns", args=[record.pk]),
        ):
            page = ib.get(url, follow=True)
            assert page.status_code == 200
            assert raw_markup_in(page.content.decode()) == [], url


@pytest.mark.parametrize("label", sorted(HOSTILE_TEXT))
def test_hostile_csv_cells_are_shown_escaped(label, world, ib):
    value = HOSTILE_TEXT[label].replace("\x00", "")  # a NUL makes it a binary file
    value = value.replace('"', '""')
    content = f'Leerlingnummer;"{value}"\r\nL1;"{value}"\r\n'.encode()
    counts = row_counts()
    response = _upload(ib, ImportKind.PUPILS_CSV, content, name="leerlingen.csv")
    assert response.status_code < 500
    if response.status_code == 200:
        assert raw_markup_in(response.content.decode()) == []
        assert row_counts() == counts
        return
    page = ib.get(response["Location"], follow=True)
    assert page.status_code == 200
    assert raw_markup_in(page.content.decode()) == []


def test_hostile_edexml_names_are_shown_escaped_in_the_preview(world, ib):
    content = _edexml(
        world,
        **{
            "<achternaam>Vries</achternaam>": "<achternaam>&lt;script&gt;alert(1)&lt;/script&gt;"
            "</achternaam>",
            "<naam>Groep 3</naam>": '<naam>"&gt;&lt;img src=x onerror=alert(1)&gt;</naam>',
        },
    )
    response = _upload(ib, ImportKind.EDEXML, content)
    assert response.status_code == 302, response.context["form"].errors
    preview = ib.get(response["Location"])
    body = preview.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body  # shown, as text
    assert raw_markup_in(body) == []
    assert SCRIPT not in body


@pytest.mark.parametrize("label", sorted(INVALID_UTF8))
def test_invalid_utf8_in_a_multipart_upload(label, world, ib):
    """Bytes that are not UTF-8 in the file name, a form field and the file itself."""
    bad = INVALID_UTF8[label]
    boundary = b"hostileboundary"
    body = b"".join(
        [
            b"--" + boundary + b"\r\n",
            b'Content-Disposition: form-data; name="kind"\r\n\r\n',
            b"results_csv" + bad + b"\r\n",
            b"--" + boundary + b"\r\n",
            b'Content-Disposition: form-data; name="file"; filename="toetsen' + bad + b'.csv"\r\n',
            b"Content-Type: text/csv\r\n\r\n",
            b"Leerlingnummer;Score" + bad + b"\r\nL1;40\r\n",
            b"--" + boundary + b"\r\n",
            b'Content-Disposition: form-data; name="kind"\r\n\r\n',
            b"results_csv\r\n",
            b"--" + boundary + b"--\r\n",
        ]
    )
    counts = row_counts()
    response = ib.generic(
        "POST",
        reverse("pupils:import_upload"),
        body,
        content_type=f"multipart/form-data; boundary={boundary.decode()}",
    )
    assert response.status_code < 500
    if response.status_code == 200:
        assert row_counts() == counts
    else:
        page = ib.get(response["Location"], follow=True)
        assert page.status_code == 200
