"""The notifications service: citizens subscribe by email to a unit's news, confirm by
following a link, and are then emailed each article the unit publishes, once."""

from nameko.timer import timer

from services.common.events import ArticlePublished, ArticleUnpublished, handles, utcnow
from services.common.mongo import MongoStorage
from services.common.rpc import RpcProxy, rpc
from services.common.schemas import PublishesSchemas
from services.common.timers import sweep_timer
from services.notify.delivery import MESSAGE_ERRORS, send_due_deliveries
from services.notify.dependencies import Mailer, SubscriptionStore
from services.notify.refusals import is_permanent
from services.notify.retention import RETENTION_INTERVAL
from services.notify.schemas import (
    ClientAddress,
    FiguresRequest,
    SubscribeRequest,
    Subscription,
    TokenRequest,
    public_view,
    validate,
)


class NotifyService(PublishesSchemas):
    name = "notify"
    api_inputs = (SubscribeRequest,)
    api_outputs = (Subscription,)

    storage = MongoStorage(SubscriptionStore, "NOTIFY_DB")
    mail = Mailer()
    content = RpcProxy("content")

    @rpc
    def subscribe(self, email: str, unit: str, client: str | None = None) -> dict:
        """Subscribe `email` to `unit`'s news, pending until the emailed link is followed.

        `client` is the address the request came from, as the gateway sees it: a client that
        subscribes too often is refused with TooManyRequests."""
        if client:
            self.storage.clients.admit(validate(ClientAddress, client=client).client, utcnow())
        request = validate(SubscribeRequest, email=email, unit=unit)
        unit_record = self.content.get_unit(request.unit)  # NotFound for an unknown unit
        subscription = self.storage.subscribe(request.email, request.unit)
        if subscription["status"] == "pending":
            self._send_confirmation(subscription, unit_record["name"])
        return public_view(subscription)

    @rpc
    def delivery_figures(self, days: int = 7) -> dict:
        """Emails sent and refused for good on each of the last `days` days (the portal's
        dates), with the bounce rates at which Canada's Notify warns and suspends a service."""
        request = validate(FiguresRequest, days=days)
        return self.storage.refusals.daily(request.days)

    def _send_confirmation(self, subscription: dict, unit_name: str):
        """At most one confirmation an hour (throttles.py), and none to an address the mail
        server refused for good (refusals.py). Either way the caller gets the same answer as any
        subscriber: telling them apart would tell anyone which addresses bounce, or who
        subscribed lately."""
        if self.storage.refusals.is_suppressed(subscription["email"]):
            return
        claimed_at = self.storage.claim_confirmation(subscription)
        if claimed_at is None:
            return
        try:
            self.mail.send_confirmation(subscription, unit_name)
        except MESSAGE_ERRORS as error:
            if not is_permanent(error):
                self.storage.release_confirmation(subscription, claimed_at)
                raise
            self.storage.refusals.suppress(subscription["email"], error)
            self.storage.refusals.count("refused")
        except BaseException:
            self.storage.release_confirmation(subscription, claimed_at)
            raise
        else:
            self.storage.refusals.count("sent")

    @rpc
    def confirm(self, token: str) -> dict:
        request = validate(TokenRequest, token=token)
        return public_view(self.storage.confirm(request.token))

    @rpc
    def unsubscribe(self, token: str) -> dict:
        request = validate(TokenRequest, token=token)
        return public_view(self.storage.unsubscribe(request.token))

    @handles("article_published")
    def notify_subscribers(self, event: ArticlePublished):
        if self.storage.articles.published(event):
            self.storage.plan_deliveries(event)
        send_due_deliveries(self.storage, self.mail)

    @handles("article_unpublished")
    def withdraw_article(self, event: ArticleUnpublished):
        """A withdrawn article's emails not sent yet are cancelled; a late publication of the
        same version or an older one sends nothing (articles.py)."""
        if self.storage.articles.unpublished(event):
            self.storage.cancel_deliveries_of(event.document_id)

    @sweep_timer
    def sweep(self):
        """Send what a failed send or a dead process left pending."""
        send_due_deliveries(self.storage, self.mail)

    @timer(interval=RETENTION_INTERVAL.total_seconds(), eager=True)
    def forget_old(self):
        """Forget the addresses of long-ended subscriptions and the records of old emails
        (retention.py): at start, then daily."""
        self.storage.apply_retention()
