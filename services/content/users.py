"""Entrypoints for the people who run the units' sites."""
from typing import Annotated, Literal

from pydantic import ConfigDict, EmailStr, Field

from services.common.rpc import rpc
from services.common.schemas import Output
from services.content.access import ROLES, roles_described
from services.content.outcomes import once_per_request
from services.content.sessions import MIN_PASSWORD, check_password
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
    password: str | None = Field(default=None, min_length=MIN_PASSWORD, max_length=200, description=(
        "the password the user signs in to the workspace (/quan-tri) with, told to them by the admin; "
        "never shown again"))


class PasswordChange(Input):
    """A person's own new password, given their current one."""
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "current_password": "mat-khau-cu-2026", "password": "Mat-khau-moi-cua-toi"}]})
    current_password: str = Field(max_length=200)
    password: str = Field(min_length=MIN_PASSWORD, max_length=200)


class PasswordReset(Output):
    username: str
    temporary_password: str = Field(description="shown this once; the user must change it at their next sign-in")


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


class StaffQuery(Input):
    unit: str = Field(pattern=SLUG_PATTERN, max_length=80)


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
API_OUTPUTS = (User, NewUser, PasswordReset)


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
        if user.password is not None:
            check_password(user.password, user.username)
        created = self.content.access.create_user(
            self.actor(actor), user.username, user.name, str(user.email or ""), user.roles, user.platform_admin)
        if user.password is not None:
            self.content.sessions.set_initial(user.username, user.password)
        return created

    @rpc
    def unit_staff(self, unit):
        """[{"username", "name", "email", "roles"}]: the active people holding a role in `unit`.
        For the notify service's notices to a unit's staff; the gateway does not expose it."""
        asked = validate(StaffQuery, {"unit": unit})
        self.content.units.require(asked.unit)  # NotFound for a unit that never was
        return self.content.access.staff_of(asked.unit)

    @rpc
    def sign_in(self, username, password, client=None):
        """{"session": a token for the session cookie, "user": the user with "permissions" per unit and
        "must_change_password"}. Unauthorized for a wrong username or password (the same answer for
        both); TooManyRequests while the account is locked or `client` (an address) tried too often."""
        return self.content.sessions.sign_in(username, password, client)

    @rpc
    def session_user(self, session):
        """The user of a live session, as sign_in describes them; Unauthorized once it has ended."""
        return self.content.sessions.user(session)

    @rpc
    def sign_out(self, session):
        self.content.sessions.sign_out(session)

    @rpc
    @once_per_request
    def change_password(self, actor, data, keep_session=None):
        """`data`: {"current_password", "password"}; every other session of the actor's ends."""
        change = validate(PasswordChange, data)
        self.content.sessions.change_password(self.actor(actor), change.current_password, change.password,
                                              keep_session)
        return {"changed": True}

    @rpc
    def reset_password(self, actor, username):
        """A temporary password for a member of a unit the actor administers, shown this once (and
        so kept nowhere, not even as a request's outcome: a repeat makes another)."""
        return self.content.sessions.reset_password(self.actor(actor), username)

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
