"""Driving services in tests the way the platform does: RPC in, contract events over RabbitMQ."""
import uuid

from nameko.standalone.events import event_dispatcher
from nameko.testing.services import entrypoint_hook, entrypoint_waiter

from services.common import events
from services.common.actors import ActorAssertions
from services.common.config import Settings
from services.common.rpc import IDEMPOTENCY_KEY


def acting(username: str, secret: str = Settings.ACTOR_SECRET) -> str:
    """A user as the gateway names them to the services: an assertion signed with ACTOR_SECRET
    (the tests' services run on the default)."""
    return ActorAssertions(secret).sign(username)


def call(container, method, *args, **kwargs):
    """Call an entrypoint of a running container and return its result, as the gateway calls
    one: each call a request of its own, a write with its own idempotency key."""
    return call_in_request(container, method, {IDEMPOTENCY_KEY: uuid.uuid4().hex}, *args, **kwargs)


def call_in_request(container, method, request: dict, *args, **kwargs):
    """As `call`, for a request that says what the gateway's say (its `deadline`, its
    `idempotency_key`: nameko context data, AMQP headers on the wire)."""
    with entrypoint_hook(container, method, context_data=request) as entrypoint:
        return entrypoint(*args, **kwargs)


def article_snapshot(document_id: str, title: str = "Tin mới", *, unit: str = "phu-vang",
                     unit_name: str = "Huyện Phú Vang", summary: str = "",
                     body_html: str = "<p>Nội dung bài viết.</p>", slug: str | None = None,
                     at=None) -> events.ArticleSnapshot:
    at = at or events.utcnow()
    slug = slug or document_id
    return events.ArticleSnapshot(
        id=document_id, unit=unit, unit_name=unit_name, slug=slug, title=title, summary=summary,
        body_html=body_html, path=f"/{unit}/tin-tuc/{slug}", published_at=at, updated_at=at)


class EventSender:
    """Dispatches contract events as the content service does, and waits for a handler."""

    def __init__(self, nameko_config: dict):
        self._dispatch = event_dispatcher(nameko_config)

    def dispatch(self, event: events.Event):
        self._dispatch(events.SOURCE_SERVICE, *events.to_message(event))

    def deliver(self, container, handler: str, event: events.Event):
        """Dispatch `event` and return once `container`'s `handler` has run; re-raises its error."""
        with entrypoint_waiter(container, handler, timeout=10) as outcome:
            self.dispatch(event)
        return outcome.get()
