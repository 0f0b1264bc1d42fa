"""PDFs built in code for upload tests: a plain one, and the kinds an attacker sends."""

import io

from pypdf import PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    TextStringObject,
)


def _written(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _one_page() -> PdfWriter:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    return writer


def plain() -> bytes:
    """An A4 page, nothing else: what a scanner or "print to PDF" makes."""
    return _written(_one_page())


def html_behind_the_header() -> bytes:
    """Starts like a PDF; the rest is a web page."""
    return b"%PDF-1.7\n<html><body><script>alert(document.cookie)</script></body></html>\n"


def with_javascript_on_open() -> bytes:
    """Runs a script when opened (document-level JavaScript)."""
    writer = _one_page()
    writer.add_open_action(JavaScript("app.alert('pwned');"))
    return _written(writer)


def with_javascript_link() -> bytes:
    """A page annotation whose action is a script (run on a click)."""
    writer = _one_page()
    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('pwned');"),
        }
    )
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([FloatObject(0), FloatObject(0)] * 2),
            NameObject("/A"): writer._add_object(action),
        }
    )
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])
    return _written(writer)


def with_javascript_and_attachment() -> bytes:
    """An auto-run script and an embedded file together (the issue's example)."""
    writer = _one_page()
    writer.add_open_action(JavaScript("this.exportDataObject({cName: 'run.exe', nLaunch: 2});"))
    writer.add_attachment("run.exe", b"MZ\x90\x00")
    return _written(writer)


def with_attachment() -> bytes:
    writer = _one_page()
    writer.add_attachment("extra.txt", b"not part of the report")
    return _written(writer)


def with_launch_action() -> bytes:
    """Opens a program when the document opens."""
    writer = _one_page()
    launch = DictionaryObject(
        {
            NameObject("/S"): NameObject("/Launch"),
            NameObject("/F"): TextStringObject("cmd.exe"),
        }
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(launch)
    return _written(writer)


def encrypted() -> bytes:
    writer = _one_page()
    writer.encrypt(user_password="geheim", algorithm="RC4-128")
    return _written(writer)


def without_pages() -> bytes:
    return _written(PdfWriter())


# Each kind of PDF an attacker sends, and the words (Dutch) the refusal uses.
HOSTILE = {
    "html-behind-the-header": (html_behind_the_header, "geen leesbare PDF"),
    "javascript-on-open": (with_javascript_on_open, "JavaScript"),
    "javascript-in-a-link": (with_javascript_link, "JavaScript"),
    "javascript-and-attachment": (with_javascript_and_attachment, "JavaScript"),
    "attachment": (with_attachment, "ingesloten bestanden"),
    "launch-action": (with_launch_action, "programma"),
    "encrypted": (encrypted, "wachtwoord"),
    "no-pages": (without_pages, "geen pagina"),
}
