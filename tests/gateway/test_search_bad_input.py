"""What citizens paste or type into /tim-kiem and /api/search that is not an ordinary query: a
paragraph of 2,000 characters (searched), longer (refused naming the query), only fillers,
punctuation, emoji, other scripts, control characters and zero-width spaces, 300 one-letter
words. Each gets a clear answer, never a 5xx: results, no results said in Vietnamese, or a
refusal naming the query; the real content and search services behind the gateway.
(How long the worst take is measured by tests/benchmarks/bench_search.py.)"""
import html
import re

import pytest

from services.content.service import ContentService
from services.search.service import SearchService
from tests.gateway.conftest import publish
from tests.search.bad_queries import (
    KHAI_SINH,
    KHAI_SINH_ABROAD,
    KHAI_SINH_TITLE,
    MAX_QUERY_CHARS,
    MIXED_SCRIPTS,
    WORDLESS,
    one_letter_words,
    pasted,
    with_line_breaks,
)
from tests.servers import wait_for

PORTAL_SERVICES = (ContentService, SearchService)
NO_RESULTS = "Không có kết quả nào"
INVITATION = "Nhập từ khóa để tìm"  # what the page says when the query is only whitespace, as when empty
RESULT_LINK = "<h3><a href="
NOTICE_TITLE = "Lịch tiếp công dân tháng 12"


@pytest.fixture
def published(phu_mau):
    """Xã Phú Mậu's birth registration news and its notice, searchable."""
    client = phu_mau.client
    birth = publish(client, title=KHAI_SINH_TITLE)
    notice = publish(client, title=NOTICE_TITLE, body_html=f"<p>{pasted(MAX_QUERY_CHARS)}</p>")
    for item in (birth, notice):
        wait_for(lambda: item["id"] in api_ids(client.simulate_get("/api/search", params={"q": item["title"]})),
                 timeout=10, message=f"{item['title']} searchable")
    return client, {"birth": birth["id"], "notice": notice["id"]}


def first_result_title(page: str) -> str | None:
    found = re.search(r'<h3><a href="[^"]+">([^<]+)</a>', page)
    return found and html.unescape(found.group(1))


def api_ids(response) -> list[str]:
    assert response.status_code == 200, response.text[:500]
    return [item["id"] for item in response.json["items"]]


def clear_page(response) -> str:
    """A page with results, or saying in Vietnamese that there are none (or inviting a query, when
    there is none), or refusing the query by name; never a 5xx or a traceback."""
    assert response.status_code in (200, 422), response.status_code
    assert response.headers["content-type"].startswith("text/html")
    assert "Traceback" not in response.text
    if response.status_code == 422:
        assert 'role="alert"' in response.text and 'href="#tu-khoa">Từ khóa tìm kiếm' in response.text
    else:
        assert any(answer in response.text for answer in (RESULT_LINK, NO_RESULTS, INVITATION))
    return response.text


def clear_api(response) -> dict:
    """A list of results (perhaps empty), or a 422 naming `q`."""
    assert response.status_code in (200, 422), response.status_code
    if response.status_code == 422:
        assert list(response.json["error"]["fields"]) == ["q"], response.json
    else:
        assert isinstance(response.json["items"], list) and response.json["total"] >= len(response.json["items"])
    return response.json


def test_a_pasted_paragraph_of_2000_characters_finds_what_it_was_pasted_from(published):
    client, ids = published
    for paragraph in (pasted(MAX_QUERY_CHARS), with_line_breaks(pasted(MAX_QUERY_CHARS))):
        page = client.simulate_get("/tim-kiem", params={"q": paragraph})
        assert page.status_code == 200, page.text[:500]
        assert first_result_title(page.text) == NOTICE_TITLE
        assert "Câu tìm kiếm quá dài: chỉ tìm theo các từ đứng trước «môi»" in page.text  # its 33rd word
        api = client.simulate_get("/api/search", params={"q": paragraph})
        assert api_ids(api)[0] == ids["notice"] and api.json["ignored_from"] == "môi"


def test_a_query_past_2000_characters_is_refused_naming_the_query(client):
    for query in (pasted(MAX_QUERY_CHARS + 1), "Huế " * 2500):
        page = client.simulate_get("/tim-kiem", params={"q": query})
        assert page.status_code == 422  # as the page refuses every bad search
        text = clear_page(page)
        assert 'name="q" type="search"' in text and 'aria-invalid="true"' in text  # the form, to shorten it
        api = client.simulate_get("/api/search", params={"q": query})
        assert api.status_code == 422 and list(api.json["error"]["fields"]) == ["q"]


@pytest.mark.parametrize("query", WORDLESS)
def test_fillers_punctuation_emoji_or_control_characters_alone_are_answered_clearly(published, query):
    client, _ = published
    page = clear_page(client.simulate_get("/tim-kiem", params={"q": query}))
    answer = clear_api(client.simulate_get("/api/search", params={"q": query}))
    if "error" not in answer and not any(char.isalpha() for char in query):
        assert answer["items"] == [] and NO_RESULTS in page, repr(query)


@pytest.mark.parametrize("query", KHAI_SINH + KHAI_SINH_ABROAD)
def test_words_among_emoji_control_characters_or_other_scripts_are_found(published, query):
    client, ids = published
    assert api_ids(client.simulate_get("/api/search", params={"q": query}))[:1] == [ids["birth"]], repr(query)
    page = clear_page(client.simulate_get("/tim-kiem", params={"q": query}))
    assert first_result_title(page) == KHAI_SINH_TITLE


@pytest.mark.parametrize("query", [*MIXED_SCRIPTS, one_letter_words(300)])
def test_mixed_scripts_and_300_one_letter_words_are_answered(published, query):
    client, _ = published
    page = client.simulate_get("/tim-kiem", params={"q": query})
    assert page.status_code == 200, page.text[:500]
    clear_page(page)
    assert client.simulate_get("/api/search", params={"q": query}).status_code == 200
