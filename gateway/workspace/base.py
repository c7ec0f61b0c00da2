"""What every workspace page shares: the signed-in person, the unit they work in, forms with
CSRF protection, and answers no cache keeps.

A page's responder asks `self.staff(req, services)` (or `self.member(req, services, unit)`) who
is there; someone not signed in is sent to the sign-in page and back. A form is read with
`self.submitted(req)`, which gives the fields and whether the CSRF token held; a form refused
for its token is shown again with the fields as typed and a message, never half-saved. A form
sent after the session ended is kept through the sign-in (see signing_in.py) and offered back.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote

import falcon

from gateway.api.media import MAX_UPLOAD_BYTES
from gateway.errors import PortalHTTPError
from gateway.forms import CSRF_FIELD, CsrfGuard, read_form
from gateway.resources.base import Page, current_unit
from gateway.workspace import session
from services.common.actors import ActorAssertions
from services.common.errors import Unauthorized

HOME = "/quan-tri"
SIGN_IN = "/quan-tri/dang-nhap"
PASSWORD = "/quan-tri/mat-khau"
NEXT = "tiep"  # the query parameter naming where to go after signing in
KEPT_PREFIX = "giu__"  # a field of a form sent after the session ended, carried through the sign-in


@dataclass(frozen=True)
class Staff:
    """The signed-in person: `user` as the content service describes them (name, roles,
    permissions per unit), `actor` the assertion services act on, `session` the cookie's token."""

    user: dict
    actor: str
    session: str

    @property
    def name(self) -> str:
        return self.user["name"] or self.user["username"]

    def can(self, permission: str, unit: str) -> bool:
        return self.user["platform_admin"] or permission in self.user["permissions"].get(unit, ())

    def units(self) -> list[str]:
        return sorted(self.user["permissions"])

    def member_of(self, unit: str) -> bool:
        return self.user["platform_admin"] or unit in self.user["permissions"]


class SignInNeeded(Exception):
    """Nobody is signed in (or the session ended): the responder's work stops here."""


@dataclass
class Submitted:
    """A POSTed form: its fields, whether its CSRF token held, and its files (multipart forms:
    name -> {"filename", "content_type", "data", "too_big"}; a file input left empty is absent)."""

    fields: dict[str, str]
    trusted: bool
    files: dict[str, dict] = field(default_factory=dict)

    def get(self, name: str, default: str = "") -> str:
        return self.fields.get(name, default)


class Workspace(Page):
    """A workspace page. Every answer is `no-store`: no page cache, proxy or browser keeps it."""

    def __init__(self, rpc, templates, settings):
        super().__init__(rpc, templates)
        self.settings = settings
        self.guard = CsrfGuard(settings.GATEWAY_SECRET)
        self.assertions = ActorAssertions(settings.ACTOR_SECRET)

    def staff(self, req, services) -> Staff:
        """The person signed in; SignInNeeded if nobody is. Someone whose password was reset must
        choose their own before anything else."""
        token = session.token(req)
        if token is None:
            raise SignInNeeded()
        try:
            user = services.content.session_user(token)
        except Unauthorized:
            raise SignInNeeded() from None
        if user["must_change_password"] and req.path != PASSWORD:
            raise falcon.HTTPSeeOther(PASSWORD)
        return Staff(user, self.assertions.sign(user["username"]), token)

    def member(self, req, services, unit_slug: str, needs: str | None = None) -> tuple[Staff, dict]:
        """The person signed in and the unit they work in: 403 unless they hold a role there (or
        run the platform) that grants `needs` if given; 404 for no such unit; a merged unit's pages
        move to its successor's."""
        staff = self.staff(req, services)
        unit = current_unit(services, unit_slug, req)
        if not staff.member_of(unit["slug"]):
            raise PortalHTTPError(403, f"{staff.user['username']} holds no role in unit {unit_slug!r}")
        if needs is not None:
            self.require(staff, needs, unit["slug"])
        return staff, unit

    def require(self, staff: Staff, permission: str, unit: str) -> None:
        if not staff.can(permission, unit):
            raise PortalHTTPError(403, f"{staff.user['username']} may not {permission} in unit {unit!r}")

    def submitted(self, req) -> Submitted:
        fields = form_fields(req, self.settings.MAX_BODY_BYTES)
        trusted = self.guard.accepts(req, fields.pop(CSRF_FIELD, None))
        return Submitted(fields, trusted, dict(req.context.files))

    def render(self, req, resp, template: str, staff: Staff | None = None, **context):
        """A workspace page, with a fresh CSRF token for its forms and the person's menu."""
        token = self.guard.issue(req, resp)
        super().render(req, resp, template, staff=staff, csrf_field=CSRF_FIELD, csrf_token=token, **context)
        resp.cache_control = ["no-store"]


def form_fields(req, limit: int) -> dict[str, str]:
    """The request's form, urlencoded or multipart (its files go to `req.context.files`), read
    once: a second call gives the same fields, since the body is gone by then. A multipart form
    may be as large as the largest upload (413 past it)."""
    if not hasattr(req.context, "form"):
        req.context.files = {}
        if (req.content_type or "").startswith(falcon.MEDIA_MULTIPART):
            req.context.form = _multipart(req, req.context.files)
        else:
            req.context.form = read_form(req, limit)
    return dict(req.context.form)


def _multipart(req, files: dict) -> dict[str, str]:
    if req.content_length is None:
        raise PortalHTTPError(411, "A form with a file must state its Content-Length")
    if req.content_length > 2 * MAX_UPLOAD_BYTES:
        raise PortalHTTPError(413, f"Body is larger than {2 * MAX_UPLOAD_BYTES} bytes")
    fields = {}
    try:
        for part in req.get_media():
            data = part.stream.read(MAX_UPLOAD_BYTES + 1)
            part.stream.exhaust()
            if part.filename is not None:
                # A file over the largest upload is kept as its name only, so the form can say so
                # beside the fields as typed; the content service judges each kind's own limit.
                too_big = len(data) > MAX_UPLOAD_BYTES
                if part.filename and data:
                    files[part.name] = {"filename": part.filename, "content_type": part.content_type,
                                        "data": b"" if too_big else data, "too_big": too_big}
            elif part.name not in fields:
                fields[part.name] = data.decode("utf-8")
    except UnicodeDecodeError:
        raise PortalHTTPError(400, "The form is not UTF-8") from None
    except falcon.MediaMalformedError:
        raise PortalHTTPError(400, "The form is not a well-formed multipart body") from None
    return fields


def handle_sign_in_needed(render_sign_in, limit: int):
    """Falcon's handler for SignInNeeded: a GET goes to the sign-in page and comes back after; a
    POST shows the sign-in form at once, carrying what was typed, so nothing is lost."""

    def handle(req, resp, error, params):
        resp.cache_control = ["no-store"]
        if req.method == "GET":
            resp.status = falcon.HTTP_303
            resp.location = f"{SIGN_IN}?{NEXT}={quote(req.relative_uri, safe='/')}"
            return
        resp.status = falcon.HTTP_401
        try:
            kept = {name: value for name, value in form_fields(req, limit).items() if name != CSRF_FIELD}
        except PortalHTTPError:
            kept = {}
        render_sign_in(req, resp, next_path=req.path, kept=kept, ended=True)

    return handle


def safe_next(value: str | None) -> str:
    """Where to go after signing in: a workspace address only, never another site."""
    if isinstance(value, str) and value.startswith(HOME) and not value.startswith("//") and "\\" not in value:
        return value
    return HOME
