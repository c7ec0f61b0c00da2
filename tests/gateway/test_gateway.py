"""The gateway against the real content and ranking services over RabbitMQ and MongoDB."""
import dataclasses
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from falcon import testing

from gateway.app import create_app
from gateway.rpc import RpcPool
from tests.gateway.conftest import PORTAL_ADMIN
from tests.servers import free_port

EDITOR = PORTAL_ADMIN  # the platform administrator
ARTICLE = {"title": "Thừa Thiên Huế đẩy mạnh chính quyền điện tử", "body_html": "<p>Nội dung</p>"}


@pytest.fixture
def portal_settings(portal_settings):
    return dataclasses.replace(portal_settings, MAX_BODY_BYTES=10_000)


@pytest.fixture
def commune(phu_mau):
    return phu_mau.client.simulate_get("/api/units/phu-mau").json


def post_raw(client, path, body: bytes, content_type="application/json"):
    return client.simulate_post(path, body=body, headers={**EDITOR, "Content-Type": content_type})


def test_malformed_json_is_a_400_that_says_so(client, commune):
    response = post_raw(client, "/api/units/phu-mau/articles", b'{"title": ')
    assert response.status_code == 400
    assert "Malformed JSON" in response.json["error"]["message"]


def test_invalid_fields_are_a_422_naming_each_field(client, commune):
    response = client.simulate_post("/api/units/phu-mau/articles", headers=EDITOR, json={"body_html": "<p>x</p>"})
    assert response.status_code == 422
    assert list(response.json["error"]["fields"]) == ["title"]


def test_an_oversize_body_is_a_413(client, commune):
    body = json.dumps({**ARTICLE, "body_html": "x" * 20_000}).encode()
    assert post_raw(client, "/api/units/phu-mau/articles", body).status_code == 413


def test_a_body_that_is_not_json_is_a_415(client, commune):
    assert post_raw(client, "/api/units/phu-mau/articles", b"title=x", "text/plain").status_code == 415


def test_writes_need_the_editor_token(client, commune):
    response = client.simulate_post("/api/units/phu-mau/articles", json=ARTICLE)
    assert response.status_code == 401
    response = client.simulate_post("/api/units/phu-mau/articles", json=ARTICLE,
                                    headers={"Authorization": "Bearer wrong"})
    assert response.status_code == 401


def test_unknown_unit_and_article_are_404s(client, commune):
    response = client.simulate_post("/api/units/khong-co/articles", headers=EDITOR, json=ARTICLE)
    assert response.status_code == 404 and "khong-co" in response.json["error"]["message"]
    assert client.simulate_post("/api/articles/abc/approve", headers=EDITOR).status_code == 404
    page = client.simulate_get("/khong-co")
    assert page.status_code == 404
    assert "Không tìm thấy trang" in page.text and "Traceback" not in page.text
    assert client.simulate_get("/phu-mau/tin-tuc/khong-co").status_code == 404


def test_a_stale_version_is_a_409_with_the_current_version(client, commune):
    created = client.simulate_post("/api/units/phu-mau/articles", headers=EDITOR, json=ARTICLE).json
    client.simulate_put(f"/api/articles/{created['id']}", headers=EDITOR, json={**ARTICLE, "version": 1})
    response = client.simulate_put(f"/api/articles/{created['id']}", headers=EDITOR,
                                   json={**ARTICLE, "title": "Ghi đè", "version": 1})
    assert response.status_code == 409
    assert response.json["error"]["current_version"] == 2


def test_an_article_page_counts_the_visit_and_shows_the_counter(client, commune):
    created = client.simulate_post("/api/units/phu-mau/articles", headers=EDITOR, json=ARTICLE).json
    published = client.simulate_post(f"/api/articles/{created['id']}/force-publish", headers=EDITOR,
                                     json={"version": created["version"], "comment": "Đăng ngay"}).json
    page = client.simulate_get(published["path"])
    assert page.status_code == 200
    assert "Thừa Thiên Huế đẩy mạnh chính quyền điện tử" in page.text
    assert 'Tổng truy cập <strong data-counter="total">1</strong>' in page.text
    assert 'Hiện tại <strong data-counter="online">1</strong> khách' in page.text
    second = client.simulate_get(published["path"])
    assert 'data-counter="total">2<' in second.text
    assert page.headers["content-security-policy"].startswith("default-src 'self'")
    assert page.headers["x-content-type-options"] == "nosniff"


