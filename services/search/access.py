"""Who may change what search shows: only a platform admin pins best bets. The content
service knows the users; search asks it about the acting user on every change."""
from services.common.errors import Forbidden, NotFound


def require_platform_admin(content, actor) -> None:
    """Raises Forbidden unless `actor` names an active platform admin.

    Asks content's `get_user(username)` RPC (→ {"username", "platform_admin", "active", ...}).
    """
    if not isinstance(actor, str) or not actor:
        raise Forbidden("No acting user given")
    try:
        user = content.get_user(actor)
    except NotFound:
        raise Forbidden(f"Unknown user {actor!r}") from None
    if not user["platform_admin"] or not user["active"]:
        raise Forbidden(f"{actor} is not a platform admin")
