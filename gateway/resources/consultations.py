"""Drafts put out for comment ("lấy ý kiến dự thảo văn bản").

    /{unit}/du-thao          open drafts first (closing soonest first), then closed ones (?trang=N)
    /{unit}/du-thao/{id}     the draft, its file, the days left and the comment form while it is
                             open (POST a comment), its published comments, and once closed the
                             summary of comments and the unit's response

The form works without JavaScript and is protected by a double-submit token (gateway.forms), as
the question form is; how often one address may comment is counted by the content service.
"""
from __future__ import annotations

import falcon

from gateway.forms import CSRF_FIELD, HONEYPOT, CsrfGuard, read_form, see_other, too_many_requests
from gateway.paging import PAGE_PARAMETER, page_or_first, pagination
from gateway.resources.base import Page, unit_frame
from services.common.errors import Conflict, InvalidInput, TooManyRequests

PER_PAGE = 10
COMMENT_FIELDS = ("name", "contact", "body")
SENT_PARAMETER = "da-gui"


def list_url(unit: str, page: int) -> str:
    return f"/{unit}/du-thao" + (f"?{PAGE_PARAMETER}={page}" if page > 1 else "")


class ConsultationList(Page):
    def on_get(self, req, resp, unit):
        page = page_or_first(req)
        with self.rpc.services() as services:
            frame = unit_frame(services, unit, req)
            listing = services.content.list_consultations(unit, skip=(page - 1) * PER_PAGE, limit=PER_PAGE)
        if any(item["status"] == "open" for item in listing["consultations"]):
            # Days left change with the calendar, which sends no event to make a kept copy stale.
            resp.context.page_cache = False
        self.render(req, resp, "consultations.html", listing=listing, page=page,
                    pages=pagination(page, PER_PAGE, listing["total"]), per_page=PER_PAGE, list_url=list_url,
                    **frame)


class ConsultationPage(Page):
    def __init__(self, rpc, templates, settings):
        super().__init__(rpc, templates)
        self.settings = settings
        self.guard = CsrfGuard(settings.GATEWAY_SECRET)

    def on_get(self, req, resp, unit, consultation_id):
        with self.rpc.services() as services:
            self.show(req, resp, services, unit, consultation_id, {}, sent=req.get_param(SENT_PARAMETER) == "1")

    def on_post(self, req, resp, unit, consultation_id):
        form = read_form(req, self.settings.MAX_BODY_BYTES)
        values = {name: form.get(name, "") for name in COMMENT_FIELDS}
        with self.rpc.services() as services:
            if not self.guard.accepts(req, form.get(CSRF_FIELD)):
                # Expired, or sent from another site: what it carried is not shown back.
                resp.status = falcon.HTTP_403
                return self.show(req, resp, services, unit, consultation_id, {}, expired=True)
            if form.get(HONEYPOT):
                return see_other(resp, f"/{unit}/du-thao/{consultation_id}")
            try:
                services.content.comment_on_consultation(unit, consultation_id, values, client=req.context.client)
            except InvalidInput as error:
                resp.status = falcon.HTTP_422
                return self.show(req, resp, services, unit, consultation_id, values, problems=error.fields)
            except Conflict:
                # The closing day passed while the form was open: the page now says so.
                resp.status = falcon.HTTP_409
                return self.show(req, resp, services, unit, consultation_id, {}, late=True)
            except TooManyRequests as error:
                minutes = too_many_requests(resp, error)
                return self.show(req, resp, services, unit, consultation_id, values, too_many=minutes)
        see_other(resp, f"/{unit}/du-thao/{consultation_id}?{SENT_PARAMETER}=1#gui-y-kien")

    def show(self, req, resp, services, unit: str, consultation_id: str, values: dict, problems=None, **notes):
        frame = unit_frame(services, unit, req)
        consultation = services.content.get_consultation(unit, consultation_id)
        comments = services.content.list_consultation_comments(unit, consultation_id)
        token = self.guard.issue(req, resp) if consultation["status"] == "open" else None
        # Comments published after closing send no event that would make a kept copy stale.
        resp.context.page_cache = False
        notes = {"sent": False, "late": False, "expired": False, "too_many": None, **notes}
        if notes["sent"]:
            resp.cache_control = ["no-store"]  # the acknowledgement is this citizen's own
        self.render(req, resp, "consultation.html", consultation=consultation, comments=comments,
                    values={name: values.get(name, "") for name in COMMENT_FIELDS}, problems=problems or {},
                    token=token, csrf_field=CSRF_FIELD, limit=self.settings.QUESTION_RATE_LIMIT, **notes, **frame)
