"""Vietnamese text as people look for it and read it: matching without marks, and alphabetical
order as Vietnamese dictionaries have it."""
from __future__ import annotations

from services.common.vietnamese import sort_key, without_marks

__all__ = ["fold", "sort_key"]


def fold(text: str) -> str:
    """'Xã  Phú Mậu' -> 'xa phu mau': how a name is typed without marks; lowercase, single-spaced."""
    return " ".join(without_marks(text).lower().split())
