"""The manage page of an address, reached from any of its emails, against the real content and
notify services: GET lists and changes nothing, each button POSTs one change."""
import re
import uuid

import pytest

from tests.gateway.test_subscription_pages import PORTAL_SERVICES  # noqa: F401 (notify runs too)

MANAGE = "/dang-ky/quan-ly"
FORM_HEADERS = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture
def client(phu_mau):
    return phu_mau.client


@pytest.fixture
def subscriptions(mongo_client, settings):
    return mongo_client[settings.NOTIFY_DB].subscriptions


def test_the_page_lists_every_subscription_and_only_its_buttons_change_them(client, subscriptions):
    address = f"dan-{uuid.uuid4().hex[:12]}@example.vn"
    for asked in ({"unit": "phu-mau"}, {"unit": "thua-thien-hue", "with_units_under": True, "frequency": "weekly"}):
        assert client.simulate_post("/api/subscriptions", json={"email": address, **asked}).status_code == 202
    token = subscriptions.find_one({"email": address, "unit": "phu-mau"})["token"]

    for _ in range(2):  # a mail scanner, then the citizen: GET changes nothing
        page = client.simulate_get(MANAGE, params={"token": token})
        assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert "Tin bài của Xã Phú Mậu" in page.text
    assert "Tin bài của Tỉnh Thừa Thiên Huế và các đơn vị trực thuộc" in page.text
    assert "Nhận thư: hằng tuần" in page.text
    assert [s["status"] for s in subscriptions.find({"email": address})] == ["pending", "pending"]

    province = str(subscriptions.find_one({"email": address, "unit": "thua-thien-hue"})["_id"])
    assert f'name="subscription" value="{province}"' in page.text
    changed = client.simulate_post(MANAGE, params={"token": token}, headers=FORM_HEADERS,
                                   body=f"subscription={province}&frequency=daily&action=frequency")
    assert changed.status_code == 303
    ended = client.simulate_post(MANAGE, params={"token": token}, headers=FORM_HEADERS,
                                 body=f"subscription={province}&action=unsubscribe")
    assert ended.status_code == 303
    after = client.simulate_get(ended.headers["location"].split("?")[0],
                                query_string=ended.headers["location"].split("?")[1])
    assert "Đã lưu thay đổi" in after.text and re.search(r"Trạng thái: Đã hủy", after.text)
    stored = subscriptions.find_one({"email": address, "unit": "thua-thien-hue"})
    assert (stored["frequency"], stored["status"]) == ("daily", "unsubscribed")


def test_a_link_nobody_holds_or_a_bad_choice_gets_a_vietnamese_page(client, subscriptions):
    assert client.simulate_get(MANAGE).status_code == 404
    unknown = client.simulate_get(MANAGE, params={"token": "khong-co-ai"})
    assert unknown.status_code == 404 and "Đường dẫn không đúng" in unknown.text
    address = f"dan-{uuid.uuid4().hex[:12]}@example.vn"
    client.simulate_post("/api/subscriptions", json={"email": address, "unit": "phu-mau"})
    subscription = subscriptions.find_one({"email": address})
    refused = client.simulate_post(MANAGE, params={"token": subscription["token"]}, headers=FORM_HEADERS,
                                   body=f"subscription={subscription['_id']}&frequency=hourly&action=frequency")
    assert refused.status_code == 422 and "Lựa chọn không hợp lệ" in refused.text
    assert subscriptions.find_one({"email": address})["frequency"] == "immediately"
