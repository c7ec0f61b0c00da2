"""Vietnamese formatting in templates, against Babel's own answers."""
from babel.numbers import format_decimal

from gateway.templating import vn_number


def test_whole_numbers_are_grouped_as_babel_groups_them_for_vietnamese():
    for value in (0, 7, 999, 1000, 7448251, 1234567890123, -45000):
        assert vn_number(value) == format_decimal(value, locale="vi_VN")
    assert vn_number(7448251) == "7.448.251"
    assert vn_number(1234.5) == format_decimal(1234.5, locale="vi_VN") == "1.234,5"
