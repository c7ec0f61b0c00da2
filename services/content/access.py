"""Who may do what, in which unit. Enforced here, inside the content service, for every
call, whatever the gateway checked: a user of one unit never reads another unit's drafts
or changes its content.

Roles are held per unit (one person may hold roles in several units); a platform admin
may do everything everywhere. Each editorial role includes the one below it, as on an
editorial board ("Ban biên tập"): author < editor < editor-in-chief.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field

from pymongo.errors import DuplicateKeyError

from services.common.errors import Conflict, Forbidden, InvalidInput, NotFound, Unauthorized
from services.content.database import iso, now

AUTHOR = {"article.create", "article.edit_own", "article.submit", "draft.read_own"}
EDITOR = AUTHOR | {
    "article.edit", "article.review", "draft.read", "schedule.edit", "document.edit",
    "question.moderate", "question.answer",
}
EDITOR_IN_CHIEF = EDITOR | {
    "article.publish", "article.force_publish", "article.rollback", "royalty.assign", "royalty.report",
    "schedule.publish", "document.publish", "question.publish",
}
UNIT_ADMIN = {
    "unit.profile", "unit.users", "category.manage", "page.manage", "audit.read", "royalty.report",
    "draft.read", "media.upload",
}
ROLE_PERMISSIONS = {
    "author": AUTHOR | {"media.upload"},
    "editor": EDITOR | {"media.upload"},
    "editor_in_chief": EDITOR_IN_CHIEF | {"media.upload"},
    "unit_admin": UNIT_ADMIN,
}
ROLES = tuple(ROLE_PERMISSIONS)


def roles_described() -> str:
    """What each role may do, as the API's document tells it (read from ROLE_PERMISSIONS)."""
    return "; ".join(f"{role}: {', '.join(sorted(permissions))}" for role, permissions in ROLE_PERMISSIONS.items())


def role_permissions(roles) -> set[str]:
    """What holding `roles` in one unit lets a person do there."""
    return set().union(*(ROLE_PERMISSIONS.get(role, set()) for role in roles))