def test_when_rabbitmq_cannot_be_reached_pages_say_so_in_vietnamese(portal_settings):
    unreachable = dataclasses.replace(portal_settings, AMQP_URI=f"amqp://guest:guest@127.0.0.1:{free_port()}/")
    pool = RpcPool(unreachable.as_nameko_config(), 1, 2.0)
    client = testing.TestClient(create_app(unreachable, pool))
    page = client.simulate_get("/")
    assert page.status_code == 503
    assert "Tạm thời gián đoạn" in page.text and "Traceback" not in page.text
    api = client.simulate_get("/api/units")
    assert api.status_code == 503 and api.json["error"]["status"] == 503
    assert client.simulate_get("/healthz").status_code == 200


def test_users_act_with_their_own_token_and_only_where_they_hold_a_role(client, commune):
    client.simulate_post("/api/units", headers=EDITOR, json={
        "slug": "phu-da", "name": "Thị trấn Phú Đa", "level": "xa", "parent": "thua-thien-hue"})
    other = client.simulate_post("/api/users", headers=EDITOR, json={
        "username": "bien-tap-phu-da", "name": "Biên tập Phú Đa", "roles": {"phu-da": ["editor_in_chief"]}})
    assert other.status_code == 201
    headers = {"Authorization": f"Bearer {other.json['token']}"}
    response = client.simulate_post("/api/units/phu-mau/articles", headers=headers, json=ARTICLE)
    assert response.status_code == 403 and "phu-mau" in response.json["error"]["message"]
    assert client.simulate_post("/api/units/phu-da/articles", headers=headers, json=ARTICLE).status_code == 201
    unknown = client.simulate_post("/api/units/phu-da/articles", headers={"Authorization": "Bearer nope"}, json=ARTICLE)
    assert unknown.status_code == 401


def test_a_merged_units_pages_redirect_and_a_dissolved_units_are_gone(client, commune):
    client.simulate_post("/api/units", headers=EDITOR, json={
        "slug": "phu-da", "name": "Thị trấn Phú Đa", "level": "xa", "parent": "thua-thien-hue"})
    created = client.simulate_post("/api/units/phu-da/articles", headers=EDITOR, json=ARTICLE).json
    client.simulate_post(f"/api/articles/{created['id']}/force-publish", headers=EDITOR, json={"comment": "Đăng ngay"})
    merge = client.simulate_post("/api/units/phu-da/merge", headers=EDITOR, json={"successor": "phu-mau"})
    assert merge.status_code == 200
    page = client.simulate_get("/phu-da/tin-tuc/" + created["slug"])
    assert page.status_code == 301 and page.headers["location"].endswith("/phu-mau/tin-tuc/" + created["slug"])
    assert ARTICLE["title"] in client.simulate_get(page.headers["location"]).text  # the successor answers for it
    assert client.simulate_get("/phu-da").headers["location"].endswith("/phu-mau")
    assert client.simulate_post("/api/units/phu-mau/dissolve", headers=EDITOR).status_code == 200
    gone = client.simulate_get("/phu-mau")
    assert gone.status_code == 410 and "giải thể" in gone.text


def test_the_monthly_royalties_download_as_csv(client, commune):
    created = client.simulate_post("/api/units/phu-mau/articles", headers=EDITOR, json=ARTICLE).json
    published = client.simulate_post(f"/api/articles/{created['id']}/force-publish", headers=EDITOR,
                                     json={"comment": "Đăng ngay"}).json
    assert client.simulate_put(f"/api/articles/{created['id']}/royalty", headers=EDITOR,
                               json={"points": 2.5}).status_code == 200
    published_at = datetime.fromisoformat(published["published_at"])
    month = published_at.astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).strftime("%Y-%m")
    response = client.simulate_get(f"/api/units/phu-mau/royalties/{month}.csv", headers=EDITOR)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert f"nhuan-but-phu-mau-{month}.csv" in response.headers["content-disposition"]
    assert ARTICLE["title"] in response.text and "2.5" in response.text
    assert client.simulate_get(f"/api/units/phu-mau/royalties/{month}").status_code == 401
