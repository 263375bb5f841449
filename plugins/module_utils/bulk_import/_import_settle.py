# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Bulk import settling: what the tenant shows decides each row's outcome, whatever the answers said.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.

The rows are read back by page and compared with what each asked for through the planner's own compare function
(``_import_plan.gap_of``); what the tenant does not show is applied again from that gap, at most ``SETTLE_ROUNDS``
times, and the rest fails naming what is missing. Fields this run was not to write (``update_existing=false``) do not
count. Write-only fields cannot be read: they count as set only when this run's call for them succeeded.
"""

from __future__ import annotations

import dataclasses
import typing as t

from ansible_collections.cyberark_community.identity.plugins.module_utils.resources import _attributes, _users
from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import IdentityError
from ansible_collections.cyberark_community.identity.plugins.module_utils.bulk_import._import_apply import SETTLE_ROUNDS, apply_round
from ansible_collections.cyberark_community.identity.plugins.module_utils.bulk_import._import_outcome import Outcome, Outcomes
from ansible_collections.cyberark_community.identity.plugins.module_utils.bulk_import._import_plan import (
    Entry, Gap, Observed, Options, Plan, gap_of, observe, writable,
)

if t.TYPE_CHECKING:
    from ansible_collections.cyberark_community.identity.plugins.module_utils.client._client import IdentityClient


def settle(client: IdentityClient, plan: Plan, outcomes: Outcomes, options: Options, rounds: int = SETTLE_ROUNDS) -> None:
    """Make every touched row's outcome what the tenant shows (see the module docstring)."""
    touched = {e.row: e for e in outcomes.pending(plan, "create") + outcomes.pending(plan, "update")}
    if not touched:
        return
    rows = [plan.rows[row] for row in touched]
    gaps: dict[int, Gap] = {}
    unread = None
    for attempt in range(rounds + 1):
        try:
            seen = observe(client, rows, options)
            gaps = {row: gap_of(client, plan.rows[row], seen, options, _counts_attributes(entry, options)) for row, entry in touched.items()}
        except IdentityError as exc:  # the reads themselves failed: try again, within the same budget
            unread = exc.message
            continue
        unread = None
        wrong = {row: gap for row, gap in gaps.items() if not _landed(touched[row], gap, outcomes.rows[row], options)}
        for row in set(touched) - set(wrong):
            _confirm(touched[row], outcomes.rows[row])
        gaps = wrong
        if not wrong or attempt == rounds:
            break
        _apply_again(client, plan, outcomes, options, seen, {row: (touched[row], gap) for row, gap in wrong.items()})
    if unread is not None:
        for row in touched:
            outcome = outcomes.rows[row]
            outcome.message = f"{outcome.message or touched[row].message} (not confirmed: reading the tenant back failed: {unread})"
        return
    for row, gap in gaps.items():
        _fail(client, touched[row], gap, outcomes.rows[row], options)


def _counts_attributes(entry: Entry, options: Options) -> bool:
    """Whether the row's additional attributes are this run's to set (and so read back)."""
    return options.writes_fields(entry.action == "create")


def _landed(entry: Entry, gap: Gap, outcome: Outcome, options: Options) -> bool:
    fields, attributes = writable(gap, options, creating=entry.action == "create")
    in_place = gap.current is not None and not fields and not attributes and not gap.missing_roles and not gap.extra_roles
    return in_place and (outcome.write_only_done or not entry.sends_write_only())


def _confirm(entry: Entry, outcome: Outcome) -> None:
    if outcome.outcome != "ok":
        verb = "created" if entry.action == "create" else "updated"
        outcome.message = f"{verb} (an answer was lost or refused, but reading the tenant back shows the row in place)"
    outcome.outcome = "ok"


def _apply_again(client: IdentityClient, plan: Plan, outcomes: Outcomes, options: Options, seen: Observed,
                 wrong: dict[int, tuple[Entry, Gap]]) -> None:
    """One more round for the rows the tenant does not show right: new entries made from their gaps, applied to what
    the tenant showed just now."""
    retry = []
    for row, (entry, gap) in wrong.items():
        outcome = outcomes.rows[row]
        write_only = {} if outcome.write_only_done else dict(entry.write_only)
        reset = entry.reset_password and not outcome.write_only_done
        if gap.current is None:
            retry.append(dataclasses.replace(entry, action="create", grant=gap.missing_roles, revoke=(), fields={}))
        else:
            fields, attributes = writable(gap, options, creating=entry.action == "create")
            if attributes:  # the whole set, as a plan sends it
                attributes = _attributes.whole_set(gap.held_attributes, options.attribute_types, attributes)
            retry.append(dataclasses.replace(
                entry, action="update" if fields or attributes else "unchanged", user_id=str(gap.current["ID"]), fields=fields,
                attributes=attributes, write_only=write_only, reset_password=reset, grant=gap.missing_roles, revoke=gap.extra_roles))
            outcome.user_id = outcome.user_id or str(gap.current["ID"])
    kept = {row: dataclasses.replace(outcomes.rows[row]) for row in wrong}
    for row in wrong:  # applied again from scratch: a failure in an earlier round must not hold back this round's writes
        outcomes.rows[row] = dataclasses.replace(outcomes.rows[row], outcome="planned")
    apply_round(client, plan, retry, outcomes, options, existing=seen.existing)
    for row, before in kept.items():
        after = outcomes.rows[row]
        if after.outcome != "failed":  # a write that answered is judged by the next read, not by its answer: the outcome stays
            outcomes.rows[row] = dataclasses.replace(before, user_id=after.user_id or before.user_id, write_only_done=after.write_only_done)


def _fail(client: IdentityClient, entry: Entry, gap: Gap, outcome: Outcome, options: Options) -> None:
    """Report exactly what the tenant does not show; a user created without its write-only fields is deleted again,
    the contingent write its plan entry names (``undo_create``)."""
    reason = outcome.message if outcome.outcome == "failed" and outcome.message else ""
    fields, attributes = writable(gap, options, creating=entry.action == "create")
    if gap.current is None:
        outcome.message = "not created" + (f": {reason}" if reason else "")
    elif fields or attributes or gap.missing_roles or gap.extra_roles:
        differing = sorted(fields) + sorted(attributes)
        parts = [f"fields differ from the file: {', '.join(differing)}"] if differing else []
        parts += ([f"missing role{'s' if len(gap.missing_roles) > 1 else ''}: {', '.join(gap.missing_roles)}"]
                  if gap.missing_roles else [])
        parts += [f"roles not in the file still held: {', '.join(gap.extra_roles)}"] if gap.extra_roles else []
        outcome.message = "; ".join(parts) + (f" ({reason})" if reason else "")
    else:
        names = sorted(entry.write_only) or ["password"]
        outcome.message = f"{', '.join(names)} not set" + (f": {reason}" if reason else "")
        if entry.undo_create and outcome.user_id:
            try:
                _users.delete(client, str(outcome.user_id))
                outcome.removed_again = True
                outcome.message += "; the new user was removed again so that a re-run creates it with every field"
            except IdentityError as exc:
                outcome.message += f"; removing the new user failed too ({exc.message}): set its account expiry by hand"
    outcome.outcome = "failed"
