"""Every route the gateway serves, fuzzed: whatever arrives (wrong types, deep nesting, huge
numbers, odd Unicode, missing and extra fields, with and without the platform admin's token),
the answer is never a 5xx and never shows a traceback; an API error is the JSON error body,
a page's is a Vietnamese HTML page.

Routes are read from the app itself (falcon.inspect), so a new route is fuzzed without being
listed here. Values are mostly real ones (the commune, its article, a valid body for the route)
so that requests get past the first check and reach the services; the rest are near misses
(the ends of the calendar, versions past 8 bytes) and random text. Bodies start from a valid
one and lose fields, have some replaced by anything JSON holds, or gain unknown ones. The real
content, ranking, search and notify services answer over RabbitMQ and MongoDB; examples share
one site, so a change one makes (a category, a user, a dissolved unit) is there for the next."""
from __future__ import annotations

import json
import re
from functools import cache
from typing import NamedTuple
from urllib.parse import urlencode

import pytest
from falcon import testing
from falcon.inspect import inspect_routes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.content.service import ContentService
from services.notify.service import NotifyService
from services.ranking.service import RankingService
from services.search.service import SearchService
from tests.gateway.conftest import PORTAL_ADMIN, publish

FUZZ = settings(max_examples=3000, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])
PARAMETER = re.compile(r"\{(\w+)(?::\w+)?\}")  # {month:month} is filled as {month}
FORM_TOKEN = re.compile(r'name="ma_bieu_mau" value="([^"]+)"')
METHODS = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"]
WRITES = ("POST", "PUT", "PATCH", "DELETE")

# Text a person, a browser or a robot may send: any character but a lone surrogate (which no
# URL can carry), and some chosen to break parsers, templates and queries.
ODD_TEXT = ["", " ", "0", "-1", "1e9", "null", "true", "[]", "{}", "..", "%00", "%ff", "\x00", "\t\n", "'\"<>&",
            "<script>alert(1)</script>", "{{ 7*7 }}", '{"$gt": ""}', "$where", "a" * 5000, "9" * 5000,
            "𝕳𝖚ế", "ﬁ", "\u202e\u0301", "Ж" * 50, "Đ̛̉", "đường-hà-nội", "A\u0300", "\ufeff", "\U0001f600" * 20]
TEXT = st.one_of(st.sampled_from(ODD_TEXT), st.text(st.characters(exclude_categories=("Cs",)), max_size=40))
# A path segment as a server hands it over, decoded: no '/', and no '?' (the test client refuses it).
PATH_TEXT = TEXT.map(lambda value: value.replace("/", "").replace("?", "") or "x")

DAYS = ["2026-01-15", "1900-01-01", "2099-12-31", "1899-12-31", "2100-01-01", "9999-12-31", "0001-01-01",
        "2026-02-30", "2026-13-01", "15/01/2026", "31/12/9999", "1/1/1", "20260115", "2026-W03-4", "٢٠٢٦-٠١-١٥"]
WEEKS = ["2026-W03", "2026-W53", "2020-W53", "2026-W00", "9999-W52", "0001-W01", "2099-W53", "1900-W01", "2026-w3",
         "٢٠٢٦-W03"]
MONTHS = ["2026-01", "2099-12", "1899-12", "9999-12", "2026-13", "2026-1", "0000-00", "٢٠٢٦-01"]
INTEGERS = ["1", "2", "0", "-1", str(2 ** 63 - 1), str(2 ** 63), str(2 ** 64), "-" + str(2 ** 63 + 1),
            "1" + "0" * 4400, "1.5", "1e3", "NaN", "Infinity", " 3 ", "٣", "³"]


def mostly(values: list, other: st.SearchStrategy) -> st.SearchStrategy:
    """One of `values` three times in four, else `other`."""
    return st.integers(0, 3).flatmap(lambda choice: other if choice == 0 else st.sampled_from(values))


# Query strings: known parameters with telling values, or anything; and what no form sends.
QUERY_NAMES = ["trang", "q", "from", "to", "unit", "level", "type", "category", "sort", "page", "per_page", "limit",
               "ngay", "lanh-dao", "so-ky-hieu", "loai", "co-quan", "tu-ngay", "den-ngay", "tu-khoa", "don-vi",
               "ban-in", "tai-ve", "co-chu", "tuong-phan", "quay-lai", "token", "ma", "format", "status", "role"]
