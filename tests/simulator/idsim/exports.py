# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The shell lines that point playbooks at a running simulator, printed after its JSON start-up line.

Only values a user may see are printed: URLs, file paths and the built-in service user's test credentials (public in
docs/simulator.md). Never the ``/_sim/`` token: standard output ends up in terminals' scrollback and CI logs.
"""

from __future__ import annotations

import shlex
from urllib.parse import urlsplit

from . import passwords
from .state import DEFAULT_TENANT, World

SERVICE_USER = next(u for u in DEFAULT_TENANT["users"] if u.get("OauthClient"))  # the built-in OAuth client


def _export(name: str, value: str) -> str:
    return f"export {name}={shlex.quote(value)}"


def _hosts(info: dict) -> list[str]:
    """Every host it serves, in start-up order: logins and Remote Access calls may be redirected between them."""
    urls = [url for tenant in info["tenants"] for url in tenant["urls"]]
    urls += [ra[key] for ra in info["remote_access"] for key in ("auth_url", "api_url")]
    return list(dict.fromkeys(urlsplit(url).hostname for url in urls))


def _has_built_in_service_user(world: World) -> bool:
    user = world.tenants[0].find_user(SERVICE_USER["Name"])
    return bool(user and user.get("OauthClient") and passwords.matches(user.get("password"), SERVICE_USER["Password"]))


def shell_exports(info: dict, world: World) -> list[str]:
    """``export`` lines (and ``#`` comments) for a shell: the Identity connection and, when served, the Remote Access one."""
    if info["scheme"] != "https":
        return ["# --scheme http serves the simulator's own tests: no module accepts an http:// tenant URL, so nothing to export."]
    first = info["tenants"][0]
    lines = ["# Point playbooks at this simulator (test values; paste these lines into the shell that runs them):",
             _export("CYBERARK_IDENTITY_TENANT_URL", first["system_url"]),
             _export("CYBERARK_IDENTITY_CA_PATH", info["ca_path"]),
             _export("CYBERARK_IDENTITY_ALLOWED_REDIRECT_HOSTS", ",".join(_hosts(info)))]
    if _has_built_in_service_user(world):
        lines += [_export("CYBERARK_IDENTITY_CLIENT_ID", SERVICE_USER["Name"]),
                  _export("CYBERARK_IDENTITY_CLIENT_SECRET", SERVICE_USER["Password"])]
    else:
        lines.append("# CYBERARK_IDENTITY_CLIENT_ID and CYBERARK_IDENTITY_CLIENT_SECRET: an OAuth client of your seed file.")
    lines += [f"# Tenant {t['tenant_id']}: CYBERARK_IDENTITY_TENANT_URL={shlex.quote(t['system_url'])}" for t in info["tenants"][1:]]
    if info["remote_access"]:
        remote = info["remote_access"][0]  # the one /_sim/ra/ acts on
        lines += [f"# Remote Access tenant {remote['tenant_id']}, linked to Identity tenant {remote['identity_tenant_id']}:",
                  _export("CYBERARK_REMOTE_ACCESS_SERVICE_ACCOUNT_FILE", remote["service_account_file"]),
                  _export("CYBERARK_REMOTE_ACCESS_TENANT_ID", remote["tenant_id"]),
                  _export("CYBERARK_REMOTE_ACCESS_AUTH_URL", remote["auth_url"]),
                  _export("CYBERARK_REMOTE_ACCESS_API_URL", remote["api_url"]),
                  _export("CYBERARK_REMOTE_ACCESS_CA_PATH", info["ca_path"])]
    lines.append(f"# /_sim/ calls need the token in {info['info_file']} (sim_token); it is never printed.")
    return lines
