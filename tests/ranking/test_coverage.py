"""The coverage criterion: each unit's share of the sections the law asks of its level, as the
content service's conformance report gives it when the live month is scored; a frozen month
keeps the share it was frozen with."""
from datetime import datetime, timedelta, timezone

import pytest

from services.common import events
from services.common.errors import NotFound
from services.content.service import ContentService
from services.ranking import criteria
from services.ranking.facts import MonthFacts
from services.ranking.league import League
from services.ranking.months import Month
from services.ranking.scoring import score_month
from services.ranking.service import RankingService
from services.ranking.visits import VisitStore
from tests.drive import acting, call
from tests.servers import wait_for

CRITERIA = criteria.load()
NOVEMBER = Month(2026, 11)


def coverage_of(row: dict) -> dict:
    return next(result for result in row["criteria"] if result["key"] == "coverage")


def unit(slug: str) -> dict:
    return {"_id": slug, "name": slug, "level": "xa", "status": "active", "site_since": None}


def test_the_criteria_keep_their_total_and_name_coverage():
    assert CRITERIA.maximum == 100
    assert "coverage" in [criterion.measure for criterion in CRITERIA.criterion]
    assert CRITERIA.version != "2026.12"  # a change of weights is a new version


def test_coverage_gives_the_share_of_the_maximum_and_nothing_when_unknown():
    facts = MonthFacts(month=NOVEMBER, until=NOVEMBER.end, units=[unit("a"), unit("b"), unit("c")],
                       coverage={"a": 0.75, "b": 1.0})
    rows = {row["unit"]: row for row in score_month(CRITERIA, facts)}
    maximum = coverage_of(rows["a"])["maximum"]
    assert coverage_of(rows["a"])["points"] == pytest.approx(0.75 * maximum)
    assert coverage_of(rows["a"])["summary"] == "75% mục thông tin bắt buộc"
    assert "/a/tuan-thu" in coverage_of(rows["a"])["advice"]
    assert coverage_of(rows["b"])["points"] == maximum and coverage_of(rows["b"])["advice"] == ""
    assert coverage_of(rows["c"])["points"] == 0  # not in the report: a unit content does not know
    unknown = score_month(CRITERIA, MonthFacts(month=NOVEMBER, until=NOVEMBER.end, units=[unit("a")]))
    assert coverage_of(unknown[0])["points"] == 0 and coverage_of(unknown[0])["summary"] == "chưa có số liệu"


def unit_event(slug: str) -> events.UnitUpdated:
    return events.UnitUpdated(document_id=slug, version=1, occurred_at=events.utcnow(), unit=events.UnitSnapshot(
        slug=slug, name=slug, name_en="", level="xa", parent=None, status="active",
        created_at=datetime(2026, 1, 1, tzinfo=timezone.utc)))


def test_the_live_month_asks_for_coverage_and_a_frozen_month_keeps_its_own(mongo_client, settings):
    database = mongo_client[settings.RANKING_DB]
    moment = [datetime(2026, 11, 20, 3, 0, tzinfo=timezone.utc)]
    shares = {"phu-mau": 0.5}
    asked = []

    def coverage():
        asked.append(moment[0])
        if shares is None:
            raise ConnectionError("content is down")
        return dict(shares)

    league = League(database, CRITERIA, VisitStore(database), lambda name, payload: None, clock=lambda: moment[0],
                    coverage=coverage)
    league.ensure_indexes()
    league.facts.apply(unit_event("phu-mau"))
    league.keep_time()
    live = league.unit_standing("phu-mau")
    assert coverage_of(live)["figures"]["share"] == 0.5 and asked

    moment[0] = datetime(2026, 12, 1, 0, 0, tzinfo=timezone.utc)  # 07:00 on 1 December in Huế
    league.keep_time()
    frozen = league.unit_standing("phu-mau", "2026-11")
    assert not frozen["provisional"] and coverage_of(frozen)["figures"]["share"] == 0.5

    # Content's figures change, and content goes away for a while: December scores with the
    # last share known, and November, frozen, does not move.
    shares = None
    assert coverage_of(league.unit_standing("phu-mau"))["figures"]["share"] == 0.5
    shares = {"phu-mau": 1.0}
    moment[0] += timedelta(days=40)  # January: November is recomputed from what it was frozen with
    league.keep_time()
    revision = league.freeze("2026-11", "Tính lại sau khi sửa dữ liệu")
    assert revision["revision"] == 2
    assert coverage_of(league.unit_standing("phu-mau", "2026-11"))["points"] == coverage_of(frozen)["points"]


@pytest.fixture
def platform(runner_factory, nameko_config):
    runner = runner_factory(nameko_config, ContentService, RankingService)
    runner.start()
    return runner


def test_the_ranking_service_reads_coverage_from_content_over_rpc(platform):
    content = next(c for c in platform.containers if c.service_name == "content")
    ranking = next(c for c in platform.containers if c.service_name == "ranking")
    call(content, "create_level", acting("admin"), {"slug": "xa", "name": "Xã", "order": 0})
    call(content, "create_unit", acting("admin"), {"slug": "phu-mau", "name": "Xã Phú Mậu", "level": "xa"})
    call(content, "create_page", acting("admin"), "phu-mau",
         {"key": "gioi-thieu", "lang": "vi", "title": "Giới thiệu", "body_html": "<p>Phú Mậu.</p>"})
    expected = call(content, "conformance", "phu-mau")["score"]
    standing = wait_for(lambda: _standing(ranking), message="phu-mau ranked")
    assert coverage_of(standing)["figures"]["share"] == expected > 0


def _standing(ranking):
    try:
        return call(ranking, "unit_standing", "phu-mau")
    except NotFound:
        return None
