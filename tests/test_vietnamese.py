"""The one module for Vietnamese text: folding marks away, and Vietnamese alphabetical order."""
import random
import unicodedata

import pytest

from services.common.vietnamese import fold, folded_key, folded_phrase, folded_words, sort_key, without_marks

# Ordered as CLDR's Vietnamese collation orders them (unicode-org/cldr, common/collation/vi.xml,
# "standard": &̀<<̉<<̃<<́<<̣ &a<ă<<<Ă<â<<<Â &d<đ<<<Đ &e<ê<<<Ê &o<ô<<<Ô<ơ<<<Ơ &u<ư<<<Ư, tailoring the
# root collation), as ICU 78.2 with CLDR 48 sorts them (`Intl.Collator("vi")` in Node.js).
CLDR_ORDER = [
    "12", "2", "a b", "a-b", "ab", "ai", "ải", "Ái", "ăn", "ằn", "ắn", "Ấp 12", "Ấp 3", "âu", "ầu", "ấu",
    "da", "dạ", "Dạ Lê", "dương", "Dương", "Dương Nỗ", "đa", "Đà", "Đông", "Đông Ba", "e", "ê", "ế",
    "ho", "hoà", "hoả", "hòa", "hô", "hồ", "hổ", "hộ", "hơ", "hở", "Hue", "Huế", "hùng", "hưng", "Hưng",
    "hững", "ma", "Ma", "mà", "Mả", "mã", "Má", "mạ", "mác", "Mai", "mải", "mãi", "máy", "mắc", "mặc",
    "mâm", "mầm", "mẫm", "mấm", "óc", "ọc", "on", "ốc", "ôn", "ơn", "Phù", "Phủ", "Phụ", "Phú Mậu",
    "Phú Vang", "Phúc", "tôi", "tồi", "tối", "tội", "tới", "tư", "từ", "tự", "u", "ủ", "uống", "ư", "ừ",
    "ướt", "ưu", "xa", "xã", "Xã",
]


def test_words_sort_as_cldr_vietnamese_collation_sorts_them():
    """CLDR_ORDER is CLDR's own: the Vietnamese tailoring in unicode-org/cldr
    common/collation/vi.xml over the root collation, as ICU 78.2 (CLDR 48) sorts the words.
    Letters first (ă â after a, đ after d, ê after e, ô ơ after o, ư after u), then the tones
    (none, huyền, hỏi, ngã, sắc, nặng) letter by letter from the left, then lower case before
    upper; spaces and punctuation before letters ('Phú Mậu' before 'Phúc')."""
    shuffled = CLDR_ORDER[:]
    random.Random(17).shuffle(shuffled)
    assert sorted(shuffled, key=sort_key) == CLDR_ORDER


def test_the_five_tones_follow_cldr_order():
    assert sorted(["Mạ", "Má", "Mã", "Mả", "Mà", "Ma"], key=sort_key) == ["Ma", "Mà", "Mả", "Mã", "Má", "Mạ"]


def test_order_does_not_depend_on_how_the_marks_were_typed():
    """Keyboards send Vietnamese composed or decomposed; both are the same word."""
    for word in ("Thừa Thiên Huế", "Đặng Văn Ơn", "mạ"):
        assert sort_key(unicodedata.normalize("NFD", word)) == sort_key(unicodedata.normalize("NFC", word))


@pytest.mark.parametrize(("text", "folded"), [
    ("Đắk  Lắk", "dak  lak"),
    ("Thừa Thiên Huế", "thua thien hue"),
    (unicodedata.normalize("NFD", "Quyết định"), "quyet dinh"),
    ("ĐƯỜNG", "duong"),
    ("ﬁle Ａ", "file a"),
])
def test_fold_lowers_and_takes_every_mark_away_keeping_the_rest(text, folded):
    assert fold(text) == folded


def test_without_marks_keeps_case():
    assert without_marks("Quyết định số 12/QĐ-UBND") == "Quyet dinh so 12/QD-UBND"


def test_folded_words_phrase_and_key_ignore_punctuation_and_spacing():
    assert folded_words("Quyết định số 12/QĐ-UBND") == ["quyet", "dinh", "so", "12", "qd", "ubnd"]
    assert folded_phrase("  Bấm vào   ĐÂY! ") == "bam vao day"
    assert folded_key("Chính quyền điện tử") == "chinh-quyen-dien-tu"
    assert folded_key("12/2026/QĐ-UBND") == "12-2026-qd-ubnd"
    assert folded_key("!!!") == ""
