"""Builds contract events and drives a running search service with them."""
from datetime import date, datetime, timedelta, timezone

from nameko.testing.services import entrypoint_waiter

from services.common.events import (
    ArticlePublished,
    ArticleSnapshot,
    ArticleUnpublished,
    ArticleUpdated,
    DocumentPublished,
    DocumentSnapshot,
    PagePublished,
    PageSnapshot,
    PageWithdrawn,
    QuestionAnswered,
    QuestionSnapshot,
    ScheduleEntry,
    SchedulePublished,
    ScheduleSnapshot,
    UnitSnapshot,
    UnitUpdated,
    utcnow,
)
from tests.drive import EventSender, article_snapshot

UNIT = "phu-vang"
UNIT_NAME = "Huyện Phú Vang"  # as the content service names units; searchable since items carry it
VIETNAM = timezone(timedelta(hours=7))


def article(document_id: str, title: str, summary: str = "", body: str = "", unit: str = UNIT,
            unit_name: str = UNIT_NAME, category: str | None = None, at: datetime | None = None) -> ArticleSnapshot:
    snapshot = article_snapshot(document_id, title, unit=unit, unit_name=unit_name, summary=summary,
                                body_html=f"<p>{body}</p>", at=at)
    return snapshot.model_copy(update={"category": category})


def document(document_id: str, number: str, excerpt: str, type: str = "Quyết định",
             issuing_body: str = "Ủy ban nhân dân huyện Phú Vang", issued_on: date = date(2026, 3, 12),
             field: str = "", unit: str = UNIT, unit_name: str = UNIT_NAME) -> DocumentSnapshot:
    at = utcnow()
    return DocumentSnapshot(
        id=document_id, unit=unit, unit_name=unit_name, number=number, type=type, issuing_body=issuing_body,
        signer="Nguyễn Văn A", issued_on=issued_on, excerpt=excerpt, field=field,
        path=f"/{unit}/van-ban/{document_id}", published_at=at, updated_at=at)


def schedule(document_id: str, week: str, entries: list[tuple[datetime, str, str]], unit: str = UNIT,
             unit_name: str = UNIT_NAME) -> ScheduleSnapshot:
    """entries: (start, title, leader)."""
    at = utcnow()
    return ScheduleSnapshot(
        id=document_id, unit=unit, unit_name=unit_name, week=week,
        entries=[ScheduleEntry(start=start, title=title, leader=leader, location="Hội trường")
                 for start, title, leader in entries],
        path=f"/{unit}/lich-cong-tac/{week}", published_at=at, updated_at=at)


def question(document_id: str, title: str, asked: str, answer: str, unit: str = UNIT,
             unit_name: str = UNIT_NAME, answered_at: datetime | None = None) -> QuestionSnapshot:
    answered_at = answered_at or utcnow()
    return QuestionSnapshot(
        id=document_id, unit=unit, unit_name=unit_name, title=title, question=asked, asker_name="Trần Thị B",
        asked_at=answered_at - timedelta(days=3), answer_html=f"<p>{answer}</p>",
        answered_by="Phòng Tư pháp", answered_at=answered_at, path=f"/{unit}/hoi-dap/{document_id}")


def page(document_id: str, title: str, body: str, unit: str = UNIT, unit_name: str = UNIT_NAME,
         changed_at: datetime | None = None) -> PageSnapshot:
    """document_id: 'unit/key/lang', as the content service names pages."""
    _, key, lang = document_id.split("/")
    path = f"/{unit}/gioi-thieu/{key}" if lang == "vi" else f"/{unit}/{lang}/{key}"
    return PageSnapshot(unit=unit, unit_name=unit_name, key=key, lang=lang, title=title, body_html=f"<p>{body}</p>",
                        order=0, path=path, updated_at=changed_at or utcnow())


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

    def publish_document(self, document_id: str, number: str, excerpt: str, version: int = 1, **fields):
        self.send(DocumentPublished(document_id=document_id, version=version, occurred_at=utcnow(),
                                    document=document(document_id, number, excerpt, **fields)))

    def publish_schedule(self, document_id: str, week: str, entries, version: int = 1, **fields):
        self.send(SchedulePublished(document_id=document_id, version=version, occurred_at=utcnow(),
                                    schedule=schedule(document_id, week, entries, **fields)))

    def answer(self, document_id: str, title: str, asked: str, answer: str, version: int = 1, **fields):
        self.send(QuestionAnswered(document_id=document_id, version=version, occurred_at=utcnow(),
                                   question=question(document_id, title, asked, answer, **fields)))

    def publish_page(self, document_id: str, title: str, body: str, version: int = 1, **fields):
        self.send(PagePublished(document_id=document_id, version=version, occurred_at=utcnow(),
                                page=page(document_id, title, body, **fields)))

    def withdraw_page(self, document_id: str, version: int, unit: str = UNIT):
        self.send(PageWithdrawn(document_id=document_id, version=version, occurred_at=utcnow(), unit=unit))

    def unit(self, slug: str, level: str, name: str | None = None, version: int = 1):
        self.send(UnitUpdated(document_id=slug, version=version, occurred_at=utcnow(),
                              unit=UnitSnapshot(slug=slug, name=name or slug, level=level)))

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
        """The ids of the items with every word of the query (a relaxed answer's closest items,
        which lack some, are not matches: see relaxed_ids)."""
        return [hit["id"] for hit in self.matches(query, **options)]

    def typed_ids(self, query, **options) -> list[tuple[str, str]]:
        return [(hit["type"], hit["id"]) for hit in self.matches(query, **options)]

    def matches(self, query, **options) -> list[dict]:
        """The hits with every word: a relaxed answer lists them first (complete_matches)."""
        result = self.search(query, **options)
        return result["hits"] if result["match"] == "all" else result["hits"][:result["complete_matches"]]

    def relaxed_ids(self, query, **options) -> list[str]:
        """The ids of the closest items when few or no items have every word; [] otherwise."""
        result = self.search(query, **options)
        return [hit["id"] for hit in result["hits"]] if result["match"] == "relaxed" else []

    def suggest(self, prefix, **options) -> list[str]:
        return [suggestion["title"] for suggestion in self.rpc.suggest(prefix, **options)["suggestions"]]
