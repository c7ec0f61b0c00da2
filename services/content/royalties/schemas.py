from datetime import date

from pydantic import Field, field_validator

from services.common.limits import CALENDAR, in_calendar
from services.content.validation import Input


class ReportMonth(Input):
    month: str = Field(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$", description="YYYY-MM, in Vietnam's calendar")

    @field_validator("month")
    @classmethod
    def _in_calendar(cls, value: str) -> str:
        if not in_calendar(date.fromisoformat(f"{value}-01")):
            raise ValueError(f"must be a month {CALENDAR}")
        return value
