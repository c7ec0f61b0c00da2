"""Changes only platform admins may make (a best bet pinned, a month of the ranking recomputed).
The content service knows the users; a service asks it about the acting user on every such change."""
from services.common.errors import Forbidden, NotFound


def require_platform_admin(content, actor: str) -> None:
    """Raises Forbidden unless `actor` (a username the gateway vouched for) names an active
    platform admin.

    Asks content's `get_user(username)` RPC (→ {"username", "platform_admin", "active", ...}).
    """
    try:
        user = content.get_user(actor)
    except NotFound:
        raise Forbidden(f"Unknown user {actor!r}") from None
    if not user["platform_admin"] or not user["active"]:
        raise Forbidden(f"{actor} is not a platform admin")
