"""Uploaded PDFs (signed consent forms, diagnostics reports): a plain document or nothing.

A file is a PDF when pypdf reads it as one with at least one page, not when it starts with
"%PDF-". Anything a reader could run or open from it is refused: JavaScript (document-level,
an open action, a page's or an annotation's action), embedded files, launch actions and XFA
forms, as are encrypted files (their contents cannot be checked). Parsing is bounded: the
size is limited before this, every object is visited once, at most MAX_OBJECTS of them, and
any error pypdf raises refuses the file.
"""

import io

from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

PDF_MAGIC = b"%PDF-"
# A scanned form or a report has a few hundred objects; a PDF with more is refused unread.
MAX_OBJECTS = 100_000

# Keys whose presence anywhere means something a reader may run or open.
_SCRIPT_KEYS = {"/JS", "/JavaScript"}
_EMBEDDED_KEYS = {"/EmbeddedFiles", "/EmbeddedFile", "/EF"}
_XFA_KEYS = {"/XFA"}
# Action types (an action dictionary's /S).
_SCRIPT_ACTIONS = {"/JavaScript"}
_LAUNCH_ACTIONS = {"/Launch"}


class _TooComplex(Exception):
    pass


def is_pdf(upload) -> bool:
    """A PDF by its first bytes, not its name (the first test; `pdf_problem` reads the rest).
    The file stays at its start."""
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    return head == PDF_MAGIC


def pdf_problem(upload) -> str | None:
    """Why this upload is not a plain PDF document, for the person uploading it; None when it
    is one. The file stays at its start."""
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if not data.startswith(PDF_MAGIC):
        return _("The file is not a PDF.")
    try:
        return _structure_problem(data)
    except _TooComplex:
        return _("The PDF is too complex to check; save or scan it again as a simple PDF.")
    except Exception:  # whatever pypdf raises (or a cycle it follows): not readable
        return _("The file is not a readable PDF (it is damaged or only looks like a PDF).")


def _structure_problem(data: bytes) -> str | None:
    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        return _("The PDF is protected with a password; upload it without protection.")
    if len(reader.pages) < 1:
        return _("The PDF has no pages.")
    found = _what_it_holds(reader.trailer)
    again = _("Print the document to a new PDF, or scan the paper, and upload that.")
    if "script" in found:
        return _("The PDF contains JavaScript, which is not allowed.") + " " + again
    if "launch" in found:
        return _("The PDF contains an action that starts a program, which is not allowed.") + (
            " " + again
        )
    if "embedded" in found:
        return _("The PDF contains embedded files, which is not allowed.") + " " + again
    if "xfa" in found:
        return _("The PDF contains an XFA form, which is not allowed.") + " " + again
    return None


def _what_it_holds(trailer) -> set[str]:
    """What the objects reachable from the trailer hold of scripts, launch actions, embedded
    files and XFA forms. Each object once; a cycle or a huge graph cannot make it hang."""
    found: set[str] = set()
    seen: set[tuple[int, int]] = set()
    todo = [trailer]
    visited = 0
    while todo:
        node = todo.pop()
        if isinstance(node, IndirectObject):
            key = (node.idnum, node.generation)
            if key in seen:
                continue
            seen.add(key)
            node = node.get_object()
        visited += 1
        if visited > MAX_OBJECTS:
            raise _TooComplex
        if isinstance(node, DictionaryObject):
            keys = set(node.keys())
            if keys & _SCRIPT_KEYS:
                found.add("script")
            if keys & _EMBEDDED_KEYS or _resolved(node.get("/Type")) == "/EmbeddedFile":
                found.add("embedded")
            if keys & _XFA_KEYS:
                found.add("xfa")
            action = _resolved(node.get("/S"))
            if action in _SCRIPT_ACTIONS:
                found.add("script")
            if action in _LAUNCH_ACTIONS:
                found.add("launch")
            # The values, not resolved yet: raw, so an indirect reference is seen once.
            todo.extend(node.values())
        elif isinstance(node, ArrayObject):
            todo.extend(node)
    return found


def _resolved(value):
    return value.get_object() if isinstance(value, IndirectObject) else value
