from pydantic import Field

from services.content.validation import Input


class ReportMonth(Input):
    month: str = Field(pattern=r"^(19|20)\d{2}-(0[1-9]|1[0-2])$", description="YYYY-MM, in Vietnam's calendar")
