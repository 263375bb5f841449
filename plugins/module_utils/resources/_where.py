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
from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import ApiError, is_refusal

if t.TYPE_CHECKING:
    from ansible_collections.cyberark_community.identity.plugins.module_utils.client._client import IdentityClient

CHUNK = 100  # conditions joined by OR in one script
OR_REFUSED = ("Redrock/query refused a script joining conditions by OR, and took one condition alone; the collection "
              "reads one condition a query on this tenant (slower, same result)")


def equal(column: str, value: t.Any) -> str:
    return f"{column} = {_redrock.quote(value)}"


def rows_matching(client: IdentityClient, select: str, conditions: t.Sequence[str], key: str = "ID",
                  page_size: int | None = None, order: str = "") -> list[dict[str, t.Any]]:
    """The rows of ``select`` (a script without WHERE) matching any of ``conditions``, each row once (by ``key``), in
    the order of the reads; ``order`` (``ORDER BY ...``) keeps each read's pages in a fixed order."""
    found: dict[str, dict[str, t.Any]] = {}

    def read(chunk: t.Sequence[str]) -> None:
        script = f"{select} WHERE {' OR '.join(chunk)}" + (f" {order}" if order else "")
        for row in client.query(script) if page_size is None else client.query(script, page_size=page_size):
            found.setdefault(str(row.get(key)), row)

    start = 0
    while start < len(conditions):
        size = 1 if client.readings.get("redrock_or") == "refused" else CHUNK
        chunk = conditions[start:start + size]
        try:
            read(chunk)
        except ApiError as exc:
            if len(chunk) == 1 or not is_refusal(exc) or client.readings.get("redrock_or") == "accepted":
                raise
            read(chunk[:1])  # refused the same way unless OR was what the tenant refused
            client.met_reading("redrock_or", "refused", OR_REFUSED)
            for condition in chunk[1:]:
                read([condition])
        else:
            if len(chunk) > 1:
                client.met_reading("redrock_or", "accepted")  # a later refusal has another cause
        start += len(chunk)
    return list(found.values())
