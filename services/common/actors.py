"""The acting user as it crosses RPC: a signed, short-lived assertion, never a bare username.

The gateway authenticates a person (a bearer token today) and names them to the services with
`ActorAssertions.sign(username)`; a service acting for a person reads the name back with
`verify(assertion)`, which refuses anything not signed with ACTOR_SECRET or older than
ASSERTION_LIFETIME. Whatever can reach the broker without the key can act as nobody.
"""
from __future__ import annotations

from itsdangerous import BadData, URLSafeTimedSerializer
from nameko.extensions import DependencyProvider

from services.common.config import Settings
from services.common.errors import Unauthorized

# Seconds an assertion stays good: longer than any request waits for a service (RPC_TIMEOUT),
# short enough that one copied off the broker is soon useless.
ASSERTION_LIFETIME = 120


class ActorAssertions:
    def __init__(self, secret: str):
        self._serializer = URLSafeTimedSerializer(secret, salt="acting-user")

    def sign(self, username: str) -> str:
        return self._serializer.dumps({"user": username})

    def verify(self, assertion) -> str:
        """The username `assertion` names; Unauthorized unless it is one we signed, still fresh."""
        if not isinstance(assertion, str) or not assertion:
            raise Unauthorized("No acting user given")
        try:
            value = self._serializer.loads(assertion, max_age=ASSERTION_LIFETIME)
        except BadData:
            raise Unauthorized("The acting user is not vouched for by the gateway (unsigned, altered or expired)") \
                from None
        username = value.get("user") if isinstance(value, dict) else None
        if not isinstance(username, str) or not username:
            raise Unauthorized("The acting user's assertion names nobody")
        return username


class ActingUser(DependencyProvider):
    """Gives a service's workers the `ActorAssertions` of its ACTOR_SECRET."""

    def setup(self):
        self.assertions = ActorAssertions(Settings.from_mapping(self.container.config).ACTOR_SECRET)

    def get_dependency(self, worker_ctx):
        return self.assertions
