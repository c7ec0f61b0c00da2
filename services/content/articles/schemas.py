from __future__ import annotations

from typing import Annotated

from pydantic import AwareDatetime, Field

from services.content.validation import SLUG_PATTERN, Day, InCalendar, Input, Version

Tag = Field(min_length=1, max_length=50)


class CoverImage(Input):
    media_id: str = Field(min_length=1, max_length=64)
    # Circular 32/2017 and WCAG: every image needs a text alternative.
    alt: str = Field(min_length=3, max_length=300)
    caption: str = Field(default="", max_length=500)


class ArticleInput(Input):
    title: str = Field(min_length=3, max_length=300)
    summary: str = Field(default="", max_length=2000)
    body_html: str = Field(min_length=1, max_length=500_000)
    slug: str | None = Field(default=None, pattern=SLUG_PATTERN, max_length=120)
    category: str | None = Field(default=None, pattern=SLUG_PATTERN, max_length=80)
    tags: list[str] = Field(default_factory=list, max_length=20)
    featured: bool = False
    cover: CoverImage | None = None
    author: str | None = Field(default=None, min_length=1, max_length=80, description="username; the caller if absent")


class CategoryInput(Input):
    slug: str = Field(pattern=SLUG_PATTERN, max_length=80)
    name: str = Field(min_length=2, max_length=120)
    name_en: str = Field(default="", max_length=120)
    order: int = Field(default=0, ge=0, le=1000)


class PublishOptions(Input):
    version: Version | None = None
    at: Annotated[AwareDatetime, InCalendar] | None = Field(
        default=None, description="publish (or unpublish) later, at this time")


class Comment(Input):
    version: Version | None = None
    comment: str = Field(min_length=3, max_length=2000)


class RoyaltyPoints(Input):
    points: float = Field(ge=0, le=1000)


class ArchiveDay(Input):
    """A day whose published articles are asked for ("Xem tin theo ngày")."""
    day: Day
