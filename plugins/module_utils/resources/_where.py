# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Redrock reads of the rows matching any of many conditions.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.

Conditions are joined by OR in chunks, so a thousand names take ten queries. CyberArk's SDKs query one name at a
time and no public source shows OR accepted (docs/api_sources.md, reading ``redrock_or``): a tenant that refuses a
script joining conditions by OR gets one condition a query from then on, with a warning saying so.
"""

from __future__ import annotations

import typing as t

from ansible_collections.cyberark_community.identity.plugins.module_utils.client import _redrock
from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import ApiError

if t.TYPE_CHECKING:
    from ansible_collections.cyberark_community.identity.plugins.module_utils.client._client import IdentityClient

CHUNK = 100  # conditions joined by OR in one script
OR_REFUSED = ("Redrock/query refused a script joining conditions by OR; the collection reads one condition a query "
              "on this tenant (slower, same result). Please report it with playbooks/verify_tenant.yml's trace")


def equal(column: str, value: t.Any) -> str:
    return f"{column} = {_redrock.quote(value)}"


def _or_refused(client: IdentityClient) -> bool:
    return bool(getattr(client, "redrock_or_refused", False))


def rows_matching(client: IdentityClient, select: str, conditions: t.Sequence[str], key: str = "ID",
                  page_size: int | None = None) -> list[dict[str, t.Any]]:
    """The rows of ``select`` (a script without WHERE) matching any of ``conditions``, each row once (by ``key``)."""
    found: dict[str, dict[str, t.Any]] = {}

    def read(chunk: t.Sequence[str]) -> None:
        script = f"{select} WHERE {' OR '.join(chunk)}"
        for row in client.query(script) if page_size is None else client.query(script, page_size=page_size):
            found.setdefault(str(row.get(key)), row)

    start = 0
    while start < len(conditions):
        size = 1 if _or_refused(client) else CHUNK
        chunk = conditions[start:start + size]
        try:
            read(chunk)
        except ApiError:
            if len(chunk) == 1:
                raise
            read(chunk[:1])  # fails the same way unless OR was what the tenant refused
            client.redrock_or_refused = True  # type: ignore[attr-defined]
            client.warn(OR_REFUSED)
            for condition in chunk[1:]:
                read([condition])
        start += len(chunk)
    return list(found.values())
