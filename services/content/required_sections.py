"""The items every unit's site must carry, read from the `[[item]]` entries of
required_sections.toml (the disclosure sections themselves are services/content/disclosures.py's).

The file is checked when this module is imported: an unknown check kind, a key used twice, a
path that is not the unit's own or a disclosure target the file does not define stops the
service at start, with a message naming the item, rather than showing a wrong report later.
"""
from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

SOURCE_FILE = Path(__file__).with_name("required_sections.toml")
CHECKS = ("page", "page_en", "profile", "public_services", "articles", "schedule", "documents", "disclosure",
          "questions", "procedures", "consultations", "generated")
# Checks that look at one named thing, which `target` names.
TARGETED = ("page", "page_en", "profile", "disclosure")
PROFILE_FIELDS = ("contact.address", "contact.phone", "contact.email", "contact.responsible_official",
                  "managing_body", "information_contact")
# A path on the unit's own site: "/{unit}", then slug-shaped parts, then perhaps an anchor.
PATH_SHAPE = re.compile(r"/\{unit\}(/[a-z0-9]+(-[a-z0-9]+)*)*(#[a-z0-9-]+)?")
KEY_SHAPE = r"^[a-z0-9]+(-[a-z0-9]+)*$"


class RequiredSectionsError(ValueError):
    """The file cannot be used; the message names the file and the item."""


class Item(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = Field(pattern=KEY_SHAPE)
    title: str = Field(min_length=1)
    group: str = Field(min_length=1)
    levels: tuple[str, ...] = Field(min_length=1)
    source: str = Field(min_length=1)  # the legal text that requires it
    check: Literal[CHECKS]
    target: str | None = None
    path: str
    fresh_days: int = Field(ge=0)  # 0: never out of date

    @model_validator(mode="after")
    def _consistent(self):
        if not PATH_SHAPE.fullmatch(self.path):
            raise ValueError(f"path {self.path!r} is not a path on the unit's site (/{{unit}}/...)")
        if self.check in TARGETED and not self.target:
            raise ValueError(f"check {self.check!r} needs a target")
        if self.check == "profile" and self.target not in PROFILE_FIELDS:
            raise ValueError(f"profile target {self.target!r} is not one of {', '.join(PROFILE_FIELDS)}")
        return self

    def owed_by(self, level: str) -> bool:
        return level in self.levels

    def path_for(self, unit: str) -> str:
        return self.path.replace("{unit}", unit)

    def public(self, unit: str | None = None) -> dict:
        """What the gateway shows of the item; its path filled for `unit` when given."""
        return {"key": self.key, "title": self.title, "group": self.group, "source": self.source,
                "check": self.check, "levels": list(self.levels), "fresh_days": self.fresh_days,
                "path": self.path_for(unit) if unit else self.path}


class RequiredSections:
    def __init__(self, version: str, items: tuple[Item, ...]):
        self.version = version
        self.items = items

    def for_level(self, level: str) -> tuple[Item, ...]:
        """The items a unit of this level owes, in the file's order."""
        return tuple(item for item in self.items if item.owed_by(level))

    def get(self, key: str) -> Item | None:
        return next((item for item in self.items if item.key == key), None)


def load(path: Path = SOURCE_FILE) -> RequiredSections:
    try:
        with open(path, "rb") as file:
            data = tomllib.load(file)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise RequiredSectionsError(f"{path.name}: {error}") from None
    disclosures = {entry.get("key") for entry in data.get("disclosure", []) if isinstance(entry, dict)}
    items: list[Item] = []
    for position, entry in enumerate(data.get("item", []), start=1):
        name = f"item {position} ({entry.get('key', 'no key')!r})" if isinstance(entry, dict) else f"item {position}"
        try:
            item = Item.model_validate(entry)
        except ValidationError as error:
            problem = error.errors()[0]
            field = ".".join(map(str, problem["loc"])) or "item"
            raise RequiredSectionsError(f"{path.name}, {name}: {field}: {problem['msg']}") from None
        if any(known.key == item.key for known in items):
            raise RequiredSectionsError(f"{path.name}, {name}: key {item.key!r} appears twice")
        if item.check == "disclosure" and item.target not in disclosures:
            raise RequiredSectionsError(f"{path.name}, {name}: no [[disclosure]] has the key {item.target!r}")
        items.append(item)
    if not items:
        raise RequiredSectionsError(f"{path.name}: names no [[item]]")
    return RequiredSections(str(data.get("version", "")), tuple(items))


SECTIONS = load()


def for_level(level: str) -> tuple[Item, ...]:
    """The items a unit of this level owes, in the file's order."""
    return SECTIONS.for_level(level)
