"""Staff sign in to the workspace with a username and a password; a session keeps them in.

Passwords are kept as argon2id hashes (argon2-cffi, with OWASP's recommended parameters); a hash
made with other parameters is renewed at the next sign-in. A session is a random token
handed to the browser once; only its SHA-256 is kept, with the user and its expiry, so a copy
of the database signs nobody in. A session ends after IDLE unused or LONGEST in all, at sign-out,
when its user changes their password (their other sessions) or has it reset (all of them).

Guessing is slowed twice over: FAILURES_BEFORE_LOCK wrong passwords in a row lock the account
for LOCK_FOR (the user, or a unit admin's reset, unlocks it), and one client address may try
at most ATTEMPTS_PER_HOUR sign-ins an hour (counted as questions' senders are: hashed, in
MongoDB, so every process sees the same count). An unknown username costs as much time as a
known one and gets the same answer.
"""
from __future__ import annotations

import hashlib
import math
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from eventlet import tpool
from pymongo import ASCENDING as ASC

from services.common.errors import Forbidden, InvalidInput, NotFound, TooManyRequests, Unauthorized
from services.content.access import Actor, public_user, role_permissions
from services.content.database import aware, iso, now
from services.content.questions.senders import Senders

IDLE = timedelta(hours=8)
LONGEST = timedelta(hours=24)
FAILURES_BEFORE_LOCK = 5
LOCK_FOR = timedelta(minutes=15)
ATTEMPTS_PER_HOUR = 60
MIN_PASSWORD = 10
TEMPORARY_PASSWORD_BYTES = 9  # 12 characters, shown once to the admin who reset it

WRONG = "Wrong username or password"
# OWASP's recommended argon2id parameters (19 MiB, two passes, one lane): a guess costs an
# attacker as much memory as time, while a sign-in costs the server some 50 ms of one core.
HASHER = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
# Checked against when the username is unknown, so that both answers take as long.
_DUMMY_HASH = HASHER.hash(secrets.token_urlsafe(16))


def session_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check_password(password, username: str) -> str:
    """A new password: long enough, not the username; InvalidInput naming `password` otherwise."""
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise InvalidInput(f"A password has at least {MIN_PASSWORD} characters",
                           {"password": f"must have at least {MIN_PASSWORD} characters"})
    if len(password) > 200:
        raise InvalidInput("A password has at most 200 characters", {"password": "must have at most 200 characters"})
    if username.casefold() in password.casefold():
        raise InvalidInput("A password may not contain the username", {"password": "must not contain the username"})
    return password


