# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Table-shaped results, Redrock query paging, ``/Date(ms)/`` values and SQL quoting.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.

Redrock (``POST /Redrock/query``) takes a SQLite-like script with values placed
inline, so every value goes through :func:`quote` first.
"""

from __future__ import annotations

import datetime
import re
import typing as t

from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import ConfigurationError, IdentityError

DEFAULT_PAGE_SIZE = 1000
_DATE_RE = re.compile(r"^/Date\((-?\d+)([+-]\d{4})?\)/$")


def quote(value: t.Any) -> str:
    """A SQL literal for ``value``: strings single-quoted with quotes doubled; numbers and booleans bare.

    Raises ConfigurationError for values that cannot be placed safely (NUL and
    other control characters, containers).
    """
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (int, float)):
        return repr(value)
    if not isinstance(value, str):
        raise ConfigurationError(f"cannot place a {type(value).__name__} in a query")
    if any(ord(ch) < 32 for ch in value):
        raise ConfigurationError("a query value must not contain control characters")
    return "'" + value.replace("'", "''") + "'"


def parse_date(value: t.Any) -> str | None:
    """``/Date(1712846804359)/`` as an ISO 8601 UTC string; other values unchanged (None stays None)."""
    if not isinstance(value, str):
        return value
    match = _DATE_RE.match(value)
    if not match:
        return value
    moment = datetime.datetime.fromtimestamp(int(match.group(1)) / 1000.0, tz=datetime.timezone.utc)
    return moment.isoformat().replace("+00:00", "Z")


def rows(result: t.Any) -> list[dict[str, t.Any]]:
    """The ``Row`` of every entry of a table-shaped ``Result`` (``{"Results": [{"Row": {...}}]}``)."""
    if result is None:
        return []
    if not isinstance(result, dict) or not isinstance(result.get("Results"), list):
        raise IdentityError("the API answered with a result that is not table-shaped")
    return [dict(entry.get("Row") or {}) for entry in result["Results"]]


def row_keys(result: t.Any) -> list[str]:
    """The first entity key of every entry (the SDKs read suffixes this way)."""
    keys = []
    for entry in (result or {}).get("Results", []) or []:
        entities = entry.get("Entities") or []
        if entities and entities[0].get("Key") is not None:
            keys.append(str(entities[0]["Key"]))
    return keys


def page_args(page_number: int, page_size: int) -> dict[str, t.Any]:
    """The ``args`` object of a Redrock page request."""
    return {"PageNumber": page_number, "PageSize": page_size, "Limit": page_size, "Caching": -1}


def iterate_pages(fetch_page: t.Callable[[int, int], t.Any], page_size: int = DEFAULT_PAGE_SIZE) -> t.Iterator[dict[str, t.Any]]:
    """Yield every row of a paged query.

    ``fetch_page(page_number, page_size)`` returns one table-shaped ``Result``.
    Stops on a short page or once ``FullCount`` rows were seen, and never asks for
    more pages than ``FullCount`` implies (plus one), so a server that ignores
    paging cannot make this loop forever.
    """
    seen = 0
    page = 1
    max_pages: int | None = None
    while max_pages is None or page <= max_pages:
        result = fetch_page(page, page_size)
        page_rows = rows(result)
        full_count = result.get("FullCount") if isinstance(result, dict) else None
        if isinstance(full_count, int) and max_pages is None:
            max_pages = full_count // page_size + 1
        yield from page_rows
        seen += len(page_rows)
        if len(page_rows) < page_size or (isinstance(full_count, int) and seen >= full_count):
            return
        if max_pages is None:
            max_pages = page + 1000  # no FullCount: still bounded
        page += 1
