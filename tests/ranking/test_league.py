"""The league over the real broker and database: the provisional month from content events,
months frozen at midnight and by operators, announcements, rebuilding from content's replay,
and what the ranking does with bad events and a bad criteria file."""
import dataclasses
from datetime import datetime, timedelta, timezone

import pytest
from nameko.standalone.events import event_dispatcher

from services.common import events
from services.common.errors import Forbidden, InvalidInput, NotFound
from services.common.retries import parked_count
from services.common.vietnam_time import LOCAL_TIME
from services.content.service import ContentService
from services.ranking.criteria import DEFAULT_FILE, CriteriaError
from services.ranking.league import AUTOMATIC, League
from services.ranking.months import Month
from services.ranking.rebuilds import STALLED_AFTER, RebuildProgress
from services.ranking.service import RankingService
from services.ranking.visits import VisitStore
from tests.drive import acting, call, call_in_request
from tests.servers import wait_for

LONG_BODY = "<p>" + " ".join(["Ủy ban nhân dân xã triển khai kế hoạch chuyển đổi số."] * 12) + "</p>"


class RankingListener:
    """A consumer of the ranking's own events, as notifications will be."""
    name = "ranking_listener"
    received: list = []

    @events.handles("ranking_published", source="ranking")
    def on_ranking_published(self, event):
        type(self).received.append(event)

    @events.handles("site_stale", source="ranking")
    def on_site_stale(self, event):
        type(self).received.append(event)


@pytest.fixture
def listener(container_factory, nameko_config):
    RankingListener.received = []
    container = container_factory(RankingListener, nameko_config)
    container.start()
    return container


@pytest.fixture
def ranking(ranking, listener):
    """The ranking service, with a consumer of its events listening."""
    return ranking


@pytest.fixture
def content(container_factory, nameko_config):
    container = container_factory(ContentService, nameko_config)
    container.start()
    return container


def unit_event(slug, name, level="xa", version=1, created_at=None, status="active"):
    return events.UnitUpdated(document_id=slug, version=version, occurred_at=events.utcnow(), unit=events.UnitSnapshot(
        slug=slug, name=name, level=level, created_at=created_at, status=status))


def article_event(article_id, unit, at, body=LONG_BODY, version=2):
    snapshot = events.ArticleSnapshot(
        id=article_id, unit=unit, unit_name=unit, slug=article_id, title=f"Tin {article_id}", summary="Tóm tắt",
        body_html=body, path=f"/{unit}/tin-tuc/{article_id}", published_at=at, updated_at=at)
    return events.ArticlePublished(document_id=article_id, version=version, occurred_at=at, article=snapshot)


def received(kind):
    return [event for event in RankingListener.received if isinstance(event, kind)]


def october(day, hour=9):
    return datetime(2026, 10, day, hour, tzinfo=LOCAL_TIME).astimezone(timezone.utc)


def test_content_events_make_this_months_provisional_table(ranking, events_in):
    events_in.deliver(ranking, "on_unit_updated", unit_event("phu-mau", "Xã Phú Mậu"))
    events_in.deliver(ranking, "on_unit_updated", unit_event("phu-da", "Thị trấn Phú Đa"))
    events_in.deliver(ranking, "on_article_published", article_event("a1", "phu-mau", events.utcnow()))
    events_in.deliver(ranking, "on_article_published", article_event("a1", "phu-mau", events.utcnow()))  # again

    table = call(ranking, "standings")
    assert table["provisional"] and table["month"] == str(Month.containing(events.utcnow()))
    assert [row["unit"] for row in table["units"]] == ["phu-mau", "phu-da"]
    assert table["units"][0]["score"] > table["units"][1]["score"]
    assert [level["level"] for level in table["levels"]] == ["xa"]

    standing = call(ranking, "unit_standing", "phu-mau")
    news = next(result for result in standing["criteria"] if result["key"] == "news")
    assert news["figures"]["counted"] == 1 and news["evidence"][0]["path"] == "/phu-mau/tin-tuc/a1"
    assert standing["history"][-1]["provisional"] is True
    assert call(ranking, "unit_rank", "phu-mau")["rank_in_level"] == 1
    assert call(ranking, "unit_rank", "nowhere") is None
    with pytest.raises(NotFound):
        call(ranking, "unit_standing", "nowhere")


