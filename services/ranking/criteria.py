"""The scoring criteria, read from `criteria.toml` (data, versioned) and checked at start-up.

A file with an error stops the service with a message naming the line: TOML's own errors
carry it, and a value that breaks the schema below is traced back to the line that sets it.
"""
from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

DEFAULT_FILE = Path(__file__).parent / "criteria.toml"
MEASURES = ("news", "regularity", "longest_gap", "schedule", "documents", "questions", "required_pages",
            "coverage", "visits", "quality")


class CriteriaError(Exception):
    """The criteria file cannot be used; the message names the file and line."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Rules(_Strict):
    counted_after_hours: float = Field(ge=0)
    real_body_words: int = Field(ge=0)
    burst_last_days: int = Field(ge=1, le=28)
    burst_share: float = Field(gt=0, le=1)
    burst_minimum: int = Field(ge=1)
    gap_good_days: int = Field(ge=0)
    gap_bad_days: int = Field(ge=1)
    answer_within_days: int = Field(ge=1)
    page_review_days: int = Field(ge=1)

    @model_validator(mode="after")
    def _gap_bounds(self):
        if self.gap_bad_days <= self.gap_good_days:
            raise ValueError("gap_bad_days must be more than gap_good_days")
        return self


class LevelTargets(_Strict):
    news_per_month: int = Field(ge=1)
    documents_per_month: int = Field(ge=1)
    stale_after_days: int = Field(ge=1)


class Criterion(_Strict):
    key: str = Field(pattern=r"^[a-z_]+$")
    measure: Literal[MEASURES]
    title: str = Field(min_length=1)
    maximum: float = Field(gt=0)
    description: str = ""


class RequiredPage(_Strict):
    key: str
    lang: Literal["vi", "en"]
    name: str


class Criteria(_Strict):
    version: str = Field(min_length=1)
    title: str
    based_on: list[str] = Field(default_factory=list)
    rules: Rules
    required_pages: list[RequiredPage]
    levels: dict[str, LevelTargets]
    criterion: list[Criterion] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self):
        if "default" not in self.levels:
            raise ValueError("levels.default is required (it serves levels not named)")
        keys = [criterion.key for criterion in self.criterion]
        if len(set(keys)) != len(keys):
            raise ValueError("criterion keys must be unique")
        return self

    @property
    def maximum(self) -> float:
        return sum(criterion.maximum for criterion in self.criterion)

    def targets(self, level: str) -> LevelTargets:
        return self.levels.get(level) or self.levels["default"]

    def summary(self) -> dict:
        return {"version": self.version, "title": self.title, "based_on": self.based_on, "maximum": self.maximum,
                "rules": self.rules.model_dump(),
                "required_pages": [page.model_dump() for page in self.required_pages],
                "criteria": [{"key": c.key, "title": c.title, "maximum": c.maximum, "description": c.description}
                             for c in self.criterion],
                "levels": {slug: targets.model_dump() for slug, targets in self.levels.items()}}


def load(path: Path = DEFAULT_FILE) -> Criteria:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise CriteriaError(f"{path}: cannot be read ({error.strerror})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CriteriaError(f"{path}: {error}") from None  # "… (at line N, column M)"
    # required_pages are written as [key, lang, name] triples
    if isinstance(data.get("required_pages"), list):
        data["required_pages"] = [dict(zip(("key", "lang", "name"), page)) if isinstance(page, list) else page
                                  for page in data["required_pages"]]
    try:
        return Criteria.model_validate(data)
    except ValidationError as error:
        problem = error.errors()[0]
        location = tuple(problem["loc"])
        line = _line_of(text, location)
        where = f"line {line}" if line else "the file"
        raise CriteriaError(f"{path}, {where}: {'.'.join(map(str, location)) or 'file'}: {problem['msg']}") \
            from None


def _line_of(text: str, location: tuple) -> int | None:
    """The line that sets the value at `location` (e.g. ("criterion", 2, "maximum")), or that
    opens its table; None if it cannot be told."""
    lines = text.splitlines()
    start, end = 0, len(lines)
    path = list(location)
    table: list[str] = []
    while path and isinstance(path[0], str):
        if len(path) > 1 and isinstance(path[1], int):  # an array of tables: [[name]] number i
            name, index = path[0], path[1]
            headers = [number for number, line in enumerate(lines)
                       if re.match(rf"^\s*\[\[\s*{re.escape('.'.join(table + [name]))}\s*\]\]", line)]
            if index >= len(headers):
                return _assignment(lines, 0, len(lines), name)
            start = headers[index]
            end = next((number for number in range(start + 1, len(lines)) if re.match(r"^\s*\[", lines[number])),
                       len(lines))
            table, path = [], path[2:]
            if not path:
                return start + 1
            continue
        header = next((number for number, line in enumerate(lines)
                       if re.match(rf"^\s*\[\s*{re.escape('.'.join(table + [path[0]]))}\s*\]", line)), None)
        if header is not None:
            start = header
            end = next((number for number in range(start + 1, len(lines)) if re.match(r"^\s*\[", lines[number])),
                       len(lines))
            table, path = [], path[1:]
            if not path:
                return start + 1
            continue
        found = _assignment(lines, start, end, path[0])
        if found is not None:
            return found
        table.append(path.pop(0))
    return start + 1 if start else None


def _assignment(lines: list[str], start: int, end: int, key: str) -> int | None:
    for number in range(start, end):
        if re.match(rf"^\s*{re.escape(key)}\s*=", lines[number]):
            return number + 1
    return None