class Sessions:
    INDEXES = {
        "sessions": [[("username", ASC)], {"keys": [("expires_at", ASC)], "expire_after": timedelta(0)}],
        "sign_in_senders": [[("unit", ASC), ("sender", ASC), ("at", ASC)], [("at", ASC)]],
    }

    def __init__(self, db):
        self.db = db
        self.users = db["users"]
        self.sessions = db["sessions"]
        self.senders = Senders(db, kind="sign-in")

    def sign_in(self, username, password, client: str | None) -> dict:
        """A new session for the user whose password this is: {"session", "user"}; Unauthorized
        (the same for an unknown user and a wrong password), or TooManyRequests while locked."""
        moment = now()
        if client:
            self.senders.admit("workspace", client, moment, ATTEMPTS_PER_HOUR)
        user = self.users.find_one({"_id": username, "active": True}) if isinstance(username, str) else None
        stored = (user or {}).get("password_hash")
        locked_until = aware(user["locked_until"]) if user and user.get("locked_until") else None
        if locked_until and locked_until > moment:
            raise TooManyRequests("The account is locked after repeated wrong passwords",
                                  math.ceil((locked_until - moment).total_seconds()))
        if not _verified(stored, password):
            if user is not None:
                self._count_failure(user, moment)
            raise Unauthorized(WRONG)
        changes = {"failed_sign_ins": 0, "locked_until": None, "signed_in_at": moment}
        if HASHER.check_needs_rehash(stored):
            changes["password_hash"] = _hashed(password)
        self.users.update_one({"_id": username}, {"$set": changes})
        return {"session": self._start(username, moment), "user": self.describe(user)}

    def user(self, token) -> dict:
        """The user a live session belongs to (its idle time restarts); Unauthorized otherwise."""
        moment = now()
        session = self.sessions.find_one({"_id": session_hash(token)}) if isinstance(token, str) and token else None
        if session is None or aware(session["expires_at"]) <= moment:
            raise Unauthorized("No such session, or it has ended")
        user = self.users.find_one({"_id": session["username"], "active": True})
        if user is None:
            raise Unauthorized("The session's user is no longer active")
        expires = min(moment + IDLE, aware(session["started_at"]) + LONGEST)
        self.sessions.update_one({"_id": session["_id"]}, {"$set": {"expires_at": expires}})
        return {**self.describe(user), "session_expires_at": iso(expires)}

    def sign_out(self, token) -> None:
        if isinstance(token, str) and token:
            self.sessions.delete_one({"_id": session_hash(token)})

    def change_password(self, actor: Actor, current, new, keep_session) -> None:
        """The actor's own password, given the current one; their other sessions end."""
        user = self.users.find_one({"_id": actor.username})
        if not _verified(user.get("password_hash"), current):
            raise InvalidInput("The current password is wrong", {"current_password": "is wrong"})
        check_password(new, actor.username)
        if new == current:
            raise InvalidInput("The new password is the current one", {"password": "must differ from the current one"})
        self._set(actor.username, new, must_change=False)
        keep = session_hash(keep_session) if isinstance(keep_session, str) else None
        self.sessions.delete_many({"username": actor.username, "_id": {"$ne": keep}})

    def reset_password(self, actor: Actor, username) -> dict:
        """A temporary password for a member of a unit the actor administers, shown this once;
        the member must choose their own at their next sign-in, and every session of theirs ends."""
        user = self.users.find_one({"_id": username}) if isinstance(username, str) else None
        units = (user or {}).get("roles", {})
        if user is None or not (actor.platform_admin or any(actor.can("unit.users", unit) for unit in units)):
            raise NotFound(f"No user {username!r}")
        if user.get("platform_admin") and not actor.platform_admin:
            raise Forbidden("Only a platform admin may reset a platform admin's password")
        temporary = secrets.token_urlsafe(TEMPORARY_PASSWORD_BYTES)
        self._set(username, temporary, must_change=True)
        self.sessions.delete_many({"username": username})
        return {"username": username, "temporary_password": temporary}

    def set_initial(self, username: str, password: str) -> None:
        """The password a new user is created with (by an admin who tells them)."""
        self._set(username, check_password(password, username), must_change=False)

    def describe(self, user: dict) -> dict:
        """A user as the workspace needs them: who, their roles, what each role lets them do."""
        return {**public_user(user), "must_change_password": bool(user.get("must_change_password")),
                "permissions": {unit: sorted(role_permissions(roles)) for unit, roles in user.get("roles", {}).items()}}

    def _start(self, username: str, moment) -> str:
        token = secrets.token_urlsafe(32)
        self.sessions.insert_one({"_id": session_hash(token), "username": username, "started_at": moment,
                                  "expires_at": moment + IDLE})
        return token

    def _count_failure(self, user: dict, moment) -> None:
        failures = int(user.get("failed_sign_ins") or 0) + 1
        changes = {"failed_sign_ins": failures}
        if failures >= FAILURES_BEFORE_LOCK:
            changes.update(failed_sign_ins=0, locked_until=moment + LOCK_FOR)
        self.users.update_one({"_id": user["_id"]}, {"$set": changes})

    def _set(self, username: str, password: str, must_change: bool) -> None:
        self.db.transaction(lambda session: self.users.update_one({"_id": username}, {"$set": {
            "password_hash": _hashed(password), "must_change_password": must_change,
            "password_changed_at": now(), "failed_sign_ins": 0, "locked_until": None}}, session=session))


# Hashing takes a tenth of a second of one core by design: it runs on a real thread (argon2
# releases the GIL), so the service's other requests go on meanwhile.

def _hashed(password: str) -> str:
    return tpool.execute(HASHER.hash, password)


def _verified(stored, password) -> bool:
    if not isinstance(password, str) or not password or len(password) > 200:
        password = ""
    try:
        return tpool.execute(HASHER.verify, stored or _DUMMY_HASH, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False
