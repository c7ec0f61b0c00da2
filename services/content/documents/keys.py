"""How legal documents are found: their numbers, labels and words, folded to plain keys.

Citizens type "12/2026/qd-ubnd" for "12/2026/QĐ-UBND" and "quyet dinh" for "Quyết định",
so every searchable value is kept beside its display form as lowercase ASCII words
('đ' folded to 'd', marks stripped: see text.folded_words), and a query is folded the same way
before it is compared. A type, an issuing body and a number (kept unique per unit) are compared
whole as their text.folded_key: 'Quyết  định' -> 'quyet-dinh', '12/2026/QĐ-UBND' -> '12-2026-qd-ubnd'.
"""
from __future__ import annotations

from services.content.text import folded_words

MAX_NUMBER_PARTS = 8


def number_runs(number: str) -> list[str]:
    """Every run of whole consecutive parts of a number, each a key a search may give.

    '12/2026/QĐ-UBND' is found by '12/2026', '2026/QĐ', 'QĐ-UBND', 'UBND', '12', … but
    '12' does not find '120/UBND-VP': parts match whole, never a part of a part.
    """
    parts = folded_words(number)
    return sorted({"-".join(parts[start:end])
                   for start in range(len(parts)) for end in range(start + 1, len(parts) + 1)})
