# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The one place the client's worker threads are made.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.

Concurrency on the client side is a few threads sending requests through one transport, whose limiter decides how many
are in flight (``_flow``). Modules and resources ask the client (``run_concurrently``); the Redrock pages read ahead
use :func:`executor` directly, since they are consumed while later pages are still being fetched.
"""

from __future__ import annotations

import concurrent.futures
import typing as t

_Item = t.TypeVar("_Item")
_Result = t.TypeVar("_Result")


def executor(workers: int) -> concurrent.futures.ThreadPoolExecutor:
    """A pool of ``workers`` threads (at least one), to use as a context manager: leaving it waits for every job."""
    return concurrent.futures.ThreadPoolExecutor(max_workers=max(1, workers))


def run_concurrently(function: t.Callable[[_Item], _Result], items: t.Iterable[_Item], workers: int) -> list[_Result]:
    """``function(item)`` for every item, at most ``workers`` at once; the results in the order of ``items``. The first
    failure in that order is raised once the calls already started have ended; the others are not started."""
    items = list(items)
    if not items:
        return []
    with executor(min(workers, len(items))) as pool:
        return list(pool.map(function, items))
