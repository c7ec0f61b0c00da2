"""The event contract: every event the platform publishes, its name and payload schema.

Content events come from the content service (the only writer of published material); the
ranking service publishes its own few (a month's ranking frozen, a site gone stale) on its
exchange, and search a notice that its index changed. Every content and ranking payload
carries the document's id, a version that only grows for that document, and the time the
change happened. Payloads are full public snapshots, so a consumer that
missed an event rebuilds from the next one; a consumer keeps the highest version it has
applied and ignores anything not newer. Both sides validate: `to_message` before
dispatch and `handles` before a handler runs. An event a request caused names it
(`request_id`, optional, so events from before it and from timers stay valid); its handler
logs with it (services/common/logs.py).
"""
from __future__ import annotations

import functools
from datetime import date, datetime
from typing import ClassVar, Literal

from nameko.events import SERVICE_POOL
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, PositiveInt, ValidationError, model_serializer

from services.common.logs import REQUEST_ID_PATTERN, use_request_id
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
    managing_body: str = ""
    licence: str = ""
    information_contact: dict | None = Field(default=None, description="name, title, phone, email")
    created_at: AwareDatetime | None = Field(default=None, description="when the unit got its site on the platform")


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
    section: str | None = Field(default=None, description=(
        "the disclosure section (mục công khai) it is filed under; absent in events from before sections"))
    section_title: str = Field(default="", description="that section's title, e.g. 'Dự toán, quyết toán ngân sách'")
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


class ConsultationSnapshot(_Strict):
    """A draft document put out for comment ("lấy ý kiến dự thảo"); no commenter's details. It
    is open until the end of `closes_on` in Vietnam, closed after; `summary_html` is the
    comments received and the unit's response, once published."""
    id: str
    unit: str
    unit_name: str
    title: str
    description: str
    field: str = ""
    file: DocumentFile | None = None
    opens_at: AwareDatetime
    closes_on: date
    summary_html: str = ""
    summary_published_at: AwareDatetime | None = None
    path: str
    updated_at: AwareDatetime


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


class ProcedureSnapshot(_Strict):
    """An administrative procedure ("thủ tục hành chính") as published on the unit's site."""
    id: str
    unit: str
    unit_name: str
    name: str
    code: str | None = Field(default=None, description="mã thủ tục in the national database, e.g. 1.001193")
    field: str = Field(description="lĩnh vực")
    level: str = Field(description="cấp thực hiện: tinh, huyen or xa")
    processing_time: str = ""
    fees: str = ""
    papers_html: str = ""
    result: str = ""
    legal_basis: str = ""
    portal_url: str | None = None
    path: str
    published_at: AwareDatetime
    updated_at: AwareDatetime


class Event(_Strict):
    name: ClassVar[str]
    document_id: str
    version: PositiveInt
    occurred_at: AwareDatetime
    request_id: str | None = Field(default=None, pattern=REQUEST_ID_PATTERN, description=(
        "the X-Request-Id of the request that caused it, for following it through the logs; absent "
        "when no request did (a timer, a replay) and in events from before it was added"))

    @model_serializer(mode="wrap")
    def _request_id_only_when_known(self, serialize):
        # Events without one read exactly as before it was added.
        data = serialize(self)
        if data.get("request_id") is None:
            data.pop("request_id", None)
        return data


class ArticlePublished(Event):
    name: ClassVar[str] = "article_published"
    article: ArticleSnapshot


class ArticleUpdated(Event):
    name: ClassVar[str] = "article_updated"
    article: ArticleSnapshot


class ArticleUnpublished(Event):
    name: ClassVar[str] = "article_unpublished"
    unit: str
    published_at: AwareDatetime | None = Field(
        default=None, description="when the withdrawn article had been published (for counting publications)")


class SchedulePublished(Event):
    name: ClassVar[str] = "schedule_published"
    schedule: ScheduleSnapshot


class DocumentPublished(Event):
    name: ClassVar[str] = "document_published"
    document: DocumentSnapshot


class ProcedurePublished(Event):
    """A procedure published, or a published one changed (a later version of the same document)."""
    name: ClassVar[str] = "procedure_published"
    procedure: ProcedureSnapshot


class ProcedureWithdrawn(Event):
    """A published procedure taken off the unit's site (abolished or handed to another body)."""
    name: ClassVar[str] = "procedure_withdrawn"
    unit: str


class QuestionAnswered(Event):
    name: ClassVar[str] = "question_answered"
    question: QuestionSnapshot


class QuestionReceived(Event):
    """A citizen's question as it waits for an answer, without its text or who asked: sent when
    it is asked ("waiting") and when moderators reject it ("rejected"); its publication with
    an answer is QuestionAnswered, a later version of the same document."""
    name: ClassVar[str] = "question_received"
    unit: str
    asked_at: AwareDatetime
    state: Literal["waiting", "rejected"]


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


class CategoryRemoved(Event):
    """A unit's news category deleted (no article was filed under it): the menu loses it."""
    name: ClassVar[str] = "category_removed"
    unit: str
    slug: str


