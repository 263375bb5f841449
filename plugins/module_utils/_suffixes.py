# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Login suffixes (CDS aliases): list, create, delete.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.
"""

from __future__ import annotations

import typing as t

from ansible_collections.cyberark_community.identity.plugins.module_utils import _redrock

if t.TYPE_CHECKING:
    from ansible_collections.cyberark_community.identity.plugins.module_utils._client import IdentityClient


def list_suffixes(client: IdentityClient) -> list[dict[str, t.Any]]:
    """Every login suffix of the tenant (``Core/GetAliasesForTenant``): name and whether it is a Cloud Directory one."""
    result = client.call("/Core/GetAliasesForTenant")
    suffixes = []
    for row in _redrock.rows(result):
        if row.get("ID"):
            suffixes.append({"name": str(row["ID"]), "cds": bool(row.get("CdsAlias"))})
    return suffixes


def find(suffixes: list[dict[str, t.Any]], name: str) -> dict[str, t.Any] | None:
    """Suffixes compare case-insensitively, like host names."""
    wanted = name.lower()
    return next((s for s in suffixes if s["name"].lower() == wanted), None)


def create(client: IdentityClient, name: str, cds: bool = True, domain: str | None = None) -> None:
    """``Core/StoreAlias``; the JSON form the portal sends, ``cdsAlias`` as a string (contract §6).

    Safe to repeat: a duplicate answers ``State: 1``, which is the state we want.
    """
    body = {
        "alias": name,
        "cdsAlias": "true" if cds else "false",
        "domain": domain or name,
        "jsutil-radio2": "CDS" if cds else "AD&FDS",
        "oldName": "",
    }
    client.call("/Core/StoreAlias", body)


def delete(client: IdentityClient, name: str) -> None:
    """``Core/DeleteAliases`` with a bare JSON array (the form verified against a live tenant)."""
    client.call("/Core/DeleteAliases", [name])
