from services.common.rpc import rpc
from services.content.outcomes import once_per_request
from services.content.revisions import Rollback
from services.content.schedules.schemas import (
    PublishedWeeks,
    ScheduleChange,
    ScheduleCopy,
    ScheduleInput,
    SchedulePublication,
)
from services.content.validation import (
    MAX_FETCH,
    Page,
    expected_version,
    validate,
    validate_change,
    version_number,
)


class ScheduleEntrypoints:
    # Public reading: weeks are ISO weeks such as "2026-W48"; times are in Asia/Ho_Chi_Minh.

    @rpc
    def get_schedule(self, unit, week, leader=None):
        """The published week (no entries if nothing was published yet), optionally one leader's entries."""
        return self.content.schedules.get_published(unit, week, leader)

    @rpc
    def schedule_weeks(self, unit, limit=10, skip=0):
        """The unit's published weeks, newest first: `limit` of them after `skip`."""
        page = validate(PublishedWeeks, {"skip": skip, "limit": limit})
        return self.content.schedules.published_weeks(unit, page.limit, page.skip)

    @rpc
    def units_without_schedule(self, week):
        """The active units that have published no schedule for `week` (e.g. "2026-W49"), by slug:
        for the notify service's reminder to their staff; the gateway does not expose it."""
        return self.content.schedules.units_without(week)

    @rpc
    def schedule_ics(self, unit, week, leader=None):
        """The published week as iCalendar text (RFC 5545)."""
        return self.content.schedules.ics(unit, week, leader)

    # The editorial board

    @rpc
    def get_schedule_draft(self, actor, unit, week):
        return self.content.schedules.get_draft(self.actor(actor), unit, week)

    @rpc
    def schedule_history(self, actor, unit, week, skip=0, limit=MAX_FETCH):
        """The week's revisions, oldest first."""
        page = validate(Page, {"skip": skip, "limit": limit})
        return self.content.schedules.history(self.actor(actor), unit, week, page.skip, page.limit)

    @rpc
    def schedule_diff(self, actor, unit, week, from_version, to_version):
        return self.content.schedules.diff(self.actor(actor), unit, week, version_number(from_version, "from"),
                                           version_number(to_version, "to"))

    @rpc
    @once_per_request
    def create_schedule(self, actor, unit, week, data):
        return self.content.schedules.create(self.actor(actor), unit, week, validate(ScheduleInput, data))

    @rpc
    @once_per_request
    def update_schedule(self, actor, unit, week, data, version=None):
        """`data`: {"entries", "version"} as the API's body has it, or the version given beside."""
        change = validate_change(ScheduleChange, data, expected_version(version))
        return self.content.schedules.update(self.actor(actor), unit, week, change, change.version)

    @rpc
    @once_per_request
    def publish_schedule(self, actor, unit, week, version=None, data=None):
        """`data`: {"version"} as the API's body has it, or the version given beside."""
        publication = validate_change(SchedulePublication, data or {}, expected_version(version))
        return self.announce(self.content.schedules.publish(self.actor(actor), unit, week, publication.version))

    @rpc
    @once_per_request
    def copy_schedule(self, actor, unit, week, data):
        """`data`: {"from_week", "replace", "version"}; see Schedules.copy."""
        return self.content.schedules.copy(self.actor(actor), unit, week, validate(ScheduleCopy, data))

    @rpc
    @once_per_request
    def rollback_schedule(self, actor, unit, week, data):
        """`data`: {"to_version", "version"}: the working copy as that revision kept it."""
        rollback = validate(Rollback, data)
        return self.content.schedules.rollback(self.actor(actor), unit, week, rollback.to_version, rollback.version)
