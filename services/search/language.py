"""Which language a query is in, so that items in it rank first among matches of similar
relevance: a Vietnamese query should not open on a unit's English introduction, nor an English
one on its Vietnamese page.

A word typed with Vietnamese marks makes the query Vietnamese. A query typed without them is
judged word by word: a word no Vietnamese syllable is shaped like ('contact', 'introduction',
'lagoon') is a foreign one, unless typed in capitals (an abbreviation); a word shaped like a
syllable that the index's titles spell with marks ('gioi' is 'giới' there) is a Vietnamese one;
the rest ('tam', 'to', a name) tell nothing.
The more numerous kind decides; a tie prefers nothing.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from services.search.documents import ENGLISH, VIETNAMESE
from services.search.text import fold, words

# The first this many distinct words of an unaccented query are judged: enough to tell, and a
# pasted paragraph costs no more than a short query.
JUDGED_WORDS = 8
# A Vietnamese syllable without its marks: an onset, one run of vowels, and one of the few
# consonant endings ('nghieng', 'thuong', 'xa'; never 'contact' or 'the' + 'ory').
_SYLLABLE = re.compile(r"(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(ch|ng|nh|[cmnpt])?")

# folded words -> those the index's titles spell with Vietnamese marks
MarkedSpellings = Callable[[list[str]], set[str]]


def query_language(text: str, marked: MarkedSpellings) -> str | None:
    """VIETNAMESE, ENGLISH, or None when the query does not tell."""
    found = [unicodedata.normalize("NFC", word.text) for word in words(text)]
    if any(fold(word) != word.lower() for word in found):
        return VIETNAMESE
    # Abbreviations ('UBND', 'CCCD') and numbers tell nothing.
    judged = list(dict.fromkeys(word.lower() for word in found
                                if len(word) > 1 and word.isalpha() and not word.isupper()))[:JUDGED_WORDS]
    shaped = [word for word in judged if _SYLLABLE.fullmatch(word)]
    foreign = len(judged) - len(shaped)
    vietnamese = len(marked(shaped)) if shaped else 0
    if vietnamese == foreign:
        return None
    return VIETNAMESE if vietnamese > foreign else ENGLISH
