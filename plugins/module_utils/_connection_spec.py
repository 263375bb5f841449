# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The connection options' argument specs, Identity's and Remote Access's: names, types, defaults and environment
fallbacks (``CYBERARK_IDENTITY_*``, ``CYBERARK_REMOTE_ACCESS_*``), in one place.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.

Every module merges it (``_module.identity_argument_spec``), the lookups validate with it (``plugin_utils/_connection``),
and the clients' option classes take their defaults from it (:func:`connection_default`, :func:`remote_access_default`),
so a default is written here only. The ``connection`` and ``remote_access`` doc fragments show the same defaults; unit
tests (test_connection_spec.py, test_doc_fragments.py) and ansible-test's validate-modules keep them in agreement. No
AnsibleModule here: the client layer imports this file too.
"""

from __future__ import annotations

import os
import typing as t

from ansible.module_utils.errors import AnsibleFallbackNotFound

ENV_PREFIX = "CYBERARK_IDENTITY_"
RA_ENV_PREFIX = "CYBERARK_REMOTE_ACCESS_"


def env_fallback_set(*names: str) -> str:
    """The first of these environment variables that has a value. An empty one counts as unset: an AWX credential
    injects a field left empty as an empty string, which would fail an int or bool option or replace its default."""
    for name in names:
        value = os.environ.get(name)
        if value:
            return value
    raise AnsibleFallbackNotFound


def option_spec(kind: str = "str", **extra: t.Any) -> dict[str, t.Any]:
    return dict(type=kind, **extra)


def connection_argument_spec() -> dict[str, dict[str, t.Any]]:
    """The connection options, each with its ``CYBERARK_IDENTITY_*`` environment fallback (used before the default)."""
    spec = {
        "tenant_url": option_spec(),
        "client_id": option_spec(),
        "client_secret": option_spec(no_log=True),
        "login_username": option_spec(),
        "login_password": option_spec(no_log=True),
        "oauth_app_id": option_spec(),
        "access_token": option_spec(no_log=True),
        "validate_certs": option_spec("bool", default=True),
        "ca_path": option_spec("path"),
        "timeout": option_spec("int", default=30),
        "retries": option_spec("int", default=5),
        "allowed_redirect_hosts": option_spec("list", elements="str"),
        "max_requests_per_second": option_spec("float"),
    }
    for name, option in spec.items():
        option["fallback"] = (env_fallback_set, [ENV_PREFIX + name.upper()])
    return spec


def connection_default(name: str) -> t.Any:
    """The default of a connection option (None when it has none)."""
    return connection_argument_spec()[name].get("default")


def remote_access_argument_spec() -> dict[str, dict[str, t.Any]]:
    """The Remote Access connection options, each with its ``CYBERARK_REMOTE_ACCESS_*`` environment fallback. Its
    ``timeout`` and ``retries`` are the connection's (one value for both services)."""
    spec = {
        "ra_service_account_file": option_spec("path"),
        "ra_tenant_id": option_spec(),
        "ra_service_account_id": option_spec(),
        "ra_private_key": option_spec(no_log=True),
        "ra_client_id": option_spec(),
        "ra_client_secret": option_spec(no_log=True),
        "ra_data_center": option_spec(choices=["us", "eu", "ca", "au", "uk", "in", "sg"]),
        "ra_auth_url": option_spec(),
        "ra_api_url": option_spec(),
        "ra_validate_certs": option_spec("bool", default=True),
        "ra_ca_path": option_spec("path"),
    }
    for name, option in spec.items():
        option["fallback"] = (env_fallback_set, [RA_ENV_PREFIX + name[3:].upper()])
    return spec


def remote_access_default(name: str) -> t.Any:
    """The default of a Remote Access option, by its name without ``ra_`` (None when it has none)."""
    return remote_access_argument_spec()["ra_" + name].get("default")
