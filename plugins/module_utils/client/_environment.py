# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the process environment says about connections: proxies and the CA bundle.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.

The rules are those of requests (which the collection no longer uses), so a controller set up for it works unchanged:
``HTTPS_PROXY`` / ``https_proxy`` / ``ALL_PROXY`` unless ``NO_PROXY`` covers the host (CIDR entries included), and
``REQUESTS_CA_BUNDLE`` or ``CURL_CA_BUNDLE`` when TLS is verified with no ``ca_path``. ``Transport`` reads them once, and
the proxies once per host.
"""

from __future__ import annotations

import ipaddress
import os
import urllib.request
from urllib.parse import urlsplit


def environ_verify(verify: bool | str) -> bool | str:
    """What to verify TLS with: ``True`` means the CA bundle the environment names (REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE),
    as requests chooses it, else the default authorities; a path or ``False`` is kept."""
    if verify is not True:
        return verify
    return os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True


def environ_proxies(scheme: str, netloc: str) -> dict[str, str]:
    """The proxy for ``scheme`` the environment names (HTTPS_PROXY, https_proxy, ALL_PROXY), unless NO_PROXY covers the
    host; ``{}`` for a direct connection."""
    proxies = urllib.request.getproxies_environment()
    proxy = proxies.get(scheme) or proxies.get("all")
    if not proxy or urllib.request.proxy_bypass_environment(netloc, proxies) or _in_no_proxy_network(netloc, proxies.get("no", "")):
        return {}
    return {scheme: proxy}


def _in_no_proxy_network(netloc: str, no_proxy: str) -> bool:
    """NO_PROXY entries in CIDR form (10.0.0.0/8), which requests honours and the standard library does not."""
    host = urlsplit("//" + netloc).hostname or ""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    for entry in no_proxy.split(","):
        entry = entry.strip()
        if "/" in entry:
            try:
                if address in ipaddress.ip_network(entry, strict=False):
                    return True
            except ValueError:
                continue
    return False
