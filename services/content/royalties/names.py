"""Vietnamese alphabetical order for people's names, as lists in Vietnam are sorted: by the
given name (the last word) first, then the rest; within each, letters in the Vietnamese
alphabet's order (ă â after a, đ after d, ê after e, ô ơ after o, ư after u), then tones.

Python's own order gets this wrong ('Đức' after 'Em'; 'Ánh' after 'Bình'), and PyICU is not
installed; Babel formats but does not collate.
"""
from __future__ import annotations

import unicodedata

# Marks that make a letter of its own, ranked after the bare letter: ă; â ê ô; ơ ư.
LETTER_MARKS = {"\u0306": 1, "\u0302": 2, "\u031b": 3}
# The five tones in CLDR's Vietnamese order: huyền, hỏi, ngã, sắc, nặng.
TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def _levels(text: str) -> tuple[tuple, tuple]:
    """(letters, tones) of `text`: compared letters first, tones only when the letters are equal."""
    letters: list[tuple[str, int]] = []
    tones: list[int] = []
    for char in unicodedata.normalize("NFD", text.casefold()):
        if char in LETTER_MARKS and letters:
            letters[-1] = (letters[-1][0], LETTER_MARKS[char])
        elif char in TONES and tones:
            tones[-1] = TONES[char]
        elif char == "đ":  # has no decomposition: it is d with a stroke
            letters.append(("d", 1))
            tones.append(0)
        else:
            letters.append((char, 0))
            tones.append(0)
    return tuple(letters), tuple(tones)


def name_order(name: str) -> tuple:
    """Sort key: 'Trần Văn An' < 'Lê Thị Ánh' < 'Nguyễn Thị Dung' < 'Đặng Văn Đức' < 'Phạm Văn Em'."""
    *rest, given = name.split() or [""]
    return _levels(given), _levels(" ".join(rest)), name
