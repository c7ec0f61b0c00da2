"""Page views per unit and day, counted without cookies, third parties or stored addresses.

A visitor is counted once per unit and day (Vietnam's calendar) as Plausible counts one: by the
hash of a random salt made for that day, the unit, the client address and the user agent. The
unit is in the hash, so nobody can be followed from one unit's site to another's; the salt
changes daily, so nobody can be followed from one day to the next. Neither the address nor the
user agent is stored, only hashes: the markers (who was counted on a day) and the salts are
deleted after two days, the presence (who was here in a minute, for "online now") after five
minutes. What stays is each day's figures (views, visitors, bot views), kept 25 months, and
each unit's all-time total of views.

Bots (crawlerdetect's maintained list, and requests without a user agent, which no browser
sends) count as bot views only: never as views, visitors, people online or in the total.
Staff's own views never arrive: the gateway does not send them.

Old figures are deleted by `forget_old`, a sweep, rather than by TTL indexes: one place decides,
on Vietnam's calendar and months rather than seconds, and tests can move its clock.
"""
from __future__ import annotations

import hashlib
import secrets
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Annotated

from crawlerdetect import CrawlerDetect
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, ValidationInfo, field_validator
from pymongo import ASCENDING, UpdateOne
from pymongo.errors import BulkWriteError, DuplicateKeyError

from services.common.errors import InvalidInput
from services.ranking.months import Month, local_day

ONLINE_WINDOW = timedelta(minutes=5)
ONLINE_FRESH = timedelta(seconds=10)  # a unit's "online now" is counted again after this, or when someone new comes
MONTHS_KEPT = 25  # whole months before the current one; 13 are shown, the rest allow comparing years
HISTORY_MONTHS = 13
MOST_DAYS = 400  # in one history or one import
LARGEST_FIGURE = 10 ** 9
EARLIEST_DAY = date(2000, 1, 1)
BATCH_SHAPE = "must be a list of [unit, client address, user agent, views from 1]"
BATCH_NAME = "must be text of 1 to 64 characters"
REMEMBERED = 200_000  # markers (and this minute's presence) a process remembers having written

_crawlers = CrawlerDetect()


@lru_cache(maxsize=4096)
def is_bot(user_agent: str) -> bool:
    """Cached per user agent: the list is about a thousand patterns (up to 25 ms for a browser's
    user agent), while the user agents seen in a day are few and repeat."""
    return not user_agent or _crawlers.isCrawler(user_agent)


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def first_kept_day(today: date) -> date:
    return Month(today.year, today.month).back(MONTHS_KEPT).first_day


def _visitor(salt: str, unit: str, client_address: str, user_agent: str) -> str:
    return hashlib.sha256(f"{salt}|{unit}|{client_address}|{user_agent}".encode()).hexdigest()[:32]


def _day_id(unit: str, day: str) -> str:
    return f"{unit}|{day}"