def test_an_operator_freezes_a_past_month_and_each_revision_stays(ranking, content, events_in, listener):
    # The unit came to the platform today, with its earlier site's history carried over.
    events_in.deliver(ranking, "on_unit_updated", unit_event("phu-mau", "Xã Phú Mậu", created_at=events.utcnow()))
    events_in.deliver(ranking, "on_article_published", article_event("a1", "phu-mau", october(5)))
    with pytest.raises(NotFound):  # history before this ranking began is not frozen on its own
        call(ranking, "standings", "2026-10")
    with pytest.raises(Forbidden):
        call(ranking, "freeze_month", acting("nobody"), "2026-10", "Nhập lịch sử")
    with pytest.raises(InvalidInput):
        call(ranking, "freeze_month", acting("admin"), "2026-10", "  ")
    with pytest.raises(InvalidInput):
        call(ranking, "freeze_month", acting("admin"), str(Month.containing(events.utcnow())), "Chưa hết tháng")

    first = call(ranking, "freeze_month", acting("admin"), "2026-10", "Nhập lịch sử từ trang cũ")
    assert (first["month"], first["revision"]) == ("2026-10", 1)
    frozen_score = call(ranking, "standings", "2026-10")["units"][0]["score"]

    # A late event changes nothing frozen ...
    events_in.deliver(ranking, "on_article_published", article_event("a2", "phu-mau", october(20)))
    assert call(ranking, "standings", "2026-10")["units"][0]["score"] == frozen_score
    # ... until an operator recomputes: a new revision with its reason, the first one kept.
    second = call(ranking, "freeze_month", acting("admin"), "2026-10", "Bổ sung tin bị sót")
    assert second["revision"] == 2
    latest = call(ranking, "standings", "2026-10")
    assert latest["revision"] == 2 and latest["units"][0]["score"] > frozen_score
    assert [item["reason"] for item in latest["revisions"]] == ["Nhập lịch sử từ trang cũ", "Bổ sung tin bị sót"]
    assert call(ranking, "standings", "2026-10", 1)["units"][0]["score"] == frozen_score
    assert call(ranking, "months")["months"][0] == {**second, "revisions": 2}
    standing = call(ranking, "unit_standing", "phu-mau", "2026-10")
    assert standing["revision"] == 2 and len(standing["criteria"]) == 10
    assert latest["units"][0]["points"]["news"] == standing["criteria"][0]["points"]
    assert [criterion["key"] for criterion in latest["criteria"]][0] == "news"

    # The same request again (its idempotency key) gets the revision it made, not a third.
    request = {"idempotency_key": "thang-10-lan-3"}
    third = call_in_request(ranking, "freeze_month", request, acting("admin"), "2026-10", "Lần ba")
    assert call_in_request(ranking, "freeze_month", request, acting("admin"), "2026-10", "Lần ba") == third
    assert len(call(ranking, "standings", "2026-10")["revisions"]) == 3

    announced = wait_for(lambda: len(received(events.RankingPublished)) >= 2 and received(events.RankingPublished))
    assert [(event.month, event.version) for event in announced][:2] == [("2026-10", 1), ("2026-10", 2)]
    assert announced[1].standings[0].unit == "phu-mau" and announced[1].link == "/xep-hang/2026-10"


