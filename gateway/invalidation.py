"""Kept pages and search answers go stale when the services say so: every gateway process
listens to the content service's events, which bump the page cache's generations, and to the
search service's SearchIndexChanged notices, which drop the kept search answers.

Each process binds its own exclusive, auto-deleted queue to the `content.events` and
`search.events` exchanges, so every process hears everything. Whenever the queue is
(re)declared after a lost connection, what was sent meanwhile is unknown, so every cached
page and answer is made stale.
"""
from __future__ import annotations

import logging
import threading

from kombu import Connection, Queue, binding
from kombu.mixins import ConsumerMixin
from nameko.standalone.events import get_event_exchange
from pydantic import ValidationError

from gateway.background import Background
from services.common import events

log = logging.getLogger(__name__)

STOP_WITHIN = 0.1  # seconds `stop` waits at most for the listener's thread


def unit_of(event: events.Event) -> str | None:
    """The unit whose pages an event changes; None when it changes a unit itself (its name,
    its place in the tree, a merger), which shows on other units' pages too."""
    if isinstance(event, events.UnitUpdated):
        return None
    unit = getattr(event, "unit", None)
    if isinstance(unit, str):
        return unit
    for value in event.model_dump().values():
        if isinstance(value, dict) and isinstance(value.get("unit"), str):
            return value["unit"]
    return None


class ChangeListener(ConsumerMixin):
    def __init__(self, amqp_uri: str, generations, nameko_config: dict, search_results):
        self.connection = Connection(amqp_uri, heartbeat=10)
        self._generations = generations
        self._search_results = search_results
        self._exchange = get_event_exchange("content", nameko_config)
        self._search_exchange = get_event_exchange(events.SearchIndexChanged.source, nameko_config)
        # The listener looks up from the broker every STOP_WITHIN seconds to see whether to stop.
        self._background = Background(lambda: self.run(safety_interval=STOP_WITHIN), "change-listener")
        self.connected = threading.Event()

    def start(self):
        """Listen in a daemon thread, started on first use so that each gunicorn worker has its own."""
        self._background.start()

    def stop(self):
        self.should_stop = True
        self._background.join()

    def get_consumers(self, Consumer, channel):
        queue = Queue(bindings=[binding(self._exchange, routing_key="#"),
                                binding(self._search_exchange, routing_key=events.SearchIndexChanged.name)],
                      exclusive=True, auto_delete=True, durable=False)
        return [Consumer(queues=[queue], callbacks=[self.on_message], accept=["json"])]

    def on_consume_ready(self, connection, channel, consumers, **kwargs):
        self._generations.everything_changed()
        self._search_results.changed()
        self.connected.set()
        log.info("listening to content events and search notices; every cached page and answer made stale")

    def on_connection_error(self, exc, interval):
        self.connected.clear()
        log.warning("change listener: connection lost (%s); retrying in %ss", exc, interval)

    def on_message(self, body, message):
        if message.delivery_info.get("exchange") == self._search_exchange.name:
            self._search_results.changed()
            message.ack()
            return
        name = message.delivery_info.get("routing_key")
        try:
            event = events.parse(name, body)
        except (KeyError, ValidationError, TypeError):
            self._generations.everything_changed()  # an event this gateway does not know: play safe
        else:
            unit = unit_of(event)
            if unit is None:
                self._generations.everything_changed()
            else:
                self._generations.unit_changed(unit)
        message.ack()
