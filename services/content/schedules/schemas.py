from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field

from services.content.validation import InCalendar, Input

ENTRY_ID_PATTERN = r"^[0-9a-f]{32}$"


class EntryInput(Input):
    # Kept from the entry being edited, so its calendar UID survives re-publishing; absent for a new entry.
    id: str | None = Field(default=None, pattern=ENTRY_ID_PATTERN)
    # Without an offset, a time is Vietnam's local time (Asia/Ho_Chi_Minh).
    start: Annotated[datetime, InCalendar]
    end: Annotated[datetime, InCalendar] | None = None
    leader: str = Field(min_length=2, max_length=200, description="e.g. 'Chủ tịch UBND xã Nguyễn Văn A'")
    title: str = Field(min_length=3, max_length=1000)
    location: str = Field(default="", max_length=300)
    participants: str = Field(default="", max_length=2000)
    preparer: str = Field(default="", max_length=300, description="who prepares the content")


class ScheduleInput(Input):
    entries: list[EntryInput] = Field(max_length=300)
