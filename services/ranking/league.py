"""The league: months scored, frozen and announced, and each unit's standing explained.

The current month is provisional, scored from the facts as they stand (kept for
PROVISIONAL_SECONDS, sooner rescored when this process applies an event). At 00:00 on the 1st
(Vietnam time) the month that ended is frozen: its table, each unit's explained score and the
criteria version are kept for good as revision 1. Late events never change a frozen month; an
operator's recompute is a further revision with its reason, and every revision stays.
"""
from __future__ import annotations

import logging
import threading
import time
from datetime import datetime, timedelta, timezone

from services.common import events
from services.common.errors import InvalidInput, NotFound
from services.common.operators import require_platform_admin
from services.ranking.archive import Archive, RevisionTaken
from services.ranking.criteria import Criteria
from services.ranking.facts import KINDS, FactStore
from services.ranking.months import Month
from services.ranking.rebuilds import RebuildProgress
from services.ranking.schemas import MonthRevision, checked
from services.ranking.scoring import rank, score_month
from services.ranking.stale import StaleNotes

log = logging.getLogger(__name__)

PROVISIONAL_SECONDS = 30.0
STALE_CHECK_SECONDS = 600.0
HISTORY_MONTHS = 12
AUTOMATIC = "Tự động chốt lúc 00:00 ngày đầu tháng sau"
STANDING_FIELDS = ("unit", "unit_name", "level", "score", "maximum", "rank", "rank_in_level", "units_in_level",
                   "change")
ROW_FIELDS = (*STANDING_FIELDS, "flags", "points")  # points: {criterion key: points}
GAINS_TOLD = 3  # criteria named in a standing's gains


def gains(row: dict, criteria: list[dict], most: int = GAINS_TOLD) -> list[events.Gain]:
    """The `most` criteria on which the unit's row left most points (its explained page shows
    each criterion's points out of its maximum): what its leaders would do first."""
    points = row.get("points", {})
    left = [(round(criterion["maximum"] - points.get(criterion["key"], 0), 2), criterion) for criterion in criteria
            if criterion["key"] in points]
    left.sort(key=lambda pair: -pair[0])
    return [events.Gain(criterion=criterion["key"], title=criterion["title"], points=points_left)
            for points_left, criterion in left[:most] if points_left > 0]


def now() -> datetime:
    return datetime.now(timezone.utc)


