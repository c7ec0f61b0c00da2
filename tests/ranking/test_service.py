from datetime import datetime, timezone

import pytest

from services.common import events
from tests.drive import article_snapshot, call

MOMENT = datetime(2026, 11, 2, 8, 30, tzinfo=timezone.utc)


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