QUERY_VALUES = [*DAYS, *WEEKS, *MONTHS, *INTEGERS, "csv", "json", "date", "relevance", "article", "lon", "cao",
                "/", "//evil.example", "/\\evil.example", "phu-mau", "draft", "author", "dịch vụ công", "dich vu"]
QUERY_STRINGS = st.one_of(
    st.lists(st.tuples(mostly(QUERY_NAMES, TEXT), mostly(QUERY_VALUES, TEXT)), max_size=6).map(urlencode),
    st.sampled_from(["q=%ff%fe", "trang=%", "%=%", "&&&", "q", "=1", "from=%00", "q=" + "%e1%bb" * 100]))

HEADERS = st.tuples(
    mostly([PORTAL_ADMIN, PORTAL_ADMIN, {}], st.sampled_from([
        {"Authorization": "Bearer sai"}, {"Authorization": "Basic YTpi"}, {"Authorization": "Bearer "},
        {"Authorization": "Bearer " + "x" * 5000}])),
    mostly([{}], st.sampled_from([
        {"Idempotency-Key": "k-1"}, {"Idempotency-Key": "\u00e9" * 300}, {"Cookie": "hien-thi=lon+tuong-phan-cao"},
        {"Cookie": "hien-thi=%ff; ma-bieu-mau=x"}, {"If-None-Match": "*"}, {"Accept": "text/csv"}])),
).map(lambda parts: {**parts[0], **parts[1]})

# Anything JSON holds, including what Python's json module writes but no service could take.
JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), TEXT,
              st.sampled_from(["\ud800", "x\udfff", *DAYS, *WEEKS, "2026-01-15T08:00:00+07:00",
                               "9999-12-31T23:59:59-12:00", 2 ** 63, -2 ** 63 - 1, 10 ** 300])),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(TEXT, inner, max_size=4)), max_leaves=12)
RAW_BODIES = [b"", b"null", b"[]", b'"text"', b"1", b"{", b'{"title": }', b"\xff\xfe{}", b"{}" * 2,
              b"[" * 5000 + b"]" * 5000, b'{"a":' * 3000 + b"1" + b"}" * 3000,
              b'{"version": ' + b"9" * 5000 + b"}", b'{"points": NaN}', b'{"points": -Infinity}',
              b'{"title": "\\ud800"}', b'{"title": "x", "title": 1}', b"\x00" * 10]
CONTENT_TYPES = ["application/json", "application/json; charset=utf-8", "text/plain", "application/jsonx",
                 "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", None]

ARTICLE = {"title": "Tin mới về dịch vụ công", "body_html": "<p>Nội dung.</p>", "category": "tin-tuc",
           "tags": ["chuyển đổi số"]}
