# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The Remote Access connection options (``ra_*``): their spec with ``CYBERARK_REMOTE_ACCESS_*`` fallbacks, and the
client options built from a module's parameters. Only remote_access_integration imports this file, so no other module
loads the Remote Access client or its ``cryptography`` import.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.
"""

from __future__ import annotations

import typing as t

from ansible_collections.cyberark_community.identity.plugins.module_utils._module import env_fallback_set, option_spec
from ansible_collections.cyberark_community.identity.plugins.module_utils.remote_access._remote_access import RemoteAccessOptions


RA_ENV_PREFIX = "CYBERARK_REMOTE_ACCESS_"
RA_OPTIONS = {
    "ra_service_account_file": "path", "ra_tenant_id": "str", "ra_service_account_id": "str", "ra_private_key": "str",
    "ra_client_id": "str", "ra_client_secret": "str", "ra_data_center": "str", "ra_auth_url": "str", "ra_api_url": "str",
    "ra_validate_certs": "bool", "ra_ca_path": "path",
}


def remote_access_argument_spec() -> dict[str, dict[str, t.Any]]:
    """The Remote Access connection options, each with its ``CYBERARK_REMOTE_ACCESS_*`` environment fallback."""
    spec = {}
    for name, kind in RA_OPTIONS.items():
        option = option_spec(kind, fallback=(env_fallback_set, [RA_ENV_PREFIX + name[3:].upper()]))
        if name in ("ra_private_key", "ra_client_secret"):
            option["no_log"] = True
        if name == "ra_data_center":
            option["choices"] = ["us", "eu", "ca", "au", "uk", "in", "sg"]
        spec[name] = option
    return spec


def remote_access_options(params: t.Mapping[str, t.Any]) -> RemoteAccessOptions:
    values = {name[3:]: params.get(name) for name in RA_OPTIONS if params.get(name) is not None}
    values.setdefault("validate_certs", True)
    values["allowed_hosts"] = tuple(params.get("allowed_redirect_hosts") or ())
    for shared in ("timeout", "retries"):  # the connection's, for both services
        if params.get(shared) is not None:
            values[shared] = params[shared]
    return RemoteAccessOptions(**values)
