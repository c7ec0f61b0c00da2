"""The citizen's address behind the proxies in front of the gateway.

Visits, the question and subscription limits and sign-in throttling go by the client's
address. Behind a proxy that ends HTTPS (an ingress, a load balancer) the connection comes from
the proxy, which names the client in X-Forwarded-For. That header is believed only from the
proxies named in TRUSTED_PROXIES (addresses or networks): anyone else could write any address
into it. The client is the last address in the chain that is not one of those proxies, as
nginx's real_ip_recursive takes it.
"""
from __future__ import annotations

import ipaddress

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_networks(setting: str) -> tuple[Network, ...]:
    """TRUSTED_PROXIES, comma-separated ('10.0.0.0/8, 192.168.1.5'); ValueError names a bad entry."""
    networks = []
    for entry in filter(None, (part.strip() for part in setting.split(","))):
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ValueError(f"TRUSTED_PROXIES: {entry!r} is not an address or a network") from None
    return tuple(networks)


def client_address(peer: str | None, forwarded_for: str | None, trusted: tuple[Network, ...]) -> str:
    """The client's address: the peer's, unless the peer is a trusted proxy; then, reading
    X-Forwarded-For from its end, the first address that is not a trusted proxy."""
    address = peer or ""
    if not trusted or not _within(address, trusted):
        return address
    for hop in reversed([part.strip() for part in (forwarded_for or "").split(",") if part.strip()]):
        if not _valid(hop):
            break  # a malformed hop: nothing before it can be believed
        address = hop
        if not _within(hop, trusted):
            break
    return address


def _valid(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _within(text: str, networks: tuple[Network, ...]) -> bool:
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return False
    return any(address in network for network in networks)


class ClientAddresses:
    """Sets `req.context.client`, the client's address, for every request (first, so that a
    page served from the cache counts its visit by it too)."""

    def __init__(self, trusted: tuple[Network, ...]):
        self._trusted = trusted

    def process_request(self, req, resp):
        req.context.client = client_address(req.remote_addr, req.get_header("X-Forwarded-For"), self._trusted)
