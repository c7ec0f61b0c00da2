"""The bounds on numbers and days anyone may send the platform, shared by the gateway and every
service, so that whatever is accepted can be computed with and stored."""
from __future__ import annotations

from datetime import date

# MongoDB keeps an integer in at most 8 bytes: a larger one can be neither stored nor looked up.
SMALLEST_INTEGER = -2 ** 63
LARGEST_INTEGER = 2 ** 63 - 1

# Days people name (a day's news, a week's schedule, a month's royalties, a search's dates):
# Python's datetime ends with year 9999 and begins with year 1, so a day near either end
# overflows once it is moved to UTC or a week is added. Nothing the portals publish is dated
# outside these years.
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2099, 12, 31)
CALENDAR = f"in the years {FIRST_DAY.year} to {LAST_DAY.year}"

# The largest files the portals keep: the content service refuses larger ones of each kind, and
# the gateway reads no upload much beyond the larger.
MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


def storable(number: int) -> bool:
    return SMALLEST_INTEGER <= number <= LARGEST_INTEGER


def in_calendar(day: date) -> bool:
    return FIRST_DAY <= day <= LAST_DAY
