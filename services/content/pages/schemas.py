from __future__ import annotations

from typing import Literal

from pydantic import Field

from services.content.validation import SLUG_PATTERN, Input

# The introduction Decree 42/2022/NĐ-CP requires of every site, in menu order. A unit may
# add pages of its own under any other slug.
STANDARD_PAGES = ("gioi-thieu", "chuc-nang-nhiem-vu", "co-cau-to-chuc", "lanh-dao", "lien-he")
OWN_PAGES_ORDER = 100  # a unit's own pages come after the standard ones unless it says otherwise


def default_order(key: str) -> int:
    return (STANDARD_PAGES.index(key) + 1) * 10 if key in STANDARD_PAGES else OWN_PAGES_ORDER


class PageLanguage(Input):
    lang: Literal["vi", "en"] = "vi"


class PageRef(PageLanguage):
    key: str = Field(pattern=SLUG_PATTERN, max_length=80)


class PageContent(Input):
    title: str = Field(min_length=2, max_length=200)
    body_html: str = Field(min_length=1, max_length=500_000)
    order: int | None = Field(default=None, ge=0, le=1000, description="menu position; see default_order")


class PageInput(PageRef, PageContent):
    """A new page: where it lives and what it says."""
