"""What citizens and staff send about questions, checked at the boundary.

A citizen's words are stored as plain text, never as markup: a question containing '<b>'
keeps those characters, and the portal escapes them when it shows the question.
"""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, EmailStr, Field

from services.content.text import one_line, paragraphs
from services.content.validation import Input, limit_field

STATES = ("pending", "accepted", "rejected", "answered", "published")

OneLine = BeforeValidator(one_line)


class AskedQuestion(Input):
    """What the public sees of a question: who asked (by name) and what."""
    asker_name: Annotated[str, OneLine] = Field(min_length=2, max_length=100)
    title: Annotated[str, OneLine] = Field(min_length=5, max_length=250)
    question: Annotated[str, BeforeValidator(paragraphs)] = Field(min_length=10, max_length=5000)


class QuestionInput(AskedQuestion):
    # Kept for the unit to reply privately; never shown to the public nor put in events.
    asker_email: Annotated[EmailStr, AfterValidator(str.lower)] = Field(max_length=254)
    asker_phone: Annotated[str, OneLine] = Field(default="", max_length=20, pattern=r"^(\+?[0-9][0-9 ().-]{7,19})?$")


class Moderation(Input):
    decision: Literal["accept", "reject"]
    reason: Annotated[str | None, BeforeValidator(paragraphs)] = Field(default=None, min_length=3, max_length=1000)


AnswerHtml = Annotated[str, Field(min_length=1, max_length=100_000)]
# Who answered, as the public reads it (the answering staff member's name).
AnsweredBy = Annotated[str, OneLine, Field(min_length=2, max_length=200)]


class Answer(Input):
    answer_html: AnswerHtml


class QueueFilter(Input):
    status: Literal[STATES] | None = None
    limit: int = limit_field(50)
