"""Vietnamese text without its marks, as people type it on a keyboard without them, and in the
order Vietnamese dictionaries give it."""
from __future__ import annotations

import unicodedata


def without_marks(text: str) -> str:
    """'Quyết định số 12' -> 'Quyet dinh so 12': the letters without their marks, case kept.

    'đ' has no Unicode decomposition, so stripping combining marks alone would keep it.
    """
    decomposed = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(character for character in decomposed if not unicodedata.combining(character))


# The Vietnamese alphabet (with f, j, w, z of foreign names in their Latin places): a letter with
# a breve, circumflex or horn is a letter of its own, sorted after its base (Đ after D); tone
# marks only break ties.
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_ORDER = {letter: position for position, letter in enumerate(ALPHABET)}
_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền, sắc, ngã, hỏi, nặng


def sort_key(text: str) -> tuple:
    """Vietnamese alphabetical order: 'Dạ Lê' < 'Dương Nỗ' < 'Đông Ba'; tones decide only between
    otherwise equal names."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    letters = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONE_MARKS))
    tones = [ch for ch in decomposed if ch in _TONE_MARKS]
    # Spaces, digits and punctuation come before letters, so 'Phú Mậu' precedes 'Phúc'.
    return tuple((1, _LETTER_ORDER[ch]) if ch in _LETTER_ORDER else (0, ord(ch)) for ch in letters), tones