class League:
    def __init__(self, database, criteria: Criteria, visits, announce, clock=now, spawn=None, coverage=None):
        """`visits`: the VisitStore (month_views); `announce(name, payload)` publishes a ranking
        event; `spawn(function)` runs work in the background (by default: now, in the caller);
        `coverage()` gives {unit: share of its required sections present} as content reports it
        now (None: not known here)."""
        self.facts = _CountingFacts(FactStore(database), self._facts_changed)
        self.archive = Archive(database)
        self.stale = StaleNotes(database)
        self.criteria = criteria
        self.visits = visits
        self.announce = announce
        self.clock = clock
        self.spawn = spawn or (lambda function: function())
        # The sweep and an operator's check may announce at once: one at a time, so a note read
        # unannounced by one is not announced again by the other (other instances may still
        # repeat one: consumers take events by version, so a repeat changes nothing).
        self._announcing = threading.Lock()
        self._rescoring = False
        self._provisional: tuple | None = None  # (month, generation, computed monotonic time, table)
        self._generation = 0
        self._frozen_up_to: Month | None = None
        self._stale_checked = 0.0
        self.rebuilds = RebuildProgress(database, clock)
        self.coverage = coverage
        self._coverage_known: dict[str, float] | None = None  # the last answer, while content cannot answer

    def ensure_indexes(self):
        self.facts.store.ensure_indexes()
        self.archive.ensure_indexes()
        self.stale.ensure_indexes()

    # Reading

    def current_month(self) -> Month:
        return Month.containing(self.clock())

    def months(self) -> dict:
        return {"current": str(self.current_month()),
                "months": [_summary(doc, len(self.archive.revisions(doc["month"])))
                           for doc in self.archive.frozen_months()]}

    def standings(self, month=None, revision=None) -> dict:
        table = self._table(self._month(month), revision)
        rows = [_row(row) for row in table["rows"]]
        levels: dict[str, list] = {}
        for row in rows:
            levels.setdefault(row["level"], []).append(row)
        return {**{key: table[key] for key in ("month", "provisional", "revision", "revisions", "computed_at",
                                               "criteria_version", "maximum", "criteria")},
                "levels": [{"level": level, "units": sorted(units, key=lambda r: r["rank_in_level"])}
                           for level, units in levels.items()],
                "units": rows}

    def unit_standing(self, unit: str, month=None) -> dict:
        chosen = self._month(month)
        table = self._table(chosen, None)
        row = next((row for row in table["rows"] if row["unit"] == unit), None)
        if row is None:
            raise NotFound(f"Unit {unit!r} is not ranked in {chosen}")
        if table["provisional"]:
            detail = table["details"][unit]
        else:
            detail = self.archive.detail(table["month"], table["revision"], unit) or {"criteria": []}
        return {**_row(row), "month": table["month"], "provisional": table["provisional"],
                "revision": table["revision"], "criteria_version": table["criteria_version"],
                "criteria": detail["criteria"], "history": self._history(unit, chosen)}

    def unit_rank(self, unit: str) -> dict | None:
        """From the current month's table as last scored: a unit's home never waits for a
        rescoring, which starts in the background when the table is out of date."""
        table = self._provisional_table(self.current_month(), stale_ok=True)
        row = next((row for row in table["rows"] if row["unit"] == unit), None)
        if row is None:
            return None
        return {"month": table["month"], "provisional": True,
                **{key: row[key] for key in ("rank", "rank_in_level", "units_in_level", "level", "score", "maximum")}}

    def unit_activity(self, unit: str) -> dict:
        return self.facts.store.unit_activity(unit)

    def criteria_summary(self) -> dict:
        return self.criteria.summary()

    # Freezing

    def require_operator(self, content, username: str) -> None:
        require_platform_admin(content, username)

    def freeze(self, month, reason, idempotency_key: str | None = None) -> dict:
        """A new revision of a month that has ended, with the operator's reason; the same request
        again (its idempotency key) gets the revision it made, not another."""
        chosen = Month.parse(month)
        if idempotency_key is not None:
            made = self.archive.made_by(str(chosen), idempotency_key)
            if made is not None:
                return _summary(made, made["revision"])
        reason = checked(MonthRevision, reason=reason).reason
        if chosen >= self.current_month():
            raise InvalidInput(f"{chosen} has not ended yet", {"month": "a month that has ended"})
        for _ in range(5):
            latest = self.archive.latest(str(chosen))
            try:
                table = self._freeze(chosen, (latest["revision"] + 1) if latest else 1, reason, idempotency_key)
            except RevisionTaken:
                continue  # another operator's revision took the number: take the next
            return _summary(table, table["revision"])
        raise InvalidInput(f"{chosen} is being revised by others; try again", {"month": "busy"})

    def keep_time(self) -> None:
        """Freeze the months that ended since this ranking began, note stale sites now and then,
        and announce what is due."""
        current = self.current_month()
        if self._frozen_up_to is None or self._frozen_up_to < current.previous():
            self._freeze_due(current)
        if time.monotonic() - self._stale_checked >= STALE_CHECK_SECONDS or not self._stale_checked:
            self._stale_checked = time.monotonic()
            self.stale.note(self.criteria, self.facts.store.units(), self.facts.store.all_last_updates(), self.clock())
        self._announce_due()

    def check_stale(self) -> int:
        """Note stale sites now (operators and tests); returns how many notes are new."""
        count = self.stale.note(self.criteria, self.facts.store.units(), self.facts.store.all_last_updates(),
                                self.clock())
        self._announce_due()
        return count

    def start_rebuild(self, replay) -> dict:
        """Re-apply, in the background, every kind content replays, unless that is running
        here or in another instance; returns rebuild_status()."""
        if self.rebuilds.claim():
            self.spawn(lambda: self._run_rebuild(replay))
        return self.rebuild_status()

    def rebuild_status(self) -> dict:
        """{"state": idle|running|done|failed, "kinds": {kind: events applied}, "started_at",
        "finished_at", "error"}."""
        return self.rebuilds.status()

    def rebuild(self, replay, progress=lambda applied: None) -> dict:
        """Apply every kind content replays, now; {kind: events applied}, also given to
        `progress` after each page."""
        applied: dict[str, int] = {}
        for kind in KINDS:
            applied[kind], after = 0, None
            while True:
                page = replay(kind, after=after, limit=500)
                for message in page["events"]:
                    self.facts.apply(events.parse(message["name"], message["payload"]))
                    applied[kind] += 1
                progress(applied)
                after = page["next"]
                if after is None:
                    break
        return applied

    def _run_rebuild(self, replay) -> None:
        try:
            self.rebuild(replay, self.rebuilds.applied)
        except Exception as error:
            log.exception("rebuilding the ranking's facts failed")
            self.rebuilds.finish(f"{type(error).__name__}: {error}")
        else:
            self.rebuilds.finish()

    # Internals

    def _facts_changed(self):
        self._generation += 1

    def _month(self, month) -> Month:
        chosen = self.current_month() if month is None else Month.parse(month)
        if chosen > self.current_month():
            raise NotFound(f"{chosen} has not begun")
        return chosen

    def _table(self, month: Month, revision) -> dict:
        if month == self.current_month():
            if revision is not None:
                raise NotFound(f"{month} is not frozen yet")
            return self._provisional_table(month)
        revisions = self.archive.revisions(str(month))
        if revision is not None:
            if isinstance(revision, bool) or not isinstance(revision, int):
                raise InvalidInput("revision must be a whole number", {"revision": "whole number"})
            doc = self.archive.revision(str(month), revision)
        else:
            doc = self.archive.latest(str(month))
        if doc is None:
            if revision is None and not revisions and str(month) >= self.archive.first_month(str(self.current_month())):
                return self._provisional_table(month)  # ended a moment ago: freezing is due
            raise NotFound(f"No ranking for {month}" + (f" revision {revision}" if revision is not None else ""))
        return {"month": doc["month"], "provisional": False, "revision": doc["revision"],
                "revisions": [_summary(item, None) for item in revisions], "computed_at": doc["frozen_at"].isoformat(),
                "criteria_version": doc["criteria_version"], "maximum": doc["maximum"], "criteria": doc["criteria"],
                "rows": doc["rows"]}

    def _provisional_table(self, month: Month, stale_ok: bool = False) -> dict:
        cached = self._provisional
        if cached and cached[0] == month:
            if cached[1] == self._generation and time.monotonic() - cached[2] < PROVISIONAL_SECONDS:
                return cached[3]
            if stale_ok:
                if not self._rescoring:
                    self._rescoring = True
                    self.spawn(lambda: self._rescore(month))
                return cached[3]
        return self._rescore(month)

    def _rescore(self, month: Month) -> dict:
        try:
            return self._score_provisional(month)
        finally:
            self._rescoring = False

    def _score_provisional(self, month: Month) -> dict:
        generation = self._generation
        rows, details = self._score(month, min(month.end, self.clock()))
        table = {"month": str(month), "provisional": True, "revision": None, "revisions": [],
                 "computed_at": self.clock().isoformat(), "criteria_version": self.criteria.version,
                 "maximum": self.criteria.maximum, "criteria": self._criteria_heads(), "rows": rows,
                 "details": details}
        self._provisional = (month, generation, time.monotonic(), table)
        return table

    def _score(self, month: Month, until: datetime) -> tuple[list[dict], dict[str, dict]]:
        facts = self.facts.store.month(month, until, timedelta(days=self.criteria.rules.answer_within_days))
        facts.views = self.visits.month_views(month.first_day, min(month.last_day, until.date()))
        facts.coverage = self._coverage_of(month)
        scores = score_month(self.criteria, facts)
        previous = self.archive.latest(str(month.previous()))
        ranked = rank(scores, {row["unit"]: row["rank_in_level"] for row in previous["rows"]} if previous else None)
        for row in ranked:
            row["points"] = {result["key"]: result["points"] for result in row["criteria"]}
        rows = [{key: row[key] for key in ROW_FIELDS} for row in ranked]
        return rows, {row["unit"]: {"unit": row["unit"], "criteria": row["criteria"]} for row in ranked}

    def _coverage_of(self, month: Month) -> dict[str, float] | None:
        """Each unit's share of its required sections for `month`: as content reports it now for
        this month and the one just ended (being frozen); for an older month recomputed, the
        share its latest frozen revision was scored with, since content knows only today's."""
        if month < self.current_month().previous():
            frozen = self.archive.latest(str(month))
            maximum = next((c["maximum"] for c in (frozen or {}).get("criteria", []) if c["key"] == "coverage"), None)
            if not maximum:
                return None
            return {row["unit"]: row["points"].get("coverage", 0) / maximum for row in frozen["rows"]}
        if self.coverage is not None:
            try:
                self._coverage_known = self.coverage()
            except Exception as error:  # the ranking still scores: with the last share known
                log.warning("conformance not had from content, the last known is used: %r", error)
        return self._coverage_known

    def _criteria_heads(self) -> list[dict]:
        return [{"key": c.key, "title": c.title, "maximum": c.maximum} for c in self.criteria.criterion]

    def _freeze(self, month: Month, revision: int, reason: str, idempotency_key: str | None = None) -> dict:
        rows, details = self._score(month, month.end)
        moment = self.clock()
        moment = moment.replace(microsecond=moment.microsecond // 1000 * 1000)  # as MongoDB keeps it
        table = self.archive.save(str(month), revision, moment, reason, rows, list(details.values()), {
            "criteria_version": self.criteria.version, "maximum": self.criteria.maximum,
            "criteria": self._criteria_heads(), "idempotency_key": idempotency_key})
        log.info("froze %s revision %d: %d units", month, revision, len(rows))
        self._announce_due()
        return table

    def _freeze_due(self, current: Month) -> None:
        first = Month.parse(self.archive.first_month(str(current)))
        frozen = self.archive.frozen_month_names()
        month = first
        while month < current:
            if str(month) not in frozen:
                try:
                    self._freeze(month, 1, AUTOMATIC)
                except RevisionTaken:
                    pass  # another ranking process froze it
            month = month.next()
        self._frozen_up_to = current.previous()

    def _announce_due(self) -> None:
        with self._announcing:
            self._announce_unannounced()

    def _announce_unannounced(self) -> None:
        for table in self.archive.unannounced():
            event = events.RankingPublished(
                document_id=table["month"], version=table["revision"], occurred_at=table["frozen_at"],
                month=table["month"], revision=table["revision"], criteria_version=table["criteria_version"],
                reason=table["reason"], link=f"/xep-hang/{table['month']}",
                standings=[events.Standing(**{key: row[key] for key in STANDING_FIELDS},
                                           link=f"/{row['unit']}/xep-hang",
                                           gains=gains(row, table.get("criteria", [])))
                           for row in table["rows"]])
            if self._announced(*events.to_message(event)):
                self.archive.mark_announced(table["_id"])
        for note in self.stale.unannounced():
            if self._announced(note["name"], note["payload"]):
                self.stale.mark_announced(note["_id"], self.clock())

    def _announced(self, name: str, payload: dict) -> bool:
        try:
            self.announce(name, payload)
        except Exception:
            log.warning("could not announce %s; the sweep tries again", name, exc_info=True)
            return False
        return True

    def _history(self, unit: str, month: Month) -> list[dict]:
        months = [month.back(back) for back in range(HISTORY_MONTHS - 1, -1, -1)]
        frozen = self.archive.history_rows(unit, [str(m) for m in months])
        history = []
        for chosen in months:
            row = frozen.get(str(chosen))
            provisional = False
            if row is None and chosen == self.current_month():
                row = next((r for r in self._provisional_table(chosen)["rows"] if r["unit"] == unit), None)
                provisional = True
            if row is not None:
                history.append({"month": str(chosen), "provisional": provisional,
                                **{key: row[key] for key in ("score", "maximum", "rank", "rank_in_level",
                                                             "units_in_level")}})
        return history


class _CountingFacts:
    """The fact store, telling the league when a fact changed (to rescore the current month)."""

    def __init__(self, store: FactStore, changed):
        self.store, self._changed = store, changed

    def apply(self, event) -> bool:
        applied = self.store.apply(event)
        if applied:
            self._changed()
        return applied


def _row(row: dict) -> dict:
    return {**row, "link": f"/{row['unit']}/xep-hang"}


def _summary(doc: dict, revisions: int | None) -> dict:
    summary = {"month": doc["month"], "revision": doc["revision"], "frozen_at": doc["frozen_at"].isoformat(),
               "criteria_version": doc["criteria_version"], "reason": doc["reason"]}
    if revisions is not None:
        summary["revisions"] = revisions
    return summary
