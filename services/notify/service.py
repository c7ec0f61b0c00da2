"""The notifications service: citizens subscribe by email to a unit's news (or its legal
documents, leadership schedules, answers to citizens; with the units under it or one category),
confirm by following a link, and are then emailed each item once, as it comes or in a daily or
weekly digest; one page per address manages them all. A unit's staff are emailed its monthly
standing and reminders of what its site lacks (staff.py, reminders.py), each kind as they choose."""

from nameko.dependency_providers import Config
from nameko.timer import timer

from services.common.actors import ActingUser
from services.common.config import Settings
from services.common.errors import InvalidInput
from services.common.events import (
    ArticlePublished,
    ArticleUnpublished,
    ConsultationOpened,
    DocumentPublished,
    ProcedurePublished,
    QuestionAnswered,
    RankingPublished,
    SchedulePublished,
    SiteStale,
    UnitUpdated,
    handles,
    utcnow,
)
from services.common.ops.endpoint import MongoReachable, Ops
from services.common.rpc import RpcProxy, rpc
from services.common.schemas import PublishesSchemas
from services.common.timers import sweep_timer
from services.notify import reminders
from services.notify.delivery import MESSAGE_ERRORS, send_due_deliveries
from services.notify.dependencies import Mailer, SubscriptionStorage
from services.notify.digests import DIGEST_CHECK_INTERVAL
from services.notify.items import is_news, item_of
from services.notify.refusals import is_permanent
from services.notify.reminders import REMINDER_CHECK_INTERVAL
from services.notify.retention import RETENTION_INTERVAL
from services.notify.schemas import (
    ClientAddress,
    DeliveryFigures,
    FiguresRequest,
    FrequencyChange,
    ManagedSubscription,
    ManageRequest,
    SubscribeRequest,
    Subscription,
    TokenRequest,
    managed_view,
    public_view,
    validate,
)
from services.notify.staff import NotificationChoices, NotificationPreferences, tell_staff
from services.notify.units import branding_of