# A body each write takes, by route; the question form's fields for the page that has one.
VALID_BODIES = {
    "/api/levels": {"slug": "phuong", "name": "Phường", "order": 3},
    "/api/units": {"slug": "phu-luong", "name": "Xã Phú Lương", "level": "xa", "parent": "thua-thien-hue"},
    "/api/units/{unit}": {"name": "Xã Phú Mậu", "contact": {"phone": "0234 3822 000"},
                          "branding": {"accent_colour": "#0b4f8a"}, "version": 1},
    "/api/units/{unit}/categories": {"slug": "thong-bao", "name": "Thông báo", "order": 2},
    "/api/units/{unit}/articles": ARTICLE,
    "/api/units/{unit}/merge": {"successor": "thua-thien-hue", "version": 1},
    "/api/units/{unit}/dissolve": {"version": 1},
    "/api/units/{unit}/place": {"level": "xa", "parent": "thua-thien-hue", "version": 1},
    "/api/units/{unit}/rollback": {"to_version": 1, "version": 2},
    "/api/users": {"username": "bien-tap", "name": "Biên tập viên", "email": "bien.tap@example.vn",
                   "roles": {"phu-mau": ["editor"]}},
    "/api/users/{username}/roles": {"unit": "phu-mau", "role": "editor"},
    "/api/articles/{article_id}": {**ARTICLE, "version": 2},
    "/api/articles/{article_id}/rollback": {"to_version": 1, "version": 2},
    "/api/articles/{article_id}/royalty": {"points": 2.5},
    "/api/articles/{article_id}/submit": {"version": 2},
    "/api/articles/{article_id}/approve": {"version": 2},
    "/api/articles/{article_id}/reject": {"version": 2, "comment": "Cần bổ sung số liệu"},
    "/api/articles/{article_id}/publish": {"version": 2, "at": "2030-01-01T08:00:00+07:00"},
    "/api/articles/{article_id}/force-publish": {"version": 2, "comment": "Đăng ngay"},
    "/api/articles/{article_id}/unpublish": {"version": 2, "at": "2030-01-01T08:00:00+07:00"},
    "/api/articles/{article_id}/archive": {"version": 2},
    "/api/units/{unit}/categories/{category}": {"name": "Tin tức địa phương", "order": 1, "version": 1},
    "/api/subscriptions": {"email": "nguoi.dan@example.vn", "unit": "phu-mau"},
    "/api/ranking/{month:month}/revisions": {"reason": "Bổ sung tin bị sót"},
    "/api/units/{unit}/questions": {"asker_name": "Nguyễn Văn A", "asker_email": "a@example.vn",
                                    "title": "Hỏi về thủ tục", "question": "Xin hỏi thủ tục cần những gì?"},
    "/api/questions/{question_id}/reject": {"reason": "Không thuộc thẩm quyền", "version": 1},
    "/api/questions/{question_id}/answer": {"answer_html": "<p>Trả lời.</p>", "version": 2},
    "/{unit}/hoi-dap/gui-cau-hoi": {"asker_name": "Nguyễn Văn A", "asker_email": "a@example.vn",
                                    "title": "Hỏi về thủ tục", "question": "Xin hỏi thủ tục cấp giấy phép?",
                                    "ma_bieu_mau": "x"},
}


def changed(valid: dict, values: st.SearchStrategy) -> st.SearchStrategy[dict]:
    """`valid` as it is one time in four, else with some fields dropped, and some replaced or
    added with any of `values`."""
    names = sorted(valid) or ["x"]
    mutated = st.tuples(st.sets(st.sampled_from(names)), st.dictionaries(mostly(names, TEXT), values, max_size=3)).map(
        lambda parts: {**{name: value for name, value in valid.items() if name not in parts[0]}, **parts[1]})
    return st.integers(0, 3).flatmap(lambda choice: st.just(valid) if choice == 0 else mutated)


@cache
def bodies(template: str) -> st.SearchStrategy[tuple[bytes | None, str | None]]:
    """(body, Content-Type) for a write to `template`: its valid body changed, or bytes no JSON
    reader should take, typed as the route expects three times in four; or no body at all."""
    valid = VALID_BODIES.get(template, {})
    if template.startswith("/api/"):
        encoded = changed(valid, JSON_VALUES).map(lambda body: json.dumps(body).encode())
        typed = mostly(["application/json"], st.sampled_from(CONTENT_TYPES))
    else:
        encoded = changed(valid, TEXT).map(lambda fields: urlencode(fields).encode())
        typed = mostly(["application/x-www-form-urlencoded"], st.sampled_from(CONTENT_TYPES))
    sent = st.tuples(st.one_of(encoded, st.sampled_from(RAW_BODIES)), typed)
    return st.integers(0, 3).flatmap(lambda choice: st.tuples(st.none(), st.none()) if choice == 0 else sent)


class Site(NamedTuple):
    client: testing.TestClient
    routes: dict[bool, list[tuple[str, str]]]  # API or not -> (method, path template) of every responder
    path_values: dict[str, st.SearchStrategy[str]]  # path parameter -> what may fill it


@pytest.fixture
def portal_services():
    return ContentService, RankingService, SearchService, NotifyService


