# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Bulk import settling: what the tenant shows decides each row's outcome, whatever the answers said.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.
"""

from __future__ import annotations

import dataclasses
import typing as t

from ansible_collections.cyberark_community.identity.plugins.module_utils.resources import _users
from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import IdentityError
from ansible_collections.cyberark_community.identity.plugins.module_utils.bulk_import._import_apply import (
    SETTLE_ROUNDS, apply_round, guard, run_concurrently, send_write_only,
)
from ansible_collections.cyberark_community.identity.plugins.module_utils.bulk_import._import_plan import Item, Options, Plan, make_plan

if t.TYPE_CHECKING:
    from ansible_collections.cyberark_community.identity.plugins.module_utils.client._client import IdentityClient


def settle(client: IdentityClient, plan: Plan, options: Options, rounds: int = SETTLE_ROUNDS) -> None:
    """Make every touched row's outcome what the tenant shows: re-read the rows by page, confirm what landed
    (whatever the answer said), apply again what did not (at most ``rounds`` times), and fail the rest with
    what is missing. Write-only fields cannot be read: they count as set only if this run's call for them succeeded.
    """
    touched = {i.row: i for i in plan.to_apply("create") + plan.to_apply("update")}
    if not touched:
        return
    verify = dataclasses.replace(options, update_existing=True, update_password="on_create", absent_users="keep")
    wrong: dict[int, Item] = {}
    unread = None
    for attempt in range(rounds + 1):
        try:
            check = make_plan(client, [plan.rows[row] for row in touched], verify)
        except IdentityError as exc:  # the reads themselves failed: try again, within the same budget
            unread = exc.message
            continue
        unread = None
        wrong = {}
        for seen in check.items:
            item = touched[seen.row]
            if _matches(item, seen, options) and (item.write_only_done or not _has_write_only(plan, item)):
                _confirm(item)
            else:
                wrong[seen.row] = seen
        if not wrong or attempt == rounds:
            break
        _apply_again(client, plan, check, wrong, options)
    if unread is not None:
        for item in touched.values():
            item.message += f" (not confirmed: reading the tenant back failed: {unread})"
        return
    for row, seen in wrong.items():
        _fail(client, plan, touched[row], seen, options)


def _matches(item: Item, seen: Item, options: Options) -> bool:
    """Whether the tenant holds what the row asked for (fields only where this run was to write them)."""
    if seen.action == "unchanged":
        return True
    if seen.action == "update" and item.action == "update" and not options.update_existing:
        return not seen.missing_roles and not seen.extra_roles
    return False


def _has_write_only(plan: Plan, item: Item) -> bool:
    return bool(plan.write_only.get(item.row)) or item.row in plan.password_resets


def _confirm(item: Item) -> None:
    if item.outcome != "ok":
        verb = "created" if item.action == "create" else "updated"
        item.message = f"{verb} (an answer was lost or refused, but reading the tenant back shows the row in place)"
    item.outcome = "ok"


def _apply_again(client: IdentityClient, plan: Plan, check: Plan, wrong: dict[int, Item], options: Options) -> None:
    """One more round for the rows the tenant does not show right, from what it shows now."""
    originals = {i.row: i for i in plan.items}
    names = {i.login_name.lower() for i in wrong.values()}
    retry = dataclasses.replace(
        check, items=list(wrong.values()),
        grants={role: [n for n in members if n.lower() in names] for role, members in check.grants.items()},
        revokes={role: [n for n in members if n.lower() in names] for role, members in check.revokes.items()},
        write_only={row: fields for row, fields in plan.write_only.items() if row in wrong},
        password_resets={row for row in plan.password_resets if row in wrong},
    )
    for seen in retry.items:
        seen.outcome = "planned"
        seen.write_only_done = originals[seen.row].write_only_done
    unchanged = [i for i in retry.items if i.action == "unchanged"]  # only write-only fields are left to send
    run_concurrently(client, [guard(i, lambda i=i: send_write_only(client, retry, i)) for i in unchanged], options.concurrency)
    apply_round(client, retry, options)
    for seen in retry.items:
        original = originals[seen.row]
        original.user_id = seen.user_id or original.user_id
        original.write_only_done = seen.write_only_done
        if seen.outcome == "failed":
            original.outcome, original.message = "failed", seen.message


def _fail(client: IdentityClient, plan: Plan, item: Item, seen: Item, options: Options) -> None:
    """Report exactly what the tenant does not show; a user created without its account expiry is removed again."""
    reason = item.message if item.outcome == "failed" else ""
    if seen.action == "create":
        item.message = "not created" + (f": {reason}" if reason else "")
    elif not _matches(item, seen, options):
        missing = [c for c in seen.changes if c != "roles"]
        parts = ([f"fields differ from the file: {', '.join(missing)}"] if missing else [])
        parts += ([f"missing role{'s' if len(seen.missing_roles) > 1 else ''}: {', '.join(seen.missing_roles)}"]
                  if seen.missing_roles else [])
        parts += [f"roles not in the file still held: {', '.join(seen.extra_roles)}"] if seen.extra_roles else []
        item.message = "; ".join(parts) + (f" ({reason})" if reason else "")
    else:
        fields = sorted(plan.write_only.get(item.row) or {}) or ["password"]
        item.message = f"{', '.join(fields)} not set" + (f": {reason}" if reason else "")
        if item.action == "create" and item.user_id:
            # AccountExp cannot be read back, so a re-run would never notice it missing: remove the user so a
            # re-run creates it whole.
            try:
                _users.delete(client, str(item.user_id))
                item.message += "; the new user was removed again so that a re-run creates it with every field"
            except IdentityError as exc:
                item.message += f"; removing the new user failed too ({exc.message}): set its account expiry by hand"
    item.outcome = "failed"
    item.missing_roles = seen.missing_roles
