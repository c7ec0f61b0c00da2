"""The citizen's address behind proxies: X-Forwarded-For is believed from TRUSTED_PROXIES only,
so limits count citizens, not the proxy, and nobody else can pass for another address."""
import dataclasses
import ipaddress

import pytest

from gateway.client_addresses import client_address, trusted_networks
from tests.gateway.test_api_questions import LIMIT
from tests.gateway.test_bad_input import api_error
from tests.gateway.test_question_pages import QUESTION

PROXIES = trusted_networks("10.0.0.0/8, 192.168.1.5, fd00::/8")


@pytest.mark.parametrize(("peer", "forwarded", "client"), [
    ("203.0.113.7", None, "203.0.113.7"),  # no proxy
    ("203.0.113.7", "198.51.100.1", "203.0.113.7"),  # not a trusted proxy: its header is anyone's word
    ("10.1.2.3", "203.0.113.7", "203.0.113.7"),  # the ingress names the citizen
    ("10.1.2.3", "198.51.100.1, 203.0.113.7, 192.168.1.5", "203.0.113.7"),  # two proxies; the first hop made up
    ("10.1.2.3", "10.9.9.9, 192.168.1.5", "10.9.9.9"),  # every hop a proxy: the farthest
    ("10.1.2.3", None, "10.1.2.3"),  # a proxy's own request
    ("10.1.2.3", "not-an-address, 203.0.113.7", "203.0.113.7"),
    ("10.1.2.3", "203.0.113.7, bad", "10.1.2.3"),  # a malformed last hop: nothing before it is believed
    ("fd00::1", "2001:db8::7", "2001:db8::7"),
    ("192.168.1.6", "203.0.113.7", "192.168.1.6"),  # beside the trusted proxy, not it
])
def test_the_client_is_the_last_address_before_the_trusted_proxies(peer, forwarded, client):
    assert client_address(peer, forwarded, PROXIES) == client


def test_without_trusted_proxies_the_header_is_never_believed():
    assert client_address("10.1.2.3", "203.0.113.7", trusted_networks("")) == "10.1.2.3"


@pytest.mark.parametrize("setting", ["10.0.0.0/33", "proxy.local", "10.0.0.1, ,x"])
def test_a_bad_setting_names_the_entry(setting):
    with pytest.raises(ValueError, match="TRUSTED_PROXIES"):
        trusted_networks(setting)


def test_the_setting_takes_addresses_and_networks():
    assert trusted_networks(" 10.0.0.0/8 ,192.168.1.5,") == (ipaddress.ip_network("10.0.0.0/8"),
                                                             ipaddress.ip_network("192.168.1.5/32"))


@pytest.fixture
def portal_settings(portal_settings):
    return dataclasses.replace(portal_settings, QUESTION_RATE_LIMIT=LIMIT, TRUSTED_PROXIES="10.0.0.0/8")


def test_behind_the_proxy_each_citizen_has_their_own_question_limit(phu_mau):
    def asked(peer, forwarded_for):
        return phu_mau.client.simulate_post("/api/units/phu-mau/questions", json=QUESTION, remote_addr=peer,
                                            headers={"X-Forwarded-For": forwarded_for})

    for _ in range(LIMIT):
        assert asked("10.0.0.2", "203.0.113.7").status_code == 201
    api_error(asked("10.0.0.2", "203.0.113.7"), 429)
    assert asked("10.0.0.2", "203.0.113.8").status_code == 201  # another citizen behind the same proxy
    # Sent straight, not through the proxy, the header is not believed: the sender's own address counts.
    for number in range(LIMIT):
        assert asked("198.51.100.9", f"203.0.113.{100 + number}").status_code == 201
    api_error(asked("198.51.100.9", "203.0.113.200"), 429)
