# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What differs between what the tenant holds and what is wanted: fields and lists, for every resource.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.

Values are keyed by the modules' option names (``email``, ``reports_to``); the ``fields`` table given names the wire
field each one is written to, so a change comes out ready to send.
"""

from __future__ import annotations

import typing as t

LIST_MODES = ("append", "exact", "remove")


def field_changes(current: t.Mapping[str, t.Any], wanted: t.Mapping[str, t.Any], fields: t.Mapping[str, str]) -> dict[str, t.Any]:
    """``{wire field: wanted value}`` for every option of ``fields`` that is wanted (not None) and differs from what is held.

    An empty string and a missing value are the same thing (a cleared field), so clearing twice changes nothing.
    """
    return {wire: wanted[option] for option, wire in fields.items()
            if wanted.get(option) is not None and (current.get(option) or None) != (wanted[option] or None)}


def _same(value: t.Any) -> t.Any:
    return value


def list_changes(current: t.Iterable[t.Any], wanted: t.Iterable[t.Any] | None, mode: str = "append",
                 key: t.Callable[[t.Any], t.Any] = _same) -> tuple[list[t.Any], list[t.Any]]:
    """``(to add, to remove)``, each sorted by ``key``, which also says when two entries are the same.

    ``append`` adds what is missing; ``exact`` also removes what is not wanted; ``remove`` removes the wanted entries
    that are held. ``wanted=None`` leaves the list alone.
    """
    if mode not in LIST_MODES:
        raise ValueError(f"mode must be one of {', '.join(LIST_MODES)}")
    if wanted is None:
        return [], []
    have = {key(v): v for v in current}
    want = {key(v): v for v in wanted}
    if mode == "remove":
        return [], sorted((have[k] for k in have.keys() & want.keys()), key=key)
    to_add = sorted((want[k] for k in want.keys() - have.keys()), key=key)
    to_remove = sorted((have[k] for k in have.keys() - want.keys()), key=key) if mode == "exact" else []
    return to_add, to_remove
