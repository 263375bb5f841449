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

import collections
import datetime
import re
import typing as t

from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import ConfigurationError, IdentityError
from ansible_collections.cyberark_community.identity.plugins.module_utils.client import _pool

DEFAULT_PAGE_SIZE = 1000
# args.Limit on every page: the most rows the collection wants of one query, all of them. Whether the service applies
# Limit to the query's rows before paging (as idsec-sdk-golang's users service reads it, sending the rows still wanted)
# or to a page, or ignores it, a Limit above any tenant's row count reads every page whole (docs/api_sources.md).
MAX_QUERY_ROWS = 1_000_000
_DATE_RE = re.compile(r"^/Date\((-?\d+)([+-]\d{4})?\)/$")


def quote(value: t.Any) -> str:
    """A SQL literal for ``value``: strings single-quoted with quotes doubled; numbers and booleans bare.

    Raises ConfigurationError for values that cannot be placed safely (NUL and
    other control characters, a backslash, containers).
    """
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (int, float)):
        return repr(value)
    if not isinstance(value, str):
        raise ConfigurationError(f"cannot place a {type(value).__name__} in a query")
    if any(ord(ch) < 32 for ch in value):
        raise ConfigurationError("a query value must not contain control characters")
    if "\\" in value:
        # SQLite, the documented dialect, reads it literally; a MySQL-style reading would let it end the quoted text
        # early. No public source shows which (docs/api_sources.md), so no value may depend on it.
        raise ConfigurationError("a query value must not contain a backslash (\\): how the tenant's query dialect reads "
                                 "it is not documented")
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
    return {"PageNumber": page_number, "PageSize": page_size, "Limit": MAX_QUERY_ROWS, "Caching": -1}


def short_read(seen: int, full_count: t.Any) -> None:
    """Raise when the pages held fewer rows than the ``FullCount`` the tenant announced: never a short list, which a
    sync would read as users missing and an import as users to create."""
    if isinstance(full_count, int) and seen < full_count:
        raise IdentityError(
            f"Redrock/query: the tenant announced {full_count} rows (FullCount) but its pages held {seen}; the read "
            "stopped rather than return a short list. Users changed during the read, or the tenant pages in a way the "
            "collection does not know: run again, and report it with playbooks/verify_tenant.yml's summary if it persists"
        )


def same_count(result: t.Any, full_count: t.Any) -> t.Any:
    """``result`` when its ``FullCount`` is the first page's: a count that changed means rows moved between pages (a user
    created or removed meanwhile), so one could be read twice and another not at all."""
    count = result.get("FullCount") if isinstance(result, dict) else None
    if isinstance(full_count, int) and isinstance(count, int) and count != full_count:
        raise IdentityError(f"Redrock/query: the tenant's row count changed during the read ({full_count}, then {count}); the read "
                            "stopped rather than return rows that moved between pages: run again")
    return result


def iterate_pages(fetch_page: t.Callable[[int, int], t.Any], page_size: int = DEFAULT_PAGE_SIZE,
                  ahead: int = 1) -> t.Iterator[dict[str, t.Any]]:
    """Yield every row of a paged query.

    ``fetch_page(page_number, page_size)`` returns one table-shaped ``Result``.
    Stops on a short page or once ``FullCount`` rows were seen, and never asks for
    more pages than ``FullCount`` implies (plus one), so a server that ignores
    paging cannot make this loop forever. Once the first page has told how many
    rows there are, up to ``ahead`` of the pages still needed are fetched at once
    (each page request is independent); rows still come in page order.
    """
    first = fetch_page(1, page_size)
    page_rows = rows(first)
    full_count = first.get("FullCount") if isinstance(first, dict) else None
    yield from page_rows
    if len(page_rows) < page_size or (isinstance(full_count, int) and len(page_rows) >= full_count):
        short_read(len(page_rows), full_count)
        return
    if isinstance(full_count, int) and ahead > 1:
        yield from _pages_ahead(fetch_page, page_size, full_count, len(page_rows), ahead)
        return
    seen = len(page_rows)
    max_pages = full_count // page_size + 1 if isinstance(full_count, int) else 1001  # no FullCount: still bounded
    for page in range(2, max_pages + 1):
        page_rows = rows(same_count(fetch_page(page, page_size), full_count))
        yield from page_rows
        seen += len(page_rows)
        if len(page_rows) < page_size or (isinstance(full_count, int) and seen >= full_count):
            break
    short_read(seen, full_count)


def _pages_ahead(fetch_page: t.Callable[[int, int], t.Any], page_size: int, full_count: int, seen: int,
                 ahead: int) -> t.Iterator[dict[str, t.Any]]:
    """Pages 2 onwards of a query whose row count is known, ``ahead`` in flight, in order; a short page ends it."""
    last_page = -(-full_count // page_size)  # the pages FullCount needs, no more
    with _pool.executor(ahead) as pool:
        pending = collections.deque(pool.submit(fetch_page, page, page_size) for page in range(2, min(last_page, ahead + 1) + 1))
        next_page = 2 + len(pending)
        try:
            while pending:
                page_rows = rows(same_count(pending.popleft().result(), full_count))
                seen += len(page_rows)
                done = len(page_rows) < page_size or seen >= full_count
                if not done and next_page <= last_page:
                    pending.append(pool.submit(fetch_page, next_page, page_size))
                    next_page += 1
                yield from page_rows
                if done:
                    break
        finally:
            for future in pending:
                future.cancel()
    short_read(seen, full_count)


TRUE_WORDS = ("true", "1", "yes", "y", "t", "on")
FALSE_WORDS = ("false", "0", "no", "n", "f", "off", "")


_RAISE = object()


def truth(value: t.Any, default: bool | None = False, unknown: t.Any = _RAISE) -> t.Any:
    """A boolean the tenant answered, as a JSON boolean, the string true or false (any case) or 1 / 0: the reference
    pages show JSON booleans, CyberArk's SDKs send several flags as strings (docs/api_sources.md, ``answer_booleans``).
    None is ``default``; any other word raises IdentityError, or is ``unknown`` when given (a fact left unknown)."""
    if value is None:
        return default
    if isinstance(value, str):
        word = value.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        if unknown is not _RAISE:
            return unknown
        raise IdentityError(f"the tenant answered {value[:40]!r} where a boolean was expected; the collection does not "
                            "guess what it means: please report it with playbooks/verify_tenant.yml's trace")
    return bool(value)
