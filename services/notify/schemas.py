"""What the service accepts, checked at the boundary, and the shape of what it returns."""
from __future__ import annotations

import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field, ValidationError

from services.common.errors import InvalidInput
from services.common.schemas import Output
from services.notify.refusals import MAX_FIGURES_DAYS

# What one can follow, by the event that brings it: news, legal documents, leadership
# schedules, answers to citizens' questions.
Kind = Literal["news", "documents", "schedules", "answers"]
# How often: an email per item as it comes, or a digest at 07:00 (daily; weekly on Mondays).
Frequency = Literal["immediately", "daily", "weekly"]
Slug = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[a-z0-9-]+$")]


class Scope(BaseModel):
    """What a subscription follows; with its email, what makes it one subscription."""
    model_config = ConfigDict(str_strip_whitespace=True)

    unit: str = Field(min_length=1, max_length=100)
    with_units_under: bool = Field(default=False, strict=True,
                                   description="also the units under `unit` (a district's communes)")
    category: Slug | None = Field(default=None, description="one of the unit's news categories (news only)")
    kind: Kind = "news"


class SubscribeRequest(Scope):
    model_config = ConfigDict(str_strip_whitespace=True, json_schema_extra={"examples": [
        {"email": "nguyenthimai@gmail.com", "unit": "phu-mau"},
        {"email": "nguyenthimai@gmail.com", "unit": "phu-mau", "with_units_under": True,
         "kind": "documents", "frequency": "weekly"}]})

    # Lower-cased so that one mailbox typed two ways is still one subscription.
    email: Annotated[EmailStr, AfterValidator(str.lower)]
    frequency: Frequency = "immediately"


class TokenRequest(BaseModel):
    # The alphabet of secrets.token_urlsafe: anything else cannot be one of our links.
    token: str = Field(pattern=r"^[A-Za-z0-9_-]{1,100}$")


class ManageRequest(TokenRequest):
    """One subscription of the address a manage link belongs to, named by its `id`."""
    subscription: str = Field(pattern=r"^[0-9a-f]{24}$")


class FrequencyChange(ManageRequest):
    frequency: Frequency


class ClientAddress(BaseModel):
    """The address a request came from, as the gateway names it (IPv4 or IPv6)."""
    client: str = Field(strict=True, min_length=1, max_length=100)


class FiguresRequest(BaseModel):
    """How many of the last days the email figures cover: a whole number, not "7" nor 7.5 nor true."""
    days: int = Field(strict=True, ge=1, le=MAX_FIGURES_DAYS)


class DayFigures(Output):
    """One day's emails, by the portal's calendar."""
    date: datetime.date
    sent: int = Field(ge=0, description="emails the mail server accepted")
    refused: int = Field(ge=0, description="emails the mail server refused for good (5xx)")
    bounce_rate: float = Field(ge=0, le=1, description="refused among all tried (sent + refused); 0 on a day none was")


class DeliveryFigures(Output):
    """The last days' emails, today last, with the thresholds a day's bounce rate is read against."""
    days: list[DayFigures]
    warn_at: float = Field(description="the bounce rate at which Canada's Notify warns a service")
    suspend_at: float = Field(description="the bounce rate at which Canada's Notify suspends a service")


class Subscription(BaseModel):
    """A subscription as whoever asked for it sees it (never its token)."""
    email: str
    unit: str
    status: Literal["pending", "confirmed", "unsubscribed"]


class ManagedSubscription(Subscription):
    """A subscription as its address's manage page shows it, named by `id` for changing it."""
    id: str
    with_units_under: bool = False
    category: str | None = None
    kind: Kind = "news"
    frequency: Frequency = "immediately"


def validate(model: type[BaseModel], **values) -> BaseModel:
    """`model` built from `values`, or InvalidInput naming each offending field."""
    try:
        return model(**values)
    except ValidationError as error:
        fields = {".".join(map(str, problem["loc"])): problem["msg"] for problem in error.errors()}
        raise InvalidInput(f"Invalid {', '.join(fields)}", fields) from None


def public_view(subscription: dict) -> dict:
    """What callers may see of a stored subscription (never its token)."""
    return Subscription.model_validate(subscription).model_dump()


def managed_view(subscription: dict) -> dict:
    """What the address's owner sees of each of their subscriptions on the manage page."""
    return ManagedSubscription.model_validate({**subscription, "id": str(subscription["_id"])}).model_dump()