class ConsultationOpened(Event):
    """A draft opened for comment (its first public version)."""
    name: ClassVar[str] = "consultation_opened"
    consultation: ConsultationSnapshot


class ConsultationUpdated(Event):
    """An open or closed draft changed: corrected, a comment published, its summary published."""
    name: ClassVar[str] = "consultation_updated"
    consultation: ConsultationSnapshot


EVENTS: dict[str, type[Event]] = {
    cls.name: cls for cls in (ArticlePublished, ArticleUpdated, ArticleUnpublished, SchedulePublished,
                              DocumentPublished, QuestionReceived, QuestionAnswered, UnitUpdated, PagePublished,
                              PageWithdrawn, CategoryUpdated, CategoryRemoved, ConsultationOpened,
                              ConsultationUpdated, ProcedurePublished, ProcedureWithdrawn)
}


class SearchIndexChanged(_Strict):
    """Not a content event: the search service says what searches find may have changed (an
    item indexed or removed, a unit renamed, a best bet pinned, a rebuilt index swapped in),
    and is searchable now. It carries nothing to apply; whoever keeps search results drops
    them. Sent on the search service's own exchange."""
    name: ClassVar[str] = "index_changed"
    source: ClassVar[str] = "search"
    occurred_at: AwareDatetime


class Gain(_Strict):
    """Points a unit left on one criterion: what doing it fully would have added."""
    criterion: str = Field(description="the criterion's key, e.g. news")
    title: str = Field(description="its name as the ranking page shows it")
    points: float = Field(gt=0)


class Standing(_Strict):
    """One unit's place in a month's ranking."""
    unit: str
    unit_name: str
    level: str
    score: float = Field(ge=0)
    maximum: float = Field(gt=0)
    rank: int = Field(ge=1, description="among all ranked units")
    rank_in_level: int = Field(ge=1)
    units_in_level: int = Field(ge=1)
    change: int | None = Field(description="places gained in the level since the month before; None if not ranked then")
    link: str = Field(description="the unit's ranking page, e.g. /phu-mau/xep-hang")
    gains: list[Gain] = Field(default_factory=list, description=(
        "the criteria that would gain most points, most first (empty in events from before it was added)"))


class RankingEvent(Event):
    """Events the ranking service publishes, on its own exchange."""
    source: ClassVar[str] = "ranking"


class RankingPublished(RankingEvent):
    """A month's ranking frozen (document_id: the month "YYYY-MM"; version: its revision, 1 when
    first frozen, more when an operator recomputed it)."""
    name: ClassVar[str] = "ranking_published"
    month: str = Field(pattern=r"^\d{4}-\d{2}$")
    revision: PositiveInt
    criteria_version: str
    reason: str
    link: str = Field(description="the month's table, e.g. /xep-hang/2026-11")
    standings: list[Standing]


class SiteStale(RankingEvent):
    """A unit's site has had no update for `days` days, at least its level's threshold
    (document_id: the unit; version: the epoch second of its last update, so each spell
    without updates is announced once)."""
    name: ClassVar[str] = "site_stale"
    unit: str
    unit_name: str
    level: str
    last_update_at: AwareDatetime | None
    days: int = Field(ge=0)
    threshold_days: int = Field(ge=1)
    link: str


RANKING_EVENTS: dict[str, type[Event]] = {cls.name: cls for cls in (RankingPublished, SiteStale)}


def to_message(event: Event) -> tuple[str, dict]:
    """Validate an event and give the (name, JSON payload) pair to dispatch."""
    if type(event) not in EVENTS.values() and type(event) not in RANKING_EVENTS.values():
        raise TypeError(f"{type(event).__name__} is not in the event contract")
    # Re-validating catches a payload assembled with model_construct or mutated dicts.
    checked = type(event).model_validate(event.model_dump())
    return checked.name, checked.model_dump(mode="json")


def parse(name: str, payload: dict, source: str = SOURCE_SERVICE) -> Event:
    return _registry(source)[name].model_validate(payload)


def _registry(source: str) -> dict[str, type[Event]]:
    return RANKING_EVENTS if source == RankingEvent.source else EVENTS


def handles(event_name: str, handler_type=SERVICE_POOL, source: str = SOURCE_SERVICE):
    """nameko event handler for a contract event: the method receives the parsed model.

    A handler that fails (its database is down, say) has the event retried with growing
    delays, the handler's queue flowing meanwhile, since consumers are idempotent; one that
    keeps failing, or a payload breaking the contract (which can never succeed), is parked
    for an operator. See services/common/retries.py.
    """
    if event_name not in _registry(source):
        raise ValueError(f"unknown event {event_name!r} from {source}")

    def decorate(method):
        @functools.wraps(method)
        def handler(self, payload):
            try:
                event = parse(event_name, payload, source)
            except ValidationError as error:
                raise ContractViolation(f"{event_name} breaks the event contract: {error}") from error
            if event.request_id:  # for the rest of this worker: its log lines, RPCs and retries
                use_request_id(event.request_id)
            return method(self, event)

        return retrying_event_handler(source, event_name, handler_type=handler_type)(handler)

    return decorate


def utcnow() -> datetime:
    from datetime import timezone

    return datetime.now(timezone.utc)
