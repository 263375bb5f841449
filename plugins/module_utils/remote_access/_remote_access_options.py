# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The Remote Access connection options (``ra_*``): the client options built from a module's parameters (their spec,
with ``CYBERARK_REMOTE_ACCESS_*`` fallbacks and defaults, is in ``_connection_spec``). Only remote_access_integration imports this file, so no other module
loads the Remote Access client or its ``cryptography`` import.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.
"""

from __future__ import annotations

import typing as t

# the options' spec lives with the connection's (one place for every default); remote_access_integration takes it from here
from ansible_collections.cyberark_community.identity.plugins.module_utils._connection_spec import remote_access_argument_spec
from ansible_collections.cyberark_community.identity.plugins.module_utils.remote_access._remote_access import RemoteAccessOptions


def remote_access_options(params: t.Mapping[str, t.Any]) -> RemoteAccessOptions:
    values = {name[3:]: params.get(name) for name in remote_access_argument_spec() if params.get(name) is not None}
    values["allowed_hosts"] = tuple(params.get("allowed_redirect_hosts") or ())
    for shared in ("timeout", "retries"):  # the connection's, for both services
        if params.get(shared) is not None:
            values[shared] = params[shared]
    return RemoteAccessOptions(**values)
