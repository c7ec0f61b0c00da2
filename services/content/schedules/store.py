"""Leadership work schedules ("lịch công tác"): one document per unit per ISO week.

Editors keep the week's working copy of entries; the editor-in-chief publishes it, and the
public sees the copy last published until the next publication, which goes out as a new
schedule_published with a higher version. As with articles, every change is one new version
written in one transaction with its revision, its audit entry and (when published) its event;
a writer holding an older version gets Conflict with the current one.
"""
from __future__ import annotations

import uuid
from datetime import datetime

from pymongo import ASCENDING as ASC
from pymongo import DESCENDING as DESC
from pymongo.errors import DuplicateKeyError

from services.common import events
from services.common.errors import Conflict, InvalidInput, NotFound
from services.content.access import Actor
from services.content.database import REPLAY_INDEXES, aware, iso, local, now, to_utc
from services.content.history.schemas import PastSchedule
from services.content.schedules.ics import week_calendar
from services.content.schedules.schemas import ScheduleCopy, ScheduleInput
from services.content.schedules.weeks import Week, parse_week
from services.content.text import single_spaced
from services.content.versioning import New, Versioned

ENTRY_FIELDS = ("leader", "title", "location", "participants", "preparer")


def schedule_path(unit: str, week: str) -> str:
    return f"/{unit}/lich-cong-tac/{week}"


def public_entry(entry: dict) -> dict:
    """An entry as shown: times in Vietnam's local time."""
    return {"id": entry["id"], "start": iso(local(entry["start"])), "end": iso(local(entry["end"])),
            **{name: entry[name] for name in ENTRY_FIELDS}}


def _week_fields(unit: str, week: Week) -> dict:
    return {"unit": unit, "week": week.name, "starts_on": week.monday.isoformat(),
            "ends_on": week.sunday.isoformat(), "path": schedule_path(unit, week.name)}


def public_week(unit: str, week: Week, doc: dict | None, leader: str | None) -> dict:
    """The week as the public sees it: the copy last published, or no entries at all."""
    publication = doc["published"] if doc else None
    entries = publication["entries"] if publication else []
    return {
        **_week_fields(unit, week), "id": doc["_id"] if publication else None,
        "leaders": leaders(entries), "entries": [public_entry(e) for e in led_by(entries, leader)],
        "version": publication["version"] if publication else None,
        "published_at": iso(doc["published_at"]) if publication else None,
        "updated_at": iso(publication["at"]) if publication else None,
    }


def draft_view(doc: dict) -> dict:
    """The week as its editors see it: the working copy, and how it stands against the public one."""
    publication = doc["published"]
    return {
        **_week_fields(doc["unit"], parse_week(doc["week"])), "id": doc["_id"], "status": doc["status"],
        "version": doc["version"], "leaders": leaders(doc["entries"]),
        "entries": [public_entry(e) for e in doc["entries"]],
        "published_version": publication["version"] if publication else None,
        "unpublished_changes": publication is None or publication["entries"] != doc["entries"],
        "created_at": iso(doc["created_at"]), "updated_at": iso(doc["updated_at"]),
        "published_at": iso(doc["published_at"]),
    }


def week_summary(doc: dict) -> dict:
    publication = doc["published"]
    return {**_week_fields(doc["unit"], parse_week(doc["week"])), "id": doc["_id"],
            "entries": len(publication["entries"]), "version": publication["version"],
            "updated_at": iso(publication["at"])}


def leaders(entries: list[dict]) -> list[str]:
    """Who leads something this week, in order of first appearance (for the portal's filter)."""
    return list(dict.fromkeys(entry["leader"] for entry in entries))


def led_by(entries: list[dict], leader: str | None) -> list[dict]:
    if leader is None:
        return entries
    if not isinstance(leader, str):
        raise InvalidInput("leader must be text", {"leader": "must be text"})
    wanted = _leader_key(leader)
    return [entry for entry in entries if _leader_key(entry["leader"]) == wanted]


def _leader_key(name: str) -> str:
    # The same leader typed with another case, spacing or Unicode composition still matches.
    return single_spaced(name).casefold()


