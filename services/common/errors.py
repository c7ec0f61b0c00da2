"""Errors that cross RPC boundaries.

Registered with nameko so that a caller receives an instance of the same class (with the
same arguments) instead of a generic RemoteError; the gateway maps each to an HTTP status.
Arguments must stay JSON-serialisable: they are rebuilt with `cls(*args)`.
"""
from nameko.exceptions import deserialize_to_instance


class PortalError(Exception):
    """Base of the errors a service raises on purpose for its caller."""

    def __init__(self, message: str, *details):
        super().__init__(message, *details)
        self.message = message

    def __str__(self) -> str:
        return self.message


@deserialize_to_instance
class NotFound(PortalError):
    """The named unit, article or subscription does not exist."""


@deserialize_to_instance
class InvalidInput(PortalError):
    """Input broke a rule; `fields` maps each offending field to what is wrong with it."""

    def __init__(self, message: str, fields: dict | None = None):
        super().__init__(message, fields or {})
        self.fields = fields or {}


@deserialize_to_instance
class Conflict(PortalError):
    """The write was based on an old version, or would duplicate something unique."""

    def __init__(self, message: str, current_version: int | None = None):
        # nameko turns non-string arguments into text on the way; turn them back.
        if current_version in (None, "None"):
            current_version = None
        super().__init__(message, current_version)
        self.current_version = None if current_version is None else int(current_version)


@deserialize_to_instance
class Gone(PortalError):
    """The thing existed but was withdrawn for good (a dissolved unit)."""


@deserialize_to_instance
class Unauthorized(PortalError):
    """No valid credentials: the caller is not known."""


@deserialize_to_instance
class Forbidden(PortalError):
    """The caller is known but may not do this (in this unit)."""


class _TryLater(PortalError):
    """A refusal that passes: `retry_after` is how many seconds to wait before trying again."""

    def __init__(self, message: str, retry_after: int | None = None):
        # nameko turns non-string arguments into text on the way; turn them back.
        if retry_after in (None, "None"):
            retry_after = None
        super().__init__(message, retry_after)
        self.retry_after = None if retry_after is None else int(retry_after)


@deserialize_to_instance
class TooManyRequests(_TryLater):
    """One sender asked too often in a while."""


@deserialize_to_instance
class Unavailable(_TryLater):
    """Nothing was done, for a passing reason: a record locked by a change that has not finished
    (or by a process that died in the middle of one), or the caller's time ran out first."""
