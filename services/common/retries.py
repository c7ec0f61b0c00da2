"""Failed event handling: retried with backoff through a dead-letter queue, then parked.

Every contract handler consumes nameko's own queue (SERVICE_POOL: one per service and
handler, e.g. `evt-content-article_published--search.on_article_published`). Two queues
sit beside it, declared with kombu when the handler starts:

    <queue>.retry   A failed message waits here for a per-message TTL: base·2^(attempt−1)
                    seconds, capped. When it expires RabbitMQ dead-letters it through the
                    default exchange straight back to <queue>, so only this handler sees it
                    again, not every service bound to the events exchange.
    <queue>.parked  Durable and never consumed: a message that failed EVENT_MAX_ATTEMPTS
                    times, or that breaks the contract (retrying cannot mend it). Its message
                    count is the parked count; each message keeps its payload and headers,
                    plus why it was parked.

The failed message is acknowledged on <queue> only once the broker has confirmed the copy,
so nothing is lost, and <queue> keeps flowing while the copy waits. The number of attempts
made travels in the `x-event-attempts` header. RabbitMQ expires per-message TTLs at the head
of a queue only, so a message can wait behind a longer delay ahead of it: never longer than
EVENT_RETRY_MAX_SECONDS.

Operators:
    rabbitmqctl list_queues name messages | grep '\\.parked'          # what is parked, per handler
    python -m services.common.retries count  <queue>.parked           # one parked count
    python -m services.common.retries replay <queue>.parked [--limit N]   # back to <queue>
(AMQP_URI from the environment, as for the services). Replayed messages start a fresh
series of attempts; handlers are idempotent, so replaying one already applied is harmless.
"""
from __future__ import annotations

import argparse
import logging
from dataclasses import dataclass

from kombu import Connection, Queue
from nameko.amqp.publish import Publisher, get_connection
from nameko.constants import AMQP_SSL_CONFIG_KEY, AMQP_URI_CONFIG_KEY, LOGIN_METHOD_CONFIG_KEY
from nameko.events import EventHandler

from services.common.config import Settings
from services.common.ops.metrics import EVENTS
from services.common.rpc import REQUEST_SCOPED

log = logging.getLogger(__name__)

ATTEMPTS_HEADER = "x-event-attempts"
PARKED_REASON_HEADER = "x-parked-reason"
RETRY_SUFFIX = ".retry"
PARKED_SUFFIX = ".parked"


class ContractViolation(Exception):
    """A received payload breaks the event contract: no retry can succeed, so it is parked."""


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int
    base_seconds: float
    max_seconds: float

    @classmethod
    def from_config(cls, config) -> "RetryPolicy":
        settings = Settings.from_mapping(config)
        return cls(settings.EVENT_MAX_ATTEMPTS, settings.EVENT_RETRY_BASE_SECONDS,
                   settings.EVENT_RETRY_MAX_SECONDS)

    def delay(self, attempts: int) -> float:
        """Seconds to wait after the `attempts`-th failure before the next attempt."""
        return min(self.base_seconds * 2 ** (attempts - 1), self.max_seconds)


def retry_queue(queue_name: str) -> Queue:
    return Queue(queue_name + RETRY_SUFFIX, durable=True, queue_arguments={
        "x-dead-letter-exchange": "", "x-dead-letter-routing-key": queue_name})


def parking_queue(queue_name: str) -> Queue:
    return Queue(queue_name + PARKED_SUFFIX, durable=True)


def attempts_made(headers) -> int:
    return int((headers or {}).get(ATTEMPTS_HEADER, 0))


