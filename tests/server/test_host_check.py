"""The Host check's parsing, on its own (the live server tests cover it end to end)."""
from __future__ import annotations

import pytest

from deonto.web.security import LOOPBACK_NAMES, host_allowed, split_host


@pytest.mark.parametrize("host,expected", [
    ("localhost:8731", ("localhost", "8731")), ("[::1]:8731", ("[::1]", "8731")), ("[::1]", ("[::1]", None)),
    ("127.0.0.1", ("127.0.0.1", None)), ("LocalHost:1", ("localhost", "1")), ("[::1]x", ("[::1]x", "?")),
])
def test_split_host(host, expected):
    assert split_host(host) == expected


@pytest.mark.parametrize("host,ok", [
    ("127.0.0.1:8731", True), ("localhost:8731", True), ("[::1]:8731", True), ("localhost", True),
    ("127.0.0.1:8732", False), ("127.0.0.1.evil:8731", False), ("localhost.evil:8731", False),
    ("evil.example", False), ("", False), (None, False), ("localhost:", False), ("localhost:+8731", False),
    ("[::1]:", False), ("127.1:8731", False), ("0x7f000001:8731", False), ("::1:8731", False),
])
def test_host_allowed(host, ok):
    assert host_allowed(host, LOOPBACK_NAMES, 8731) is ok


def test_ip_literals_only_with_allow_remote():
    assert not host_allowed("192.0.2.1:8731", LOOPBACK_NAMES, 8731)
    assert host_allowed("192.0.2.1:8731", LOOPBACK_NAMES, 8731, ip_literals=True)
    assert host_allowed("[2001:db8::1]:8731", LOOPBACK_NAMES, 8731, ip_literals=True)
    assert not host_allowed("evil.example:8731", LOOPBACK_NAMES, 8731, ip_literals=True)
