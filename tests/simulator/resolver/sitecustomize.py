# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reach the simulator's registered custom URLs by name, without DNS or /etc/hosts.

The simulator names a custom URL registered through ``TenantCnames/Register`` ``<prefix>.my.idsim.test``, a reserved
name no resolver knows, and serves it on its own addresses. With this directory on ``PYTHONPATH`` and
``IDSIM_RESOLVE=my.idsim.test=127.0.0.2`` (the simulator prints the value as ``resolve``), every Python process,
Ansible's modules included, resolves names under that domain to that address. Nothing else changes."""

from __future__ import annotations

import ipaddress
import os
import socket


def _install(spec: str) -> None:
    domain, _sep, address = spec.partition("=")
    domain = domain.strip().lower().strip(".")
    address = address.strip()
    try:
        loopback = ipaddress.IPv4Address(address).is_loopback
    except ValueError:
        loopback = False
    if not domain or not loopback:  # a loopback address only, never a name DNS would resolve: the simulator serves nothing else
        return
    original = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        name = host.decode("ascii", "replace") if isinstance(host, bytes) else host
        if isinstance(name, str) and name.lower().rstrip(".").endswith("." + domain):
            host = address
        return original(host, *args, **kwargs)

    socket.getaddrinfo = getaddrinfo


if os.environ.get("IDSIM_RESOLVE"):
    _install(os.environ["IDSIM_RESOLVE"])
