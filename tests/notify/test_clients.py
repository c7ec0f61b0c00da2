"""Subscribing with the address of the client that asked, as the gateway's form does."""
from tests.drive import call


def test_a_subscription_names_the_client_it_came_from_or_not(notify, inbox, new_address):
    named, unnamed = new_address(), new_address()

    assert call(notify, "subscribe", named, "phu-vang", client="203.0.113.7")["status"] == "pending"
    assert call(notify, "subscribe", unnamed, "phu-vang")["status"] == "pending"

    assert len(inbox(named)) == 1 and len(inbox(unnamed)) == 1
