"""The client's address: X-Forwarded-For is believed only from trusted proxies."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from sameboat.core.client_ip import client_ip


def _request(peer: str, forwarded: str | None = None):
    meta = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(_request("203.0.113.9", "1.2.3.4")) == "203.0.113.9"


def test_an_untrusted_peer_cannot_choose_its_address(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    assert client_ip(_request("203.0.113.9", "1.2.3.4")) == "203.0.113.9"


@pytest.mark.parametrize(
    ("peer", "forwarded", "expected"),
    [
        # The proxy appended the address it saw: that is the client.
        ("10.0.0.1", "198.51.100.7", "198.51.100.7"),
        # A client that sends its own header cannot hide behind it: the rightmost
        # untrusted hop wins, not the leftmost.
        ("10.0.0.1", "1.2.3.4, 198.51.100.7", "198.51.100.7"),
        # Two proxies of ours (a CIDR) in a row are both skipped.
        ("10.0.0.1", "198.51.100.7, 10.0.5.3", "198.51.100.7"),
        # Garbage to the left of a good hop is ignored.
        ("10.0.0.1", "not-an-ip, 198.51.100.7", "198.51.100.7"),
        # No header: the proxy itself.
        ("10.0.0.1", None, "10.0.0.1"),
        # Ports and IPv6 forms.
        ("10.0.0.1", "198.51.100.7:5555", "198.51.100.7"),
        ("10.0.0.1", "[2001:db8::7]:443", "2001:db8::7"),
        ("::ffff:10.0.0.1", "198.51.100.7", "198.51.100.7"),
    ],
)
def test_a_trusted_proxy_names_the_client(settings, peer, forwarded, expected):
    settings.TRUSTED_PROXIES = ["10.0.0.1", "10.0.5.0/24"]
    assert client_ip(_request(peer, forwarded)) == expected


def test_a_bad_setting_fails_loudly(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.300"]
    with pytest.raises(ImproperlyConfigured):
        client_ip(_request("10.0.0.1"))


def test_a_request_without_a_peer_has_no_address(settings):
    # Stored by django-axes in an address column: None, not a made-up text.
    request = RequestFactory().get("/")
    request.META.pop("REMOTE_ADDR", None)
    assert client_ip(request) is None
