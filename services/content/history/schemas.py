"""What a history import sends: an old site's archive, item by item. Each kind is its area's own
input, as an editor would send it, plus when it happened on the old site."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, ConfigDict, Field, ValidationInfo, field_validator

from services.common.errors import InvalidInput
from services.common.schemas import Output
from services.content.articles.schemas import ArticleInput
from services.content.database import LOCAL_TIME, local, now, stored
from services.content.documents.schemas import DocumentInput
from services.content.pages.schemas import PageInput
from services.content.questions.schemas import AnsweredBy, AnswerHtml, AskedQuestion
from services.content.schedules.schemas import ScheduleInput
from services.content.validation import SLUG_PATTERN, Input, IsoMoment, validate

MAX_ITEMS = 200
# No portal of the province is older; an earlier time is a slip in the export.
EARLIEST = datetime(2000, 1, 1, tzinfo=LOCAL_TIME)


def _past(moment: datetime) -> datetime:
    if moment < EARLIEST:
        raise ValueError(f"must be in {EARLIEST.year} or later")
    if moment > now():
        raise ValueError("cannot be in the future")
    return stored(moment)


# A time on the old site: with its zone, between 2000 and now; kept as MongoDB stores times.
PastTime = Annotated[AwareDatetime, IsoMoment, AfterValidator(_past)]


class PastArticle(ArticleInput):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "kind": "article", "slug": "hoi-nghi-tong-ket-nam-2024", "title": "Hội nghị tổng kết năm 2024",
        "body_html": "<p>Sáng 20/12, UBND xã Phú Mậu tổ chức hội nghị tổng kết công tác năm 2024.</p>",
        "tags": ["tổng kết"], "published_at": "2024-12-20T09:30:00+07:00"}]})

    kind: Literal["article"]
    # Required: the article's address, by which a second import knows it.
    slug: str = Field(pattern=SLUG_PATTERN, max_length=120)
    published_at: PastTime


class PastSchedule(ScheduleInput):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "kind": "schedule", "week": "2024-W51", "published_at": "2024-12-14T16:00:00+07:00",
        "entries": [{"start": "2024-12-16T07:30:00+07:00", "leader": "Chủ tịch UBND xã Nguyễn Văn Hùng",
                     "title": "Giao ban lãnh đạo UBND xã đầu tuần", "location": "Hội trường UBND xã"}]}]})

    kind: Literal["schedule"]
    week: str = Field(description="ISO week, e.g. 2025-W48; checked with the other schedule rules")
    published_at: PastTime


class PastDocument(DocumentInput):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        **DocumentInput.model_config["json_schema_extra"]["examples"][0], "kind": "document",
        "published_at": "2026-04-07T08:00:00+07:00"}]})

    kind: Literal["document"]
    published_at: PastTime

    @field_validator("published_at")
    @classmethod
    def _published_once_issued(cls, value: datetime, info: ValidationInfo) -> datetime:
        # Fields are checked in order: issued_on is in info.data when it was valid itself.
        issued_on = info.data.get("issued_on")
        if issued_on is not None and local(value).date() < issued_on:
            raise ValueError("cannot be before issued_on: a document is published after it is issued")
        return value


class PastQuestion(AskedQuestion):
    """Answered and published, or (without the three answer fields) still waiting."""
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "kind": "question", "asker_name": "Lê Văn Dũng", "title": "Lịch tiêm chủng tháng 12",
        "question": "Xin hỏi trạm y tế xã tiêm chủng mở rộng vào ngày nào trong tháng 12?",
        "asked_at": "2024-11-28T08:00:00+07:00", "answer_html": "<p>Trạm y tế tiêm vào ngày 5 và 6 hằng tháng.</p>",
        "answered_by": "Trạm y tế xã Phú Mậu", "answered_at": "2024-11-29T10:00:00+07:00"}]})

    kind: Literal["question"]
    asked_at: PastTime
    answer_html: AnswerHtml | None = None
    answered_by: AnsweredBy | None = None
    # Checked last, and even when left out: it sees whether the rest of the answer was given.
    answered_at: PastTime | None = Field(default=None, validate_default=True)

    @field_validator("answered_at")
    @classmethod
    def _whole_answer(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        if {"answer_html", "answered_by"} <= info.data.keys():  # both valid themselves
            given = {info.data["answer_html"] is not None, info.data["answered_by"] is not None, value is not None}
            if len(given) == 2:
                raise ValueError("answer_html, answered_by and answered_at go together: all three, or none")
        asked_at = info.data.get("asked_at")
        if value is not None and asked_at is not None and value < asked_at:
            raise ValueError("cannot be before asked_at")
        return value

    @property
    def answered(self) -> bool:
        return self.answer_html is not None


class PastPage(PageInput):
    """A static page as last reviewed on the old site."""
    model_config = ConfigDict(json_schema_extra={"examples": [{
        **PageInput.model_config["json_schema_extra"]["examples"][0], "kind": "page",
        "updated_at": "2024-10-01T09:00:00+07:00"}]})

    kind: Literal["page"]
    updated_at: PastTime


KINDS: dict[str, type[Input]] = {model.model_fields["kind"].annotation.__args__[0]: model
                                 for model in (PastArticle, PastSchedule, PastDocument, PastQuestion, PastPage)}


PastItem = Annotated[PastArticle | PastSchedule | PastDocument | PastQuestion | PastPage, Field(discriminator="kind")]


class HistoryImport(Input):
    """An old site's archive, or a batch of it, as the API takes it: each item is checked by its
    kind's model (parse_import), so that a bad one is named items.<index>.<field>."""
    model_config = ConfigDict(json_schema_extra={"examples": [{"items": [
        {"kind": "article", "slug": "hoi-nghi-tong-ket-nam-2024", "title": "Hội nghị tổng kết năm 2024",
         "body_html": "<p>Sáng 20/12, UBND xã Phú Mậu tổ chức hội nghị tổng kết công tác năm 2024.</p>",
         "published_at": "2024-12-20T09:30:00+07:00"},
        {"kind": "question", "asker_name": "Lê Văn Dũng", "title": "Lịch tiêm chủng tháng 12",
         "question": "Xin hỏi trạm y tế xã tiêm chủng mở rộng vào ngày nào trong tháng 12?",
         "asked_at": "2024-11-28T08:00:00+07:00", "answer_html": "<p>Trạm y tế tiêm vào ngày 5 và 6 hằng tháng.</p>",
         "answered_by": "Trạm y tế xã Phú Mậu", "answered_at": "2024-11-29T10:00:00+07:00"},
    ]}]})
    items: list[PastItem] = Field(max_length=MAX_ITEMS)


