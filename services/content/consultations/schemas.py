"""What staff and citizens send about drafts put out for comment, checked at the boundary.

A citizen's comment is plain text, never markup, as a question is; the summary staff write is
HTML, sanitised as an answer is.
"""
from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated, Literal

from pydantic import BeforeValidator, ConfigDict, Field, field_validator

from services.common.schemas import Output
from services.common.vietnam_time import today
from services.content.history.schemas import PastTime
from services.content.revisions import Revision, RevisionDiff
from services.content.text import one_line, paragraphs
from services.content.validation import MAX_FETCH, Day, Input, Page, Version, limit_field

STATES = ("draft", "open", "closed")
COMMENT_STATES = ("pending", "published", "rejected")
MAX_COMMENT = 5000  # characters of a comment's text
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9][0-9 ().-]{7,19}$")

OneLine = BeforeValidator(one_line)


def _blank_is_none(value):
    return None if isinstance(value, str) and not value.strip() else value


def _closing_example(fields: dict):
    """An example whose closing day is always a month ahead, as a draft's must be when it is sent."""
    def add(schema: dict) -> None:
        schema["examples"] = [{**fields, "closes_on": (today() + timedelta(days=30)).isoformat()}]
    return add


_DRAFT_EXAMPLE = {"title": "Dự thảo Quy chế quản lý chợ xã Phú Mậu",
                  "description": "UBND xã lấy ý kiến Nhân dân về dự thảo Quy chế quản lý, khai thác chợ xã.",
                  "field": "Thương mại", "file": None}


class ConsultationInput(Input):
    """A draft's fields. Its file is uploaded first (POST /api/units/{unit}/media, a PDF, DOC(X),
    ODT …) and named here by the media id that upload answers with."""
    model_config = ConfigDict(json_schema_extra=_closing_example(_DRAFT_EXAMPLE))

    title: Annotated[str, OneLine] = Field(min_length=5, max_length=250)
    description: Annotated[str, BeforeValidator(paragraphs)] = Field(min_length=10, max_length=5000,
                                                                     description="trích yếu, what the draft is about")
    closes_on: Day = Field(description="the last day comments are taken (YYYY-MM-DD, Vietnam's calendar)")
    field: Annotated[str, OneLine] = Field(default="", max_length=100, description="lĩnh vực")
    file: Annotated[str | None, BeforeValidator(_blank_is_none)] = Field(
        default=None, max_length=64, description="media id of the uploaded draft")


class ConsultationChange(ConsultationInput):
    """A draft's fields as they are to stand, and the version the change is based on."""
    model_config = ConfigDict(json_schema_extra=_closing_example({
        **_DRAFT_EXAMPLE, "title": "Dự thảo Quy chế quản lý chợ xã Phú Mậu (lần 2)", "version": 2}))
    version: Version


class ConsultationStep(Input):
    """Opening a draft for comment, or moderating a comment: the version the step is based on."""
    model_config = ConfigDict(json_schema_extra={"examples": [{"version": 1}]})
    version: Version | None = None


class Summary(ConsultationStep):
    """The comments received and the unit's response to them, published after closing."""
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "summary_html": "<p>UBND xã nhận được 12 ý kiến; tiếp thu ý kiến về giờ mở cửa chợ.</p>", "version": 3}]})
    summary_html: str = Field(min_length=1, max_length=100_000)


class CommentInput(Input):
    """A citizen's comment on an open draft; `contact` (email or phone) stays with the unit's staff."""
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "name": "Trần Thị Bình", "contact": "0905 123 456",
        "body": "Đề nghị chợ mở cửa từ 5 giờ sáng để bà con kịp bán rau."}]})

    name: Annotated[str, OneLine] = Field(min_length=2, max_length=100)
    contact: Annotated[str, OneLine] = Field(min_length=5, max_length=254, description="email or phone, never shown")
    body: Annotated[str, BeforeValidator(paragraphs)] = Field(min_length=5, max_length=MAX_COMMENT)

    @field_validator("contact")
    @classmethod
    def _contact(cls, value: str) -> str:
        if EMAIL.match(value):
            return value.lower()
        if PHONE.match(value):
            return value
        raise ValueError("must be an email address or a phone number")


