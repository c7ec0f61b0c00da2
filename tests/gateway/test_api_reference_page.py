"""/tai-lieu-api: the API's document as a page people can read, in step with /api/openapi.json."""
import html

import pytest

from services.content.service import ContentService
from services.notify.service import NotifyService
from services.ranking.service import RankingService
from services.search.service import SearchService


@pytest.fixture
def portal_services():
    return ContentService, RankingService, SearchService, NotifyService


def test_the_reference_page_shows_every_operation_and_schema_of_the_document(client):
    document = client.simulate_get("/api/openapi.json").json
    page = client.simulate_get("/tai-lieu-api")
    assert page.status_code == 200, page.text[:2000]
    assert page.headers["Content-Type"].startswith("text/html")
    text = html.unescape(page.text)
    for path, item in document["paths"].items():
        for method, operation in item.items():
            assert f"{method.upper()} {path}" in text
            assert f'id="{operation["operationId"]}"' in page.text
    for name in document["components"]["schemas"]:
        assert f'id="schema-{name}"' in page.text
    # Examples are shown as written, Vietnamese included.
    examples = [example for schema in document["components"]["schemas"].values()
                for example in schema.get("examples", [])]
    assert examples and "\\u" not in page.text.split('id="luoc-do"')[1]
    assert 'href="/api/openapi.json"' in page.text


def test_the_footer_leads_to_the_reference(client):
    assert 'href="/tai-lieu-api"' in client.simulate_get("/").text
