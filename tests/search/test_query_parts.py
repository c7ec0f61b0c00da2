"""The engine-neutral pieces of a query, on their own: folding, words, synonyms, document
numbers, spelling and the recency factor."""
import unicodedata
from datetime import datetime, timedelta, timezone

import pytest
import tantivy

from services.search.core import Frequencies, QueryText, recency_factor
from services.search.spelling import correct, edit_distance
from services.search.synonyms import Synonyms
from services.search.text import fold, words

VOWELS = "aăâeêioôơuưy"
TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]  # huyền, sắc, hỏi, ngã, nặng


def vietnamese_letters() -> list[str]:
    letters = [unicodedata.normalize("NFC", vowel + tone) for vowel in VOWELS for tone in TONES]
    letters += ["đ", "b", "c", "d", "g", "h", "k", "l", "m", "n", "p", "q", "r", "s", "t", "v", "x"]
    return letters + [letter.upper() for letter in letters]


def test_fold_gives_what_the_engines_folding_analyzer_indexes():
    analyzer = (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple()).filter(tantivy.Filter.lowercase())
                .filter(tantivy.Filter.ascii_fold()).build())
    for letter in vietnamese_letters():
        assert [fold(letter)] == analyzer.analyze(letter), letter
    assert fold("Đắk Lắk Thừa Thiên Huế") == "dak lak thua thien hue"


def test_words_are_runs_of_letters_and_digits():
    found = words("UBND-xã Phú_Mậu: 12/2026 (thông báo)")
    assert [word.text for word in found] == ["UBND", "xã", "Phú", "Mậu", "12", "2026", "thông", "báo"]
    assert (found[1].start, found[1].end) == (5, 7)


SYNONYMS = Synonyms.parse("""
# a comment line
[[abbreviation]]
short = ["ubnd"]  # a trailing comment
means = ["ủy ban nhân dân"]
source = "Luật Tổ chức chính quyền địa phương"

[[abbreviation]]
short = ["dvc"]
means = ["dịch vụ công"]
source = "Nghị định 42/2022/NĐ-CP"

[[abbreviation]]
short = ["dvctt"]
means = ["dịch vụ công trực tuyến"]
source = "Nghị định 42/2022/NĐ-CP"
""")


def test_synonyms_match_the_longest_spelling_folded():
    assert SYNONYMS.match(["uy", "ban", "nhan", "dan", "xa"], 0) == (4, ("ubnd",))
    assert SYNONYMS.match(["ubnd"], 0) == (1, ("ủy ban nhân dân",))
    assert SYNONYMS.match(["xa", "ubnd"], 0) is None
    # The longer spelling wins, and the shorter one inside it is offered replaced.
    assert SYNONYMS.match(["dich", "vu", "cong", "truc", "tuyen"], 0) == (5, ("dvctt", "dvc truc tuyen"))
    assert SYNONYMS.match(["dich", "vu", "cong", "truc"], 0) == (3, ("dvc",))


def entry(short: str, means: str, source: str = "Nghị định 30/2020/NĐ-CP") -> str:
    return f"[[abbreviation]]\nshort = [{short!r}]\nmeans = [{means!r}]\nsource = {source!r}\n"


@pytest.mark.parametrize("text, problem", [
    (entry("ubnd", "ủy ban nhân dân") + entry("UBND", "uỷ ban"), "also in abbreviation 1"),
    ("[[abbreviation]]\nshort = ['ubnd']\nsource = 'x'", "missing means"),
    (entry("ubnd", "---"), "no words"),
])
def test_a_broken_synonym_list_is_refused(text, problem):
    with pytest.raises(ValueError, match=problem):
        Synonyms.parse(text)