def checked_entries(data: ScheduleInput, week: Week, known_ids: set[str]) -> list[dict]:
    """The entries as stored (UTC, each with an id, in order of time), or InvalidInput naming each bad field."""
    problems: dict[str, str] = {}
    entries = []
    seen: set[str] = set()
    for index, entry in enumerate(data.entries):
        where = f"entries.{index}"
        start = to_utc(entry.start)
        end = to_utc(entry.end) if entry.end is not None else None
        if not week.holds(start):
            problems[f"{where}.start"] = f"must be within the week, {week.describe()}"
        if end is not None and end <= start:
            problems[f"{where}.end"] = "must be after the start"
        elif end is not None and end > week.end:
            problems[f"{where}.end"] = f"must be within the week, {week.describe()}"
        if entry.id is not None and entry.id not in known_ids:
            problems[f"{where}.id"] = "no such entry in this week; leave it out for a new entry"
        elif entry.id is not None and entry.id in seen:
            problems[f"{where}.id"] = "given to two entries"
        seen.add(entry.id)
        entries.append({"id": entry.id or uuid.uuid4().hex, "start": start, "end": end,
                        **{name: getattr(entry, name) for name in ENTRY_FIELDS}})
    if problems:
        raise InvalidInput(f"Invalid fields: {', '.join(sorted(problems))}", problems)
    return sorted(entries, key=lambda e: (e["start"], e["leader"]))


def editable_fields(doc: dict) -> dict:
    return {"entries": [{**entry, "start": iso(entry["start"]), "end": iso(entry["end"])}
                        for entry in doc["entries"]]}


def restored_entries(fields: dict) -> list[dict]:
    """The entries a revision kept (see editable_fields), as stored again, ids and all."""
    return [{**entry, "start": datetime.fromisoformat(entry["start"]),
             "end": datetime.fromisoformat(entry["end"]) if entry["end"] else None} for entry in fields["entries"]]


def moved_entries(entries: list[dict], source: Week, target: Week) -> list[dict]:
    """Another week's entries at the same weekday and time in `target`, each a new entry (a new id,
    so that calendars see new events)."""
    shift = target.monday - source.monday
    return [{**entry, "id": uuid.uuid4().hex, "start": entry["start"] + shift,
             "end": entry["end"] + shift if entry["end"] else None} for entry in entries]


def new_schedule(unit: str, week: Week, entries: list[dict], actor: Actor) -> dict:
    moment = now()
    return {"_id": uuid.uuid4().hex, "unit": unit, "week": week.name, "entries": entries, "status": "draft",
            "published": None, "published_at": None, "version": 1, "created_by": actor.username,
            "created_at": moment, "updated_at": moment}