def test_a_month_freezes_itself_at_midnight_vietnam_time(mongo_client, settings):
    database = mongo_client[settings.RANKING_DB]
    moment = [datetime(2026, 11, 30, 16, 59, 59, tzinfo=timezone.utc)]  # 23:59:59 on 30 November in Huế
    announced = []
    league = League(database, _criteria(), VisitStore(database), lambda name, payload: announced.append(payload),
                    clock=lambda: moment[0])
    league.ensure_indexes()
    league.facts.apply(unit_event("phu-mau", "Xã Phú Mậu"))
    league.facts.apply(article_event("late", "phu-mau", moment[0] - timedelta(minutes=1)))
    league.keep_time()
    assert league.months()["months"] == [] and league.standings("2026-11")["provisional"]

    moment[0] += timedelta(seconds=1)  # 00:00 on 1 December
    league.keep_time()
    frozen = league.standings("2026-11")
    assert not frozen["provisional"] and frozen["revision"] == 1
    assert league.months()["months"][0]["reason"] == AUTOMATIC
    assert [payload["month"] for payload in announced] == ["2026-11"]
    assert league.unit_standing("phu-mau", "2026-11")["criteria"][0]["figures"]["counted"] == 1

    league.facts.apply(article_event("later", "phu-mau", moment[0] - timedelta(hours=2)))  # arrives late
    league.keep_time()
    assert league.standings("2026-11")["units"] == frozen["units"]
    assert len(announced) == 1  # announced once


def test_a_site_without_updates_is_announced_stale_once_per_spell(ranking, events_in):
    long_ago = events.utcnow() - timedelta(days=40)
    # Phú Đa's update comes before its unit: the sweep (every SWEEP_INTERVAL) may look at any moment,
    # and must never see Phú Đa without it.
    events_in.deliver(ranking, "on_article_published", article_event("fresh", "phu-da", events.utcnow()))
    events_in.deliver(ranking, "on_unit_updated", unit_event("phu-mau", "Xã Phú Mậu", created_at=long_ago))
    events_in.deliver(ranking, "on_unit_updated", unit_event("phu-da", "Thị trấn Phú Đa", created_at=long_ago))
    call(ranking, "check_stale")
    assert call(ranking, "check_stale") == 0
    stale = wait_for(lambda: received(events.SiteStale))
    assert [(event.unit, event.threshold_days, event.last_update_at) for event in stale] == [("phu-mau", 14, None)]
    assert stale[0].days == 40 and stale[0].link == "/phu-mau/xep-hang"


def test_rebuilt_from_contents_replay_the_month_is_the_same(ranking, content, mongo_client, settings):
    admin = acting("admin")
    call(content, "create_level", admin, {"slug": "xa", "name": "Xã", "order": 0})
    for slug, name in (("phu-mau", "Xã Phú Mậu"), ("phu-da", "Thị trấn Phú Đa")):
        call(content, "create_unit", acting("admin"), {"slug": slug, "name": name, "level": "xa"})
    for index, (unit, body) in enumerate([("phu-mau", LONG_BODY), ("phu-mau", "<p>Một dòng.</p>"),
                                          ("phu-da", LONG_BODY)]):
        article = call(content, "create_article", acting("admin"), unit, {
            "title": f"Tin số {index}", "summary": "Tóm tắt", "body_html": body})
        call(content, "move_article", acting("admin"), article["id"], "force_publish",
             {"version": article["version"], "comment": "Đăng ngay"})
    withdrawn = call(content, "create_article", acting("admin"), "phu-da", {"title": "Rút", "body_html": LONG_BODY})
    published = call(content, "move_article", acting("admin"), withdrawn["id"], "force_publish",
                     {"version": withdrawn["version"], "comment": "Đăng ngay"})
    call(content, "move_article", acting("admin"), withdrawn["id"], "unpublish", {"version": published["version"]})

    def live_table():
        table = call(ranking, "standings")
        counted = {row["unit"]: call(ranking, "unit_standing", row["unit"])["criteria"][0]["figures"]["counted"]
                   for row in table["units"]}
        return table if counted == {"phu-mau": 1, "phu-da": 1} else None

    live = wait_for(live_table, timeout=30, message="the ranking to apply content's events")
    mongo_client.drop_database(settings.RANKING_DB)
    assert call(ranking, "standings")["units"] == live["units"]  # still the kept table
    call(ranking, "rebuild", acting("admin"))
    wait_for(lambda: call(ranking, "rebuild_status", acting("admin"))["state"] == "done", timeout=60,
             message="the rebuild")
    rebuilt = call(ranking, "standings")
    assert rebuilt["units"] == live["units"]
    assert call(ranking, "rebuild_status", acting("admin"))["kinds"]["article"] == 4


