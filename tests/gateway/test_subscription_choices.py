"""What to follow and how often, chosen on the subscribe form and through the JSON API, against
the real content and notify services."""
import uuid

import pytest

from gateway.forms import CSRF_FIELD

# PORTAL_SERVICES: the portal fixture starts the services a module names (notify among them).
from tests.gateway.test_subscription_pages import FORM, FROM_THIS_SITE, PORTAL_SERVICES, open_form, send  # noqa: F401


@pytest.fixture
def client(phu_mau):
    return phu_mau.client


@pytest.fixture
def address():
    return f"dan-{uuid.uuid4().hex[:12]}@example.vn"


@pytest.fixture
def subscriptions(mongo_client, settings):
    return mongo_client[settings.NOTIFY_DB].subscriptions


def test_the_form_offers_how_often_and_the_province_the_units_under_it(client):
    commune = client.simulate_get(FORM).text
    for label in ("Ngay khi có tin", "Hằng ngày", "Hằng tuần"):
        assert label in commune
    assert 'name="frequency" value="immediately" id="dang-ky-tan-suat" checked' in commune
    assert "Kể cả các đơn vị trực thuộc" not in commune  # a commune has none
    assert "Kể cả các đơn vị trực thuộc" in client.simulate_get("/thua-thien-hue/dang-ky-nhan-tin").text


def test_the_form_subscribes_weekly_to_the_province_with_the_units_under_it(client, address, subscriptions):
    sent = send(client, {"email": address, "frequency": "weekly", "with_units_under": "1"},
                path="/thua-thien-hue/dang-ky-nhan-tin", **FROM_THIS_SITE)

    assert sent.status_code == 303
    [stored] = subscriptions.find({"email": address})
    assert (stored["unit"], stored["with_units_under"], stored["frequency"], stored["kind"]) == (
        "thua-thien-hue", True, "weekly", "news")


def test_a_frequency_out_of_the_choices_is_shown_back_in_vietnamese(client, address, subscriptions):
    token, cookie = open_form(client)
    refused = send(client, {"email": address, "frequency": "hourly", CSRF_FIELD: token}, cookie, **FROM_THIS_SITE)

    assert refused.status_code == 422
    assert "Vui lòng chọn một trong các cách nhận thư" in refused.text
    assert f'value="{address}"' in refused.text
    assert subscriptions.count_documents({"email": address}) == 0


def test_the_api_takes_the_scope_and_frequency_and_names_a_bad_one(client, address, subscriptions):
    asked = {"email": address, "unit": "thua-thien-hue", "with_units_under": True, "kind": "documents",
             "frequency": "daily"}
    answer = client.simulate_post("/api/subscriptions", json=asked)
    assert answer.status_code == 202, answer.text
    assert answer.json == {"email": address, "unit": "thua-thien-hue", "status": "pending"}
    [stored] = subscriptions.find({"email": address})
    assert (stored["kind"], stored["frequency"], stored["with_units_under"]) == ("documents", "daily", True)

    refused = client.simulate_post("/api/subscriptions", json={**asked, "frequency": "monthly"})
    assert refused.status_code == 422
    assert "frequency" in refused.text
    unknown = client.simulate_post("/api/subscriptions", json={**asked, "kind": "news", "category": "khong-co"})
    assert unknown.status_code == 422 and "category" in unknown.text
