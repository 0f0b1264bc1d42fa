"""Numbers read from a request by hand: ids, counts, versions.

Every id, count and version hgw stores fits a signed 64-bit integer. A larger number is no id
hgw knows, and must not reach a query: SQLite refuses it with an error (a 500), not an empty
result. Read numbers from GET or POST through ``whole_number`` or a form field bounded by
``MAX_ID``.
"""

MAX_ID = 2**63 - 1


def whole_number(value: str | None, *, low: int = 1, high: int = MAX_ID) -> int | None:
    """The whole number written in ``value`` (ASCII digits, a leading minus allowed), if it
    lies in [low, high]; else None, as for a plus sign, a space inside, a decimal point, other
    scripts' digits and superscripts (which int() reads or fails on)."""
    text = (value or "").strip()
    negative = text.startswith("-")
    digits = text[1:] if negative else text
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 19:
        return None
    number = -int(digits) if negative else int(digits)
    return number if low <= number <= high else None