class PastComment(Input):
    """A comment the unit received and published before the platform held its drafts."""
    name: Annotated[str, OneLine] = Field(min_length=2, max_length=100)
    body: Annotated[str, BeforeValidator(paragraphs)] = Field(min_length=5, max_length=MAX_COMMENT)
    sent_at: PastTime


class PastConsultation(Input):
    """A draft the unit put out for comment before, as it happened: opened, closed, summed up."""
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "title": "Dự thảo Kế hoạch phát triển du lịch cộng đồng xã Phú Mậu",
        "description": "UBND xã đã lấy ý kiến Nhân dân về các điểm du lịch cộng đồng.", "field": "Du lịch",
        "opened_at": "2026-03-02T08:00:00+07:00", "closes_on": "2026-04-01",
        "summary_html": "<p>UBND xã nhận được 2 ý kiến và đã tiếp thu, chỉnh sửa dự thảo.</p>",
        "comments": [{"name": "Trần Thị Bình", "body": "Đề nghị hỗ trợ hộ dân làm dịch vụ lưu trú.",
                      "sent_at": "2026-03-05T09:00:00+07:00"}]}]})
    title: Annotated[str, OneLine] = Field(min_length=5, max_length=250)
    description: Annotated[str, BeforeValidator(paragraphs)] = Field(min_length=10, max_length=5000)
    field: Annotated[str, OneLine] = Field(default="", max_length=100)
    opened_at: PastTime
    closes_on: Day
    summary_html: str = Field(default="", max_length=100_000)
    comments: list[PastComment] = Field(default_factory=list, max_length=200)


class StaffListing(Page):
    status: Annotated[Literal["draft", "open", "closed"] | None, BeforeValidator(_blank_is_none)] = None
    limit: int = limit_field(50, MAX_FETCH)


class CommentListing(Page):
    status: Annotated[Literal[COMMENT_STATES] | None, BeforeValidator(_blank_is_none)] = None
    limit: int = limit_field(50, MAX_FETCH)


# What the RPCs answer with

class ConsultationFile(Output):
    media_id: str
    filename: str
    content_type: str
    size: int = Field(description="bytes")
    path: str = Field(description="its address, /tep/{media_id}")


class PublicConsultation(Output):
    """A draft out for comment as anyone reads it."""
    id: str
    unit: str
    title: str
    description: str
    field: str
    file: ConsultationFile | None
    status: Literal["open", "closed"]
    opens_at: str | None
    closes_on: str = Field(description="YYYY-MM-DD, the last day comments are taken")
    days_left: int = Field(description="days from today to the closing day; 0 on it, negative once closed")
    comments: int = Field(description="published comments")
    summary_html: str
    summary_published_at: str | None
    path: str
    version: int


class StaffConsultation(PublicConsultation):
    status: Literal[STATES]
    created_at: str
    updated_at: str
    pending_comments: int


class PublicComment(Output):
    id: str
    name: str
    body: str
    created_at: str


class StaffComment(PublicComment):
    consultation: str
    contact: str
    status: Literal[COMMENT_STATES]
    moderated_by: str | None
    version: int


class ImportReceipt(Output):
    """A past draft imported (`imported` true), or the unit's own of that title already there."""
    id: str
    imported: bool


class CommentReceipt(Output):
    id: str
    status: Literal[COMMENT_STATES]


API_INPUTS = (ConsultationInput, ConsultationChange, ConsultationStep, Summary, CommentInput, PastConsultation)
API_OUTPUTS = (PublicConsultation, StaffConsultation, PublicComment, StaffComment, CommentReceipt, ImportReceipt,
               Revision, RevisionDiff)
