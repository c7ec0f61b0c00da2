"""What citizens and callers may send: engine syntax, broken quotes, floods of text, a pasted
paragraph, only fillers, punctuation, emoji, other scripts, control characters, absurd pages
and malformed filters. Each is either answered safely (the characters are only text, never
query syntax) or refused with InvalidInput naming the field; never an engine error.
Run against each engine (see engine_config). How long the worst of these take is measured by
tests/benchmarks/bench_search.py, not asserted here."""
import pytest

from services.common.errors import InvalidInput
from tests.search.bad_queries import (
    KHAI_SINH,
    KHAI_SINH_ABROAD,
    KHAI_SINH_TITLE,
    MAX_QUERY_CHARS,
    MIXED_SCRIPTS,
    NOTICE,
    WORDLESS,
    one_letter_words,
    pasted,
    with_line_breaks,
)

SYNTAX = ['+ - && || ! ( ) { } [ ] ^ " ~ * ? : \\ /', "*", "*:*", "\\", '"', "/.*/", "((((", "]]]]", "~~~",
          "title:*", "_exists_:title", "a\\", "?*?*?", "1=1; --", "{{ }}", "<script>", "%", "\u0000"]


@pytest.fixture
def articles(search_service):
    search_service.publish("hue", "Thừa Thiên Huế và Đà Nẵng hợp tác")
    search_service.publish("portal", "Cổng thông tin điện tử")
    return search_service


def test_syntax_characters_alone_find_nothing_and_break_nothing(articles):
    for query in SYNTAX:
        result = articles.search(query)
        assert (result["total"], result["hits"]) == (0, []), query
        assert articles.rpc.suggest(query)["suggestions"] == [], query


def test_syntax_characters_around_words_are_ignored(articles):
    # Neither operators nor fields: '-Đà' does not exclude, 'title:' restricts nothing. The
    # words are searched as typed, so each finds the article that has them all.
    for query in ['+Huế -"Đà Nẵng', "Huế && Đà || Nẵng", "(Huế) [Đà] {Nẵng}", "Huế^ ~Đà* Nẵng?",
                  '"Thừa Thiên Huế', 'Thừa Thiên Huế"', "Huế\\ Đà/Nẵng", "!Huế !Đà !Nẵng", "Huế:Đà:Nẵng"]:
        assert articles.ids(query) == ["hue"], query
    # 'title' is not a field here but a word the article lacks.
    assert articles.ids("title:Huế") == []


def test_a_boost_typed_after_a_word_is_only_a_number(articles):
    # 'hue^1000' is the word 'hue' and the number 1000, which no item has: the closest item answers.
    assert [hit["id"] for hit in articles.search("hue^1000")["hits"]][:1] == ["hue"]


def test_operators_are_words_not_logic(articles):
    assert articles.ids("Huế OR điện") == []  # not a disjunction
    assert articles.ids("Huế AND NOT Đà") == []  # and no negation either
    assert articles.ids("cong thong tin dien tu") == ["portal"]


@pytest.fixture
def items(search_service):
    """What the queries below could be looking for: a birth registration, and the notice pasted."""
    search_service.publish("khai-sinh", KHAI_SINH_TITLE, summary="Thủ tục hộ tịch tại xã.")
    search_service.publish("notice", "Lịch tiếp công dân tháng 12", body=pasted(MAX_QUERY_CHARS))
    search_service.publish("portal", "Cổng thông tin điện tử")
    return search_service


def hit_ids(result: dict) -> list[str]:
    return [hit["id"] for hit in result["hits"]]


def answered_clearly(service, query: str) -> dict | None:
    """The search's result, or None when it is refused naming `query`; anything else (an engine
    error, a refusal naming something else, a malformed result) fails the test."""
    try:
        result = service.search(query)
    except InvalidInput as refused:
        assert set(refused.fields) == {"query"}, (query, refused.fields)
        return None
    assert isinstance(result["hits"], list) and result["total"] >= len(result["hits"]), query
    return result


def test_a_pasted_paragraph_of_2000_characters_is_searched(items):
    paragraph = pasted(MAX_QUERY_CHARS)
    assert len(paragraph) == MAX_QUERY_CHARS
    assert hit_ids(items.search(paragraph))[0] == "notice"
    assert len(with_line_breaks(paragraph)) > MAX_QUERY_CHARS  # counted once whitespace is collapsed
    assert hit_ids(items.search(with_line_breaks(paragraph)))[0] == "notice"


def test_a_query_is_searched_by_its_first_32_words_and_names_the_first_left_out(items):
    first_32 = " ".join(NOTICE.split()[:32])
    assert items.search(first_32)["ignored_from"] is None
    longer = items.search(f"{first_32} khai sinh cho trẻ em")
    assert longer["ignored_from"] == "khai"
    assert hit_ids(longer) == hit_ids(items.search(first_32))  # the words after the 32nd change nothing
    assert items.search(pasted(MAX_QUERY_CHARS))["ignored_from"] == NOTICE.split()[32].strip(".,")


