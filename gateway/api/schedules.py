"""Leadership schedules ("lịch công tác") through the JSON API: the weeks a unit published, for
anyone; each week's working copy, its publication, copies of another week and its revisions, for
the unit's editorial board. Weeks are ISO weeks (2026-W48); times are Vietnam's (+07:00)."""
from __future__ import annotations

import falcon

from gateway.api.base import Api
from gateway.api.operations import Param, operation
from gateway.api.revisions import FROM_TO, versions_compared

TAG = "schedules"


class PublishedWeeks(Api):
    @operation("A unit's published weeks, newest first", tag=TAG, auth=None, lists="ScheduleWeekSummary",
               sorts=("-week",))
    def on_get(self, req, resp, unit):
        query = self.list_query(req, self.on_get)
        with self.services(req) as services:
            resp.media = self.list_page(req, query, services.content.schedule_weeks(unit, query.fetch, query.skip))


class PublishedWeek(Api):
    @operation("A week as published", tag=TAG, auth=None, answers={200: "PublishedWeek"},
               description="The copy last published; a week never published answers with no entries.",
               params=(Param("leader", {"type": "string"},
                             "only this leader's entries (case, spacing and accents as typed do not matter)"),))
    def on_get(self, req, resp, unit, week):
        with self.services(req) as services:
            resp.media = services.content.get_schedule(unit, week, req.get_param("leader"))


class WeekDraft(Api):
    @operation("A week's working copy", tag=TAG, answers={200: "ScheduleDraft"})
    def on_get(self, req, resp, unit, week):
        with self.services(req) as services:
            resp.media = services.content.get_schedule_draft(self.actor(req, services), unit, week)

    @operation("Create or change a week's working copy", tag=TAG, body="ScheduleChange",
               answers={200: "ScheduleDraft", 201: "ScheduleDraft"}, errors=(409,),
               description="Without a `version` the week's working copy is created (201; 409 if it exists, "
                           "naming its version); with one, its entries are replaced by those given (an entry "
                           "kept names its `id`). The public sees nothing until the week is published.")
    def on_put(self, req, resp, unit, week):
        data = self.body(req)
        with self.services(req) as services:
            actor = self.actor(req, services)
            if data.get("version") is None:
                fields = {name: value for name, value in data.items() if name != "version"}
                resp.media = services.content.create_schedule(actor, unit, week, fields)
                resp.status = falcon.HTTP_201
            else:
                resp.media = services.content.update_schedule(actor, unit, week, data)


class WeekPublication(Api):
    @operation("Publish a week's working copy", tag=TAG, body="SchedulePublication", answers={200: "ScheduleDraft"},
               errors=(409,), description="Each publication is a new version, announced in full; 409 when the "
                                          "public copy already stands as the working copy does.")
    def on_post(self, req, resp, unit, week):
        data = self.optional_body(req)
        with self.services(req) as services:
            resp.media = services.content.publish_schedule(self.actor(req, services), unit, week, data=data)


class WeekCopy(Api):
    @operation("Fill a week's working copy with another week's entries", tag=TAG, body="ScheduleCopy",
               answers={200: "ScheduleDraft"}, errors=(409,),
               description="The entries of `from_week`'s working copy (the week before if left out) at the same "
                           "weekdays and times, as new entries. A working copy that already has entries is "
                           "replaced only with `replace: true` and its `version` (409 otherwise); the public "
                           "sees nothing until the week is published.")
    def on_post(self, req, resp, unit, week):
        data = self.optional_body(req)
        with self.services(req) as services:
            resp.media = services.content.copy_schedule(self.actor(req, services), unit, week, data)


class WeekRevisions(Api):
    @operation("A week's revisions, oldest first", tag=TAG, lists="Revision", sorts=("version",))
    def on_get(self, req, resp, unit, week):
        query = self.list_query(req, self.on_get)
        with self.services(req) as services:
            resp.media = self.list_page(req, query, services.content.schedule_history(
                self.actor(req, services), unit, week, query.skip, query.fetch))


class WeekDiff(Api):
    @operation("Two revisions of a week compared", tag=TAG, params=FROM_TO, answers={200: "RevisionDiff"})
    def on_get(self, req, resp, unit, week):
        first, second = versions_compared(req)
        with self.services(req) as services:
            resp.media = services.content.schedule_diff(self.actor(req, services), unit, week, first, second)


class WeekRollback(Api):
    @operation("Restore a revision's entries as the working copy's next version", tag=TAG, body="Rollback",
               answers={200: "ScheduleDraft"}, errors=(409,),
               description="The public sees the restored entries once the week is published again.")
    def on_post(self, req, resp, unit, week):
        resp.media = self.change(req, "rollback_schedule", unit, week)
