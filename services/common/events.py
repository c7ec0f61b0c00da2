"""The event contract: every event the platform publishes, its name and payload schema.

All events come from the content service (the only writer of published material).
Every payload carries the document's id, a version that only grows for that document,
and the time the change happened. Payloads are full public snapshots, so a consumer that
missed an event rebuilds from the next one; a consumer keeps the highest version it has
applied and ignores anything not newer. Both sides validate: `to_message` before
dispatch and `handles` before a handler runs.
"""
from __future__ import annotations

import functools
from datetime import date, datetime
from typing import ClassVar, Literal

from nameko.events import SERVICE_POOL
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, PositiveInt, ValidationError

from services.common.retries import ContractViolation, retrying_event_handler

SOURCE_SERVICE = "content"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class UnitSnapshot(_Strict):
    slug: str
    name: str
    name_en: str = ""
    level: str
    parent: str | None = None
    status: Literal["active", "merged", "dissolved"] = "active"
    successor: str | None = None
    contact: dict = Field(default_factory=dict)
    branding: dict = Field(default_factory=dict)
    public_services_url: str | None = None


class ArticleSnapshot(_Strict):
    id: str
    unit: str
    unit_name: str
    slug: str
    title: str
    summary: str = ""
    body_html: str
    author: str = ""
    category: str | None = None
    tags: list[str] = Field(default_factory=list)
    featured: bool = False
    cover: dict | None = Field(default=None, description="media_id, alt, caption")
    path: str = Field(description="Public path of the article on the portal, e.g. /phu-vang/tin-tuc/abc")
    published_at: AwareDatetime
    updated_at: AwareDatetime


class ScheduleEntry(_Strict):
    start: AwareDatetime
    end: AwareDatetime | None = None
    leader: str = Field(description="Who leads it, e.g. 'Chủ tịch UBND xã Nguyễn Văn A'")
    title: str
    location: str = ""
    participants: str = ""
    preparer: str = Field(default="", description="who prepares the content")


class ScheduleSnapshot(_Strict):
    """A unit's leadership work schedule ("lịch công tác") for one ISO week."""
    id: str
    unit: str
    unit_name: str
    week: str = Field(pattern=r"^\d{4}-W\d{2}$")
    entries: list[ScheduleEntry]
    path: str
    published_at: AwareDatetime
    updated_at: AwareDatetime


class DocumentFile(_Strict):
    media_id: str
    filename: str
    content_type: str
    size: int


class DocumentSnapshot(_Strict):
    """A legal document ("văn bản") as published on the unit's site."""
    id: str
    unit: str
    unit_name: str
    number: str = Field(description="số ký hiệu, e.g. 12/2026/QĐ-UBND")
    type: str = Field(description="e.g. Quyết định, Chỉ thị, Công văn")
    issuing_body: str
    signer: str = ""
    issued_on: date
    effective_on: date | None = None
    excerpt: str = Field(description="trích yếu")
    field: str = Field(default="", description="lĩnh vực")
    file: DocumentFile | None = None
    path: str
    published_at: AwareDatetime
    updated_at: AwareDatetime


class QuestionSnapshot(_Strict):
    """A citizen's question and the unit's answer ("hỏi đáp"); no contact details."""
    id: str
    unit: str
    unit_name: str
    title: str
    question: str
    asker_name: str
    asked_at: AwareDatetime
    answer_html: str
    answered_by: str
    answered_at: AwareDatetime
    path: str


class PageSnapshot(_Strict):
    """A unit's static page (introduction, functions and duties, leaders …) in one language."""
    unit: str
    unit_name: str
    key: str
    lang: Literal["vi", "en"]
    title: str
    body_html: str
    order: int
    path: str
    updated_at: AwareDatetime


class Event(_Strict):
    name: ClassVar[str]
    document_id: str
    version: PositiveInt
    occurred_at: AwareDatetime


class ArticlePublished(Event):
    name: ClassVar[str] = "article_published"
    article: ArticleSnapshot


class ArticleUpdated(Event):
    name: ClassVar[str] = "article_updated"
    article: ArticleSnapshot


class ArticleUnpublished(Event):
    name: ClassVar[str] = "article_unpublished"
    unit: str


class SchedulePublished(Event):
    name: ClassVar[str] = "schedule_published"
    schedule: ScheduleSnapshot


class DocumentPublished(Event):
    name: ClassVar[str] = "document_published"
    document: DocumentSnapshot


class QuestionAnswered(Event):
    name: ClassVar[str] = "question_answered"
    question: QuestionSnapshot


class UnitUpdated(Event):
    name: ClassVar[str] = "unit_updated"
    unit: UnitSnapshot


class PagePublished(Event):
    """A static page created, changed or restored (document_id: "unit/key/lang")."""
    name: ClassVar[str] = "page_published"
    page: PageSnapshot


class PageWithdrawn(Event):
    name: ClassVar[str] = "page_withdrawn"
    unit: str


class CategoryUpdated(Event):
    """A unit's news category created or changed: the unit's menu changes (document_id: "unit/slug")."""
    name: ClassVar[str] = "category_updated"
    unit: str
    slug: str
    title: str
    order: int


EVENTS: dict[str, type[Event]] = {
    cls.name: cls for cls in (ArticlePublished, ArticleUpdated, ArticleUnpublished, SchedulePublished,
                              DocumentPublished, QuestionAnswered, UnitUpdated, PagePublished, PageWithdrawn,
                              CategoryUpdated)
}


class SearchIndexChanged(_Strict):
    """Not a content event: the search service says what searches find may have changed (an
    item indexed or removed, a unit renamed, a best bet pinned, a rebuilt index swapped in),
    and is searchable now. It carries nothing to apply; whoever keeps search results drops
    them. Sent on the search service's own exchange."""
    name: ClassVar[str] = "index_changed"
    source: ClassVar[str] = "search"
    occurred_at: AwareDatetime


def to_message(event: Event) -> tuple[str, dict]:
    """Validate an event and give the (name, JSON payload) pair to dispatch."""
    if type(event) not in EVENTS.values():
        raise TypeError(f"{type(event).__name__} is not in the event contract")
    # Re-validating catches a payload assembled with model_construct or mutated dicts.
    checked = type(event).model_validate(event.model_dump())
    return checked.name, checked.model_dump(mode="json")


def parse(name: str, payload: dict) -> Event:
    return EVENTS[name].model_validate(payload)


def handles(event_name: str, handler_type=SERVICE_POOL):
    """nameko event handler for a contract event: the method receives the parsed model.

    A handler that fails (its database is down, say) has the event retried with growing
    delays, the handler's queue flowing meanwhile, since consumers are idempotent; one that
    keeps failing, or a payload breaking the contract (which can never succeed), is parked
    for an operator. See services/common/retries.py.
    """
    if event_name not in EVENTS:
        raise ValueError(f"unknown event {event_name!r}")

    def decorate(method):
        @functools.wraps(method)
        def handler(self, payload):
            try:
                event = parse(event_name, payload)
            except ValidationError as error:
                raise ContractViolation(f"{event_name} breaks the event contract: {error}") from error
            return method(self, event)

        return retrying_event_handler(SOURCE_SERVICE, event_name, handler_type=handler_type)(handler)

    return decorate


def utcnow() -> datetime:
    from datetime import timezone

    return datetime.now(timezone.utc)
