"""A month's royalties as the report RPCs take and answer them."""
from datetime import date

from pydantic import Field, field_validator

from services.common.limits import CALENDAR, in_calendar
from services.common.schemas import Output
from services.content.validation import Input


class ReportMonth(Input):
    month: str = Field(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$", description="YYYY-MM, in Vietnam's calendar")

    @field_validator("month")
    @classmethod
    def _in_calendar(cls, value: str) -> str:
        if not in_calendar(date.fromisoformat(f"{value}-01")):
            raise ValueError(f"must be a month {CALENDAR}")
        return value


# What the report answers with

class RoyaltyArticle(Output):
    id: str
    title: str
    published_at: str = Field(description="when it first went out")
    status: str = Field(description="its state now: it counts in its month whatever became of it")
    points: float | None = Field(description="the points the editorial board gave it; null if not yet scored")


class RoyaltyAuthor(Output):
    author: str = Field(description="the author's username")
    author_name: str = Field(description="the name on the author's latest article of the month")
    articles: list[RoyaltyArticle] = Field(description="oldest first")
    total_points: float
    unscored: int = Field(description="how many of the articles have no points yet")


class RoyaltyReport(Output):
    unit: str
    month: str
    authors: list[RoyaltyAuthor] = Field(description="in Vietnamese name order")
    total_points: float


API_OUTPUTS = (RoyaltyReport,)
