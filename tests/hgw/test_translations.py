"""The Dutch catalogue is complete: no untranslated and no fuzzy entries."""

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CATALOGUE = REPO / "locale" / "nl" / "LC_MESSAGES" / "django.po"


def _entries(text: str) -> list[str]:
    return [block for block in re.split(r"\n\s*\n", text) if "msgid" in block]


def _msgstr_values(block: str) -> list[str]:
    """The translated strings of an entry (one, or one per plural form)."""
    values = []
    current = None
    for line in block.splitlines():
        match = re.match(r'^msgstr(\[\d+\])?\s+"(.*)"$', line)
        if match:
            current = [match.group(2)]
            values.append(current)
        elif current is not None and line.startswith('"'):
            current.append(line.strip()[1:-1])
        elif not line.startswith('"'):
            current = None
    return ["".join(parts) for parts in values]


def test_dutch_catalogue_has_no_untranslated_or_fuzzy_entry():
    entries = _entries(CATALOGUE.read_text(encoding="utf-8"))
    assert len(entries) > 100
    _header, *messages = entries
    fuzzy = [e for e in messages if re.search(r"^#,.*\bfuzzy\b", e, re.MULTILINE)]
    untranslated = [e for e in messages if any(v == "" for v in _msgstr_values(e))]
    obsolete = [e for e in messages if e.lstrip().startswith("#~")]
    assert fuzzy == [], fuzzy[:5]
    assert untranslated == [], untranslated[:5]
    assert obsolete == [], obsolete[:5]


def test_catalogue_parser_sees_an_untranslated_entry():
    block = 'msgid "Groups"\nmsgstr ""'
    assert _msgstr_values(block) == [""]
    plural = 'msgid "one"\nmsgid_plural "many"\nmsgstr[0] "een"\nmsgstr[1] ""'
    assert _msgstr_values(plural) == ["een", ""]


def test_catalogue_holds_every_string_of_the_source(tmp_path):
    """Extracting the strings afresh finds nothing the catalogue lacks."""
    import os
    import shutil
    import subprocess
    import sys

    # Extract in a copy of the source, so that the real catalogue is never touched.
    copy = tmp_path / "src"
    shutil.copytree(
        REPO, copy, ignore=shutil.ignore_patterns(".venv", "var", ".git", "static", "*.mo")
    )
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "--locale=nl",
            "--no-obsolete",
            "--ignore=.venv",
            "--ignore=var",
            "--ignore=tests",
        ],
        cwd=copy,
        env=os.environ | {"DEBUG": "1"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    fresh = _msgids((copy / "locale" / "nl" / "LC_MESSAGES" / "django.po").read_text("utf-8"))
    kept = _msgids(CATALOGUE.read_text(encoding="utf-8"))
    assert fresh - kept == set(), "run `make messages` and translate the new strings"


def _msgids(text: str) -> set[str]:
    ids = set()
    for block in _entries(text):
        match = re.search(r'^msgid\s+"(.*)"((?:\n".*")*)', block, re.MULTILINE)
        if match:
            continued = "".join(line.strip()[1:-1] for line in match.group(2).splitlines() if line)
            ids.add(match.group(1) + continued)
    ids.discard("")
    return ids


def test_a_select_without_a_choice_says_so_in_dutch():
    """Django 6.1's blank choice ("- Select an option -") has no Dutch of its own."""
    from django import forms
    from django.utils import translation

    from accounts.models import User

    class Form(forms.Form):
        person = forms.ModelChoiceField(queryset=User.objects.none(), required=False)

    with translation.override("nl"):
        rendered = str(Form()["person"])
    assert "Kies …" in rendered and "Select an option" not in rendered