@pytest.fixture
def site(phu_mau) -> Site:
    """The gateway's routes, and what real requests name: the commune's category, its article
    (version 2, published) and tag, a second commune."""
    client = phu_mau.client
    category = {"slug": "tin-tuc", "name": "Tin tức"}
    assert client.simulate_post("/api/units/phu-mau/categories", headers=PORTAL_ADMIN, json=category).status_code == 201
    commune = {"slug": "phu-da", "name": "Thị trấn Phú Đa", "level": "xa", "parent": "thua-thien-hue"}
    assert client.simulate_post("/api/units", headers=PORTAL_ADMIN, json=commune).status_code == 201
    article = publish(client, category="tin-tuc", tags=["chuyển đổi số"])
    found = [(method.method, route.path) for route in inspect_routes(client.app) for method in route.methods
             if not method.internal]
    routes = {api: [(method, path) for method, path in found if path.startswith("/api/") == api]
              for api in (True, False)}
    assert all(routes.values()), routes
    return Site(client, routes, path_values(article))


def path_values(article: dict) -> dict[str, st.SearchStrategy[str]]:
    """For each path parameter of the app, by name: real values, near misses, or random text."""
    known = {
        "unit": ["phu-mau", "phu-mau", "thua-thien-hue", "phu-da", "khong-co", "PHU-MAU"],
        "slug": [article["slug"], "khong-co"],
        "category": ["tin-tuc", "khong-co"],
        "tag": ["chuyển đổi số", "chuyen doi so"],
        "day": DAYS,
        "week": WEEKS,
        "month": MONTHS,
        "article_id": [article["id"], article["id"], "0" * 32, "khong-co"],
        "document_id": ["0" * 32, "khong-co"],
        "question_id": ["0" * 32, "HD-2026-000001"],
        "media_id": ["0" * 32, "khong-co"],
        "rendition": ["320", "640", "1280", "goc", "0", "-1", str(2 ** 64)],
        "key": ["gioi-thieu", "lien-he", "khong-co"],
        "username": ["admin", "khong-co", "bien-tap"],
    }
    return {name: mostly(values, PATH_TEXT) for name, values in known.items()}


def request(data, site: Site, api: bool):
    method, template = data.draw(st.sampled_from(site.routes[api]), label="route")
    method = data.draw(mostly([method], st.sampled_from(METHODS)), label="method")
    path = PARAMETER.sub(lambda match: data.draw(site.path_values.get(match[1], PATH_TEXT), label=match[1]), template)
    query = data.draw(QUERY_STRINGS, label="query")
    headers = data.draw(HEADERS, label="headers")
    body, content_type = data.draw(bodies(template), label="body") if method in WRITES else (None, None)
    if content_type:
        headers["Content-Type"] = content_type
    if not api and method == "POST" and body and data.draw(st.booleans(), label="form token"):
        body = with_form_token(site.client, path, headers, body)
    response = site.client.simulate_request(method, path, query_string=query, headers=headers, body=body)
    where = f"{method} {path!r}?{query!r} {(body or b'')[:200]!r} -> {response.status_code}: {response.content[:300]!r}"
    assert response.status_code < 500, where
    assert b"Traceback" not in response.content, where
    if response.status_code < 400 or method == "HEAD":  # a HEAD answer has no body
        return
    if api:
        error = response.json["error"]
        assert error["status"] == response.status_code and error["message"], where
    else:
        assert response.headers["content-type"].startswith("text/html") and b"<html" in response.content, where


def with_form_token(client, path: str, headers: dict, body: bytes) -> bytes:
    """`body` with the token of the form at `path` in place of the placeholder, and its cookie in
    `headers`, as a browser sends them: the fields then reach the service."""
    form = client.simulate_get(path)
    token = FORM_TOKEN.search(form.text)
    if form.status_code != 200 or not token:
        return body
    headers["Cookie"] = f"ma-bieu-mau={form.cookies['ma-bieu-mau'].value}"
    return body.replace(b"ma_bieu_mau=x", urlencode({"ma_bieu_mau": token[1]}).encode())


@pytest.mark.slow
@FUZZ
@given(data=st.data())
def test_every_api_route_answers_any_input_without_a_server_error(site, data):
    request(data, site, api=True)


@pytest.mark.slow
@FUZZ
@given(data=st.data())
def test_every_page_answers_any_address_without_a_server_error(site, data):
    request(data, site, api=False)
