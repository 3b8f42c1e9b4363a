"""The client's address, believing X-Forwarded-For only from trusted reverse proxies.

Behind a reverse proxy every request comes from the proxy's address, so throttles and
django-axes would count all clients as one: five wrong passwords from anyone would lock a
user out for everyone. The proxy appends the address it saw to X-Forwarded-For; a client
can put anything in front of it. So the header is read from the right: each hop that is a
trusted proxy (``TRUSTED_PROXIES``) is skipped, and the first address that is not one is
the client. With no trusted proxies (the default) the header is ignored entirely and the
peer (REMOTE_ADDR) is the client, so nobody can pick their own address by sending it.

One helper, used by django-axes (AXES_CLIENT_IP_CALLABLE), the throttles and anything else
that needs to know who is asking.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@lru_cache(maxsize=1)
def trusted_networks() -> tuple[Network, ...]:
    """``settings.TRUSTED_PROXIES`` parsed once: addresses and CIDR blocks."""
    networks = []
    for entry in getattr(settings, "TRUSTED_PROXIES", []) or []:
        try:
            networks.append(ipaddress.ip_network(str(entry).strip(), strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"TRUSTED_PROXIES: {entry!r} is not an address or a network (e.g. 10.0.0.5 or 10.0.0.0/24)."
            ) from exc
    return tuple(networks)


def _forget(*, setting: str, **_kwargs: Any) -> None:
    if setting == "TRUSTED_PROXIES":
        trusted_networks.cache_clear()


setting_changed.connect(_forget, dispatch_uid="sameboat.core.client_ip.forget")


def _parse(value: str) -> Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.7:51234"
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    # An IPv4 client seen through an IPv6 socket is still that IPv4 client.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address in network for network in networks)


def client_ip(request: Any) -> str | None:
    """The address of the client that sent ``request`` (as text); None when the request
    has no peer address (a request built in code, such as the test client's force_login)."""
    meta = getattr(request, "META", {})
    peer = _parse(str(meta.get("REMOTE_ADDR") or ""))
    if peer is None:
        return None
    networks = trusted_networks()
    if not networks or not _trusted(peer, networks):
        return str(peer)
    forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop for hop in str(forwarded).split(",") if hop.strip()]
    client = peer
    for hop in reversed(hops):
        address = _parse(hop)
        if address is None:
            # Garbage from the client side of the chain: the last good hop is the client.
            break
        client = address
        if not _trusted(address, networks):
            break
    return str(client)
