"""Entrypoints for the people who run the units' sites."""
from pydantic import EmailStr, Field

from services.common.rpc import rpc
from services.content.outcomes import once_per_request
from services.content.validation import SLUG_PATTERN, Input, validate


class UserInput(Input):
    username: str = Field(pattern=SLUG_PATTERN, max_length=80)
    name: str = Field(min_length=2, max_length=200)
    email: EmailStr | None = None
    roles: dict[str, list[str]] = Field(default_factory=dict)
    platform_admin: bool = False


class RoleGrant(Input):
    """One role in one unit, as granted or revoked."""
    unit: str = Field(pattern=SLUG_PATTERN, max_length=80)
    role: str = Field(min_length=1, max_length=40)


class UserEntrypoints:
    @rpc
    def authenticate(self, token):
        """The user holding `token`; raises Unauthorized."""
        return self.content.access.authenticate(token)

    @rpc
    def get_user(self, username):
        """{"username", "name", "email", "platform_admin", "roles", "created_at"}; raises NotFound.
        Other services ask it who an acting user is (search: may they pin best bets?)."""
        return self.content.access.get_user(username)

    @rpc
    @once_per_request
    def create_user(self, actor, data):
        """Returns the user with its API token, shown this once."""
        user = validate(UserInput, data)
        return self.content.access.create_user(
            self.actor(actor), user.username, user.name, str(user.email or ""), user.roles, user.platform_admin)

    @rpc
    @once_per_request
    def grant_role(self, actor, username, unit, role):
        grant = validate(RoleGrant, {"unit": unit, "role": role})
        return self.content.access.grant(self.actor(actor), username, grant.unit, grant.role)

    @rpc
    @once_per_request
    def revoke_role(self, actor, username, unit, role):
        grant = validate(RoleGrant, {"unit": unit, "role": role})
        return self.content.access.revoke(self.actor(actor), username, grant.unit, grant.role)
