"""What citizens and callers may send: engine syntax, broken quotes, floods of text, absurd
pages and malformed filters. Each is either answered safely (the characters are only text,
never query syntax) or refused with InvalidInput naming the field; never an engine error.
Run against each engine (see engine_config)."""
import pytest

from services.common.errors import InvalidInput

SYNTAX = ['+ - && || ! ( ) { } [ ] ^ " ~ * ? : \\ /', "*", "*:*", "\\", '"', "/.*/", "((((", "]]]]", "~~~",
          "title:*", "_exists_:title", "a\\", "?*?*?", "hue^1000", "1=1; --", "{{ }}", "<script>", "%", "\u0000"]


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


def test_operators_are_words_not_logic(articles):
    assert articles.ids("Huế OR điện") == []  # not a disjunction
    assert articles.ids("Huế AND NOT Đà") == []  # and no negation either
    assert articles.ids("cong thong tin dien tu") == ["portal"]


def test_a_long_query_is_refused_clearly(articles):
    with pytest.raises(InvalidInput) as raised:
        articles.search("Huế " * 2500)
    assert set(raised.value.fields) == {"query"}
    assert "at most 200 characters" in raised.value.fields["query"]
    assert "9999" in raised.value.fields["query"]  # its length, trimmed

    assert articles.search("Huế " + "x" * 196)["total"] == 0  # 200 exactly is fine


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
