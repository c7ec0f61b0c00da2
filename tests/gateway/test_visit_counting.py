"""Which page views the gateway counts: readers' yes; staff's own (an API token or the staff
session cookie) and bots' not as visits; none at all with VISIT_COUNTING off."""
import dataclasses

import pytest

from gateway.visits import STAFF_SESSION_COOKIE
from tests.gateway.conftest import PORTAL_ADMIN

READER = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"}
BOT = {"User-Agent": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"}


def counted(portal, unit: str = "phu-mau") -> int:
    """The unit's all-time total at the ranking service, once this gateway has sent what it holds."""
    assert portal.client.app.visit_counters.flush()
    with portal.pool.services() as services:
        return services.ranking.visit_counters(unit)["total"]


def total_shown(page) -> str:
    return page.text.split('data-counter="total">', 1)[1].split("<", 1)[0]


def test_staff_views_are_not_counted_but_staff_see_the_figures(phu_mau):
    client = phu_mau.client
    with_token = client.simulate_get("/phu-mau", headers={**READER, **PORTAL_ADMIN})
    assert with_token.status_code == 200 and total_shown(with_token) == "0"  # asked of ranking, not counted
    assert total_shown(client.simulate_get("/phu-mau", headers=READER)) == "1"
    signed_in = client.simulate_get("/phu-mau", headers=READER, cookies={STAFF_SESSION_COOKIE: "x"})
    assert total_shown(signed_in) == "1"
    assert counted(phu_mau) == 1


def test_a_bots_views_are_sent_but_not_counted_as_visits(phu_mau):
    client = phu_mau.client
    client.simulate_get("/phu-mau", headers=READER)
    for _ in range(3):
        client.simulate_get("/phu-mau", headers=BOT)
    assert counted(phu_mau) == 1
    with phu_mau.pool.services() as services:
        today = services.ranking.visit_history("phu-mau", 1)["days"][0]
    assert (today["views"], today["visitors"], today["bot_views"]) == (1, 1, 3)


@pytest.fixture
def portal_settings(portal_settings, request):
    return dataclasses.replace(portal_settings, VISIT_COUNTING=getattr(request, "param", True))


@pytest.mark.parametrize("portal_settings", [False], indirect=True)
def test_with_counting_off_nothing_is_counted_and_the_block_is_left_out(phu_mau):
    page = phu_mau.client.simulate_get("/phu-mau", headers=READER)
    assert page.status_code == 200 and "Thống kê truy cập" not in page.text
    assert counted(phu_mau) == 0
