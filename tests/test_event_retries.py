"""Failed event handling is retried with backoff through a dead-letter queue; what keeps failing,
or breaks the contract, is parked and counted; the handler's queue keeps flowing meanwhile.

Runs against the real RabbitMQ (a throwaway vhost per test) with a small consumer whose
handler the test scripts, and the real ranking service for idempotent redelivery.
"""
import time
from datetime import datetime, timezone

import pytest
from kombu import Connection, Queue
from nameko.standalone.events import event_dispatcher
from nameko.testing.services import entrypoint_waiter

from services.common import events, retries
from services.ranking.service import RankingService
from tests.drive import article_snapshot, call
from tests.servers import wait_for

MOMENT = datetime(2026, 11, 2, 8, 30, tzinfo=timezone.utc)
QUEUE = "evt-content-article_unpublished--consumer.on_article_unpublished"
RETRY, PARKED = QUEUE + retries.RETRY_SUFFIX, QUEUE + retries.PARKED_SUFFIX


def unpublished(document_id: str, version: int = 1) -> events.ArticleUnpublished:
    return events.ArticleUnpublished(document_id=document_id, version=version, occurred_at=MOMENT, unit="phu-mau")


def consumer_of(handle):
    """A service whose one contract handler does what the test says."""
    class Consumer:
        name = "consumer"

        @events.handles("article_unpublished")
        def on_article_unpublished(self, event):
            handle(event)

    return Consumer


@pytest.fixture
def amqp_uri(nameko_config):
    return nameko_config["AMQP_URI"]


@pytest.fixture
def start(container_factory, nameko_config):
    def start(handle, **settings):
        container = container_factory(consumer_of(handle), {**nameko_config, **settings})
        container.start()
        return container

    return start


def ready_in(amqp_uri, queue_name) -> int:
    with Connection(amqp_uri) as connection:
        return Queue(queue_name, channel=connection.default_channel).queue_declare(passive=True)[1]


def take(amqp_uri, queue_name):
    """Remove and return (payload, headers) of the next message in a queue."""
    with Connection(amqp_uri) as connection:
        message = Queue(queue_name, channel=connection.default_channel).get(no_ack=True)
        return message.payload, message.headers


class Failing(Exception):
    pass


def test_a_handler_failing_twice_is_retried_with_growing_delays_and_handles_the_event_once(
        start, events_in, amqp_uri):
    attempts, applied = [], []

    def handle(event):
        attempts.append(time.monotonic())
        if len(attempts) <= 2:
            raise Failing("database down")
        applied.append(event)

    start(handle, EVENT_MAX_ATTEMPTS=5, EVENT_RETRY_BASE_SECONDS=0.3)
    events_in.dispatch(unpublished("a1"))
    wait_for(lambda: applied, timeout=10, message="the third attempt")
    first_wait, second_wait = attempts[1] - attempts[0], attempts[2] - attempts[1]
    assert 0.3 <= first_wait < second_wait and second_wait >= 0.6
    wait_for(lambda: ready_in(amqp_uri, QUEUE) == ready_in(amqp_uri, RETRY) == 0, message="empty queues")
    assert applied == [unpublished("a1")] and len(attempts) == 3
    assert retries.parked_count(amqp_uri, PARKED) == 0


def test_other_events_are_handled_while_one_backs_off(start, events_in, amqp_uri):
    handled = []

    def handle(event):
        handled.append(event.document_id)
        if event.document_id == "stuck":
            raise Failing("not yet")

    start(handle, EVENT_MAX_ATTEMPTS=3, EVENT_RETRY_BASE_SECONDS=30)
    events_in.dispatch(unpublished("stuck"))
    wait_for(lambda: ready_in(amqp_uri, RETRY) == 1, message="the failed event waiting to be retried")
    events_in.dispatch(unpublished("a1"))
    events_in.dispatch(unpublished("a2"))
    wait_for(lambda: {"a1", "a2"} <= set(handled), message="the events behind it")
    assert handled.count("stuck") == 1  # not retried in a hot loop
    assert ready_in(amqp_uri, RETRY) == 1