def parse_import(data) -> list[Input]:
    """The items of a HistoryImport body, or InvalidInput naming each bad field."""
    if not isinstance(data, dict):
        raise InvalidInput("Expected a JSON object", {"body": "must be an object"})
    unknown = sorted(set(data) - set(HistoryImport.model_fields))
    if unknown:
        raise InvalidInput(f"Unknown fields: {', '.join(unknown)}", {name: "no such field" for name in unknown})
    return parse_items(data.get("items"))


def parse_items(items) -> list[Input]:
    """Every item checked, or InvalidInput naming each bad field as items.<index>.<field>."""
    if not isinstance(items, list) or len(items) > MAX_ITEMS:
        raise InvalidInput(f"items must be a list of at most {MAX_ITEMS}", {"items": f"a list of at most {MAX_ITEMS}"})
    parsed, problems = [], {}
    for index, item in enumerate(items):
        kind = item.get("kind") if isinstance(item, dict) else None
        if kind not in KINDS:
            problems[f"items.{index}.kind"] = f"one of {', '.join(KINDS)}"
            continue
        try:
            parsed.append(validate(KINDS[kind], item))
        except InvalidInput as error:
            problems.update(item_error(index, error).fields)
    if problems:
        raise InvalidInput(f"Invalid items: {', '.join(problems)}", problems)
    return parsed


def item_error(index: int, error: InvalidInput) -> InvalidInput:
    """`error` about one item, its fields named within the call's items."""
    fields = {f"items.{index}.{field}": problem for field, problem in (error.fields or {"item": error.message}).items()}
    return InvalidInput(f"Item {index}: {error.message}", fields)


class HistoryImported(Output):
    imported: int = Field(description="items new to the unit, now stored")
    skipped: int = Field(description="items the unit had already (from an earlier import)")


API_INPUTS = (HistoryImport,)
API_OUTPUTS = (HistoryImported,)
