# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Bulk import writes: creates and updates concurrently under the client's limiter, role grants in batches, removals.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.

Requests for N new users: one ``CreateUser`` each and role grants in batches of GRANT_BATCH: about N plus a constant.
A row's failure is recorded on its item and never ends the import.
"""

from __future__ import annotations

import functools
import typing as t

from ansible_collections.cyberark_community.identity.plugins.module_utils.resources import _roles, _users
from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import ApiError, IdentityError
from ansible_collections.cyberark_community.identity.plugins.module_utils.bulk_import._import_plan import (
    Item, Options, Plan, UserRow, compare, manager_id, read_existing, values_of,
)

if t.TYPE_CHECKING:
    from ansible_collections.cyberark_community.identity.plugins.module_utils.client._client import IdentityClient

GRANT_BATCH = 500
SETTLE_ROUNDS = 3


def create_payload(row: UserRow, existing: dict[str, dict[str, t.Any]], options: Options) -> dict[str, t.Any]:
    values = dict(values_of(row), password=row.password, reports_to=manager_id(row, existing))
    return _users.create_payload(row.name, values, send_email_invite=options.send_email_invite)


def run_concurrently(client: IdentityClient, work: list[t.Callable[[], None]], concurrency: int) -> None:
    """Run the guarded jobs on the client's worker threads (each records its own failure on its row)."""
    client.run_concurrently(lambda job: job(), work, concurrency)


def guard(item: Item, job: t.Callable[[], None]) -> t.Callable[[], None]:
    """Run ``job`` and record its failure on the row instead of stopping the import."""
    def run() -> None:
        try:
            job()
        except IdentityError as exc:
            item.outcome = "failed"
            item.message = exc.message
        except Exception as exc:  # pylint: disable=broad-exception-caught  # one row's surprise never ends the import
            item.outcome = "failed"
            item.message = f"unexpected error while applying this row: {exc.__class__.__name__}"
    return run


def send_write_only(client: IdentityClient, plan: Plan, item: Item) -> None:
    """Send the fields no read can confirm; ``write_only_done`` records that the tenant took them."""
    if item.write_only_done:
        return
    _users.change(client, str(item.user_id), plan.write_only.get(item.row) or {})
    if item.row in plan.password_resets:
        _users.reset_password(client, str(item.user_id), str(plan.rows[item.row].password))
    item.write_only_done = True


def _create(client: IdentityClient, plan: Plan, item: Item, options: Options) -> None:
    row = plan.rows[item.row]
    try:
        item.user_id = _users.create(client, create_payload(row, plan.existing, options))
    except ApiError as exc:
        if exc.message_id != "_I18N_DuplicateUserName":
            raise
        # Created meanwhile by another run: bring it to the row's values instead.
        current = read_existing(client, [row.name]).get(row.name.lower())
        if current is None:
            raise
        item.user_id = str(current["ID"])
        _users.change(client, item.user_id, compare(row, current, plan.existing))
        item.message = "existed already (created by another run); brought to the file's values"
    else:
        item.message = "created"
    send_write_only(client, plan, item)
    _users.set_attributes(client, item.user_id, plan.attribute_changes.get(item.row) or {})
    item.outcome = "ok"


def _update(client: IdentityClient, plan: Plan, item: Item, options: Options) -> None:
    _users.change(client, str(item.user_id), plan.field_changes.get(item.row) or {})
    send_write_only(client, plan, item)
    _users.set_attributes(client, str(item.user_id), plan.attribute_changes.get(item.row) or {})
    item.outcome = "ok"
    item.message = "updated: " + ", ".join(item.changes)


