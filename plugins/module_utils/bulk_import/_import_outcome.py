# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What became of each plan entry: kept apart from the plan, and changed only by the thread that drives the import.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.

A worker applying a row works on its own copy of the row's outcome and hands it back; the driving thread stores it.
"""

from __future__ import annotations

import dataclasses
import typing as t

from ansible_collections.cyberark_community.identity.plugins.module_utils.bulk_import._import_plan import Entry, Plan


@dataclasses.dataclass
class Outcome:
    """One entry's outcome: ``planned`` (check mode, or not reached), ``ok``, ``failed`` or ``skipped`` (invalid)."""

    outcome: str = "planned"
    message: str | None = None  # None: the plan's message stands
    user_id: str | None = None
    # Write-only fields cannot be read back to confirm them: whether this run's call for them succeeded.
    write_only_done: bool = False
    removed_again: bool = False  # the contingent delete of a new user (Entry.undo_create) was sent and taken


class Outcomes:
    """The outcome of every row (by row number) and of every removal (in the plan's order)."""

    def __init__(self, plan: Plan | None = None) -> None:
        self.rows: dict[int, Outcome] = {}
        self.removals: list[Outcome] = []
        self.handed_over: set[int] = set()  # rows the service's import job created: the API neither applies nor settles them
        if plan is not None:
            self.add(plan.entries)
            self.removals = [Outcome(user_id=e.user_id) for e in plan.removals]

    def add(self, entries: t.Iterable[Entry]) -> None:
        for entry in entries:
            self.rows[entry.row] = Outcome("skipped" if entry.action == "invalid" else "planned", user_id=entry.user_id)

    def pending(self, plan: Plan, action: str) -> list[Entry]:
        """The entries of ``action`` the API applies (not those the service's job created)."""
        return [e for e in plan.of(action) if e.row not in self.handed_over]


def public(entry: Entry, outcome: Outcome) -> dict[str, t.Any]:
    """One row as results and reports show it."""
    return {"row": entry.row, "login_name": entry.login_name, "action": entry.action, "outcome": outcome.outcome,
            "message": entry.message if outcome.message is None else outcome.message, "changes": list(entry.changes)}


def removal(entry: Entry, outcome: Outcome) -> dict[str, t.Any]:
    """A user the file no longer lists, as results and reports show it."""
    return {"login_name": entry.login_name, "action": entry.action, "outcome": outcome.outcome,
            "message": entry.message if outcome.message is None else outcome.message}
