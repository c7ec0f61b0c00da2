"""Which page views the gateway counts: readers' yes; staff's own (an API token or the staff
session cookie) and bots' not as visits; none at all with VISIT_COUNTING off. And a batch whose
answer never came is counted once."""
import dataclasses
from contextlib import contextmanager

import pytest
from nameko.exceptions import RpcTimeout

from gateway.visits import VisitCounters
from gateway.workspace.session import COOKIE as STAFF_SESSION_COOKIE
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


def test_the_staff_workspace_is_no_visit_and_shows_no_counters(phu_mau):
    client = phu_mau.client
    sign_in = client.simulate_get("/quan-tri/dang-nhap", headers=READER)
    assert sign_in.status_code == 200 and "Thống kê truy cập" not in sign_in.text
    assert "<!--visit-counter-->" not in sign_in.text
    assert total_shown(client.simulate_get("/phu-mau", headers=READER)) == "1"
    assert counted(phu_mau, "phu-mau") == 1 and counted(phu_mau, "quan-tri") == 0


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


class FirstAnswerLost:
    """The gateway's real RPC pool, except that the first batch's answer never arrives: the
    ranking service counts it, but the gateway stops waiting first, as when counting is slow."""

    def __init__(self, pool):
        self._pool = pool
        self.lost = 0

    @contextmanager
    def services(self):
        with self._pool.services() as services:
            yield self._Services(services, self)

    class _Services:
        def __init__(self, services, faults):
            self.ranking = self
            self._ranking, self._faults = services.ranking, faults

        def record_visit(self, *args):
            return self._ranking.record_visit(*args)

        def record_visits(self, *args):
            answer = self._ranking.record_visits(*args)
            if not self._faults.lost:
                self._faults.lost += 1
                raise RpcTimeout("no answer in time")
            return answer


def test_a_batch_whose_answer_was_lost_is_sent_again_and_counted_once(phu_mau):
    rpc = FirstAnswerLost(phu_mau.pool)
    counters = VisitCounters(rpc, block=str, interval=3600)
    counters.record("phu-mau", "10.0.0.1", READER["User-Agent"])  # the first view asks ranking at once
    for _ in range(3):
        counters.record("phu-mau", "10.0.0.2", READER["User-Agent"])
    assert not counters.flush() and rpc.lost == 1
    counters.record("phu-mau", "10.0.0.3", READER["User-Agent"])
    assert counters.flush()
    assert counters.shown("phu-mau")["total"] == 5
    with phu_mau.pool.services() as services:
        assert services.ranking.visit_counters("phu-mau")["total"] == 5
