"""A corpus of hostile input: what an attacker, a broken export or a careless paste sends.

Every test that feeds user input into hgw draws from here, so a new kind of trouble is added
once and reaches every form, upload and page.
"""

SCRIPT = "<script>alert(1)</script>"
IMG_ONERROR = '"><img src=x onerror=alert(1)>'
# Payloads that mark the page when they run, for the browser tests.
PWNED_IMG = "<img src=x onerror=window.__pwned=1>"
PWNED_ATTRIBUTE = '" autofocus onfocus=window.__pwned=1 x="'
PWNED_SVG = "<svg onload=window.__pwned=1>"
JAVASCRIPT_URL = "javascript:alert(1)"

# name -> value; names make readable test ids.
HOSTILE_TEXT: dict[str, str] = {
    "script": SCRIPT,
    "img_onerror": IMG_ONERROR,
    "pwned_img": PWNED_IMG,
    "pwned_attribute": PWNED_ATTRIBUTE,
    "javascript_url": JAVASCRIPT_URL,
    "template_syntax": "{{ request }}{% debug %}",
    "sql_drop": "'; DROP TABLE pupils_pupil; --",
    "sql_quote": "O'Brien\" OR 1=1 --",
    "like_percent": "%",
    "like_underscore": "_",
    "long": "x" * 100_000,
    "nul": "a\x00b",
    "bell_escape": "a\x07b\x1b[31mc",
    "zero_width": "\u200bSanne\ufeff",
    "rtl_override": "Sanne\u202egpj.exe",
    "only_spaces": "   ",
    "emoji": "Zo\u00eb \U0001f600",
}

# Numbers no 64-bit database column holds: one past each end of a bigint, and twenty digits.
OUT_OF_RANGE_INTEGERS: dict[str, str] = {
    "int64_max_plus_one": "9223372036854775808",
    "int64_min_minus_one": "-9223372036854775809",
    "twenty_digits": "99999999999999999999",
}

# Months and days at the calendar's ends: a page that shows their neighbours must not overflow.
CALENDAR_ENDS: dict[str, str] = {
    "last_month": "9999-12",
    "first_month": "0001-01",
    "last_day": "9999-12-31",
    "first_day": "0001-01-01",
}

# What a query string may carry: any hostile text, numbers out of every column's range, and
# the calendar's ends.
HOSTILE_QUERY_VALUES: dict[str, str] = HOSTILE_TEXT | OUT_OF_RANGE_INTEGERS | CALENDAR_ENDS

# Values that must never reach a page unescaped: if the raw text appears, it is markup.
MARKUP = [SCRIPT, IMG_ONERROR, PWNED_IMG, PWNED_ATTRIBUTE, PWNED_SVG, "<img src=x"]

# Bytes that are not UTF-8: a lone continuation byte, an overlong encoding of "/", a
# truncated sequence, and a surrogate encoded in UTF-8.
INVALID_UTF8: dict[str, bytes] = {
    "lone_continuation": b"\x80abc",
    "overlong_slash": b"\xc0\xaf",
    "truncated": b"abc\xe2\x82",
    "surrogate": b"\xed\xa0\x80",
}

# File names people (or attackers) give their uploads.
HOSTILE_FILE_NAMES: dict[str, str] = {
    "script": f"{SCRIPT}.csv",
    "img_onerror": f"{IMG_ONERROR}.csv",
    "traversal": "../../../../etc/passwd",
    "windows_traversal": "..\\..\\windows\\win.ini",
    "rtl_override": "toetsen\u202evsc.exe",
    "zero_width": "\u200btoetsen\ufeff.csv",
    "control": "toetsen\x07\x1b.csv",
    "long": "t" * 1000 + ".csv",
    "sql": "'; DROP TABLE pupils_pupil; --.csv",
}

# Binary files uploaded by mistake (or on purpose) as an EDEXML or CSV file.
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256))
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
BINARIES: dict[str, bytes] = {"png": PNG, "zip": ZIP, "pdf": PDF}


def raw_markup_in(body: str) -> list[str]:
    """The hostile markup that appears unescaped in a page."""
    return [marker for marker in MARKUP if marker in body]
