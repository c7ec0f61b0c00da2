"""Numbers as people type them in a form, read into what the content service takes: a menu
position "3", points "2,5" (Vietnamese write a decimal comma). What a number may be (its range)
is the service's to judge; here only whether it is a number at all."""
from __future__ import annotations

import re

_WHOLE = re.compile(r"[0-9]{1,9}")  # ASCII digits only: int() would also take '٣' and '３'
_DECIMAL = re.compile(r"[0-9]{1,9}(?:[.,][0-9]{1,6})?")


class NotANumber(ValueError):
    """The text typed is no number of the kind asked for."""


def whole_number(text: str) -> int | None:
    """'3' as 3; nothing typed as None."""
    text = text.strip()
    if not text:
        return None
    if not _WHOLE.fullmatch(text):
        raise NotANumber(text)
    return int(text)


def decimal_number(text: str) -> float | None:
    """'2,5' or '2.5' as 2.5; nothing typed as None."""
    text = text.strip()
    if not text:
        return None
    if not _DECIMAL.fullmatch(text):
        raise NotANumber(text)
    return float(text.replace(",", "."))