class NotifyService(PublishesSchemas):
    name = "notify"
    api_inputs = (SubscribeRequest, NotificationChoices, FiguresRequest)
    api_outputs = (Subscription, ManagedSubscription, NotificationPreferences, DeliveryFigures)

    storage = SubscriptionStorage()
    mail = Mailer()
    content = RpcProxy("content")
    acting = ActingUser()
    config = Config()
    ops = Ops(MongoReachable)

    @rpc
    def subscribe(self, email: str, unit: str, client: str | None = None, *, with_units_under: bool = False,
                  category: str | None = None, kind: str = "news", frequency: str = "immediately") -> dict:
        """Subscribe `email` to `unit`'s news, pending until the emailed link is followed; or to
        its `kind` of content ("news", "documents", "schedules", "answers"), with the units under
        it, in one news `category` of it; emailed `frequency` "immediately", "daily" or "weekly".

        `client` is the address the request came from, as the gateway sees it: a client that
        subscribes too often is refused with TooManyRequests."""
        request = validate(SubscribeRequest, email=email, unit=unit, with_units_under=with_units_under,
                           category=category, kind=kind, frequency=frequency)
        # Counted once the request is well formed: a malformed one sends nothing and writes nothing.
        if client:
            self.storage.clients.admit(validate(ClientAddress, client=client).client, utcnow())
        unit_record = self.content.get_unit(request.unit)  # NotFound for an unknown unit
        if request.category is not None:
            self._require_category(request)
        subscription = self.storage.subscribe(
            request.email, request.unit, request.frequency,
            **request.model_dump(include={"with_units_under", "category", "kind"}))
        if subscription["status"] == "pending":
            self._send_confirmation(subscription, unit_record["name"], branding_of(unit_record))
        return public_view(subscription)

    def _require_category(self, request: SubscribeRequest):
        if request.kind != "news":
            raise InvalidInput("Only news has categories", {"category": "only news has categories"})
        if request.category not in {category["slug"] for category in self.content.list_categories(request.unit)}:
            raise InvalidInput(f"Unit {request.unit!r} has no category {request.category!r}",
                               {"category": "unknown"})

    @rpc
    def list_subscriptions(self, token: str) -> list[dict]:
        """Every subscription of the address the link `token` was sent to (its manage page)."""
        request = validate(TokenRequest, token=token)
        return [managed_view(subscription) for subscription in self.storage.subscriptions_of(request.token)]

    @rpc
    def change_frequency(self, token: str, subscription: str, frequency: str) -> dict:
        """From the manage page reached by `token`: how often its address's `subscription` is emailed."""
        request = validate(FrequencyChange, token=token, subscription=subscription, frequency=frequency)
        found = self.storage.managed(request.token, request.subscription)
        return managed_view(self.storage.change_frequency(found, request.frequency))

    @rpc
    def unsubscribe_one(self, token: str, subscription: str) -> dict:
        """From the manage page reached by `token`: end its address's `subscription`."""
        request = validate(ManageRequest, token=token, subscription=subscription)
        found = self.storage.managed(request.token, request.subscription)
        return managed_view(self.storage.unsubscribe(found["token"]))

    @rpc
    def delivery_figures(self, days: int = 7) -> dict:
        """Emails sent and refused for good on each of the last `days` days (the portal's
        dates), with the bounce rates at which Canada's Notify warns and suspends a service."""
        request = validate(FiguresRequest, days=days)
        return self.storage.refusals.daily(request.days)

    def _send_confirmation(self, subscription: dict, unit_name: str, branding: dict):
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
            self.mail.send_confirmation(subscription, unit_name, branding)
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
        # An old article is not recorded either: what is never told needs no guard against a late repeat.
        if is_news(item_of(event), utcnow()) and self.storage.articles.published(event):
            self._plan_and_send(event, event.article.unit)

    @handles("document_published")
    def notify_document_subscribers(self, event: DocumentPublished):
        self._tell_subscribers(event, event.document.unit)

    @handles("schedule_published")
    def notify_schedule_subscribers(self, event: SchedulePublished):
        self._tell_subscribers(event, event.schedule.unit)

    @handles("question_answered")
    def notify_answer_subscribers(self, event: QuestionAnswered):
        self._tell_subscribers(event, event.question.unit)

    @handles("consultation_opened")
    def notify_consultation_subscribers(self, event: ConsultationOpened):
        self._tell_subscribers(event, event.consultation.unit)

    @handles("procedure_published")
    def notify_procedure_subscribers(self, event: ProcedurePublished):
        self._tell_subscribers(event, event.procedure.unit)

    def _tell_subscribers(self, event, unit: str):
        """Nothing for an item public long before (items.NEWS_FOR)."""
        if is_news(item_of(event), utcnow()):
            self._plan_and_send(event, unit)

    def _plan_and_send(self, event, unit: str):
        """The unit is looked up once for the event: the units above it, and its branding,
        written into each delivery (any worker sends an email from its delivery alone)."""
        record = self._unit(unit)
        self.storage.plan_deliveries(event, self._units_above(record), branding_of(record))
        send_due_deliveries(self.storage, self.mail)

    def _units_above(self, unit: dict) -> list[str]:
        """The units `unit` is under (its district, the province), whose subscribers with the
        units under them follow it too."""
        above = []
        parent = unit.get("parent")
        while parent and parent not in above:  # a loop in the tree must not hang the handler
            above.append(parent)
            parent = self._unit(parent).get("parent")
        return above

    def _unit(self, slug: str) -> dict:
        """The unit `slug` as notify last heard of it (units.py); one never heard of (created
        before notify started) is asked of the content service, which owns the tree, and kept."""
        unit = self.storage.units.get(slug)
        if unit is None:
            unit = self.content.get_unit(slug)
            self.storage.units.keep(unit, unit.get("version", 0))
        return unit

    @handles("unit_updated")
    def follow_successor(self, event: UnitUpdated):
        """Notify's copy of the unit is kept up to date (units.py); a unit merged into another:
        its subscribers follow the successor."""
        self.storage.units.heard(event)
        if event.unit.status == "merged" and event.unit.successor:
            self.storage.move_to_successor(event.unit.slug, event.unit.successor, {
                "from": event.unit.name, "into": self._unit(event.unit.successor)["name"]})

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

    @timer(interval=DIGEST_CHECK_INTERVAL.total_seconds())
    def send_digests(self):
        """Digests of the periods that have ended (digests.py), once each."""
        self.storage.plan_digests(utcnow())
        send_due_deliveries(self.storage, self.mail)

    @timer(interval=RETENTION_INTERVAL.total_seconds(), eager=True)
    def forget_old(self):
        """Forget the addresses of long-ended subscriptions and the records of old emails
        (retention.py): at start, then daily."""
        self.storage.apply_retention()

    # A unit's staff (staff.py, reminders.py)

    @rpc
    def staff_preferences(self, actor: str) -> dict:
        """{"username", "kinds": {kind: whether it comes by email}} of the acting staff member
        (`actor`: the gateway's signed assertion)."""
        return self.storage.staff.preferences_of(self.acting.verify(actor))

    @rpc
    def change_staff_preferences(self, actor: str, data: dict) -> dict:
        """`data`: {"kinds": {kind: True to get it by email, False not to}} for the acting staff
        member; the kinds not named stay as they were."""
        if not isinstance(data, dict):
            raise InvalidInput("Expected a JSON object", {"body": "must be an object"})
        username = self.acting.verify(actor)
        return self.storage.staff.change_preferences(username, validate(NotificationChoices, **data))

    @handles("ranking_published", source="ranking")
    def tell_standings(self, event: RankingPublished):
        """Each ranked unit's leaders get its standing, once per month and revision."""
        for standing in event.standings:
            tell_staff(self.storage, self.content, "standing", standing.unit, f"{event.month}/{event.version}",
                       lambda standing=standing: {**standing.model_dump(mode="json"), "month": event.month})
        send_due_deliveries(self.storage, self.mail)

    @handles("site_stale", source="ranking")
    def remind_stale_site(self, event: SiteStale):
        reminders.remind_stale_site(self.storage, self.content, event)
        send_due_deliveries(self.storage, self.mail)

    @timer(interval=REMINDER_CHECK_INTERVAL.total_seconds())
    def check_reminders(self):
        """Questions waiting too long, next week's schedule empty on Friday (reminders.py)."""
        now = utcnow()
        reminders.remind_waiting_questions(self.storage, self.content,
                                           Settings.from_mapping(self.config).QUESTION_REMINDER_DAYS, now)
        reminders.remind_empty_schedules(self.storage, self.content, now)
        send_due_deliveries(self.storage, self.mail)