def test_the_shipped_synonyms_cover_the_common_abbreviations():
    shipped = Synonyms.load()
    for abbreviation, meaning in [("ubnd", "ủy ban nhân dân"), ("hđnd", "hội đồng nhân dân"),
                                  ("tthc", "thủ tục hành chính"), ("dvc", "dịch vụ công"),
                                  ("ccvc", "công chức viên chức"), ("ttđt", "trang thông tin điện tử")]:
        spelled = [fold(word.text) for word in words(meaning)]
        assert shipped.match([fold(abbreviation)], 0)[1][0] == meaning
        assert fold(abbreviation) in map(fold, shipped.match(spelled, 0)[1])


def test_a_query_becomes_groups_of_words_and_document_numbers():
    parsed = QueryText.parse("Quyết định (số 12/2026/QĐ-UBND) của UBND huyện Phú Vang", SYNONYMS)

    # A group repeated counts once.
    assert [(group.text, group.synonyms) for group in parsed.groups] == [
        ("Quyết định (số 12/2026/QĐ", ()), ("UBND", ("ủy ban nhân dân",)), ("của", ()), ("huyện Phú Vang", ())]
    assert parsed.numbers == ("12/2026/qd-ubnd",)
    assert QueryText.parse("*:* && ||", SYNONYMS).groups == ()


def test_edit_distance_counts_a_swap_once():
    assert edit_distance("hanh", "hanh") == 0
    assert edit_distance("chnh", "chinh") == 1
    assert edit_distance("chuyne", "chuyen") == 1
    assert edit_distance("hang", "hanh") == 1
    assert edit_distance("thu", "thuong") == 3


TITLES = {"t": [("thu thủ", 9), ("tuc tục", 9), ("tuong tướng", 2)],
          "h": [("hanh hành", 9), ("hanh hạnh", 1), ("hang hàng", 4)],
          "c": [("chinh chính", 9), ("chuyen chuyển", 5)],
          "d": [("doi đổi", 5)]}
# How many items hold each word and each pair of words side by side (as an engine counts them).
HELD = {"thu": 9, "tuc": 9, "hanh": 10, "hang": 4, "chinh": 9, "chuyen": 5, "doi": 5, "tuong": 2,
        "thu tuc": 9, "tuc hanh": 9, "hanh chinh": 9, "chuyen doi": 5, "hang hoa": 3, "hoa": 3}


def _vocabulary(asked):
    def vocabulary(letter):
        asked.append(letter)
        return TITLES.get(letter, [])
    return vocabulary


def _counting(terms):
    return Frequencies(items=50, of={term: HELD.get(term, 0) for term in terms})


def test_spelling_corrects_unknown_words_from_the_vocabulary():
    asked = []
    vocabulary = _vocabulary(asked)
    assert correct("thu tuc hanh chnh", vocabulary, _counting) == "thu tuc hanh chinh"
    assert correct("Thủ tục hành chíh!", vocabulary, _counting) == "Thủ tục hành chính!"
    assert sorted(asked) == ["c", "c"]  # once per letter and query, only for the words in doubt
    assert correct("thu tuc hanh chinh", vocabulary, _counting) is None  # every word is known
    assert correct("zzz 12 ab", vocabulary, _counting) is None  # nothing close; numbers and short words stay


def test_spelling_judges_by_syllable_pairs_and_reads_telex():
    # 'hàng' is a word, but 'hàng chính' stands in no item while 'hành chính' stands in many.
    assert correct("thủ tục hàng chính", _vocabulary([]), _counting) == "thủ tục hành chính"
    # A word the index holds beside its neighbours stays as typed.
    assert correct("hang hoa", _vocabulary([]), _counting) is None
    # Telex keys left in: 'chuyeenr' spells 'chuyển'.
    assert correct("chuyeenr doi", _vocabulary([]), _counting) == "chuyen doi"


def test_recency_factor_halves_its_extra_every_thirty_days_either_way():
    now = datetime(2026, 11, 1, tzinfo=timezone.utc)
    assert recency_factor(now, now) == pytest.approx(1.2)
    assert recency_factor(now - timedelta(days=30), now) == pytest.approx(1.1)
    assert recency_factor(now + timedelta(days=30), now) == pytest.approx(1.1)
    assert recency_factor(now - timedelta(days=3650), now) == pytest.approx(1.0)
