"""The notifications service: citizens subscribe by email to a unit's news, confirm by
following a link, and are then emailed each article the unit publishes, once."""

from services.common.events import ArticlePublished, ArticleUnpublished, handles, utcnow
from services.common.mongo import MongoStorage
from services.common.rpc import RpcProxy, rpc
from services.common.schemas import PublishesSchemas
from services.common.timers import sweep_timer
from services.notify.delivery import send_due_deliveries
from services.notify.dependencies import Mailer, SubscriptionStore
from services.notify.schemas import SubscribeRequest, Subscription, TokenRequest, public_view, validate


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
            self.storage.clients.admit(client, utcnow())
        request = validate(SubscribeRequest, email=email, unit=unit)
        unit_record = self.content.get_unit(request.unit)  # NotFound for an unknown unit
        subscription = self.storage.subscribe(request.email, request.unit)
        if subscription["status"] == "pending":
            self._send_confirmation(subscription, unit_record["name"])
        return public_view(subscription)

    def _send_confirmation(self, subscription: dict, unit_name: str):
        """At most one confirmation an hour (throttles.py): later attempts answer the same, but
        send nothing, so the portal cannot be used to flood a mailbox."""
        claimed_at = self.storage.claim_confirmation(subscription)
        if claimed_at is None:
            return
        try:
            self.mail.send_confirmation(subscription, unit_name)
        except BaseException:
            self.storage.release_confirmation(subscription, claimed_at)
            raise

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
