"""Subscribing to a unit's news (or other content) by email, through the API: open to anyone, as
the site's form is; nothing is sent but the confirmation link until it is followed."""
from __future__ import annotations

import falcon

from gateway.api.base import Api
from gateway.api.operations import operation

# What narrows or widens a subscription, and how often it is emailed; the notify service checks them.
SCOPE_FIELDS = ("with_units_under", "category", "kind", "frequency")


class Subscriptions(Api):
    @operation("Subscribe an email address to a unit's news (pending until the emailed link is followed)",
               tag="subscriptions", auth=None, body="SubscribeRequest", answers={202: "Subscription"},
               errors=(404, 429),
               description="By default the unit's news, emailed as each article is published; `kind` "
                           "chooses legal documents, leadership schedules or answers to citizens instead, "
                           "`with_units_under` adds the units under the unit, `category` narrows news to "
                           "one of the unit's categories, `frequency` asks for a daily or weekly digest "
                           "(07:00, Vietnam time). One client address may ask for a limited number of "
                           "subscriptions an hour; past it the answer is 429 with `retry_after`. A "
                           "subscription is sent at most one confirmation email an hour, however often it "
                           "is asked for.")
    def on_post(self, req, resp):
        data = self.body(req)
        with self.services(req) as services:
            scope = {field: data[field] for field in SCOPE_FIELDS if field in data}
            resp.media = services.notify.subscribe(data.get("email"), data.get("unit"),
                                                   client=req.context.client, **scope)
        resp.status = falcon.HTTP_202
