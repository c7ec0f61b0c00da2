"""How legal documents are found: their numbers, labels and words, folded to plain keys.

Citizens type "12/2026/qd-ubnd" for "12/2026/QĐ-UBND" and "quyet dinh" for "Quyết định",
so every searchable value is kept beside its display form as lowercase ASCII words
('đ' folded to 'd', marks stripped), and a query is folded the same way before it is compared.
"""
from __future__ import annotations

import re
import unicodedata

MAX_NUMBER_PARTS = 8


def folded_words(text: str) -> list[str]:
    """'Quyết định số 12/QĐ-UBND' -> ['quyet', 'dinh', 'so', '12', 'qd', 'ubnd'].

    'đ' has no Unicode decomposition, so stripping combining marks alone would drop it.
    """
    text = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(character for character in text if not unicodedata.combining(character)).lower()
    return re.findall(r"[a-z0-9]+", text)


def label_key(label: str) -> str:
    """A document type or issuing body as compared in search: 'Quyết  định' -> 'quyet-dinh'."""
    return "-".join(folded_words(label))


def number_key(number: str) -> str:
    """A number as compared (and kept unique per unit): '12/2026/QĐ-UBND' -> '12-2026-qd-ubnd'."""
    return "-".join(folded_words(number))


def number_runs(number: str) -> list[str]:
    """Every run of whole consecutive parts of a number, each a key a search may give.

    '12/2026/QĐ-UBND' is found by '12/2026', '2026/QĐ', 'QĐ-UBND', 'UBND', '12', … but
    '12' does not find '120/UBND-VP': parts match whole, never a part of a part.
    """
    parts = folded_words(number)
    return sorted({"-".join(parts[start:end])
                   for start in range(len(parts)) for end in range(start + 1, len(parts) + 1)})