def test_an_event_that_keeps_failing_is_parked_and_counted_after_the_last_attempt(start, events_in, amqp_uri):
    attempts = []

    def handle(event):
        attempts.append(event)
        raise Failing("always")

    start(handle, EVENT_MAX_ATTEMPTS=3, EVENT_RETRY_BASE_SECONDS=0.05)
    events_in.dispatch(unpublished("a1"))
    wait_for(lambda: retries.parked_count(amqp_uri, PARKED) == 1, timeout=10, message="the parked event")
    assert len(attempts) == 3
    assert ready_in(amqp_uri, QUEUE) == ready_in(amqp_uri, RETRY) == 0
    payload, headers = take(amqp_uri, PARKED)
    assert payload == events.to_message(unpublished("a1"))[1]
    assert headers[retries.ATTEMPTS_HEADER] == 3
    assert headers[retries.PARKED_REASON_HEADER] == "Failing: always"


def test_a_payload_breaking_the_contract_is_parked_at_once(start, nameko_config, amqp_uri):
    handled = []
    start(handled.append, EVENT_MAX_ATTEMPTS=5, EVENT_RETRY_BASE_SECONDS=0.05)
    broken = {**events.to_message(unpublished("a1"))[1], "version": "newest"}
    event_dispatcher(nameko_config)(events.SOURCE_SERVICE, "article_unpublished", broken)
    wait_for(lambda: retries.parked_count(amqp_uri, PARKED) == 1, message="the parked payload")
    assert handled == []
    payload, headers = take(amqp_uri, PARKED)
    assert payload == broken
    assert headers[retries.ATTEMPTS_HEADER] == 1
    assert headers[retries.PARKED_REASON_HEADER].startswith("ContractViolation: article_unpublished breaks")


def test_a_replayed_parked_event_is_handled_once_it_can_be(start, events_in, amqp_uri):
    handled, broken = [], [True]

    def handle(event):
        if broken[0]:
            raise Failing("still down")
        handled.append(event)

    start(handle, EVENT_MAX_ATTEMPTS=2, EVENT_RETRY_BASE_SECONDS=0.05)
    events_in.dispatch(unpublished("a1"))
    wait_for(lambda: retries.parked_count(amqp_uri, PARKED) == 1, message="the parked event")
    broken[0] = False  # the operator mends what was wrong, then replays
    assert retries.replay(amqp_uri, PARKED) == 1
    wait_for(lambda: handled, message="the replayed event")
    assert handled == [unpublished("a1")]
    assert retries.parked_count(amqp_uri, PARKED) == 0


def test_a_success_redelivered_through_the_retry_queue_stays_idempotent(container_factory, nameko_config,
                                                                        events_in, amqp_uri):
    ranking = container_factory(RankingService, nameko_config)
    ranking.start()
    event = events.ArticlePublished(document_id="a1", version=2, occurred_at=MOMENT,
                                    article=article_snapshot("a1", unit="phu-mau", at=MOMENT))
    events_in.deliver(ranking, "on_article_published", event)
    # The same message again, as a retry: through the handler's retry queue and back by dead-lettering.
    queue = "evt-content-article_published--ranking.on_article_published"
    with entrypoint_waiter(ranking, "on_article_published", timeout=10) as outcome:
        with Connection(amqp_uri) as connection:
            connection.Producer().publish(events.to_message(event)[1], exchange="",
                                          routing_key=queue + retries.RETRY_SUFFIX, serializer="json",
                                          headers={retries.ATTEMPTS_HEADER: 1}, expiration=0.05)
    outcome.get()
    assert call(ranking, "unit_activity", "phu-mau")["published_articles"] == 1
    assert retries.parked_count(amqp_uri, queue + retries.PARKED_SUFFIX) == 0


def test_backoff_doubles_up_to_its_cap():
    policy = retries.RetryPolicy(max_attempts=8, base_seconds=1.0, max_seconds=20.0)
    assert [policy.delay(attempt) for attempt in range(1, 8)] == [1, 2, 4, 8, 16, 20, 20]