@dataclass(frozen=True)
class Actor:
    username: str
    name: str
    platform_admin: bool = False
    roles: dict[str, list[str]] = field(default_factory=dict)

    def can(self, permission: str, unit: str | None = None) -> bool:
        if self.platform_admin:
            return True
        if unit is None:
            return False
        return any(permission in ROLE_PERMISSIONS[role] for role in self.roles.get(unit, []))

    def require(self, permission: str, unit: str | None = None) -> None:
        if not self.can(permission, unit):
            where = f" in unit {unit!r}" if unit else ""
            raise Forbidden(f"{self.username} may not {permission}{where}")

    def units(self) -> list[str]:
        return sorted(self.roles)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Access:
    def __init__(self, db):
        self.db = db
        self.users = db["users"]
        self.units = db["units"]

    def actor(self, username) -> Actor:
        """The acting user, as named by the caller (the gateway, after authenticating)."""
        if not isinstance(username, str) or not username:
            raise Unauthorized("No acting user given")
        user = self.users.find_one({"_id": username, "active": True})
        if user is None:
            raise Unauthorized(f"Unknown or inactive user {username!r}")
        return _actor(user)

    def authenticate(self, token) -> dict:
        if not isinstance(token, str) or not token:
            raise Unauthorized("Missing token")
        user = self.users.find_one({"token_hash": token_hash(token), "active": True})
        if user is None or not hmac.compare_digest(user["token_hash"], token_hash(token)):
            raise Unauthorized("Unknown token")
        return public_user(user)

    def ensure_platform_admin(self, username: str, token: str) -> None:
        """Keep the bootstrap administrator in place, with the configured token."""
        self.users.update_one(
            {"_id": username},
            {"$set": {"token_hash": token_hash(token), "platform_admin": True, "active": True},
             "$setOnInsert": {"name": "Quản trị hệ thống", "email": "", "roles": {}, "created_at": now()}},
            upsert=True,
        )

    def create_user(self, actor: Actor, username: str, name: str, email: str,
                    roles: dict[str, list[str]], platform_admin: bool) -> dict:
        if platform_admin and not actor.platform_admin:
            raise Forbidden("Only a platform admin may create another")
        self._check_roles(actor, roles)
        token = secrets.token_urlsafe(32)
        doc = {"_id": username, "name": name, "email": email, "roles": roles,
               "platform_admin": platform_admin, "active": True, "token_hash": token_hash(token),
               "created_at": now()}
        try:
            self.db.transaction(lambda session: self.users.insert_one(doc, session=session))
        except DuplicateKeyError:
            raise Conflict(f"User {username!r} already exists") from None
        # The token is shown once, here; only its hash is kept.
        return {**public_user(doc), "token": token}

    def grant(self, actor: Actor, username: str, unit: str, role: str) -> dict:
        self._check_roles(actor, {unit: [role]})
        user = self._user(username)
        roles = {**user["roles"], unit: sorted(set(user["roles"].get(unit, [])) | {role})}
        self._set_roles(username, roles)
        return public_user({**user, "roles": roles})

    def revoke(self, actor: Actor, username: str, unit: str, role: str) -> dict:
        actor.require("unit.users", unit)
        user = self._user(username)
        remaining = sorted(set(user["roles"].get(unit, [])) - {role})
        roles = {u: r for u, r in {**user["roles"], unit: remaining}.items() if r}
        self._set_roles(username, roles)
        return public_user({**user, "roles": roles})

    def get_user(self, username: str) -> dict:
        return public_user(self._user(username))

    def staff_of(self, unit: str) -> list[dict]:
        """The active people holding a role in `unit`, with their roles there and their email
        ("" when none is on record), by username: whom the platform's notices to a unit reach."""
        cursor = self.users.find({f"roles.{unit}": {"$exists": True, "$ne": []}, "active": True},
                                 {"name": 1, "email": 1, "roles": 1}).sort("_id", 1)
        return [{"username": user["_id"], "name": user["name"], "email": user.get("email") or "",
                 "roles": sorted(user["roles"][unit])} for user in cursor]

    def list_users(self, actor: Actor, asked) -> list[dict]:
        """A page of the users `actor` may see (users.UserQuery)."""
        if asked.unit:
            actor.require("unit.users", asked.unit)
            units = [asked.unit]
        elif actor.platform_admin:
            units = None  # everyone
        else:
            units = [unit for unit in actor.units() if actor.can("unit.users", unit)]
            if not units:
                raise Forbidden(f"{actor.username} administers no unit's users")
        query = {} if units is None else {"$or": [{f"roles.{unit}": {"$exists": True}} for unit in units]}
        order = -1 if asked.sort.startswith("-") else 1
        cursor = self.users.find(query).sort("_id", order).skip(asked.skip).limit(asked.limit)
        return [self._seen_by(actor, user) for user in cursor]

    def read_user(self, actor: Actor, username: str) -> dict:
        user = self.users.find_one({"_id": username}) if isinstance(username, str) else None
        visible = user is not None and (actor.platform_admin or actor.username == username or any(
            actor.can("unit.users", unit) for unit in user.get("roles", {})))
        if not visible:
            raise NotFound(f"No user {username!r}")
        return self._seen_by(actor, user)

    def holds_role_in(self, username: str, unit: str) -> bool:
        user = self.users.find_one({"_id": username, "active": True})
        return bool(user) and (user.get("platform_admin") or bool(user["roles"].get(unit)))

    def _check_roles(self, actor: Actor, roles: dict[str, list[str]]):
        for unit, unit_roles in roles.items():
            actor.require("unit.users", unit)
            if self.units.find_one({"_id": unit}) is None:
                raise InvalidInput(f"Unknown unit {unit!r}", {"roles": f"unknown unit {unit}"})
            unknown = set(unit_roles) - set(ROLES)
            if unknown:
                raise InvalidInput(f"Unknown roles {sorted(unknown)}", {"roles": f"roles are {', '.join(ROLES)}"})

    def _set_roles(self, username: str, roles: dict[str, list[str]]):
        # In the transaction of the request, if it has one (see outcomes.py).
        self.db.transaction(lambda session: self.users.update_one(
            {"_id": username}, {"$set": {"roles": roles}}, session=session))

    def _user(self, username: str) -> dict:
        user = self.users.find_one({"_id": username})
        if user is None:
            raise NotFound(f"No user {username!r}")
        return user


    @staticmethod
    def _seen_by(actor: Actor, user: dict) -> dict:
        """A user as `actor` sees them: a unit's admin sees the roles held in their units only."""
        shown = public_user(user)
        if not actor.platform_admin and actor.username != user["_id"]:
            shown["roles"] = {unit: roles for unit, roles in shown["roles"].items() if actor.can("unit.users", unit)}
        return shown


def _actor(user: dict) -> Actor:
    return Actor(username=user["_id"], name=user.get("name", ""),
                 platform_admin=bool(user.get("platform_admin")), roles=user.get("roles", {}))


def public_user(user: dict) -> dict:
    return {"username": user["_id"], "name": user.get("name", ""), "email": user.get("email", ""),
            "platform_admin": bool(user.get("platform_admin")), "active": bool(user.get("active", True)),
            "roles": user.get("roles", {}),
            "created_at": iso(user.get("created_at"))}