class Schedules:
    INDEXES = {"schedules": [
        {"keys": [("unit", ASC), ("week", ASC)], "unique": True},  # one document per unit per week
        [("unit", ASC), ("status", ASC), ("week", DESC)],  # a unit's published weeks, newest first
        *REPLAY_INDEXES,
    ]}

    def __init__(self, content):
        self.content = content
        self.schedules = content.db["schedules"]
        self.versions = Versioned(content, "schedules", area="schedule", label="The schedule for {week}",
                                  revised=editable_fields, noted=lambda doc: {"week": doc["week"]})

    # Public reading: only what was published.

    def get_published(self, unit: str, week_name: str, leader: str | None = None) -> dict:
        week = parse_week(week_name)
        self.content.units.require(unit)
        return public_week(unit, week, self._published(unit, week), leader)

    def published_weeks(self, unit: str, limit: int, skip: int = 0) -> list[dict]:
        self.content.units.require(unit)
        cursor = (self.schedules.find({"unit": unit, "status": "published"}).sort("week", DESC)
                  .skip(skip).limit(limit))
        return [week_summary(doc) for doc in cursor]

    def units_without(self, week_name: str) -> list[str]:
        """The active units that have published no schedule for the week, by slug."""
        week = parse_week(week_name)
        published = set(self.schedules.distinct("unit", {"week": week.name, "status": "published"}))
        return [unit["_id"] for unit in self.content.db["units"].find({"status": "active"}, {"_id": 1}).sort("_id", 1)
                if unit["_id"] not in published]

    def ics(self, unit: str, week_name: str, leader: str | None = None) -> str:
        week = parse_week(week_name)
        unit_name = self.content.units.require(unit)["name"]
        doc = self._published(unit, week)
        publication = doc["published"] if doc else None
        name = f"Lịch công tác {unit_name}, tuần {week.name}" + (f", {leader}" if leader else "")
        return week_calendar(uid=schedule_path(unit, week.name), name=name, week=week,
                             schedule_id=doc["_id"] if doc else None,
                             entries=led_by(publication["entries"] if publication else [], leader),
                             stamp=publication["at"] if publication else None,
                             sequence=publication["version"] if publication else None)

    # The editorial board

    def get_draft(self, actor: Actor, unit: str, week_name: str) -> dict:
        actor.require("schedule.edit", unit)
        return draft_view(self._require(unit, week_name))

    def history(self, actor: Actor, unit: str, week_name: str, skip: int = 0, limit: int = 0) -> list[dict]:
        actor.require("schedule.edit", unit)
        return self.content.revisions.list(self._require(unit, week_name)["_id"], skip, limit)

    def diff(self, actor: Actor, unit: str, week_name: str, from_version: int, to_version: int) -> dict:
        actor.require("schedule.edit", unit)
        return self.content.revisions.diff(self._require(unit, week_name)["_id"], from_version, to_version)

    def create(self, actor: Actor, unit: str, week_name: str, data: ScheduleInput) -> dict:
        actor.require("schedule.edit", unit)
        week = parse_week(week_name)
        self.content.units.require_active(unit)
        return self._insert(actor, new_schedule(unit, week, checked_entries(data, week, known_ids=set()), actor),
                            "create")

    def copy(self, actor: Actor, unit: str, week_name: str, data: ScheduleCopy) -> dict:
        """Fill the week's working copy with another week's (the one before, unless named), moved
        by the weeks between. A working copy that has entries is replaced only when the caller
        says so, naming the version it replaces: a copy never silently overwrites someone's work."""
        actor.require("schedule.edit", unit)
        week = parse_week(week_name)
        source_week = parse_week(data.from_week or week.name_of(-1), "from_week")
        if source_week == week:
            raise InvalidInput("A week cannot be copied onto itself", {"from_week": "must be another week"})
        self.content.units.require_active(unit)
        source = self.schedules.find_one({"unit": unit, "week": source_week.name})
        if source is None or not source["entries"]:
            raise InvalidInput(f"{source_week.name} has no entries to copy",
                               {"from_week": f"{source_week.name} has no entries to copy"})
        entries = moved_entries(source["entries"], source_week, week)
        current = self.schedules.find_one({"unit": unit, "week": week.name})
        if current is None:
            return self._insert(actor, new_schedule(unit, week, entries, actor), "copy")
        if current["entries"] and not data.replace:
            raise Conflict(f"The working copy for {week.name} has {len(current['entries'])} entries: send "
                           "replace: true with its version to replace them", current["version"])
        if data.replace and data.version is None:
            raise InvalidInput("Replacing a working copy names its version",
                               {"version": "required with replace: the version of the entries replaced"})
        return draft_view(self.versions.update(actor.username, current, data.version, {"entries": entries}, "copy",
                                               comment=f"copied from {source_week.name}"))

    def rollback(self, actor: Actor, unit: str, week_name: str, to_version: int, version: int) -> dict:
        """The working copy's entries as a revision kept them, as its next version (to publish as usual)."""
        actor.require("schedule.edit", unit)
        current = self._require(unit, week_name)
        restored = restored_entries(self.content.revisions.get(current["_id"], to_version)["fields"])
        return draft_view(self.versions.update(actor.username, current, version, {"entries": restored}, "rollback",
                                               comment=f"restored version {to_version}"))

    def from_past(self, actor: Actor, unit: str, data: PastSchedule) -> New:
        """A week's schedule of the unit's old site (a week begun by now), checked, published when it
        was there; known by its week."""
        week = parse_week(data.week)
        if week.monday > local(now()).date():
            raise InvalidInput(f"{week.name} has not begun", {"week": "must be a past or the current week"})
        if not data.entries:
            raise InvalidInput("An empty week cannot be published", {"entries": "at least one entry"})
        entries = checked_entries(data, week, known_ids=set())

        def build():
            moment = data.published_at
            return {"_id": uuid.uuid4().hex, "unit": unit, "week": week.name, "entries": entries,
                    "status": "published", "published": {"entries": entries, "version": 1, "at": moment},
                    "published_at": moment, "version": 1, "created_by": actor.username, "created_at": moment,
                    "updated_at": moment}

        return {"unit": unit, "week": week.name}, build

    def update(self, actor: Actor, unit: str, week_name: str, data: ScheduleInput, version: int | None) -> dict:
        actor.require("schedule.edit", unit)
        current = self._require(unit, week_name)
        # An entry removed from the working copy may come back with its id while it is still public.
        known = {entry["id"] for entry in current["entries"] + (current["published"] or {}).get("entries", [])}
        entries = checked_entries(data, parse_week(current["week"]), known)
        return draft_view(self.versions.update(actor.username, current, version, {"entries": entries}, "update"))

    def publish(self, actor: Actor, unit: str, week_name: str, version: int | None) -> dict:
        """Make the working copy public; each publication is a new version, announced in full."""
        actor.require("schedule.publish", unit)
        current = self._require(unit, week_name)
        publication = current["published"]
        if publication is not None and publication["entries"] == current["entries"]:
            raise Conflict(f"The schedule for {current['week']} is already published as it stands",
                           current["version"])
        if publication is None and not current["entries"]:
            # A week once published may be emptied (everything cancelled); a new one needs something in it.
            raise InvalidInput("An empty week cannot be published", {"entries": "add at least one entry first"})
        moment = now()
        changes = {"status": "published", "published_at": current["published_at"] or moment,
                   "published": {"entries": current["entries"], "version": current["version"] + 1, "at": moment}}
        return draft_view(self.versions.update(actor.username, current, version, changes, "publish", at=moment,
                                               announce=self.event_for))

    # Replay

    def event_for(self, doc: dict) -> events.SchedulePublished | None:
        """The event for the week's public state: its last publication (None if never published)."""
        publication = doc.get("published")
        if publication is None:
            return None
        snapshot = events.ScheduleSnapshot(
            id=doc["_id"], unit=doc["unit"], unit_name=self.content.units.require(doc["unit"])["name"],
            week=doc["week"], path=schedule_path(doc["unit"], doc["week"]),
            entries=[events.ScheduleEntry(start=local(e["start"]), end=local(e["end"]),
                                          **{name: e[name] for name in ENTRY_FIELDS})
                     for e in publication["entries"]],
            published_at=aware(doc["published_at"]), updated_at=aware(publication["at"]),
        )
        return events.SchedulePublished(document_id=doc["_id"], version=publication["version"],
                                        occurred_at=aware(publication["at"]), schedule=snapshot)

    # Internals

    def _insert(self, actor: Actor, doc: dict, action: str) -> dict:
        try:
            self.versions.insert(actor.username, doc, action)
        except DuplicateKeyError:
            raise Conflict(f"Unit {doc['unit']!r} already has a schedule for {doc['week']}",
                           self._require(doc["unit"], doc["week"])["version"]) from None
        return draft_view(doc)

    def _published(self, unit: str, week: Week) -> dict | None:
        return self.schedules.find_one({"unit": unit, "week": week.name, "status": "published"})

    def _require(self, unit: str, week_name: str) -> dict:
        week = parse_week(week_name)
        self.content.units.require(unit)
        doc = self.schedules.find_one({"unit": unit, "week": week.name})
        if doc is None:
            raise NotFound(f"No schedule for {week.name} in unit {unit!r}")
        return doc
