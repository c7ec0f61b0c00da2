"""What citizens and staff send about questions, checked at the boundary.

A citizen's words are stored as plain text, never as markup: a question containing '<b>'
keeps those characters, and the portal escapes them when it shows the question.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, EmailStr, Field

from services.content.validation import Input

STATES = ("pending", "accepted", "rejected", "answered", "published")

_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def _printable(text: str) -> str:
    """NFC (keyboards send Vietnamese marks decomposed or not), without control characters."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return "".join(ch if ch in "\n\t" or not unicodedata.category(ch).startswith("C") else " " for ch in text)


def one_line(value):
    return " ".join(_printable(value).split()) if isinstance(value, str) else value


def paragraphs(value):
    """Lines kept, spaces inside each collapsed, at most one blank line between paragraphs."""
    if not isinstance(value, str):
        return value
    lines = (_SPACES.sub(" ", line).strip() for line in _printable(value).split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


OneLine = BeforeValidator(one_line)


class QuestionInput(Input):
    asker_name: Annotated[str, OneLine] = Field(min_length=2, max_length=100)
    # Kept for the unit to reply privately; never shown to the public nor put in events.
    asker_email: Annotated[EmailStr, AfterValidator(str.lower)] = Field(max_length=254)
    asker_phone: Annotated[str, OneLine] = Field(default="", max_length=20, pattern=r"^(\+?[0-9][0-9 ().-]{7,19})?$")
    title: Annotated[str, OneLine] = Field(min_length=5, max_length=250)
    question: Annotated[str, BeforeValidator(paragraphs)] = Field(min_length=10, max_length=5000)


class Moderation(Input):
    decision: Literal["accept", "reject"]
    reason: Annotated[str | None, BeforeValidator(paragraphs)] = Field(default=None, min_length=3, max_length=1000)


class Answer(Input):
    answer_html: str = Field(min_length=1, max_length=100_000)


class Page(Input):
    skip: int = Field(default=0, ge=0, le=100_000)
    limit: int = Field(default=20, ge=1, le=100)


class QueueFilter(Input):
    status: Literal[STATES] | None = None
    limit: int = Field(default=50, ge=1, le=100)
