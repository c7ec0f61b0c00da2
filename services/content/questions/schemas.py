"""What citizens and staff send about questions, checked at the boundary.

A citizen's words are stored as plain text, never as markup: a question containing '<b>'
keeps those characters, and the portal escapes them when it shows the question.
"""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, ConfigDict, EmailStr, Field

from services.common.schemas import Output
from services.content.revisions import Revision, RevisionDiff, Rollback
from services.content.text import one_line, paragraphs
from services.content.validation import MAX_FETCH, MAX_SKIP, Input, Version, limit_field

STATES = ("pending", "accepted", "rejected", "answered", "published")

OneLine = BeforeValidator(one_line)


class AskedQuestion(Input):
    """What the public sees of a question: who asked (by name) and what."""
    asker_name: Annotated[str, OneLine] = Field(min_length=2, max_length=100)
    title: Annotated[str, OneLine] = Field(min_length=5, max_length=250)
    question: Annotated[str, BeforeValidator(paragraphs)] = Field(min_length=10, max_length=5000)


class QuestionInput(AskedQuestion):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "asker_name": "Nguyễn Văn An", "asker_email": "nguyenvanan@gmail.com", "asker_phone": "0905 123 456",
        "title": "Thủ tục cấp lại giấy khai sinh",
        "question": "Tôi bị mất giấy khai sinh, xin hỏi cần mang theo giấy tờ gì để được cấp lại bản sao?"}]})
    # Kept for the unit to reply privately; never shown to the public nor put in events.
    asker_email: Annotated[EmailStr, AfterValidator(str.lower)] = Field(max_length=254)
    asker_phone: Annotated[str, OneLine] = Field(default="", max_length=20, pattern=r"^(\+?[0-9][0-9 ().-]{7,19})?$")


class QuestionStep(Input):
    """Accepting or publishing a question: the version the step is based on, if the caller holds one."""
    model_config = ConfigDict(json_schema_extra={"examples": [{"version": 2}]})
    version: Version | None = None


class Rejection(QuestionStep):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "reason": "Câu hỏi không thuộc thẩm quyền giải quyết của UBND xã; đề nghị ông/bà liên hệ Sở Tư pháp.",
        "version": 1}]})
    reason: Annotated[str, BeforeValidator(paragraphs)] = Field(min_length=3, max_length=1000)


AnswerHtml = Annotated[str, Field(min_length=1, max_length=100_000)]
# Who answered, as the public reads it (the answering staff member's name).
AnsweredBy = Annotated[str, OneLine, Field(min_length=2, max_length=200)]


class QuestionAnswer(QuestionStep):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "answer_html": "<p>Ông/bà mang theo căn cước công dân và tờ khai đến Bộ phận một cửa UBND xã; "
                       "bản sao được cấp trong ngày.</p>", "version": 2}]})
    answer_html: AnswerHtml


class AnswerRollback(Rollback):
    """Restore an earlier answer as the question's next version. The shared Rollback, with an
    example a question takes: it is asked (version 1) and accepted (2) before its first answer (3)."""
    model_config = ConfigDict(json_schema_extra={"examples": [{"to_version": 3, "version": 5}]})


class QueueFilter(Input):
    status: Literal[STATES] | None = None
    skip: int = Field(default=0, ge=0, le=MAX_SKIP)
    limit: int = limit_field(50, MAX_FETCH)


# What the API answers with

class PublicQuestion(Output):
    """A published question and its answer, as anyone reads it."""
    id: str
    reference: str = Field(description="the number the citizen quotes, e.g. HD-2026-000123")
    unit: str
    title: str
    question: str
    asker_name: str
    asked_at: str
    answer_html: str
    answered_by: str
    answered_at: str | None
    path: str
    version: int


class StaffQuestion(PublicQuestion):
    """A question as the unit's editorial board sees it, with the asker's contact details."""
    status: Literal[STATES]
    asker_email: str
    asker_phone: str
    answerer: str | None
    moderated_by: str | None
    rejection_reason: str
    created_at: str
    updated_at: str
    published_at: str | None


class QuestionReceipt(Output):
    """A question just asked: its id, the reference to quote, and its state (pending)."""
    id: str
    reference: str
    status: Literal[STATES]


API_INPUTS = (QuestionInput, QuestionStep, Rejection, QuestionAnswer, AnswerRollback)
API_OUTPUTS = (PublicQuestion, StaffQuestion, QuestionReceipt, Revision, RevisionDiff)


class WaitingQuery(Input):
    days: int = Field(ge=1, le=365, description="questions waiting longer than this many days")