class RetryingEventHandler(EventHandler):
    """nameko's EventHandler, except that a failed message is set aside instead of requeued."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, requeue_on_error=False, **kwargs)

    def setup(self):
        super().setup()  # names and declares self.queue as nameko always has
        config = self.container.config
        self.policy = RetryPolicy.from_config(config)
        self.retry_queue = retry_queue(self.queue.name)
        self.parking_queue = parking_queue(self.queue.name)
        self.set_aside = Publisher(
            config[AMQP_URI_CONFIG_KEY], ssl=config.get(AMQP_SSL_CONFIG_KEY),
            login_method=config.get(LOGIN_METHOD_CONFIG_KEY), use_confirms=True, mandatory=True,
            declare=[self.retry_queue, self.parking_queue])
        with get_connection(config[AMQP_URI_CONFIG_KEY], config.get(AMQP_SSL_CONFIG_KEY)) as connection:
            channel = connection.channel()
            try:
                for queue in (self.retry_queue, self.parking_queue):
                    queue(channel).declare()
            finally:
                channel.close()

    def unpack_message_headers(self, message):
        # Retry bookkeeping and RabbitMQ's x-death describe the message, and the deadline and
        # idempotency key of the request that caused the event describe that request, not this
        # handling: keep them out of the worker's context so they do not travel on with its RPC
        # calls and events.
        headers = super().unpack_message_headers(message)
        return {key: value for key, value in headers.items()
                if not key.startswith("x-") and key not in REQUEST_SCOPED}

    def handle_message_processed(self, message, result=None, exc_info=None):
        if exc_info is None:
            self.queue_consumer.ack_message(message)
            EVENTS.labels(self.container.service_name, self.method_name, "ok").inc()
            return
        error = exc_info[1]
        attempts = attempts_made(message.headers) + 1
        headers = {**(message.headers or {}), ATTEMPTS_HEADER: attempts}
        headers.pop("x-death", None)  # RabbitMQ's own history; it rebuilds it
        if isinstance(error, ContractViolation) or attempts >= self.policy.max_attempts:
            target, expiration, outcome = self.parking_queue, None, "parked"
            headers[PARKED_REASON_HEADER] = f"{type(error).__name__}: {error}"[:1000]
            log.error("parked %s after %d attempt(s) in %s: %s", self.event_type, attempts,
                      target.name, error)
        else:
            target, expiration, outcome = self.retry_queue, self.policy.delay(attempts), "retried"
            log.warning("%s failed (attempt %d of %d), retrying in %gs: %s", self.event_type, attempts,
                        self.policy.max_attempts, expiration, error)
        try:
            self.set_aside.publish(message.body, exchange="", routing_key=target.name, headers=headers,
                                   expiration=expiration, serializer=None,
                                   content_type=message.content_type,
                                   content_encoding=message.content_encoding)
        except Exception:
            # Not confirmed: leave the message where it was rather than risk losing it.
            log.exception("could not set %s aside in %s; requeueing it", self.event_type, target.name)
            self.queue_consumer.requeue_message(message)
        else:
            self.queue_consumer.ack_message(message)
            EVENTS.labels(self.container.service_name, self.method_name, outcome).inc()


retrying_event_handler = RetryingEventHandler.decorator


def parked_count(amqp_uri: str, parked_queue_name: str) -> int:
    """How many messages are parked in one handler's parking queue."""
    with Connection(amqp_uri) as connection:
        _, count, _ = Queue(parked_queue_name, channel=connection.default_channel).queue_declare(passive=True)
        return count


def replay(amqp_uri: str, parked_queue_name: str, limit: int | None = None) -> int:
    """Move parked messages back to their handler's queue for a fresh series of attempts."""
    if not parked_queue_name.endswith(PARKED_SUFFIX):
        raise ValueError(f"{parked_queue_name!r} is not a parking queue")
    handler_queue = parked_queue_name[: -len(PARKED_SUFFIX)]
    moved = 0
    with Connection(amqp_uri, transport_options={"confirm_publish": True}) as connection:
        parked = Queue(parked_queue_name, channel=connection.default_channel)
        producer = connection.Producer()
        while limit is None or moved < limit:
            message = parked.get(no_ack=False, accept=None)
            if message is None:
                break
            headers = {key: value for key, value in (message.headers or {}).items()
                       if key not in {ATTEMPTS_HEADER, PARKED_REASON_HEADER, "x-death"}}
            producer.publish(message.body, exchange="", routing_key=handler_queue, headers=headers,
                             delivery_mode=2, content_type=message.content_type,
                             content_encoding=message.content_encoding)
            message.ack()  # only after the broker confirmed the copy
            moved += 1
    return moved


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m services.common.retries", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["count", "replay"])
    parser.add_argument("queue", help="a parking queue, <handler queue>.parked")
    parser.add_argument("--limit", type=int, default=None, help="replay at most this many")
    arguments = parser.parse_args(argv)
    amqp_uri = Settings.from_env().AMQP_URI
    if arguments.action == "count":
        print(parked_count(amqp_uri, arguments.queue))
    else:
        print(f"replayed {replay(amqp_uri, arguments.queue, arguments.limit)}")


if __name__ == "__main__":
    main()
