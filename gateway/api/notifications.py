"""The notices a staff member gets by email (their unit's monthly standing, reminders of what its
site lacks): which kinds, as the notify service keeps them for the token's user."""
from __future__ import annotations

from gateway.api.base import Api
from gateway.api.operations import operation


class MyNotifications(Api):
    @operation("The kinds of notice the caller gets by email", tag="notifications",
               answers={200: "NotificationPreferences"},
               description="standing: the unit's monthly ranking, to unit admins and editors-in-chief; "
                           "site_stale, waiting_questions, empty_schedule: reminders to the unit's board. "
                           "Every kind comes until turned off.")
    def on_get(self, req, resp):
        with self.services(req) as services:
            resp.media = services.notify.staff_preferences(self.actor(req, services))

    @operation("Turn kinds of notice on or off for the caller; the kinds not named stay as they were",
               tag="notifications", body="NotificationChoices", answers={200: "NotificationPreferences"})
    def on_put(self, req, resp):
        data = self.body(req)
        with self.services(req) as services:
            resp.media = services.notify.change_staff_preferences(self.actor(req, services), data)