def test_a_query_past_2000_characters_is_refused_naming_the_query(items):
    for query in (pasted(MAX_QUERY_CHARS + 1), "Huế " * 2500):
        with pytest.raises(InvalidInput) as raised:
            items.search(query)
        assert set(raised.value.fields) == {"query"}
    assert "9999" in raised.value.fields["query"]  # its length, trimmed


@pytest.mark.parametrize("query", WORDLESS)
def test_fillers_punctuation_emoji_or_control_characters_alone_are_answered_clearly(items, query):
    result = answered_clearly(items, query)
    if result is not None and not any(char.isalpha() for char in query):
        assert (result["total"], result["hits"]) == (0, []), repr(query)


@pytest.mark.parametrize("query", KHAI_SINH)
def test_emoji_punctuation_control_characters_and_zero_width_spaces_leave_the_words_found(items, query):
    assert hit_ids(items.search(query))[:1] == ["khai-sinh"], repr(query)


@pytest.mark.parametrize("query", KHAI_SINH_ABROAD)
def test_a_word_in_another_script_does_not_empty_the_answer(items, query):
    # No item has the foreign word: the closest items, those with the other words, are the answer.
    assert hit_ids(items.search(query))[:1] == ["khai-sinh"], query


@pytest.mark.parametrize("query", MIXED_SCRIPTS)
def test_mixed_scripts_are_answered_clearly(items, query):
    assert answered_clearly(items, query) is not None, query


def test_three_hundred_one_letter_words_are_accepted_and_answered(items):
    query = one_letter_words(300)
    assert len(query) < MAX_QUERY_CHARS
    assert answered_clearly(items, query) is not None


BAD_SEARCH_ARGUMENTS = [
    ({"page": -1}, "page"),
    ({"page": 0}, "page"),
    ({"page": 10 ** 18}, "page"),
    ({"page": 1.5}, "page"),
    ({"page": "2"}, "page"),
    ({"page": True}, "page"),
    ({"page": None}, "page"),
    ({"per_page": 10 ** 9}, "per_page"),
    ({"per_page": -10}, "per_page"),
    ({"unit": 7}, "unit"),
    ({"unit": "hue", "filters": {"unit": "phu-vang"}}, "unit"),
    ({"sort": "newest"}, "sort"),
    ({"sort": ["date"]}, "sort"),
    ({"filters": "unit=hue"}, "filters"),
    ({"filters": ["unit"]}, "filters"),
    ({"filters": {"colour": "red"}}, "filters.colour"),
    ({"filters": {"unit": 5}}, "filters.unit"),
    ({"filters": {"unit": {"$ne": None}}}, "filters.unit"),
    ({"filters": {"level": [1, 2]}}, "filters.level"),
    ({"filters": {"unit": [f"u{number}" for number in range(51)]}}, "filters.unit"),
    ({"filters": {"category": "x" * 101}}, "filters.category"),
    ({"filters": {"type": "video"}}, "filters.type"),
    ({"filters": {"type": ["article", "unit"]}}, "filters.type"),
    ({"filters": {"from": "12/03/2026"}}, "filters.from"),
    ({"filters": {"from": "2026-02-30"}}, "filters.from"),
    ({"filters": {"from": "2026-W10-1"}}, "filters.from"),
    ({"filters": {"to": 20260101}}, "filters.to"),
    ({"filters": {"from": "9999-12-31"}}, "filters.from"),  # beyond the platform's calendar
    ({"filters": {"to": "0001-01-01"}}, "filters.to"),
    ({"filters": {"from": "2026-05-01", "to": "2026-04-01"}}, "filters.to"),
]


def test_bad_arguments_are_refused_naming_the_field(search_service):
    for arguments, field in BAD_SEARCH_ARGUMENTS:
        with pytest.raises(InvalidInput) as raised:
            search_service.rpc.search("Huế", **arguments)
        assert set(raised.value.fields) == {field}, arguments


def test_every_problem_is_named_at_once(articles):
    with pytest.raises(InvalidInput) as raised:
        articles.rpc.search("", page=-1, sort="x", filters={"size": 1, "from": "hôm qua"})
    assert set(raised.value.fields) == {"query", "page", "sort", "filters.size", "filters.from"}


def test_the_last_page_within_the_window_is_answered(articles):
    result = articles.search("Huế", page=200, per_page=50)  # results 9,951 to 10,000
    assert (result["total"], result["hits"]) == (1, [])


BAD_SUGGEST_ARGUMENTS = [
    ({"prefix": None}, "prefix"),
    ({"prefix": ""}, "prefix"),
    ({"prefix": "   "}, "prefix"),
    ({"prefix": "x" * 101}, "prefix"),
    ({"prefix": "hue", "limit": 0}, "limit"),
    ({"prefix": "hue", "limit": 21}, "limit"),
    ({"prefix": "hue", "limit": "8"}, "limit"),
    ({"prefix": "hue", "unit": ["hue"]}, "unit"),
]


def test_bad_autocomplete_arguments_are_refused_naming_the_field(search_service):
    for arguments, field in BAD_SUGGEST_ARGUMENTS:
        with pytest.raises(InvalidInput) as raised:
            search_service.rpc.suggest(**arguments)
        assert set(raised.value.fields) == {field}, arguments
