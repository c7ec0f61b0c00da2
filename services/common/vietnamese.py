"""Vietnamese text without its marks, as people type it on a keyboard without them."""
from __future__ import annotations

import unicodedata


def without_marks(text: str) -> str:
    """'Quyết định số 12' -> 'Quyet dinh so 12': the letters without their marks, case kept.

    'đ' has no Unicode decomposition, so stripping combining marks alone would keep it.
    """
    decomposed = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(character for character in decomposed if not unicodedata.combining(character))
