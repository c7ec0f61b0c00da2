"""What the ranking's RPCs take and answer with, as the API documents them (services/common/schemas.py)."""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from services.common.errors import InvalidInput
from services.common.schemas import Output

MAX_SKIP = 1_000_000
MAX_FETCH = 101  # a page of the API's lists and the one item more that tells a next page exists


class MonthRevision(BaseModel):
    """A recompute of a month that has ended: the operator's reason, kept with the revision."""
    model_config = ConfigDict(str_strip_whitespace=True, json_schema_extra={"examples": [
        {"reason": "Bổ sung tin bài bị sót do lỗi đồng bộ ngày 28/11"}]})
    reason: str = Field(min_length=1, max_length=500)


class Window(BaseModel):
    """Which part of a list: `skip` items, then at most `limit`."""
    model_config = ConfigDict(extra="forbid", strict=True)
    skip: int = Field(default=0, ge=0, le=MAX_SKIP)
    limit: int | None = Field(default=None, ge=1, le=MAX_FETCH)


def checked(model: type[BaseModel], **values) -> BaseModel:
    """`model` from `values`, or InvalidInput naming each offending field."""
    try:
        return model.model_validate(values)
    except ValidationError as error:
        fields = {".".join(map(str, issue["loc"])) or "body": issue["msg"] for issue in error.errors()}
        raise InvalidInput(f"Invalid {', '.join(sorted(fields))}", fields) from None


# Answers

class MonthSummary(Output):
    """A frozen month at one revision."""
    month: str
    revision: int
    frozen_at: str
    criteria_version: str
    reason: str


class FrozenMonth(MonthSummary):
    """A frozen month at its latest revision, and how many revisions it has."""
    revisions: int


class StandingFlag(Output):
    kind: str = Field(description="burst, new_unit, …")
    text: str


class CriterionHead(Output):
    key: str
    title: str
    maximum: float


class StandingRow(Output):
    """A unit's place in a month's table."""
    unit: str
    unit_name: str
    level: str
    score: float
    maximum: float
    rank: int
    rank_in_level: int
    units_in_level: int
    change: int | None = Field(description="places gained in its level since the month before, if ranked then")
    flags: list[StandingFlag]
    points: dict[str, float] = Field(description="criterion key → points")
    link: str


class LevelTable(Output):
    level: str
    units: list[StandingRow]


class Standings(Output):
    """A month's tables: provisional for the current month, else a frozen revision."""
    month: str
    provisional: bool
    revision: int | None
    revisions: list[MonthSummary]
    computed_at: str
    criteria_version: str
    maximum: float
    criteria: list[CriterionHead]
    levels: list[LevelTable]
    units: list[StandingRow] = Field(description="every unit, by overall rank")


class CriterionEvidence(Output):
    title: str
    path: str
    date: str


class CriterionScore(Output):
    key: str
    title: str
    maximum: float
    points: float
    ratio: float
    summary: str
    figures: dict[str, Any]
    evidence: list[CriterionEvidence]
    advice: str = Field(description="what would gain the unit points; empty at full marks")


class HistoryPoint(Output):
    month: str
    provisional: bool
    score: float
    maximum: float
    rank: int
    rank_in_level: int
    units_in_level: int


class UnitStanding(StandingRow):
    """A unit's score explained, criterion by criterion, with its last 12 months."""
    month: str
    provisional: bool
    revision: int | None
    criteria_version: str
    criteria: list[CriterionScore]
    history: list[HistoryPoint]


class RankedCriterion(Output):
    key: str
    title: str
    maximum: float
    description: str


class RankedPage(Output):
    """A page every unit's site must have."""
    key: str
    lang: str
    name: str


class CriteriaSummary(Output):
    """The criteria in force, the rules against gaming them and each level's targets."""
    version: str
    title: str
    based_on: list[str]
    maximum: float
    rules: dict[str, float]
    required_pages: list[RankedPage]
    criteria: list[RankedCriterion]
    levels: dict[str, dict[str, int]]


class RebuildStatus(Output):
    state: Literal["idle", "running", "done", "failed"]
    kinds: dict[str, int] = Field(description="kind → events applied")
    started_at: str | None
    finished_at: str | None
    error: str | None


class DayVisits(Output):
    day: str
    views: int
    visitors: int
    bot_views: int


class MonthVisits(Output):
    month: str
    views: int
    visitors_daily_sum: int = Field(description="the sum of its days' visitors: one person on two days is two")
    bot_views: int


API_INPUTS = (MonthRevision,)
API_OUTPUTS = (FrozenMonth, Standings, UnitStanding, CriteriaSummary, RebuildStatus, DayVisits, MonthVisits)
