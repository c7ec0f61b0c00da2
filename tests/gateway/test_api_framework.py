"""The API's shared conventions on their own: typed route fields, the list convention, ETags,
and a document that refuses to leave a route undocumented."""
import falcon
import pytest
from falcon import testing

from gateway.api.lists import list_page, list_query
from gateway.api.openapi import ApiRoutes, build_document
from gateway.api.operations import Param, operation
from gateway.api.validators import ApiValidators
from gateway.converters import CONVERTERS
from gateway.errors import PortalHTTPError


class Echo:
    def on_get(self, req, resp, **fields):
        resp.media = {name: value for name, value in fields.items()}


@pytest.fixture
def echo():
    app = falcon.App(middleware=[ApiValidators()])
    app.router_options.converters.update(CONVERTERS)
    app.add_route("/api/weeks/{week:week}", Echo())
    app.add_route("/api/months/{month:month}", Echo())
    app.add_route("/api/days/{day:date}", Echo())
    return testing.TestClient(app)


@pytest.mark.parametrize("path, field, value", [
    ("/api/weeks/2026-W49", "week", "2026-W49"),
    ("/api/weeks/2026-W53", "week", "2026-W53"),  # 2026 has 53 ISO weeks
    ("/api/months/2026-12", "month", "2026-12"),
    ("/api/days/2024-02-29", "day", "2024-02-29"),
])
def test_typed_fields_take_what_they_name(echo, path, field, value):
    response = echo.simulate_get(path)
    assert response.status_code == 200
    assert response.json == {field: value}


@pytest.mark.parametrize("path", [
    "/api/weeks/2027-W53",  # 2027 has 52
    "/api/weeks/2026-W00", "/api/weeks/2026-49", "/api/weeks/٢٠٢٦-W49", "/api/weeks/2100-W01",
    "/api/months/2026-13", "/api/months/2026-00", "/api/months/1899-12", "/api/months/2026-1",
    "/api/days/2026-02-29", "/api/days/2026-2-1", "/api/days/1899-12-31",
])
def test_typed_fields_refuse_what_is_not_one(echo, path):
    assert echo.simulate_get(path).status_code == 404


def test_a_read_carries_an_etag_and_a_matching_request_gets_304(echo):
    first = echo.simulate_get("/api/weeks/2026-W49")
    etag = first.headers["ETag"]
    assert etag.startswith('"') and first.headers["Cache-Control"] == "no-cache"
    again = echo.simulate_get("/api/weeks/2026-W49", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    weak = echo.simulate_get("/api/weeks/2026-W49", headers={"If-None-Match": "W/" + etag})
    assert weak.status_code == 304
    other = echo.simulate_get("/api/weeks/2026-W50", headers={"If-None-Match": etag})
    assert other.status_code == 200 and other.headers["ETag"] != etag
    named = echo.simulate_get("/api/weeks/2026-W49", headers={"Authorization": "Bearer x"})
    assert named.headers["Cache-Control"] == "private, no-cache"


def _request(query: str):
    return testing.create_req(path="/api/things", query_string=query)


def test_a_list_query_reads_page_limit_and_sort():
    query = list_query(_request("page=3&limit=10&sort=-title"), ("published_at", "-title"))
    assert (query.page, query.limit, query.sort, query.skip, query.fetch) == (3, 10, "-title", 20, 11)
    assert list_query(_request(""), ("published_at",)).sort == "published_at"


@pytest.mark.parametrize("query, named", [
    ("page=0", {"page"}), ("page=x", {"page"}), ("limit=101", {"limit"}), ("limit=-1", {"limit"}),
    ("sort=size", {"sort"}), ("page=٣&limit=0&sort=x", {"page", "limit", "sort"}),
    ("limit=x&limit=", {"limit"}), ("page=2&page=3&sort=published_at&sort=published_at", {"page", "sort"}),
    ("page=&limit=%20&sort=", {"page", "limit", "sort"}),
])
def test_a_list_query_names_every_bad_parameter(query, named):
    with pytest.raises(PortalHTTPError) as refused:
        list_query(_request(query), ("published_at",))
    assert refused.value.code == 422 and set(refused.value.fields) == named


def test_a_list_page_links_its_neighbours_keeping_the_filters():
    req = _request("status=draft&page=2&limit=2")
    query = list_query(req, ())
    page = list_page(req, query, ["c", "d", "e"])
    assert page["items"] == ["c", "d"]
    assert page["next"] == "/api/things?status=draft&page=3&limit=2"
    assert page["previous"] == "/api/things?status=draft&page=1&limit=2"
    assert list_page(req, query, ["c"])["next"] is None


class Documented:
    @operation("A thing", auth=None, answers={200: "Thing"}, params=(Param("q", {"type": "string"}),))
    def on_get(self, req, resp, week):
        pass

    @operation("Change a thing", body="Thing", errors=(409,))
    def on_put(self, req, resp, week):
        pass


class Undocumented:
    def on_get(self, req, resp):
        pass


def test_the_document_describes_each_operation_from_its_record():
    app = falcon.App()
    app.router_options.converters.update(CONVERTERS)
    routes = ApiRoutes(app)
    routes.add("/api/things/{week:week}", Documented())
    thing = {"type": "object", "properties": {"name": {"type": "string"}}}
    document = build_document(routes.routes, {"Thing": thing})
    assert document["openapi"] == "3.1.0"
    item = document["paths"]["/api/things/{week}"]
    assert item["get"]["parameters"][0]["schema"]["pattern"] == "^[0-9]{4}-W[0-9]{2}$"
    assert set(item["get"]["responses"]) == {"200", "304", "404", "422", "503", "504"}
    assert set(item["put"]["responses"]) == {"200", "400", "401", "403", "404", "409", "413", "415", "422", "503",
                                             "504"}
    assert item["put"]["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Thing"}
    assert any(param["name"] == "Idempotency-Key" for param in item["put"]["parameters"])
    assert document["components"]["schemas"]["Thing"] == thing


def test_an_undocumented_route_is_named():
    app = falcon.App()
    routes = ApiRoutes(app)
    routes.add("/api/secret", Undocumented())
    with pytest.raises(LookupError, match="GET /api/secret"):
        build_document(routes.routes, {})


class UnorderedList:
    @operation("Things", auth=None, lists="Thing")
    def on_get(self, req, resp):
        pass


def test_a_list_names_its_order_even_when_it_has_one():
    app = falcon.App()
    routes = ApiRoutes(app)
    routes.add("/api/things", UnorderedList())
    with pytest.raises(LookupError, match="GET /api/things is a list that names no order"):
        build_document(routes.routes, {})
