"""The content service refuses, naming the argument, what any caller (not only the gateway)
might send that it could not compute with or store: days and weeks at the ends of the calendar,
lists where a name belongs."""
import pytest

from services.common.errors import InvalidInput
from tests.drive import acting, call


def refused(container, method, *args, **kwargs) -> dict:
    with pytest.raises(InvalidInput) as raised:
        call(container, method, *args, **kwargs)
    return raised.value.fields


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1899-12-31", "2100-01-01"])
def test_days_beyond_the_calendar_are_refused(tree, day):
    assert "day" in refused(tree, "articles_on_date", "phu-mau", day)
    assert "issued_from" in refused(tree, "search_documents", unit="phu-mau", issued_from=day)
    assert "issued_to" in refused(tree, "search_documents", unit="phu-mau", issued_to=day)


@pytest.mark.parametrize("week", ["9999-W52", "0001-W01", "2099-W53", "1899-W52", "٢٠٢٦-W03"])
def test_weeks_beyond_the_calendar_or_in_other_digits_are_refused(tree, week):
    assert "week" in refused(tree, "get_schedule", "phu-mau", week)
    assert "week" in refused(tree, "schedule_ics", "phu-mau", week)


def test_the_calendars_first_and_last_days_are_answered(tree):
    for day in ("1900-01-01", "2099-12-31"):
        assert call(tree, "articles_on_date", "phu-mau", day) == []
    for week in ("1900-W01", "2099-W52"):
        assert call(tree, "get_schedule", "phu-mau", week)["entries"] == []


def test_a_role_named_by_lists_is_refused(tree):
    assert set(refused(tree, "grant_role", acting("admin"), "admin", {"unit": [], "role": []})) == {"unit", "role"}
    assert set(refused(tree, "revoke_role", acting("admin"), "admin", [], [])) == {"unit", "role"}


def test_a_successor_named_by_anything_but_a_unit_address_is_refused(tree):
    for successor in ({"$gt": ""}, ["phu-vang"], 7, None):
        assert set(refused(tree, "merge_unit", acting("admin"), "phu-mau", {"successor": successor})) == {"successor"}
