import pytest

from schools.numbers import MAX_ID, whole_number


@pytest.mark.parametrize(
    "typed",
    [
        *("9223372036854775808", "-9223372036854775809", "99999999999999999999", "0", "-1"),
        *("", None, "1.5", "1e3", " ", "\u00b2", "\u0663", "+5", "5 5"),
    ],
)
def test_a_number_typed_into_a_request_that_no_id_can_be_is_none(typed):
    assert whole_number(typed) is None


def test_a_number_typed_into_a_request_within_bounds_is_read():
    assert whole_number(" 42 ") == 42
    assert whole_number(str(MAX_ID)) == MAX_ID
    assert whole_number("0", low=0) == 0
    assert whole_number("-3", low=-5) == -3