def test_a_malformed_event_is_parked_and_counted_and_the_consumer_goes_on(ranking, events_in, nameko_config,
                                                                           rabbit_config):
    dispatch = event_dispatcher(nameko_config)
    dispatch("content", "article_published", {"document_id": "x", "version": "not a number"})
    queue = "evt-content-article_published--ranking.on_article_published.parked"
    wait_for(lambda: parked_count(nameko_config["AMQP_URI"], queue) == 1, message="the bad event parked")
    events_in.deliver(ranking, "on_unit_updated", unit_event("phu-mau", "Xã Phú Mậu"))
    events_in.deliver(ranking, "on_article_published", article_event("ok", "phu-mau", events.utcnow()))
    assert call(ranking, "unit_activity", "phu-mau")["published_articles"] == 1


def test_a_bad_month_is_refused_and_a_future_one_not_found(ranking):
    with pytest.raises(InvalidInput):
        call(ranking, "standings", "2026-13")
    with pytest.raises(NotFound):
        call(ranking, "standings", str(Month.containing(events.utcnow()).next()))
    with pytest.raises(NotFound):
        call(ranking, "standings", "2020-01")


def test_a_criteria_file_with_an_error_stops_the_service_naming_the_line(container_factory, settings, tmp_path):
    broken = tmp_path / "criteria.toml"
    broken.write_text(DEFAULT_FILE.read_text(encoding="utf-8").replace("maximum = 25", "maximum = -25"),
                      encoding="utf-8")
    config = dataclasses.replace(settings, RANKING_CRITERIA=str(broken)).as_nameko_config()
    with pytest.raises(CriteriaError, match=r"line \d+: criterion\.0\.maximum"):
        container_factory(RankingService, config).start()


def _criteria():
    from services.ranking import criteria
    return criteria.load()


def test_any_instance_tells_the_rebuild_another_runs_and_none_starts_a_second(ranking, content, mongo_client,
                                                                             settings):
    """Two ranking instances share one database: a rebuild claimed by one is what the other
    reports, and the other does not start its own; one whose instance stopped reporting has failed."""
    progress = RebuildProgress(mongo_client[settings.RANKING_DB], events.utcnow)
    assert progress.claim()  # another instance starts rebuilding
    assert call(ranking, "rebuild_status", acting("admin"))["state"] == "running"
    assert not progress.claim()
    started = call(ranking, "rebuild_status", acting("admin"))["started_at"]
    assert call(ranking, "rebuild", acting("admin"))["started_at"] == started  # not a second one

    progress.applied({"unit": 2, "article": 1})
    assert call(ranking, "rebuild_status", acting("admin"))["kinds"] == {"unit": 2, "article": 1}
    long_ago = events.utcnow() - STALLED_AFTER - timedelta(seconds=1)
    mongo_client[settings.RANKING_DB]["rebuild_progress"].update_one({}, {"$set": {"saved_at": long_ago}})
    stalled = call(ranking, "rebuild_status", acting("admin"))
    assert stalled["state"] == "failed" and "stopped reporting" in stalled["error"]

    assert call(ranking, "rebuild", acting("admin"))["started_at"] != started  # may start again
    wait_for(lambda: call(ranking, "rebuild_status", acting("admin"))["state"] == "done", timeout=60,
             message="the new rebuild")
