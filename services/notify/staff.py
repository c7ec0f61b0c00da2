"""Notices to the people who run a unit's site, by email: the monthly standing to its leaders
(unit admins and editors-in-chief) and reminders to its whole board (reminders.py says which).

A notice is known by its kind, its unit and its period (the ranking's month and revision, a
spell without updates, an ISO week), and goes out at most once per key whatever plans it again
(an event delivered twice, a restart, a second instance): each recipient's email is a delivery
keyed by the notice (the deliveries' unique index), and the notice is recorded under its own
unique index once they are all in, after which planning it again asks no one anything. The
emails then go as every email goes (delivery.py: claimed, leased, retried).

Addresses and roles are the content service's (its `unit_staff` RPC); the choice of which kinds
a person gets is kept here, by username, and changed on the workspace's page.
"""
from __future__ import annotations

from typing import Callable, Literal

from pydantic import BaseModel, ConfigDict, Field
from pymongo import ASCENDING
from pymongo.errors import DuplicateKeyError

from services.common.errors import NotFound
from services.common.events import utcnow
from services.common.schemas import Output

KINDS = ("standing", "site_stale", "waiting_questions", "empty_schedule")
# Who gets the monthly standing; reminders go to everyone holding a role in the unit.
LEADER_ROLES = {"unit_admin", "editor_in_chief"}
RECIPIENT = "staff:{username}"  # a staff email's recipient among the deliveries (subscribers' are ids)


class NotificationChoices(BaseModel):
    """Which kinds of notice a staff member wants by email; the kinds not named stay as they were."""
    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra={"examples": [
        {"kinds": {"standing": True, "site_stale": True, "waiting_questions": False, "empty_schedule": True}}]})
    kinds: dict[Literal[KINDS], bool] = Field(min_length=1, description=(
        "kind → whether it comes by email: standing (the monthly ranking, to unit admins and editors-in-chief), "
        "site_stale, waiting_questions (citizens waiting too long for an answer), empty_schedule (next week's "
        "leadership schedule unpublished on Friday)"))


class NotificationPreferences(Output):
    """The kinds of notice a staff member gets by email."""
    username: str
    kinds: dict[str, bool] = Field(description="kind → whether it comes by email; every kind comes until turned off")


class StaffNotices:
    def __init__(self, database):
        self.notices = database["staff_notices"]
        self.preferences = database["staff_preferences"]  # {_id: username, "off": [kinds]}
        self.deliveries = database["deliveries"]

    def ensure_indexes(self):
        # One notice per unit, kind and period, however often and wherever it is planned.
        self.notices.create_index([("unit", ASCENDING), ("kind", ASCENDING), ("period", ASCENDING)], unique=True)

    def is_planned(self, kind: str, unit: str, period: str) -> bool:
        return self.notices.find_one({"unit": unit, "kind": kind, "period": period}, {"_id": 1}) is not None

    def plan(self, kind: str, unit: str, period: str, staff: list[dict], notice: dict) -> int:
        """A pending email of `notice` to each of `staff` (content's unit_staff) it is for who has
        an address and has not turned `kind` off; then the notice recorded. Returns how many."""
        recipients = [person for person in staff if person["email"] and _is_for(kind, person)]
        off = self.turned_off(kind, [person["username"] for person in recipients])
        key = f"staff/{kind}/{unit}/{period}"
        now = utcnow()
        planned = 0
        for person in recipients:
            if person["username"] in off:
                continue
            recipient = {"subscription_id": RECIPIENT.format(username=person["username"]), "article_id": key}
            try:
                self.deliveries.update_one(recipient, {"$setOnInsert": {
                    **recipient, "email": person["email"], "notice": {**notice, "kind": kind, "name": person["name"]},
                    "status": "pending", "attempts": 0, "due_at": now, "created_at": now}}, upsert=True)
            except DuplicateKeyError:  # planned side by side with another instance
                pass
            planned += 1
        try:
            self.notices.insert_one({"unit": unit, "kind": kind, "period": period, "planned_at": now})
        except DuplicateKeyError:
            pass
        return planned

    # Each person's choice

    def preferences_of(self, username: str) -> dict:
        """{"username", "kinds": {kind: whether it comes by email}}; every kind comes until turned off."""
        off = set((self.preferences.find_one({"_id": username}) or {}).get("off", []))
        return {"username": username, "kinds": {kind: kind not in off for kind in KINDS}}

    def change_preferences(self, username: str, choices: NotificationChoices) -> dict:
        turned_on = [kind for kind, wanted in choices.kinds.items() if wanted]
        turned_off = [kind for kind, wanted in choices.kinds.items() if not wanted]
        self.preferences.update_one({"_id": username}, {"$pull": {"off": {"$in": turned_on}}}, upsert=True)
        self.preferences.update_one({"_id": username}, {"$addToSet": {"off": {"$each": turned_off}}})
        return self.preferences_of(username)

    def turned_off(self, kind: str, usernames: list[str]) -> set[str]:
        return {doc["_id"] for doc in self.preferences.find({"_id": {"$in": usernames}, "off": kind}, {"_id": 1})}


def _is_for(kind: str, person: dict) -> bool:
    return kind != "standing" or bool(LEADER_ROLES & set(person["roles"]))


def tell_staff(storage, content, kind: str, unit: str, period: str, notice: Callable[[], dict]) -> int:
    """Plan the notice `kind` for `unit`'s staff in `period`, unless it was planned already;
    `notice()` composes what it says (unit_name and figures) only when it is to be planned."""
    if storage.staff.is_planned(kind, unit, period):
        return 0
    try:
        staff = content.unit_staff(unit)
    except NotFound:  # a unit content no longer knows has no one to tell; the others still are told
        staff = []
    return storage.staff.plan(kind, unit, period, staff, notice())
