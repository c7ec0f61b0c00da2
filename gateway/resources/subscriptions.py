"""Subscribing to a unit's news by email, on the site.

    /{unit}/dang-ky-nhan-tin          GET the form alone, POST an address (the form is also on the
                                      unit's home, its news lists and the portal's home)
    /{unit}/dang-ky-nhan-tin/da-gui   "check your mailbox", whatever the address's standing
    /dang-ky/xac-nhan?token=          the confirmation link of the email: GET shows a button, POST confirms
    /dang-ky/huy?token=               the unsubscribe link of every email: GET shows a button, POST
                                      cancels; also the List-Unsubscribe target mail clients POST to
                                      (RFC 8058), answered with a short text
    /dang-ky/quan-ly?token=           every subscription of the address a link of its emails went to:
                                      GET lists them, POST changes one's frequency or ends it

A link acts only on POST: mail scanners and link previews open every link of an email with a
GET, and would otherwise confirm or cancel subscriptions nobody asked about. The token in the
address is the credential, so these POSTs need no form token (a mail client's one-click POST
carries no cookie). Acting twice is harmless: the notify service answers a repeat as the first.

The form is guarded like the question form, but the copies of it on shared pages (which the
page cache keeps for everyone) cannot hold a visitor's own token: a POST from them is taken
when the browser says it comes from this site (gateway.forms.sent_from_this_site); one that
has neither the token nor that word is answered with the form alone, with a token, to send again.
How often one address may subscribe is counted by the notify service, across every gateway.
"""
from __future__ import annotations

from urllib.parse import urlencode

import falcon

from gateway.forms import (
    CSRF_FIELD,
    FORM_TYPE,
    HONEYPOT,
    CsrfGuard,
    read_form,
    see_other,
    sent_from_this_site,
    too_many_requests,
)
from gateway.resources.base import Page, unit_frame
from gateway.unit_names import distinct_names
from services.common.errors import InvalidInput, NotFound, TooManyRequests

TOKEN_PARAMETER = "token"
# RFC 8058: what a mail client's one-click unsubscribe POSTs.
ONE_CLICK = ("List-Unsubscribe", "One-Click")
# The notify service's reasons for refusing a token it knows, by the value it gives the field.
KNOWN_TOKEN_PROBLEMS = {"expired": "expired", "unsubscribed": "cancelled"}


def sent_path(unit: str) -> str:
    return f"/{unit}/dang-ky-nhan-tin/da-gui"


class SubscribeForm(Page):
    def __init__(self, rpc, templates, settings):
        super().__init__(rpc, templates)
        self.settings = settings
        self.guard = CsrfGuard(settings.GATEWAY_SECRET)

    def on_get(self, req, resp, unit):
        with self.rpc.services() as services:
            frame = unit_frame(services, unit, req)
            frame["has_units_under"] = has_units_under(services, unit)
        self.show_form(req, resp, frame, {})

    def on_post(self, req, resp, unit):
        form = read_form(req, self.settings.MAX_BODY_BYTES)
        email = form.get("email", "")
        # A box left unticked is not sent at all; a radio left alone sends its checked value.
        choices = {"frequency": form.get("frequency") or "immediately",
                   "with_units_under": bool(form.get("with_units_under"))}
        with self.rpc.services() as services:
            frame = unit_frame(services, unit, req)
            frame["has_units_under"] = has_units_under(services, unit)
            if not (self.guard.accepts(req, form.get(CSRF_FIELD)) or sent_from_this_site(req)):
                # Expired, from another site, or from a browser that does not say: what it carried
                # is not shown back.
                resp.status = falcon.HTTP_403
                return self.show_form(req, resp, frame, {}, expired=True)
            if form.get(HONEYPOT):
                return see_other(resp, sent_path(unit))
            try:
                services.notify.subscribe(email, unit, client=req.context.client, **choices)
            except InvalidInput as error:
                resp.status = falcon.HTTP_422
                return self.show_form(req, resp, frame, {"email": email, **choices}, problems=error.fields)
            except TooManyRequests as error:
                minutes = too_many_requests(resp, error)
                return self.render(req, resp, "subscribe_too_many.html", minutes=minutes, **frame)
        # The same answer whether the address was new, pending or confirmed: the page tells
        # nobody who subscribes to what.
        see_other(resp, sent_path(unit))

    def show_form(self, req, resp, frame: dict, typed: dict, problems: dict | None = None, expired=False):
        """The form with what was `typed` (email, frequency, with_units_under) shown back."""
        token = self.guard.issue(req, resp)
        self.render(req, resp, "subscribe_form.html", email=typed.get("email", ""),
                    frequency=typed.get("frequency", "immediately"),
                    with_units_under=typed.get("with_units_under", False),
                    problems=problems or {}, token=token, csrf_field=CSRF_FIELD, expired=expired, **frame)


