from services.common.rpc import rpc
from services.content.outcomes import once_per_request
from services.content.schedules.schemas import ScheduleInput
from services.content.validation import expected_version, page_size, validate

MAX_WEEKS = 104  # two years of weeks on one page


class ScheduleEntrypoints:
    # Public reading: weeks are ISO weeks such as "2026-W48"; times are in Asia/Ho_Chi_Minh.

    @rpc
    def get_schedule(self, unit, week, leader=None):
        """The published week (no entries if nothing was published yet), optionally one leader's entries."""
        return self.content.schedules.get_published(unit, week, leader)

    @rpc
    def schedule_weeks(self, unit, limit=10):
        """The unit's published weeks, newest first."""
        return self.content.schedules.published_weeks(unit, page_size(limit, MAX_WEEKS))

    @rpc
    def schedule_ics(self, unit, week, leader=None):
        """The published week as iCalendar text (RFC 5545)."""
        return self.content.schedules.ics(unit, week, leader)

    # The editorial board

    @rpc
    def get_schedule_draft(self, actor, unit, week):
        return self.content.schedules.get_draft(self.actor(actor), unit, week)

    @rpc
    def schedule_history(self, actor, unit, week):
        return self.content.schedules.history(self.actor(actor), unit, week)

    @rpc
    @once_per_request
    def create_schedule(self, actor, unit, week, data):
        return self.content.schedules.create(self.actor(actor), unit, week, validate(ScheduleInput, data))

    @rpc
    @once_per_request
    def update_schedule(self, actor, unit, week, data, version=None):
        return self.content.schedules.update(self.actor(actor), unit, week, validate(ScheduleInput, data),
                                             expected_version(version))

    @rpc
    @once_per_request
    def publish_schedule(self, actor, unit, week, version=None):
        return self.announce(self.content.schedules.publish(self.actor(actor), unit, week,
                                                            expected_version(version)))
