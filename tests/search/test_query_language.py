"""A query in Vietnamese ranks Vietnamese items above English ones of similar relevance, and one
in English the other way round (see language.py). Run against each engine (see engine_config)."""
import pytest

from services.search.documents import ENGLISH, VIETNAMESE
from services.search.language import query_language

VI_PAGE, EN_PAGE = "phu-vang/dam-pha/vi", "phu-vang/dam-pha/en"


def publish_lagoon_pages(search_service):
    # The English page is short and names the lagoon in its title and again and again in its
    # body, with the Vietnamese name beside it, as English pages do: on the words alone it wins.
    search_service.publish_page(
        VI_PAGE, "Đầm phá",
        "Huyện Phú Vang có hệ đầm phá rộng, trong đó phá Tam Giang chạy dọc bờ biển; người dân sống "
        "bằng nghề nuôi trồng thủy sản, đánh bắt và du lịch sinh thái trên đầm phá.")
    search_service.publish_page(
        EN_PAGE, "Tam Giang lagoon",
        "The Tam Giang lagoon (phá Tam Giang) is the largest lagoon of Southeast Asia.")


def test_an_english_page_that_wins_on_its_words_comes_after_the_vietnamese_one_for_a_vietnamese_query(
        search_service):
    publish_lagoon_pages(search_service)

    # Names alone say no language: the English page's words win.
    assert search_service.ids("Tam Giang") == [EN_PAGE, VI_PAGE]
    # Typed with marks: the Vietnamese page first, though the English one scores more on the words.
    assert search_service.ids("phá Tam Giang") == [VI_PAGE, EN_PAGE]
    # In English, the English page keeps its place.
    assert search_service.ids("Tam Giang lagoon")[0] == EN_PAGE


def test_an_english_query_puts_the_english_page_above_a_vietnamese_one_of_similar_relevance(search_service):
    search_service.publish_page("phu-vang/lien-he/vi", "Liên hệ",
                                "Phú Vang: điện thoại 0234 3861 234, email phuvang@thuathienhue.gov.vn")
    search_service.publish_page("phu-vang/lien-he/en", "Contact",
                                "Phu Vang district office: phone 0234 3861 234, email phuvang@thuathienhue.gov.vn")

    assert search_service.ids("email thuathienhue") == ["phu-vang/lien-he/en", "phu-vang/lien-he/vi"]


# Folded words that titles spell with marks, as an index would say.
MARKED = {"gioi", "thieu", "pha", "hue", "dich", "vu", "cong"}


def marked(words: list[str]) -> set[str]:
    return MARKED.intersection(words)


@pytest.mark.parametrize("query, language", [
    ("giới thiệu", VIETNAMESE),  # marks
    ("Đà Nẵng", VIETNAMESE),
    # 'gioi', 'thieu' are Vietnamese words; 'huyen', 'phu', 'vang' tell nothing here
    ("gioi thieu huyen Phu Vang", VIETNAMESE),
    ("dich vu cong truc tuyen", VIETNAMESE),
    ("introduction", ENGLISH),  # no Vietnamese syllable is shaped so
    ("contact the district office", ENGLISH),
    ("Hue city introduction", ENGLISH),  # two foreign words to one Vietnamese
    ("Tam Giang", None),  # syllables no title spells with marks: a name
    ("UBND", None),  # an abbreviation
    ("12/2026", None),
    ("pha lagoon", None),  # one each
])
def test_a_querys_language_comes_from_its_marks_or_its_words(query, language):
    assert query_language(query, marked) == language


def test_only_words_shaped_like_syllables_are_looked_up_and_at_most_eight():
    asked = []

    def recording(words):
        asked.append(words)
        return marked(words)

    # The eight first words: four foreign, four shaped like syllables ('tam', 'ba' come after),
    # two of them spelled with marks.
    assert query_language("department of health office gioi thieu ve nam tam ba", recording) == ENGLISH
    assert asked == [["gioi", "thieu", "ve", "nam"]]
    assert query_language("giới thiệu", recording) == VIETNAMESE and len(asked) == 1  # marks: no look-up
