"""Articles and categories as their RPCs take and answer them; the API documents these models
(see services/content/contract.py), so what it shows is what is validated."""
from __future__ import annotations

from enum import Enum
from typing import Annotated, Literal

from pydantic import AwareDatetime, BeforeValidator, ConfigDict, Field

from services.common.schemas import Output
from services.content.articles.workflow import STATES
from services.content.revisions import Revision, RevisionDiff, Rollback
from services.content.validation import SLUG_PATTERN, Day, InCalendar, Input, IsoMoment, Page, Version


def _flag(value):
    """A filter's yes or no as a query string spells it: true or false, nothing else."""
    if isinstance(value, str) and value in ("true", "false"):
        return value == "true"
    if isinstance(value, bool):
        return value
    raise ValueError("must be true or false")


Flag = Annotated[bool, BeforeValidator(_flag)]

# An article's states in the workflow (workflow.py), named once for the models and the API's filters.
ArticleStatus = Enum("ArticleStatus", {state: state for state in STATES}, type=str)

_ARTICLE_EXAMPLE = {
    "title": "Xã Phú Mậu ra quân làm sạch môi trường bờ sông Hương",
    "summary": "Hơn 300 đoàn viên, hội viên tham gia dọn rác, trồng cây dọc tuyến đê.",
    "body_html": "<p>Sáng 6/12, UBND xã Phú Mậu tổ chức lễ ra quân làm sạch môi trường.</p>",
    "tags": ["môi trường", "nông thôn mới"],
    "featured": False,
}


class CoverImage(Input):
    media_id: str = Field(min_length=1, max_length=64)
    # Circular 32/2017 and WCAG: every image needs a text alternative.
    alt: str = Field(min_length=3, max_length=300)
    caption: str = Field(default="", max_length=500)


class ArticleInput(Input):
    """A new article's fields (a draft); a change names every field again, with its `version`."""
    model_config = ConfigDict(json_schema_extra={"examples": [_ARTICLE_EXAMPLE]})

    title: str = Field(min_length=3, max_length=300)
    summary: str = Field(default="", max_length=2000)
    body_html: str = Field(min_length=1, max_length=500_000)
    slug: str | None = Field(default=None, pattern=SLUG_PATTERN, max_length=120)
    category: str | None = Field(default=None, pattern=SLUG_PATTERN, max_length=80)
    tags: list[str] = Field(default_factory=list, max_length=20)
    featured: bool = False
    cover: CoverImage | None = None
    author: str | None = Field(default=None, min_length=1, max_length=80, description="username; the caller if absent")


class ArticleChange(ArticleInput):
    """An article's fields as they are to stand, and the version the change is based on."""
    model_config = ConfigDict(json_schema_extra={"examples": [
        {**_ARTICLE_EXAMPLE, "title": "Xã Phú Mậu ra quân làm sạch môi trường bờ sông Hương năm 2026",
         "version": 1}]})

    version: Version


class StepVersion(Input):
    """A workflow step that takes nothing but, optionally, the version it is based on."""
    model_config = ConfigDict(json_schema_extra={"examples": [{"version": 1}]})

    version: Version | None = None


class PublishOptions(StepVersion):
    model_config = ConfigDict(json_schema_extra={"examples": [{"version": 3, "at": "2026-12-08T07:00:00+07:00"}]})

    at: Annotated[AwareDatetime, IsoMoment, InCalendar] | None = Field(
        default=None, description="publish (or unpublish) later, at this time")


class StepComment(StepVersion):
    """Rejecting or force-publishing says why."""
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"version": 2, "comment": "Cần bổ sung số liệu về số người tham gia."}]})

    comment: str = Field(min_length=3, max_length=2000)


class RoyaltyPoints(Input):
    model_config = ConfigDict(json_schema_extra={"examples": [{"points": 2.5}]})

    points: float = Field(ge=0, le=1000)


class CategoryContent(Input):
    """A category's names and place in the menu."""
    name: str = Field(min_length=2, max_length=120)
    name_en: str = Field(default="", max_length=120)
    order: int = Field(default=0, ge=0, le=1000)


class CategoryInput(CategoryContent):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"slug": "tin-dia-phuong", "name": "Tin địa phương", "name_en": "Local news", "order": 1}]})

    slug: str = Field(pattern=SLUG_PATTERN, max_length=80)


class CategoryChange(CategoryContent):
    """A category's name and place in the menu; its slug is its address and stays."""
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"name": "Tin tức địa phương", "name_en": "Local news", "order": 2, "version": 1}]})

    version: Version


class ArchiveDay(Input):
    """A day whose published articles are asked for ("Xem tin theo ngày")."""
    day: Day


class PublishedListing(Page):
    """A page of published articles, newest (or oldest) first, filtered."""
    sort: Literal["-published_at", "published_at"] = "-published_at"
    category: str | None = Field(default=None, pattern=SLUG_PATTERN, max_length=80)
    tag: str | None = Field(default=None, min_length=1, max_length=50)
    featured: Flag | None = None
    day: Day | None = Field(default=None, description="published on this day, in Vietnam's time")


class EditorialListing(Page):
    """A page of a unit's articles in any state, as its editorial board sees them."""
    sort: Literal["-updated_at", "updated_at"] = "-updated_at"
    status: ArticleStatus | None = None


# What the RPCs answer with

class ArticleCover(Output):
    media_id: str
    alt: str
    caption: str


class Article(Output):
    id: str
    unit: str
    slug: str
    title: str
    summary: str
    body_html: str
    category: str | None
    tags: list[str]
    featured: bool
    cover: ArticleCover | None
    author: str = Field(description="the author's username")
    author_name: str
    status: ArticleStatus
    version: int
    path: str = Field(description="the article's address on the unit's site")
    created_at: str
    updated_at: str
    published_at: str | None = Field(description="when it first went out")
    publish_at: str | None = Field(description="when it is to be published, if scheduled")
    unpublish_at: str | None = Field(description="when it is to be withdrawn, if scheduled")
    review_comment: str = Field(description="why it was last sent back, if it was")


class ArticlePoints(Article):
    royalty_points: float


class Category(Output):
    unit: str
    slug: str
    name: str
    name_en: str
    order: int
    version: int


API_INPUTS = (ArticleInput, ArticleChange, StepVersion, PublishOptions, StepComment, Rollback, RoyaltyPoints,
              CategoryInput, CategoryChange)
API_OUTPUTS = (Article, ArticlePoints, Category, Revision, RevisionDiff)
