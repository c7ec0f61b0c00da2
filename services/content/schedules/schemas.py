"""Leadership schedules as their RPCs take and answer them; the API documents these models (see
services/content/contract.py), so what it shows is what is validated."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import ConfigDict, Field

from services.common.schemas import Output
from services.content.revisions import Revision, RevisionDiff, Rollback
from services.content.validation import InCalendar, Input, IsoMoment, Page, Version, limit_field

ENTRY_ID_PATTERN = r"^[0-9a-f]{32}$"
WEEK_PATTERN = r"^[0-9]{4}-W[0-9]{2}$"
MAX_WEEKS = 104  # two years of weeks at once

_ENTRIES_EXAMPLE = [
    {"start": "2026-11-23T07:30:00+07:00", "end": "2026-11-23T09:00:00+07:00",
     "leader": "Chủ tịch UBND xã Nguyễn Văn An", "title": "Chào cờ đầu tuần, giao ban lãnh đạo UBND xã",
     "location": "Hội trường UBND xã",
     "participants": "Lãnh đạo HĐND, UBND xã; trưởng các ban ngành", "preparer": "Văn phòng HĐND và UBND xã"},
    {"start": "2026-11-25T14:00:00+07:00", "leader": "Phó Chủ tịch UBND xã Trần Thị Bình",
     "title": "Kiểm tra tiến độ xây dựng nông thôn mới", "location": "Thôn Lương Viện",
     "participants": "Công chức Địa chính - Xây dựng"},
]


class EntryInput(Input):
    # Kept from the entry being edited, so its calendar UID survives re-publishing; absent for a new entry.
    id: str | None = Field(default=None, pattern=ENTRY_ID_PATTERN,
                           description="the entry's id when it is kept; left out for a new entry")
    # Without an offset, a time is Vietnam's local time (Asia/Ho_Chi_Minh).
    start: Annotated[datetime, IsoMoment, InCalendar] = Field(
        description="within the week; without an offset, Vietnam's time")
    end: Annotated[datetime, IsoMoment, InCalendar] | None = None
    leader: str = Field(min_length=2, max_length=200, description="e.g. 'Chủ tịch UBND xã Nguyễn Văn A'")
    title: str = Field(min_length=3, max_length=1000)
    location: str = Field(default="", max_length=300)
    participants: str = Field(default="", max_length=2000)
    preparer: str = Field(default="", max_length=300, description="who prepares the content")


class ScheduleInput(Input):
    """A week's working copy: every entry, as it is to stand."""
    model_config = ConfigDict(json_schema_extra={"examples": [{"entries": _ENTRIES_EXAMPLE}]})

    entries: list[EntryInput] = Field(max_length=300)


class ScheduleChange(ScheduleInput):
    """The working copy as it is to stand, and the version it is based on; without a version the
    week's working copy is created (409 if it exists)."""
    model_config = ConfigDict(json_schema_extra={"examples": [{"entries": _ENTRIES_EXAMPLE, "version": 1}]})

    version: Version | None = Field(default=None, description="the working copy's version; leave out to create it")


class SchedulePublication(Input):
    """Publishing the working copy, based on the version given (if the caller holds one)."""
    model_config = ConfigDict(json_schema_extra={"examples": [{"version": 2}]})

    version: Version | None = None


class ScheduleCopy(Input):
    """Fill this week's working copy with another week's entries, moved by the weeks between."""
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"from_week": "2026-W47"}, {"from_week": "2026-W47", "replace": True, "version": 2}]})

    from_week: str | None = Field(default=None, pattern=WEEK_PATTERN,
                                  description="the week copied (its working copy); the week before if left out")
    replace: bool = Field(default=False, strict=True,
                          description="replace the entries this week's working copy already has")
    version: Version | None = Field(default=None, description="the working copy's version; required to replace")


class PublishedWeeks(Page):
    """A page of a unit's published weeks, newest first."""
    limit: int = limit_field(10, MAX_WEEKS)


# What the RPCs answer with

class ScheduleEntry(Output):
    """An entry as shown: times in Vietnam's local time (+07:00)."""
    id: str
    start: str
    end: str | None
    leader: str
    title: str
    location: str
    participants: str
    preparer: str


class _WeekFields(Output):
    unit: str
    week: str = Field(description="the ISO week, e.g. 2026-W48")
    starts_on: str = Field(description="its Monday, YYYY-MM-DD")
    ends_on: str = Field(description="its Sunday, YYYY-MM-DD")
    path: str = Field(description="the week's address on the unit's site")


class PublishedWeek(_WeekFields):
    """A week as the public sees it: the copy last published, or no entries at all."""
    id: str | None
    leaders: list[str] = Field(description="who leads something this week, in order of first appearance")
    entries: list[ScheduleEntry]
    version: int | None
    published_at: str | None
    updated_at: str | None


class ScheduleDraft(_WeekFields):
    """A week as its editors see it: the working copy, and how it stands against the public one."""
    id: str
    status: Literal["draft", "published"]
    version: int
    leaders: list[str]
    entries: list[ScheduleEntry]
    published_version: int | None
    unpublished_changes: bool
    created_at: str
    updated_at: str
    published_at: str | None


class ScheduleWeekSummary(_WeekFields):
    """A published week in the list of a unit's weeks."""
    id: str
    entries: int = Field(description="how many entries its publication has")
    version: int
    updated_at: str


API_INPUTS = (ScheduleChange, SchedulePublication, ScheduleCopy, Rollback)
API_OUTPUTS = (PublishedWeek, ScheduleDraft, ScheduleWeekSummary, Revision, RevisionDiff)
