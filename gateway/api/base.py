"""What every API resource shares: the services for the request, its JSON body, its user."""
from __future__ import annotations

from gateway.api.lists import ListQuery, list_page, list_query
from gateway.errors import PortalHTTPError
from gateway.idempotency import idempotency_key
from gateway.media import read_json
from services.common.actors import ActorAssertions


class Api:
    def __init__(self, rpc, settings):
        self.rpc = rpc
        self.settings = settings
        self.assertions = ActorAssertions(settings.ACTOR_SECRET)

    def services(self, req):
        """The services, for this request: a write carries its idempotency key."""
        return self.rpc.services(idempotency_key(req))

    def body(self, req) -> dict:
        return read_json(req, self.settings.MAX_BODY_BYTES)

    def optional_body(self, req) -> dict:
        return self.body(req) if req.content_length else {}

    def user(self, req, services) -> dict:
        """The user behind the request's bearer token (401 if there is none), as the content
        service describes them (username, platform_admin, roles)."""
        header = req.get_header("Authorization") or ""
        if not header.startswith("Bearer ") or not header[7:].strip():
            raise PortalHTTPError(401, "Missing token (Authorization: Bearer …)")
        return services.content.authenticate(header[7:].strip())

    def actor(self, req, services) -> str:
        """The user behind the request's bearer token (401 if there is none), as the services
        take it: an assertion signed with ACTOR_SECRET."""
        return self.assertions.sign(self.user(req, services)["username"])

    def change(self, req, rpc: str, *args):
        """What the content service's write `rpc` answers, called as the request's user with the
        request's JSON body last: `rpc(actor, *args, body)`."""
        data = self.body(req)
        with self.services(req) as services:
            return getattr(services.content, rpc)(self.actor(req, services), *args, data)

    @staticmethod
    def split_version(data: dict) -> tuple[dict, object]:
        """The fields of a change, and the `version` it is based on."""
        return {k: v for k, v in data.items() if k != "version"}, data.get("version")

    @staticmethod
    def list_query(req, responder) -> ListQuery:
        """The page, size and order asked of the list `responder` answers (its @operation names the orders)."""
        return list_query(req, responder.operation.sorts)

    @staticmethod
    def list_page(req, query: ListQuery, fetched: list) -> dict:
        return list_page(req, query, fetched)
