from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from services.common.schemas import Output
from services.content.revisions import Revision, RevisionDiff, Rollback
from services.content.validation import MAX_FETCH, SLUG_PATTERN, Input, Page, Version

# The introduction Decree 42/2022/NĐ-CP requires of every site, in menu order. A unit may
# add pages of its own under any other slug.
STANDARD_PAGES = ("gioi-thieu", "chuc-nang-nhiem-vu", "co-cau-to-chuc", "lanh-dao", "lien-he")
OWN_PAGES_ORDER = 100  # a unit's own pages come after the standard ones unless it says otherwise


def default_order(key: str) -> int:
    return (STANDARD_PAGES.index(key) + 1) * 10 if key in STANDARD_PAGES else OWN_PAGES_ORDER


Language = Literal["vi", "en"]

_CONTACT = {"title": "Liên hệ", "body_html": "<p>UBND xã Phú Mậu, thôn Lại Thế, xã Phú Mậu, thành phố Huế. "
                                             "Điện thoại: 0234 3822 000.</p>"}


class PageLanguage(Input):
    lang: Language = "vi"


class PageListing(PageLanguage, Page):
    """A unit's pages in one language, in menu order: all of them unless a page is asked for."""
    limit: int | None = Field(default=None, ge=1, le=MAX_FETCH)


class PageRef(PageLanguage):
    key: str = Field(pattern=SLUG_PATTERN, max_length=80)


class PageContent(Input):
    model_config = ConfigDict(json_schema_extra={"examples": [{**_CONTACT, "order": 50}]})

    title: str = Field(min_length=2, max_length=200)
    body_html: str = Field(min_length=1, max_length=500_000)
    order: int | None = Field(default=None, ge=0, le=1000, description="menu position; see default_order")


class PageInput(PageRef, PageContent):
    """A new page: where it lives (its key and language) and what it says. Creating a withdrawn
    page again brings it back as its next version."""
    model_config = ConfigDict(json_schema_extra={"examples": [{"key": "lien-he", "lang": "vi", **_CONTACT}]})


class PageChange(PageContent):
    """A page's content as it is to stand, and the version the change is based on; an order left
    out stays as it was."""
    model_config = ConfigDict(json_schema_extra={"examples": [{**_CONTACT, "title": "Thông tin liên hệ",
                                                               "version": 1}]})

    version: Version = Field(description="the version the change is based on (409 if it is not the current one)")


class PageWithdrawal(Input):
    """Withdrawing a page, based on the version given (if the caller holds one)."""
    model_config = ConfigDict(json_schema_extra={"examples": [{"version": 2}]})

    version: Version | None = None


# What the RPCs answer with

class StaticPage(Output):
    unit: str
    key: str
    lang: Language
    title: str
    body_html: str
    order: int
    status: Literal["published", "withdrawn"]
    version: int
    created_at: str
    updated_at: str


class PublishedStaticPage(StaticPage):
    """A live page, with the languages it exists in."""
    languages: list[Language]


class StaticPageSummary(Output):
    """A page in a unit's menu."""
    key: str
    title: str
    order: int
    languages: list[Language] = Field(description="the languages the page exists in")


API_INPUTS = (PageInput, PageChange, PageWithdrawal, Rollback)
API_OUTPUTS = (StaticPage, PublishedStaticPage, StaticPageSummary, Revision, RevisionDiff)
