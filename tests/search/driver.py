"""Builds contract events and drives a running search service with them."""
from nameko.testing.services import entrypoint_waiter

from services.common.events import (
    ArticlePublished,
    ArticleSnapshot,
    ArticleUnpublished,
    ArticleUpdated,
    utcnow,
)
from tests.drive import EventSender, article_snapshot

UNIT = "phu-vang"
UNIT_NAME = "UBND huyện Phú Vang"


def article(document_id: str, title: str, summary: str = "", body: str = "",
            unit: str = UNIT, unit_name: str = UNIT_NAME) -> ArticleSnapshot:
    return article_snapshot(document_id, title, unit=unit, unit_name=unit_name, summary=summary,
                            body_html=f"<p>{body}</p>")


class SearchServiceDriver:
    """Talks to a running search service as the platform does: contract events in over
    RabbitMQ, RPC out. Each event call returns once the handler has finished."""

    def __init__(self, container, config, rpc):
        self.container = container
        self.rpc = rpc
        self._sender = EventSender(config)

    def publish(self, document_id: str, title: str, version: int = 1, **fields):
        self.send(ArticlePublished(document_id=document_id, version=version, occurred_at=utcnow(),
                                   article=article(document_id, title, **fields)))

    def update(self, document_id: str, title: str, version: int, **fields):
        self.send(ArticleUpdated(document_id=document_id, version=version, occurred_at=utcnow(),
                                 article=article(document_id, title, **fields)))

    def unpublish(self, document_id: str, version: int, unit: str = UNIT):
        self.send(ArticleUnpublished(document_id=document_id, version=version,
                                     occurred_at=utcnow(), unit=unit))

    def send(self, event):
        self._sender.deliver(self.container, f"on_{event.name}", event)

    def send_together(self, events):
        """Dispatch every event before waiting, so the service handles them concurrently and
        in whatever order they arrive; returns once all handlers have finished."""
        outcomes = []

        def finished_all(worker_ctx, result, exc_info):
            outcomes.append(exc_info)
            return len(outcomes) == len(events)

        [name] = {event.name for event in events}
        with entrypoint_waiter(self.container, f"on_{name}", callback=finished_all):
            for event in events:
                self._sender.dispatch(event)
        assert outcomes == [None] * len(events), outcomes

    def search(self, query, **options) -> dict:
        return self.rpc.search(query, **options)

    def ids(self, query, **options) -> list[str]:
        return [hit["id"] for hit in self.search(query, **options)["hits"]]
