"""Citizens' questions and the unit's answers ("hỏi đáp").

    /{unit}/hoi-dap                       published answers, newest first (?trang=N)
    /{unit}/hoi-dap/{id}                  a question and its answer (never the asker's contact details)
    /{unit}/hoi-dap/gui-cau-hoi           GET the form, POST a question
    /{unit}/hoi-dap/gui-cau-hoi/da-gui    the confirmation, with the reference (?ma=, signed)

The form works without JavaScript and is protected by a double-submit token (gateway.forms).
How often one address may ask is counted by the content service, which owns questions, so
the limit holds across every gateway process.
"""
from __future__ import annotations

from urllib.parse import urlencode

import falcon

from gateway.errors import PortalHTTPError
from gateway.forms import CSRF_FIELD, HONEYPOT, CsrfGuard, Signer, read_form, see_other, too_many_requests
from gateway.paging import PAGE_PARAMETER, page_or_first, pagination
from gateway.resources.base import Page, unit_frame
from services.common.errors import InvalidInput, TooManyRequests

PER_PAGE = 10
# What the form sends, by the names the content service gives them.
QUESTION_FIELDS = ("asker_name", "asker_email", "asker_phone", "title", "question")
REFERENCE_PARAMETER = "ma"
REFERENCE_MAX_AGE = 7 * 24 * 60 * 60  # seconds the confirmation link keeps working


def list_url(unit: str, page: int) -> str:
    return f"/{unit}/hoi-dap" + (f"?{PAGE_PARAMETER}={page}" if page > 1 else "")


def sent_path(unit: str) -> str:
    return f"/{unit}/hoi-dap/gui-cau-hoi/da-gui"


def reference_signer(settings) -> Signer:
    """Signs the reference the confirmation page shows, so nobody can make the portal confirm
    a question it never received."""
    return Signer(settings.GATEWAY_SECRET, "question-reference", REFERENCE_MAX_AGE)


class QuestionList(Page):
    def on_get(self, req, resp, unit):
        page = page_or_first(req)
        with self.rpc.services() as services:
            frame = unit_frame(services, unit, req)
            listing = services.content.list_questions(unit, skip=(page - 1) * PER_PAGE, limit=PER_PAGE)
        self.render(req, resp, "questions.html", listing=listing, page=page,
                    pages=pagination(page, PER_PAGE, listing["total"]), per_page=PER_PAGE, list_url=list_url,
                    **frame)


class QuestionPage(Page):
    def on_get(self, req, resp, unit, question_id):
        with self.rpc.services() as services:
            frame = unit_frame(services, unit, req)
            question = services.content.get_question(unit, question_id)
        self.render(req, resp, "question.html", question=question, **frame)


class QuestionForm(Page):
    def __init__(self, rpc, templates, settings):
        super().__init__(rpc, templates)
        self.settings = settings
        self.guard = CsrfGuard(settings.GATEWAY_SECRET)
        self.references = reference_signer(settings)

    def on_get(self, req, resp, unit):
        with self.rpc.services() as services:
            frame = unit_frame(services, unit, req)
        self.show_form(req, resp, frame, {})

    def on_post(self, req, resp, unit):
        form = read_form(req, self.settings.MAX_BODY_BYTES)
        values = {name: form.get(name, "") for name in QUESTION_FIELDS}
        with self.rpc.services() as services:
            frame = unit_frame(services, unit, req)
            if not self.guard.accepts(req, form.get(CSRF_FIELD)):
                # Expired, or sent from another site: what it carried is not shown back.
                resp.status = falcon.HTTP_403
                return self.show_form(req, resp, frame, {}, expired=True)
            if form.get(HONEYPOT):
                return see_other(resp, f"/{unit}/hoi-dap")
            try:
                asked = services.content.ask_question(unit, values, client=req.context.client)
            except InvalidInput as error:
                resp.status = falcon.HTTP_422
                return self.show_form(req, resp, frame, values, problems=error.fields)
            except TooManyRequests as error:
                minutes = too_many_requests(resp, error)
                return self.render(req, resp, "question_too_many.html", minutes=minutes,
                                   limit=self.settings.QUESTION_RATE_LIMIT, **frame)
        signed = self.references.dumps({"unit": unit, "reference": asked["reference"]})
        see_other(resp, sent_path(unit) + "?" + urlencode({REFERENCE_PARAMETER: signed}))

    def show_form(self, req, resp, frame: dict, values: dict, problems: dict | None = None, expired=False):
        token = self.guard.issue(req, resp)
        self.render(req, resp, "question_form.html", values={name: values.get(name, "") for name in QUESTION_FIELDS},
                    problems=problems or {}, token=token, csrf_field=CSRF_FIELD, expired=expired, **frame)


class QuestionSent(Page):
    def __init__(self, rpc, templates, settings):
        super().__init__(rpc, templates)
        self.references = reference_signer(settings)

    def on_get(self, req, resp, unit):
        sent = self.references.loads(req.get_param(REFERENCE_PARAMETER))
        if not isinstance(sent, dict) or sent.get("unit") != unit:
            raise PortalHTTPError(404, "No question was sent with this reference")
        with self.rpc.services() as services:
            frame = unit_frame(services, unit, req)
        # The reference is the citizen's own: no shared cache keeps it.
        resp.cache_control = ["no-store"]
        self.render(req, resp, "question_sent.html", reference=sent["reference"], **frame)
