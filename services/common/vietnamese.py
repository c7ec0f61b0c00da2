"""Vietnamese text in one place: without its marks, as people type it on a keyboard without them
(for matching, keys and addresses), and in the order Vietnamese dictionaries give it (CLDR's
Vietnamese collation), so every list on the platform sorts and matches the same way."""
from __future__ import annotations

import re
import unicodedata

_ASCII_WORD = re.compile(r"[a-z0-9]+")


def without_marks(text: str) -> str:
    """'Quyết định số 12' -> 'Quyet dinh so 12': the letters without their marks, case kept.

    'đ' has no Unicode decomposition, so stripping combining marks alone would keep it. NFKD also
    spells compatibility characters plainly ('ﬁ' -> 'fi', full-width 'Ａ' -> 'A'), as the search
    engines' ASCII folding does.
    """
    decomposed = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(character for character in decomposed if not unicodedata.combining(character))


def fold(text: str) -> str:
    """'Đắk  Lắk' -> 'dak  lak': lower case without marks, every other character as it was, so
    words found in the text are found at the same places in its folded form."""
    return without_marks(text).lower()


def folded_words(text: str) -> list[str]:
    """'Quyết định số 12/QĐ-UBND' -> ['quyet', 'dinh', 'so', '12', 'qd', 'ubnd']: lowercase ASCII
    words, as people type Vietnamese without its marks; punctuation and spacing do not count."""
    return _ASCII_WORD.findall(fold(text))


def folded_phrase(text: str) -> str:
    """'Bấm vào  ĐÂY!' -> 'bam vao day': the folded words single-spaced, for matching what people
    type against names and phrases."""
    return " ".join(folded_words(text))


def folded_key(text: str) -> str:
    """The folded words joined by '-', as addresses and stored keys use them: 'Chính quyền điện tử'
    -> 'chinh-quyen-dien-tu', '12/2026/QĐ-UBND' -> '12-2026-qd-ubnd'."""
    return "-".join(folded_words(text))


# CLDR's Vietnamese collation (common/collation/vi.xml, "standard"), with the root collation it
# tailors:
#   &̀<<̉<<̃<<́<<̣   &a<ă<<<Ă<â<<<Â   &d<đ<<<Đ   &e<ê<<<Ê   &o<ô<<<Ô<ơ<<<Ơ   &u<ư<<<Ư
# Letters with a breve, circumflex or horn, and đ, are letters of their own after their base
# (a primary difference); the five tones differ only at the second level, in the order huyền,
# hỏi, ngã, sắc, nặng, after no tone; case decides last, lower before upper.
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_LETTER_RANK = {letter: rank for rank, letter in enumerate(ALPHABET)}
# Root collation's groups: spaces, then punctuation and symbols, then digits, then letters.
_SPACE, _SYMBOL, _DIGIT, _LETTER, _OTHER_LETTER = range(5)


def sort_key(text: str) -> tuple:
    """Vietnamese alphabetical order: 'Dạ Lê' < 'Dương Nỗ' < 'Đông Ba'; 'ma' < 'mà' < 'mả' < 'mã'
    < 'má' < 'mạ'; tones decide only between otherwise equal letters, case after tones."""
    primary, secondary, tertiary = [], [], []
    for base, marks in _characters(text):
        letter, accents = base.lower(), []
        for mark in marks:
            joined = unicodedata.normalize("NFC", letter + mark)
            if mark in TONES:
                accents.append(TONES[mark])
            elif joined in _LETTER_RANK:
                letter = joined
            else:  # a mark Vietnamese does not use ('ö', 'ç'): after the tones, at the same level
                accents.append(len(TONES) + ord(mark))
        primary.append(_primary(letter))
        secondary.append(tuple(accents))
        tertiary.append(int(base.isupper()))
    return tuple(primary), tuple(secondary), tuple(tertiary)


def _characters(text: str) -> list[tuple[str, list[str]]]:
    """Each base character of `text` (decomposed) with the combining marks that follow it."""
    characters: list[tuple[str, list[str]]] = []
    for character in unicodedata.normalize("NFD", text):
        if unicodedata.combining(character) and characters:
            characters[-1][1].append(character)
        else:
            characters.append((character, []))
    return characters


def _primary(character: str) -> tuple[int, int]:
    if character in _LETTER_RANK:
        return _LETTER, _LETTER_RANK[character]
    if character.isspace():
        return _SPACE, ord(character)
    if unicodedata.category(character) == "Nd":
        return _DIGIT, unicodedata.digit(character)
    if character.isalpha():
        return _OTHER_LETTER, ord(character)
    return _SYMBOL, ord(character)
