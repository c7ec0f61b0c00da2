"""What the service accepts, checked at the boundary, and the shape of what it returns."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field, ValidationError

from services.common.errors import InvalidInput
from services.notify.refusals import MAX_FIGURES_DAYS


class SubscribeRequest(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, json_schema_extra={"examples": [
        {"email": "nguyenthimai@gmail.com", "unit": "phu-mau"}]})

    # Lower-cased so that one mailbox typed two ways is still one subscription.
    email: Annotated[EmailStr, AfterValidator(str.lower)]
    unit: str = Field(min_length=1, max_length=100)


class TokenRequest(BaseModel):
    # The alphabet of secrets.token_urlsafe: anything else cannot be one of our links.
    token: str = Field(pattern=r"^[A-Za-z0-9_-]{1,100}$")


class ClientAddress(BaseModel):
    """The address a request came from, as the gateway names it (IPv4 or IPv6)."""
    client: str = Field(strict=True, min_length=1, max_length=100)


class FiguresRequest(BaseModel):
    # A whole number of days, not "7" nor 7.5 nor true.
    days: int = Field(strict=True, ge=1, le=MAX_FIGURES_DAYS)


class Subscription(BaseModel):
    """A subscription as callers see it (never its token)."""
    email: str
    unit: str
    status: Literal["pending", "confirmed", "unsubscribed"]


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
