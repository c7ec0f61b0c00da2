"""The emails the service sends, composed from the Vietnamese text in templates/.

Each email is plain text (`<name>.txt`, with a `subject` and a `body` block) and the same in HTML
(`<name>.html`, extending layout.html), as multipart/alternative: mail clients show the HTML and
fall back to the text. The HTML carries no images and no tracking, its links are the portal's own,
and its one stylesheet (templates/email.css) is inlined into style attributes, the only CSS every
mail client keeps.

Every email carries the link to the page where its address manages its subscriptions
(`manage_url`) and its subscription's unsubscribe link, in its body and in a List-Unsubscribe
header for mail clients, which may POST to it at once without opening a page (RFC 8058 one-click:
List-Unsubscribe-Post).
"""
from __future__ import annotations

from email import policy
from email.header import Header
from email.headerregistry import HeaderRegistry, UnstructuredHeader
from email.message import EmailMessage
from email.utils import parseaddr
from importlib.resources import files
from urllib.parse import urlencode

import css_inline
from babel.numbers import format_decimal
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from services.common.config import Settings
from services.common.vietnam_time import LOCAL_TIME as PORTAL_TIMEZONE

# The portal's pages that act on a token (the gateway serves them).
CONFIRM_PATH = "/dang-ky/xac-nhan"
UNSUBSCRIBE_PATH = "/dang-ky/huy"
# Any subscription's token opens the page of every subscription of its address: whoever reads
# one of its emails holds the mailbox they all go to.
MANAGE_PATH = "/dang-ky/quan-ly"
# RFC 8058: the body a mail client POSTs to the List-Unsubscribe address to unsubscribe in one click.
ONE_CLICK_UNSUBSCRIBE = "List-Unsubscribe=One-Click"


class _Subject(UnstructuredHeader):
    """A subject folded by `email.header.Header`, inside its encoded words. Python 3.11's own
    folding breaks a long Vietnamese subject at a space between two encoded words, which readers
    drop: "Xã Phú Mậu" arrived as "XãPhú Mậu" in about four subjects in ten."""

    def fold(self, *, policy):
        text = str(self)
        if text.isascii():
            return super().fold(policy=policy)
        encoded = Header(text, "utf-8", header_name=self.name).encode(linesep=policy.linesep)
        return f"{self.name}: {encoded}{policy.linesep}"


class _Unfolded(UnstructuredHeader):
    """An ASCII header written as it is, on one line. Python encodes a header longer than 78
    characters that has no space to fold at (RFC 2047: `=?utf-8?q?=3Chttp…?=`), and mail clients
    then find no link in List-Unsubscribe and offer no one-click unsubscribe. A link is far
    below the 998 characters a line may hold."""

    def fold(self, *, policy):
        text = str(self)
        if not text.isascii():
            return super().fold(policy=policy)
        return f"{self.name}: {text}{policy.linesep}"


_headers = HeaderRegistry()
_headers.map_to_type("subject", _Subject)
_headers.map_to_type("list-unsubscribe", _Unfolded)
MESSAGE_POLICY = policy.default.clone(header_factory=_headers)