class SubscribeSent(Page):
    def on_get(self, req, resp, unit):
        with self.rpc.services() as services:
            frame = unit_frame(services, unit, req)
        self.render(req, resp, "subscribe_sent.html", **frame)


class SubscriptionLink(Page):
    """One of the links in subscription emails: `confirm` or `unsubscribe`."""

    def __init__(self, rpc, templates, settings, action: str):
        super().__init__(rpc, templates)
        self.settings = settings
        self.action = action

    def on_get(self, req, resp):
        token = link_token(req, resp)
        if not token:
            return self.refuse(req, resp, 404, "missing")
        self.render(req, resp, "subscription_link.html", action=self.action, token=token)

    def on_post(self, req, resp):
        token = link_token(req, resp)
        if not token:
            return self.refuse(req, resp, 404, "missing")
        one_click = self.action == "unsubscribe" and self.one_click(req)
        with self.rpc.services() as services:
            try:
                subscription = getattr(services.notify, self.action)(token)
            except NotFound:
                return self.refuse(req, resp, 404, "unknown")
            except InvalidInput as error:
                problem = KNOWN_TOKEN_PROBLEMS.get(error.fields.get(TOKEN_PARAMETER))
                # A token the service refuses by its shape was never one of ours: as unknown as a guess.
                return self.refuse(req, resp, 422 if problem else 404, problem or "unknown")
            if one_click:
                resp.content_type = falcon.MEDIA_TEXT
                resp.text = self.templates.get_template("subscription_one_click.txt").render()
                return
            unit = services.content.get_unit(subscription["unit"])
        self.render(req, resp, f"subscription_{self.action}.html", subscription=subscription, unit=unit)

    def refuse(self, req, resp, status: int, problem: str):
        resp.status = falcon.code_to_http_status(status)
        self.render(req, resp, "subscription_link_problem.html", action=self.action, problem=problem)

    def one_click(self, req) -> bool:
        """Whether a mail client sent this POST (RFC 8058), which wants a short answer, not a page.
        Only a URL-encoded body is read: any other POST is the page's button or a client
        sending multipart, and all of them unsubscribe alike."""
        if not (req.content_type or "").startswith(FORM_TYPE):
            return False
        name, value = ONE_CLICK
        return read_form(req, self.settings.MAX_BODY_BYTES).get(name) == value


class ManagePage(Page):
    """Every subscription of one address, reached by the token of any link in its emails; each
    with buttons to change how often it is emailed or to end it. Like the email links, it acts
    only on POST, and the token is the credential."""

    def __init__(self, rpc, templates, settings):
        super().__init__(rpc, templates)
        self.settings = settings

    def on_get(self, req, resp):
        token = link_token(req, resp)
        if not token:
            return self.refuse(req, resp, 404, "missing")
        with self.rpc.services() as services:
            try:
                subscriptions = services.notify.list_subscriptions(token)
            except (NotFound, InvalidInput):  # a token of the wrong shape was never one of ours
                return self.refuse(req, resp, 404, "unknown")
            names = distinct_names(services.content.list_units())
            units = {unit: names.get(unit, unit) for unit in {s["unit"] for s in subscriptions}}
        self.render(req, resp, "subscription_manage.html", subscriptions=subscriptions, units=units,
                    token=token, changed=req.get_param("da-luu") is not None)

    def on_post(self, req, resp):
        token = link_token(req, resp)
        if not token:
            return self.refuse(req, resp, 404, "missing")
        form = read_form(req, self.settings.MAX_BODY_BYTES)
        subscription = form.get("subscription", "")
        with self.rpc.services() as services:
            try:
                if form.get("action") == "unsubscribe":
                    services.notify.unsubscribe_one(token, subscription)
                else:
                    services.notify.change_frequency(token, subscription, form.get("frequency", ""))
            except NotFound:
                return self.refuse(req, resp, 404, "unknown")
            except InvalidInput:
                return self.refuse(req, resp, 422, "choice")
        see_other(resp, f"{req.path}?{urlencode({TOKEN_PARAMETER: token, 'da-luu': ''})}")

    def refuse(self, req, resp, status: int, problem: str):
        resp.status = falcon.code_to_http_status(status)
        self.render(req, resp, "subscription_link_problem.html", action="manage", problem=problem)


def has_units_under(services, unit: str) -> bool:
    """Whether the form offers to follow the units under `unit` too (a district's communes)."""
    return bool(services.content.list_units(parent=unit, limit=1))


def link_token(req, resp) -> str:
    """The link's token ('' if it has none). Every answer about a link holds its token, so no cache keeps one."""
    resp.cache_control = ["no-store"]
    return (req.get_param(TOKEN_PARAMETER) or "").strip()
