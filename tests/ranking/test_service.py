from datetime import datetime, timezone

import pytest

from services.common import events
from services.common.errors import InvalidInput
from services.ranking.service import RankingService
from tests.drive import article_snapshot, call

MOMENT = datetime(2026, 11, 2, 8, 30, tzinfo=timezone.utc)


@pytest.fixture
def ranking(container_factory, nameko_config):
    container = container_factory(RankingService, nameko_config)
    container.start()
    return container


@pytest.fixture
def send(ranking, events_in):
    return lambda event, handler: events_in.deliver(ranking, handler, event)


def published(document_id, version):
    return events.ArticlePublished(document_id=document_id, version=version, occurred_at=MOMENT,
                                   article=article_snapshot(document_id, unit="phu-mau", at=MOMENT))


def test_published_articles_are_counted_once_per_article(ranking, send):
    send(published("a1", 2), "on_article_published")
    send(published("a1", 2), "on_article_published")  # redelivered
    send(published("a2", 2), "on_article_published")
    activity = call(ranking, "unit_activity", "phu-mau")
    assert activity["published_articles"] == 2
    assert activity["last_published_at"].startswith("2026-11-02T08:30")


def test_an_older_event_never_overrides_a_newer_one(ranking, send):
    send(events.ArticleUnpublished(document_id="a1", version=3, occurred_at=MOMENT, unit="phu-mau"),
         "on_article_unpublished")
    send(published("a1", 2), "on_article_published")  # arrives late
    assert call(ranking, "unit_activity", "phu-mau")["published_articles"] == 0
    send(published("a1", 4), "on_article_published")  # republished
    assert call(ranking, "unit_activity", "phu-mau")["published_articles"] == 1


def test_visits_count_page_views_and_distinct_visitors_online(ranking):
    call(ranking, "record_visit", "phu-mau", "10.0.0.1", "Firefox")
    call(ranking, "record_visit", "phu-mau", "10.0.0.1", "Firefox")
    counters = call(ranking, "record_visit", "phu-mau", "10.0.0.2", "Chrome")
    assert counters == {"unit": "phu-mau", "total": 3, "online": 2}
    assert call(ranking, "visit_counters", "huong-tra") == {"unit": "huong-tra", "total": 0, "online": 0}


def test_no_client_address_is_stored(ranking, mongo_client, settings):
    call(ranking, "record_visit", "phu-mau", "203.0.113.9", "Firefox")
    stored = list(mongo_client[settings.RANKING_DB].visitors.find())
    assert len(stored) == 1 and "203.0.113.9" not in str(stored)


def test_a_batch_of_visits_counts_every_view_and_each_visitor_once(ranking):
    counters = call(ranking, "record_visits", [
        ["phu-mau", "10.0.0.1", "Firefox", 2], ["phu-mau", "10.0.0.2", "Chrome", 1],
        ["huong-tra", "10.0.0.1", "Firefox", 1]])
    assert counters == {"phu-mau": {"unit": "phu-mau", "total": 3, "online": 2},
                        "huong-tra": {"unit": "huong-tra", "total": 1, "online": 1}}
    assert call(ranking, "record_visit", "phu-mau", "10.0.0.1", "Firefox")["total"] == 4
    assert call(ranking, "record_visits", []) == {}


def test_a_malformed_batch_of_visits_is_refused_by_name(ranking):
    with pytest.raises(InvalidInput) as refused:
        call(ranking, "record_visits", [["phu-mau", "10.0.0.1", "Firefox"]])
    assert "visits" in refused.value.fields
    with pytest.raises(InvalidInput):
        call(ranking, "record_visits", [["phu-mau", "10.0.0.1", "Firefox", 0]])
