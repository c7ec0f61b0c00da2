"""Words typed with telex keys the keyboard did not turn into accents ('chuyeenr' for 'chuyển',
'ddinhj' for 'định'): what they spell once folded, so a query can match them.

Telex types a tone as a letter after the vowels (s, f, r, x, j; z removes it) and a vowel's
mark by doubling it or adding w (aa = â, ee = ê, oo = ô, aw = ă, ow = ơ, uw or a lone w = ư,
dd = đ). A Vietnamese syllable never has f, j, w or z, and s, r and x only begin one, so any of
them after the first vowel is a key the keyboard missed. Folded, 'chuyeenr' is 'chuyen'.
"""
from __future__ import annotations

import re

_VOWELS = "aeiouy"
_TONE_KEYS = re.compile(r"[sfrxjz]")
_DOUBLED_VOWEL = re.compile(r"([aeo])\1")
_HOOKED = re.compile(r"(?<=[aou])w")  # aw, ow, uw: the w only marks the vowel before it


def folded_from_telex(word: str) -> str | None:
    """The folded word a telex leftover spells ('chuyeenr' -> 'chuyen', 'truwowngf' -> 'truong'),
    or None when `word` (folded) carries no telex key."""
    if not word.isascii() or not word.isalpha():
        return None
    first_vowel = next((position for position, char in enumerate(word) if char in _VOWELS), None)
    if first_vowel is None:
        return None
    head, tail = word[:first_vowel], word[first_vowel:]
    if head.startswith("dd"):
        head = head[1:]
    spelled = head + _TONE_KEYS.sub("", tail)
    spelled = _HOOKED.sub("", spelled).replace("w", "u")
    spelled = _DOUBLED_VOWEL.sub(r"\1", spelled)
    return spelled if spelled != word and spelled else None
