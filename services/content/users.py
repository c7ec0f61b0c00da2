"""Entrypoints for the people who run the units' sites."""
from typing import Annotated, Literal

from pydantic import ConfigDict, EmailStr, Field

from services.common.rpc import rpc
from services.common.schemas import Output
from services.content.access import ROLES, roles_described
from services.content.outcomes import once_per_request
from services.content.validation import MAX_FETCH, MAX_SKIP, SLUG_PATTERN, Input, limit_field, validate

Role = Annotated[Literal[ROLES], Field(description="a role in one unit; what each may do there: "
                                                    + roles_described() + "; a platform admin may do all")]


class UserInput(Input):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "username": "tran-thi-hoa", "name": "Trần Thị Hoa", "email": "tranthihoa@hue.gov.vn",
        "roles": {"phu-mau": ["editor"]}}]})
    username: str = Field(pattern=SLUG_PATTERN, max_length=80)
    name: str = Field(min_length=2, max_length=200)
    email: EmailStr | None = None
    roles: dict[str, list[Role]] = Field(default_factory=dict, description="unit → the roles held there")
    platform_admin: bool = False


class RoleGrant(Input):
    """One role in one unit, as granted or revoked."""
    model_config = ConfigDict(json_schema_extra={"examples": [{"unit": "phu-mau", "role": "editor_in_chief"}]})
    unit: str = Field(pattern=SLUG_PATTERN, max_length=80)
    role: Role


class UserQuery(Input):
    skip: int = Field(default=0, ge=0, le=MAX_SKIP)
    limit: int = limit_field(20, MAX_FETCH)
    sort: Literal["username", "-username"] = "username"
    unit: str | None = Field(default=None, pattern=SLUG_PATTERN, max_length=80)


class User(Output):
    username: str
    name: str
    email: str
    platform_admin: bool
    active: bool
    roles: dict[str, list[str]] = Field(description="unit → the roles held there (those the reader may see)")
    created_at: str | None


class NewUser(User):
    token: str = Field(description="the user's API token, shown this once")


API_INPUTS = (UserInput, RoleGrant)
API_OUTPUTS = (User, NewUser)


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
    def list_users(self, actor, skip=0, limit=20, sort="username", unit=None):
        """Users, by username: for a platform admin everyone (or those with a role in `unit`); for a
        unit's admin the users of the units they administer (or of `unit`, one of them)."""
        asked = validate(UserQuery, {"skip": skip, "limit": limit, "sort": sort, "unit": unit})
        return self.content.access.list_users(self.actor(actor), asked)

    @rpc
    def read_user(self, actor, username):
        """A user as `actor` may see them: themselves, a user of a unit they administer, anyone for a
        platform admin; NotFound otherwise, as for a user that does not exist."""
        return self.content.access.read_user(self.actor(actor), username)

    @rpc
    @once_per_request
    def grant_role(self, actor, username, data):
        """`data`: {"unit", "role"}."""
        grant = validate(RoleGrant, data)
        return self.content.access.grant(self.actor(actor), username, grant.unit, grant.role)

    @rpc
    @once_per_request
    def revoke_role(self, actor, username, unit, role):
        grant = validate(RoleGrant, {"unit": unit, "role": role})
        return self.content.access.revoke(self.actor(actor), username, grant.unit, grant.role)