def apply_round(client: IdentityClient, plan: Plan, options: Options) -> None:
    """Create and update rows concurrently, then set managers created in this round, then grant roles in batches."""
    creates, updates = plan.to_apply("create"), plan.to_apply("update")
    work = [guard(i, lambda i=i: _create(client, plan, i, options)) for i in creates]
    work += [guard(i, lambda i=i: _update(client, plan, i, options)) for i in updates]
    run_concurrently(client, work, options.concurrency)
    created = {i.login_name.lower(): i.user_id for i in creates if i.outcome == "ok"}
    late = [i for i in creates if i.outcome == "ok" and (plan.rows[i.row].reports_to or "").lower() in created]
    run_concurrently(client, [guard(i, lambda i=i: _users.change(client, str(i.user_id), {
        "ReportsTo": created[str(plan.rows[i.row].reports_to).lower()]})) for i in late], options.concurrency)
    grant_roles(client, plan, options.concurrency)


def grant_roles(client: IdentityClient, plan: Plan, concurrency: int = 1) -> None:
    """One call per role and batch of users, not one per user, ``concurrency`` batches at once; a failed batch fails
    its rows (in batch order, so the message a row keeps does not depend on timing). Roles are granted first, then
    taken (roles_mode=exact)."""
    by_name = {i.login_name.lower(): i for i in plan.items}
    for assignments, send in ((plan.grants, _roles.add_users), (plan.revokes, _roles.remove_users)):
        batches = []
        for role, names in assignments.items():
            names = [n for n in names if by_name[n.lower()].outcome != "failed"]
            batches += [(role, names[start:start + GRANT_BATCH]) for start in range(0, len(names), GRANT_BATCH)]
        errors: dict[int, str] = {}
        run_concurrently(client, [functools.partial(_send_batch, send, client, plan.role_ids[role], batch, errors, index)
                                  for index, (role, batch) in enumerate(batches)], concurrency)
        for index, (role, batch) in enumerate(batches):
            if index in errors:
                for name in batch:
                    by_name[name.lower()].outcome = "failed"
                    by_name[name.lower()].message = f"role {role}: {errors[index]}"


def _send_batch(send: t.Callable[[IdentityClient, str, list[str]], None], client: IdentityClient, role_id: str, batch: list[str],
                errors: dict[int, str], index: int) -> None:
    try:
        send(client, role_id, batch)
    except IdentityError as exc:
        errors[index] = exc.message


def apply_removals(client: IdentityClient, plan: Plan, options: Options) -> None:
    """Disable (one call each, concurrently) or delete (``RemoveUsers``, in batches) the users the file no longer lists,
    then read them back: the outcome is what the tenant shows."""
    pending = list(plan.removals)
    for _attempt in range(SETTLE_ROUNDS):
        if not pending:
            return
        for item in pending:
            item.outcome, item.message = "planned", ""
        disable = [i for i in pending if i.action == "disable"]
        run_concurrently(client, [guard(i, lambda i=i: _users.set_state(client, str(i.user_id), "disabled")) for i in disable],
                         options.concurrency)
        deletes = [i for i in pending if i.action == "delete"]
        for start in range(0, len(deletes), GRANT_BATCH):
            batch = deletes[start:start + GRANT_BATCH]
            try:
                _users.remove_many(client, [str(i.user_id) for i in batch])
            except IdentityError as exc:
                for item in batch:
                    item.outcome, item.message = "failed", exc.message
        try:
            seen = _users.enabled_by_id(client, [str(i.user_id) for i in pending])
        except IdentityError as exc:
            for item in pending:
                item.message = f"not confirmed: reading the tenant back failed: {exc.message}"
            return
        for item in pending:
            user = seen.get(str(item.user_id))
            if (user is None) if item.action == "delete" else (user is not None and not user["enabled"]):
                item.outcome, item.message = "ok", f"{item.action}d"
                continue
            reason = item.message if item.outcome == "failed" else ""
            item.outcome = "failed"
            item.message = ("gone from the tenant before it could be disabled" if user is None
                            else f"still {'in the tenant' if item.action == 'delete' else 'enabled'}") + (f" ({reason})" if reason else "")
        pending = [i for i in pending if i.outcome == "failed" and seen.get(str(i.user_id)) is not None]