_templates = Environment(
    loader=PackageLoader("services.notify", "templates"),
    # HTML escapes what it shows; plain text must not: an article titled "A & B" reads "A & B".
    autoescape=select_autoescape(enabled_extensions=("html",), default=False),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
# No remote stylesheets: composing an email never reaches out to the network.
_inliner = css_inline.CSSInliner(
    load_remote_stylesheets=False,
    extra_css=files("services.notify").joinpath("templates", "email.css").read_text(encoding="utf-8"),
)


def confirmation(settings: Settings, subscription: dict, unit_name: str, branding: dict | None = None) -> EmailMessage:
    """`branding`: the subscribed unit's (units.branding_of), the portal's when None."""
    return _compose(
        "confirmation", settings, subscription,
        unit_name=unit_name,
        branding=branding or {},
        confirm_url=_link(settings, CONFIRM_PATH, subscription["token"]),
        confirm_by=subscription["confirm_by"].astimezone(PORTAL_TIMEZONE),
    )


def article_alert(settings: Settings, delivery: dict) -> EmailMessage:
    article = delivery["article"]
    message = _compose(
        "article", settings, delivery,
        article=article,
        unit_name=article["unit_name"],
        # Planned with the delivery; one planned before units had branding has the portal's.
        branding=delivery.get("branding") or {},
        article_url=settings.PUBLIC_URL.rstrip("/") + article["path"],
    )
    return _identified(message, settings, delivery)


def digest(settings: Settings, delivery: dict, items: list[dict]) -> EmailMessage:
    """A period's items in one message (a daily or weekly digest)."""
    message = _compose(
        "digest", settings, delivery,
        items=items,
        weekly=delivery["period"].startswith("weekly"),
        public_url=settings.PUBLIC_URL.rstrip("/"),
    )
    return _identified(message, settings, delivery)


def manage_url(settings: Settings, token: str) -> str:
    """The page where the address `token`'s subscription goes to manages all its subscriptions."""
    return _link(settings, MANAGE_PATH, token)


def _identified(message: EmailMessage, settings: Settings, delivery: dict) -> EmailMessage:
    # One per delivery, whichever send: a sender that died between the mail server taking the email
    # and recording it sent cannot know it went, so it is sent again, and mail systems recognise
    # the repeat by this header as the same message.
    message["Message-ID"] = f"<{delivery['_id']}@{parseaddr(settings.MAIL_FROM)[1].rpartition('@')[2]}>"
    return message


def _compose(name: str, settings: Settings, addressee: dict, **context) -> EmailMessage:
    """The email `name` to a subscriber. `addressee` is anything holding the recipient's `email`
    and subscription `token`."""
    unsubscribe_url = _link(settings, UNSUBSCRIBE_PATH, addressee["token"])
    message = _message(name, settings, addressee["email"], {
        # A subscription moved to the unit its own was merged into says so in its next email.
        "merged": addressee.get("merged"),
        **context, "unsubscribe_url": unsubscribe_url, "manage_url": manage_url(settings, addressee["token"])})
    message["List-Unsubscribe"] = f"<{unsubscribe_url}>"
    message["List-Unsubscribe-Post"] = ONE_CLICK_UNSUBSCRIBE
    return message


def _message(name: str, settings: Settings, to: str, context: dict) -> EmailMessage:
    """The email of templates `name`.txt (its subject and body blocks) and `name`.html, to `to`."""
    # Digests and staff notices carry the portal's branding (layout.html).
    context = {"branding": {}, **context, "sender_name": parseaddr(settings.MAIL_FROM)[0]}
    text = _templates.get_template(f"{name}.txt")
    rendering = text.new_context(context)
    # A header may not hold line breaks; a title with one must not break the email.
    subject = " ".join(_render_block(text, "subject", rendering).split())
    message = EmailMessage(policy=MESSAGE_POLICY)
    message["From"] = settings.MAIL_FROM
    message["To"] = to
    message["Subject"] = subject
    message.set_content(_render_block(text, "body", rendering))
    html = _templates.get_template(f"{name}.html").render(context, subject=subject)
    message.add_alternative(_inliner.inline(html), subtype="html")
    return message


def _render_block(template, block: str, rendering) -> str:
    return "".join(template.blocks[block](rendering))


def _link(settings: Settings, path: str, token: str) -> str:
    return f"{settings.PUBLIC_URL.rstrip('/')}{path}?{urlencode({'token': token})}"


# Notices to a unit's staff (services/notify/staff.py): the monthly standing to its leaders and
# reminders to its board. They follow no subscription, so they carry no unsubscribe link: each
# person turns each kind off on the workspace's page at STAFF_PREFERENCES_PATH, which their footer
# links to instead.
STAFF_PREFERENCES_PATH = "/quan-tri/thong-bao-email"
STAFF_TEMPLATES = {"standing": "staff_standing", "site_stale": "staff_reminder",
                   "waiting_questions": "staff_reminder", "empty_schedule": "staff_reminder"}


def staff_notice(settings: Settings, delivery: dict) -> EmailMessage:
    """The notice `delivery` holds (its "notice": kind, unit, figures), to the staff member it is for."""
    notice = delivery["notice"]
    public_url = settings.PUBLIC_URL.rstrip("/")
    name = STAFF_TEMPLATES[notice["kind"]]
    preferences_url = public_url + STAFF_PREFERENCES_PATH
    # The HTML layout's footer link, which a subscriber's email points at its unsubscribe page,
    # points at the preferences page (staff_layout.html names it so).
    context = {"notice": notice, "unit_name": notice["unit_name"], "public_url": public_url,
               "number": _vietnamese_number, "preferences_url": preferences_url, "unsubscribe_url": preferences_url}
    return _identified(_message(name, settings, delivery["email"], context), settings, delivery)


def _vietnamese_number(value: float) -> str:
    """72.5 → "72,5", as Vietnamese writes it."""
    return format_decimal(value, "#,##0.##", locale="vi")
