"""The client's address, trusting ``X-Forwarded-For`` only from the council's own proxies.

``SUFFICIENCY_TRUSTED_PROXIES`` (settings.TRUSTED_PROXIES) lists the reverse proxies' addresses
or networks, e.g. ``127.0.0.1,10.20.0.0/16``. A request arriving from one of them is attributed to
the right-most address in ``X-Forwarded-For`` that is not itself a trusted proxy (the left-most
entries are whatever the client chose to send). Any other request is its socket's address, so a
client cannot dodge the sign-in lockout or forge the audit log's "from" by sending the header.
Used by django-axes (AXES_CLIENT_IP_CALLABLE), the audit log and the request log.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def parse_networks(text: str) -> tuple[Network, ...]:
    """``"10.0.0.1, 10.1.0.0/16"`` -> networks; raises ValueError naming a bad entry."""
    out: list[Network] = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        try:
            out.append(ipaddress.ip_network(part, strict=False))
        except ValueError as exc:
            raise ValueError(
                f"SUFFICIENCY_TRUSTED_PROXIES: {part!r} is not an IP address or network"
            ) from exc
    return tuple(out)


def _trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in n for n in networks)


def client_ip(request: HttpRequest) -> str:
    """The address a request came from (see the module docstring for the proxy rule)."""
    remote = str(request.META.get("REMOTE_ADDR", "") or "")
    networks = parse_networks(getattr(settings, "TRUSTED_PROXIES", ""))
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", "") or "")
    if not networks or not forwarded or not _trusted(remote, networks):
        return remote
    chain = [a.strip() for a in forwarded.split(",") if a.strip()]
    for address in reversed(chain):
        if not _trusted(address, networks):
            return address if _valid(address) else remote
    return chain[0] if chain else remote


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True
