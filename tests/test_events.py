"""The event contract validates on both sides."""
from datetime import datetime, timezone

import pytest
from pydantic import ValidationError

from services.common import events

MOMENT = datetime(2026, 11, 2, 8, 30, tzinfo=timezone.utc)


def unpublished(**overrides):
    fields = dict(document_id="a1", version=3, occurred_at=MOMENT, unit="phu-mau")
    return events.ArticleUnpublished(**{**fields, **overrides})


def test_a_message_round_trips_through_json():
    name, payload = events.to_message(unpublished())
    assert name == "article_unpublished"
    assert payload["occurred_at"] == "2026-11-02T08:30:00Z"
    assert events.parse(name, payload) == unpublished()


@pytest.mark.parametrize("broken", [
    {"version": 0},                      # versions start at 1
    {"occurred_at": datetime(2026, 11, 2)},  # a time without a zone is ambiguous
])
def test_an_event_breaking_the_contract_is_refused_before_dispatch(broken):
    with pytest.raises(ValidationError):
        unpublished(**broken)


def test_a_received_payload_is_validated():
    name, payload = events.to_message(unpublished())
    with pytest.raises(ValidationError):
        events.parse(name, {**payload, "version": "newest"})
    with pytest.raises(ValidationError):
        events.parse(name, {key: value for key, value in payload.items() if key != "document_id"})


def test_a_model_assembled_without_validation_is_caught_at_dispatch():
    forged = events.ArticleUnpublished.model_construct(document_id="a1", version=-1, occurred_at=MOMENT, unit="x")
    with pytest.raises(ValidationError):
        events.to_message(forged)


def test_only_contract_events_can_be_handled():
    with pytest.raises(ValueError):
        events.handles("article_deleted")