def _minute(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M")


def _is_visit(visit) -> bool:
    return (isinstance(visit, (list, tuple)) and len(visit) == 4 and all(isinstance(part, str) for part in visit[:3])
            and bool(visit[0]) and isinstance(visit[3], int) and not isinstance(visit[3], bool)
            and 1 <= visit[3] <= LARGEST_FIGURE)


Figure = Annotated[int, Field(ge=0, le=LARGEST_FIGURE)]


class ImportedDay(BaseModel):
    """A day's figures from a unit's earlier site: a past day, checked against `today` in the context."""
    model_config = ConfigDict(extra="forbid", strict=True)

    day: date
    views: Figure
    visitors: Figure
    bot_views: Figure = 0

    @field_validator("day", mode="before")
    @classmethod
    def _iso_day(cls, value):
        try:
            if isinstance(value, str) and len(value) == 10:
                return date.fromisoformat(value)
        except ValueError:
            pass
        raise ValueError("must be a day written YYYY-MM-DD")

    @field_validator("day")
    @classmethod
    def _past_day(cls, value: date, info: ValidationInfo):
        if not EARLIEST_DAY <= value < info.context["today"]:
            raise ValueError(f"must be a past day, from {EARLIEST_DAY.isoformat()} to yesterday")
        return value


IMPORTED_DAYS = TypeAdapter(Annotated[list[ImportedDay], Field(max_length=MOST_DAYS)])


class _Written:
    """Keys this process has written in the current period (a day's markers, a minute's
    presence), so that a reader's later views cost no write that would change nothing.
    Forgetting is safe, only slower: the write is made again and changes nothing. Bounded by
    starting afresh when full."""

    def __init__(self, most: int = REMEMBERED):
        self._most = most
        self._period = ""
        self._keys: set[str] = set()

    def unwritten(self, period: str, items: dict[str, str]) -> list[tuple[str, str]]:
        if period != self._period:
            self._period, self._keys = period, set()
        return [(key, value) for key, value in items.items() if key not in self._keys]

    def written(self, period: str, keys: list[str]):
        if period == self._period:
            if len(self._keys) + len(keys) > self._most:
                self._keys = set()
            self._keys.update(keys)


class VisitStore:
    """Collections: `visit_days` (a unit's figures for a day), `visit_totals` (all-time views and
    the first day counted here), `visit_markers` ("day|hash", nothing else), `visit_presence`
    (a unit's visitors in a minute, "minute|unit"), `salts` (one a day), `visit_batches` (the
    names of the batches counted, for two days), `visit_imports` (the views each imported day
    put into the total, kept after the day itself is deleted).

    Markers and presence are keyed so that their sweep is a range of `_id`, and have no other
    index to keep up: a batch costs one insert_many of the readers not marked yet today, and one
    write per unit each for presence (readers not noted yet this minute), day and total."""

    def __init__(self, database, clock=utc_now):
        self.days = database["visit_days"]
        self.totals = database["visit_totals"]
        self.markers = database["visit_markers"]
        self.presence = database["visit_presence"]
        self.salts = database["salts"]
        self.batches = database["visit_batches"]
        self.imports = database["visit_imports"]
        self._client = database.client
        self._clock = clock
        self._salt: tuple[str, str] = ("", "")  # (day, salt): the salt is read once a day
        self._marked = _Written()
        self._noted = _Written()
        self._online: dict[str, tuple[datetime, int]] = {}  # unit → (counted at, visitors online)

    def ensure_indexes(self):
        self.days.create_index([("unit", ASCENDING), ("day", ASCENDING)])
        self.days.create_index([("day", ASCENDING)])
        self.batches.create_index([("day", ASCENDING)])

    # Counting

    def record_batch(self, visits, batch: str | None = None) -> dict[str, dict]:
        """`record_visits` for a batch as it arrives over RPC: checked first."""
        if not isinstance(visits, list) or not all(_is_visit(visit) for visit in visits):
            raise InvalidInput(f"visits {BATCH_SHAPE}", {"visits": BATCH_SHAPE})
        if batch is not None and not (isinstance(batch, str) and 1 <= len(batch) <= 64):
            raise InvalidInput(f"batch {BATCH_NAME}", {"batch": BATCH_NAME})
        return self.record_visits([tuple(visit) for visit in visits], batch)

    def record_visits(self, visits: list[tuple[str, str, str, int]], batch: str | None = None) -> dict[str, dict]:
        """Count page views, [(unit, client address, user agent, views)], in at most four bulk
        writes (markers, presence, days, totals); the counters of every unit in the batch
        afterwards. A named `batch` is counted once: sent again (its sender's wait for the answer
        ran out while it was being counted), it changes nothing."""
        if not visits:
            return {}
        moment = self._clock()
        day = local_day(moment).isoformat()
        if batch is not None and not self._first_sending(batch, day):
            return self._counters(list({visit[0] for visit in visits}), moment)
        salt = self._daily_salt(day)
        views: Counter = Counter()
        bot_views: Counter = Counter()
        seen: dict[str, str] = {}  # marker → unit
        for unit, address, user_agent, count in visits:
            if is_bot(user_agent or ""):
                bot_views[unit] += count
            else:
                views[unit] += count
                seen[_visitor(salt, unit, address, user_agent)] = unit
        units = list(views.keys() | bot_views.keys())
        new_visitors = self._mark(seen, day)
        self._note_present(seen, moment)
        self.days.bulk_write([UpdateOne(
            {"_id": _day_id(unit, day)},
            {"$inc": {"views": views[unit], "visitors": new_visitors[unit], "bot_views": bot_views[unit]},
             "$setOnInsert": {"unit": unit, "day": day}}, upsert=True) for unit in units], ordered=False)
        if views:
            self.totals.bulk_write([UpdateOne({"_id": unit}, {"$inc": {"total": count}, "$min": {"first_day": day}},
                                              upsert=True) for unit, count in views.items()], ordered=False)
        return self._counters(units, moment)

    def _first_sending(self, batch: str, day: str) -> bool:
        """Noted before counting: a failure in between loses the batch rather than counting it twice."""
        try:
            self.batches.insert_one({"_id": batch, "day": day})
            return True
        except DuplicateKeyError:
            return False

    def _mark(self, seen: dict[str, str], day: str) -> Counter:
        """The visitors new today, by unit: those whose marker was not there yet. A marker is
        inserted once however many processes report it at once, so each visitor counts once."""
        markers = self._marked.unwritten(day, seen)
        if not markers:
            return Counter()
        try:
            self.markers.insert_many([{"_id": f"{day}|{marker}"} for marker, _ in markers], ordered=False)
            returning = set()
        except BulkWriteError as error:
            problems = error.details["writeErrors"]
            if any(problem["code"] != 11000 for problem in problems):
                raise
            returning = {problem["index"] for problem in problems}  # marked earlier today
        self._marked.written(day, [marker for marker, _ in markers])
        return Counter(unit for index, (_, unit) in enumerate(markers) if index not in returning)

    def _note_present(self, seen: dict[str, str], moment: datetime):
        """Who is here this minute, by unit (another process may list a visitor too: read as a set)."""
        minute = _minute(moment)
        by_unit = defaultdict(list)
        for marker, unit in self._noted.unwritten(minute, seen):
            by_unit[unit].append(marker)
        if by_unit:
            self.presence.bulk_write([UpdateOne(
                {"_id": f"{minute}|{unit}"}, {"$push": {"visitors": {"$each": markers}}, "$set": {"unit": unit}},
                upsert=True) for unit, markers in by_unit.items()], ordered=False)
            self._noted.written(minute, [marker for markers in by_unit.values() for marker in markers])
            for unit in by_unit:
                self._online.pop(unit, None)  # someone new: count again

    def visit_counters(self, unit: str) -> dict:
        """{"unit", "total", "online"}: all-time views, and visitors in the last 5 minutes."""
        return self._counters([unit], self._clock())[unit]

    def _counters(self, units: list[str], moment: datetime) -> dict[str, dict]:
        totals = {doc["_id"]: doc["total"] for doc in self.totals.find({"_id": {"$in": units}}, {"total": 1})}
        online = self._online_now(units, moment)
        return {unit: {"unit": unit, "total": totals.get(unit, 0), "online": online[unit]} for unit in units}

    def _online_now(self, units: list[str], moment: datetime) -> dict[str, int]:
        """Distinct visitors of the last five minutes, by unit. Counting them reads every hash of
        those minutes, so a unit's count is reused for ONLINE_FRESH unless someone new was noted:
        a batch a second from each gateway process would otherwise read them all each time."""
        online = {}
        for unit in units:
            counted = self._online.get(unit)
            if counted is not None and timedelta(0) <= moment - counted[0] < ONLINE_FRESH:
                online[unit] = counted[1]
        due = [unit for unit in units if unit not in online]
        if due:
            present = defaultdict(set)
            recent = {"_id": {"$gte": _minute(moment - ONLINE_WINDOW) + "|"}, "unit": {"$in": due}}
            for doc in self.presence.find(recent, {"unit": 1, "visitors": 1}):
                present[doc["unit"]].update(doc["visitors"])
            # Read into `online` first: while this waited, other workers may have dropped units.
            online.update({unit: len(present[unit]) for unit in due})
            self._online.update({unit: (moment, online[unit]) for unit in due})
        return online

    def _daily_salt(self, day: str) -> str:
        if self._salt[0] != day:
            try:
                self.salts.insert_one({"_id": day, "salt": secrets.token_hex(16)})
            except DuplicateKeyError:
                pass  # another worker or instance made today's first
            self._salt = (day, self.salts.find_one({"_id": day})["salt"])
        return self._salt[1]

    # Reading

    def history(self, unit: str, days: int = 31) -> dict:
        """The last `days` days (today included, missing days as zeros) and the last 13 months
        (this one included), oldest first. A month's visitors are the sum of its days' visitors
        (one person on two days is two), so they are named `visitors_daily_sum`."""
        if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MOST_DAYS:
            raise InvalidInput(f"days must be a whole number from 1 to {MOST_DAYS}",
                               {"days": f"must be a whole number from 1 to {MOST_DAYS}"})
        today = local_day(self._clock())
        first_day = today - timedelta(days=days - 1)
        months = [str(Month(today.year, today.month).back(back)) for back in range(HISTORY_MONTHS - 1, -1, -1)]
        since = min(first_day.isoformat(), months[0] + "-01")
        stored = {doc["day"]: doc for doc in self.days.find(
            {"unit": unit, "day": {"$gte": since, "$lte": today.isoformat()}},
            {"_id": 0, "day": 1, "views": 1, "visitors": 1, "bot_views": 1})}
        daily = [{"day": day, **_figures(stored.get(day))}
                 for day in ((first_day + timedelta(days=n)).isoformat() for n in range(days))]
        monthly = {month: {"month": month, "views": 0, "visitors_daily_sum": 0, "bot_views": 0} for month in months}
        for day, doc in stored.items():
            if (month := monthly.get(day[:7])) is not None:
                figures = _figures(doc)
                month["views"] += figures["views"]
                month["visitors_daily_sum"] += figures["visitors"]
                month["bot_views"] += figures["bot_views"]
        return {"unit": unit, "days": daily, "months": list(monthly.values())}

    def days_back(self, unit: str, skip: int, limit: int | None) -> list[dict]:
        """`limit` days (all when None) after the `skip` latest, newest first, zeros where none,
        none before the first day kept."""
        today = local_day(self._clock())
        first = first_kept_day(today)
        newest = today - timedelta(days=min(skip, (today - first).days + 1))
        oldest = first if limit is None else max(first, newest - timedelta(days=limit - 1))
        stored = {doc["day"]: doc for doc in self.days.find(
            {"unit": unit, "day": {"$gte": oldest.isoformat(), "$lte": newest.isoformat()}},
            {"_id": 0, "day": 1, "views": 1, "visitors": 1, "bot_views": 1})}
        days = ((newest - timedelta(days=n)).isoformat() for n in range((newest - oldest).days + 1))
        return [{"day": day, **_figures(stored.get(day))} for day in days]

    def months_back(self, unit: str, skip: int, limit: int | None) -> list[dict]:
        """`limit` months (all when None) after the `skip` latest, newest first, none before the
        first month kept."""
        today = local_day(self._clock())
        current = Month(today.year, today.month)
        kept = MONTHS_KEPT + 1  # this month and those before it
        months = [current.back(back) for back in range(skip, kept if limit is None else min(skip + limit, kept))]
        if not months:
            return []
        stored = self.days.find({"unit": unit, "day": {"$gte": months[-1].first_day.isoformat(),
                                                       "$lte": months[0].last_day.isoformat()}},
                                {"_id": 0, "day": 1, "views": 1, "visitors": 1, "bot_views": 1})
        monthly = {str(month): {"month": str(month), "views": 0, "visitors_daily_sum": 0, "bot_views": 0}
                   for month in months}
        for doc in stored:
            month, figures = monthly[doc["day"][:7]], _figures(doc)
            month["views"] += figures["views"]
            month["visitors_daily_sum"] += figures["visitors"]
            month["bot_views"] += figures["bot_views"]
        return list(monthly.values())

    def month_views(self, start_day: date, end_day: date) -> dict[str, int]:
        """Page views by people (bots never count as views) per unit, days `start_day` to
        `end_day` inclusive, in one aggregation; units with no day counted then are absent."""
        rows = self.days.aggregate([
            {"$match": {"day": {"$gte": start_day.isoformat(), "$lte": end_day.isoformat()}}},
            {"$group": {"_id": "$unit", "views": {"$sum": "$views"}}}])
        return {row["_id"]: row["views"] for row in rows}

    # Keeping

    def import_days(self, unit: str, days) -> dict:
        """Set past days' figures from a unit's earlier site (see ImportedDay); at most 400 a call.

        The all-time total moves by the difference between each day's new views and those it
        held before (counted here, or imported earlier), so importing the same days again changes
        nothing and a corrected import corrects the total once. Days older than the 25 months
        kept go only into the total; `visit_imports` remembers what they put there. A day counted
        here and deleted since is refused: the total holds its views and no longer knows how many."""
        if not isinstance(unit, str) or not unit:
            raise InvalidInput("unit must be a unit's slug", {"unit": "must be a unit's slug"})
        today = local_day(self._clock())
        imported = self._valid_import(days, today)
        first_kept = first_kept_day(today).isoformat()
        first_counted = (self.totals.find_one({"_id": unit}, {"first_day": 1}) or {}).get("first_day")
        for index, figures in enumerate(imported):
            day = figures.day.isoformat()
            if day < first_kept and first_counted is not None and day >= first_counted:
                raise InvalidInput(f"{day} was counted here and is no longer kept",
                                   {f"days.{index}.day": "was counted here and is no longer kept"})

        def write(session):
            ids = [_day_id(unit, figures.day.isoformat()) for figures in imported]
            held = {doc["_id"]: doc["views"] for doc in self.imports.find({"_id": {"$in": ids}}, session=session)}
            held.update({doc["_id"]: doc.get("views", 0)
                         for doc in self.days.find({"_id": {"$in": ids}}, {"views": 1}, session=session)})
            day_writes, import_writes, added = [], [], 0
            for key, figures in zip(ids, imported):
                day = figures.day.isoformat()
                added += figures.views - held.get(key, 0)
                import_writes.append(UpdateOne({"_id": key}, {"$set": {"views": figures.views}}, upsert=True))
                if day >= first_kept:
                    day_writes.append(UpdateOne({"_id": key}, {"$set": {
                        "unit": unit, "day": day, "views": figures.views, "visitors": figures.visitors,
                        "bot_views": figures.bot_views}}, upsert=True))
            self.imports.bulk_write(import_writes, session=session)
            if day_writes:
                self.days.bulk_write(day_writes, session=session)
            if added:
                self.totals.update_one({"_id": unit}, {"$inc": {"total": added}}, upsert=True, session=session)

        if imported:
            with self._client.start_session() as session:
                session.with_transaction(write)
        return {"unit": unit, "days": len(imported)}

    @staticmethod
    def _valid_import(days, today: date) -> list[ImportedDay]:
        try:
            imported = IMPORTED_DAYS.validate_python(days, context={"today": today})
        except ValidationError as error:
            fields = {".".join(["days", *map(str, problem["loc"])]): problem["msg"] for problem in error.errors()}
            raise InvalidInput("the imported days are not valid", fields) from None
        seen: set[date] = set()
        for index, figures in enumerate(imported):
            if figures.day in seen:
                raise InvalidInput(f"{figures.day} is given twice", {f"days.{index}.day": "is given twice"})
            seen.add(figures.day)
        return imported

    def forget_old(self) -> dict:
        """Delete the markers, salts and batch names of the days before yesterday, the presence of
        the minutes before the last five, and the days before the 25 whole months kept;
        {collection: documents deleted}."""
        moment = self._clock()
        today = local_day(moment)
        yesterday = (today - timedelta(days=1)).isoformat()
        return {
            "visit_markers": self.markers.delete_many({"_id": {"$lt": yesterday + "|"}}).deleted_count,
            "salts": self.salts.delete_many({"_id": {"$lt": yesterday}}).deleted_count,
            "visit_batches": self.batches.delete_many({"day": {"$lt": yesterday}}).deleted_count,
            "visit_presence": self.presence.delete_many(
                {"_id": {"$lt": _minute(moment - ONLINE_WINDOW) + "|"}}).deleted_count,
            "visit_days": self.days.delete_many({"day": {"$lt": first_kept_day(today).isoformat()}}).deleted_count,
        }


def _figures(doc: dict | None) -> dict:
    doc = doc or {}
    return {"views": doc.get("views", 0), "visitors": doc.get("visitors", 0), "bot_views": doc.get("bot_views", 0)}
