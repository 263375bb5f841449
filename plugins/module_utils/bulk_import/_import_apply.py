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

import dataclasses
import typing as t

from ansible_collections.cyberark_community.identity.plugins.module_utils.resources import _roles, _users
from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import ApiError, IdentityError
from ansible_collections.cyberark_community.identity.plugins.module_utils.bulk_import._import_outcome import Outcome, Outcomes
from ansible_collections.cyberark_community.identity.plugins.module_utils.bulk_import._import_plan import (
    Entry, Options, Plan, UserRow, compare, manager_id, read_existing, values_of,
)

if t.TYPE_CHECKING:
    from ansible_collections.cyberark_community.identity.plugins.module_utils.client._client import IdentityClient

GRANT_BATCH = 500
SETTLE_ROUNDS = 3

# a row's work: given the row's entry and its own copy of the outcome, which it fills
RowJob = t.Callable[[Entry, Outcome], None]


def create_payload(row: UserRow, existing: dict[str, dict[str, t.Any]], options: Options) -> dict[str, t.Any]:
    values = dict(values_of(row), password=row.password, reports_to=manager_id(row, existing))
    return _users.create_payload(row.name, values, send_email_invite=options.send_email_invite)


def guarded(entry: Entry, outcome: Outcome, job: RowJob) -> Outcome:
    """Run ``job`` on a copy of the outcome; a failure is recorded on the copy instead of stopping the import."""
    mine = dataclasses.replace(outcome)
    try:
        job(entry, mine)
    except IdentityError as exc:
        mine.outcome, mine.message = "failed", exc.message
    except Exception as exc:  # pylint: disable=broad-exception-caught  # one row's surprise never ends the import
        mine.outcome, mine.message = "failed", f"unexpected error while applying this row: {exc.__class__.__name__}"
    return mine


def run_rows(client: IdentityClient, outcomes: Outcomes, work: list[tuple[Entry, RowJob]], concurrency: int) -> None:
    """Each row's job on the client's worker threads; the outcomes they hand back are stored here, by this thread."""
    done = client.run_concurrently(lambda item: (item[0].row, guarded(item[0], outcomes.rows[item[0].row], item[1])), work, concurrency)
    for row, outcome in done:
        outcomes.rows[row] = outcome


def send_write_only(client: IdentityClient, plan: Plan, entry: Entry, outcome: Outcome) -> None:
    """Send the fields no read can confirm; ``write_only_done`` records that the tenant took them."""
    if outcome.write_only_done:
        return
    _users.change(client, str(outcome.user_id), dict(entry.write_only))
    if entry.reset_password:
        _users.reset_password(client, str(outcome.user_id), str(plan.rows[entry.row].password))
    outcome.write_only_done = True


def _create(client: IdentityClient, plan: Plan, entry: Entry, outcome: Outcome, options: Options,
            existing: dict[str, dict[str, t.Any]]) -> None:
    row = plan.rows[entry.row]
    try:
        outcome.user_id = _users.create(client, create_payload(row, existing, options))
    except ApiError as exc:
        if exc.message_id != "_I18N_DuplicateUserName":
            raise
        # Created meanwhile by another run: bring it to the row's values instead.
        current = read_existing(client, [row.name]).get(row.name.lower())
        if current is None:
            raise
        outcome.user_id = str(current["ID"])
        _users.change(client, outcome.user_id, compare(row, current, existing))
        outcome.message = "existed already (created by another run); brought to the file's values"
    else:
        outcome.message = "created"
    send_write_only(client, plan, entry, outcome)
    _users.set_attributes(client, outcome.user_id, dict(entry.attributes))
    outcome.outcome = "ok"


def _update(client: IdentityClient, plan: Plan, entry: Entry, outcome: Outcome) -> None:
    _users.change(client, str(outcome.user_id), dict(entry.fields))
    send_write_only(client, plan, entry, outcome)
    _users.set_attributes(client, str(outcome.user_id), dict(entry.attributes))
    outcome.outcome = "ok"
    outcome.message = "updated: " + ", ".join(entry.changes)


def apply_round(client: IdentityClient, plan: Plan, entries: list[Entry], outcomes: Outcomes, options: Options,
                existing: dict[str, dict[str, t.Any]] | None = None) -> None:
    """Create and update ``entries`` concurrently (an unchanged one only sends its write-only fields), then set
    managers created in this round, then grant and take roles in batches. ``existing`` is what the tenant was last
    seen to hold (the plan's reads by default)."""
    existing = plan.existing if existing is None else existing
    creates = [e for e in entries if e.action == "create"]
    work: list[tuple[Entry, RowJob]] = [(e, lambda e, o: _create(client, plan, e, o, options, existing)) for e in creates]
    work += [(e, lambda e, o: _update(client, plan, e, o)) for e in entries if e.action == "update"]
    work += [(e, lambda e, o: send_write_only(client, plan, e, o)) for e in entries if e.action == "unchanged" and e.sends_write_only()]
    run_rows(client, outcomes, work, options.concurrency)
    created = {e.login_name.lower(): outcomes.rows[e.row].user_id for e in creates if outcomes.rows[e.row].outcome == "ok"}
    late = [e for e in creates if outcomes.rows[e.row].outcome == "ok" and (plan.rows[e.row].reports_to or "").lower() in created]
    run_rows(client, outcomes, [(e, lambda e, o: _users.change(client, str(o.user_id), {
        "ReportsTo": created[str(plan.rows[e.row].reports_to).lower()]})) for e in late], options.concurrency)
    grant_roles(client, plan, entries, outcomes, options.concurrency)


def grant_roles(client: IdentityClient, plan: Plan, entries: list[Entry], outcomes: Outcomes, concurrency: int = 1) -> None:
    """One call per role and batch of users, not one per user, ``concurrency`` batches at once; a failed batch fails
    its rows (in batch order, so the message a row keeps does not depend on timing). Roles are granted first, then
    taken (roles_mode=exact). Rows the service's job created got their roles from it."""
    applied = [e for e in entries if e.row not in outcomes.handed_over]
    for kind, send in (("grant", _roles.add_users), ("revoke", _roles.remove_users)):
        batches: list[tuple[str, list[Entry]]] = []
        for role in plan.role_ids:
            members = [e for e in applied if role in getattr(e, kind) and outcomes.rows[e.row].outcome != "failed"]
            batches += [(role, members[start:start + GRANT_BATCH]) for start in range(0, len(members), GRANT_BATCH)]
        errors = client.run_concurrently(lambda batch: _send_batch(send, client, plan.role_ids[batch[0]], batch[1]), batches, concurrency)
        for (role, batch), error in zip(batches, errors):
            for entry in batch if error else []:
                outcomes.rows[entry.row] = dataclasses.replace(outcomes.rows[entry.row], outcome="failed", message=f"role {role}: {error}")


def _send_batch(send: t.Callable[[IdentityClient, str, list[str]], None], client: IdentityClient, role_id: str,
                batch: list[Entry]) -> str | None:
    try:
        send(client, role_id, [e.login_name for e in batch])
    except IdentityError as exc:
        return exc.message
    return None


def apply_removals(client: IdentityClient, plan: Plan, outcomes: Outcomes, options: Options) -> None:
    """Disable (one call each, concurrently) or delete (``RemoveUsers``, in batches) the users the file no longer lists,
    then read them back: the outcome is what the tenant shows."""
    pending = list(range(len(plan.removals)))
    for _attempt in range(SETTLE_ROUNDS):
        if not pending:
            return
        for index in pending:
            outcomes.removals[index] = dataclasses.replace(outcomes.removals[index], outcome="planned", message="")
        disable = [i for i in pending if plan.removals[i].action == "disable"]
        failures = client.run_concurrently(lambda i: _disable(client, plan.removals[i]), disable, options.concurrency)
        for index, failure in zip(disable, failures):
            if failure:
                outcomes.removals[index] = dataclasses.replace(outcomes.removals[index], outcome="failed", message=failure)
        deletes = [i for i in pending if plan.removals[i].action == "delete"]
        for start in range(0, len(deletes), GRANT_BATCH):
            batch = deletes[start:start + GRANT_BATCH]
            try:
                _users.remove_many(client, [str(plan.removals[i].user_id) for i in batch])
            except IdentityError as exc:
                for index in batch:
                    outcomes.removals[index] = dataclasses.replace(outcomes.removals[index], outcome="failed", message=exc.message)
        try:
            seen = _users.enabled_by_id(client, [str(plan.removals[i].user_id) for i in pending])
        except IdentityError as exc:
            for index in pending:
                outcomes.removals[index].message = f"not confirmed: reading the tenant back failed: {exc.message}"
            return
        for index in pending:
            entry, outcome = plan.removals[index], outcomes.removals[index]
            user = seen.get(str(entry.user_id))
            if (user is None) if entry.action == "delete" else (user is not None and not user["enabled"]):
                outcome.outcome, outcome.message = "ok", f"{entry.action}d"
                continue
            reason = outcome.message if outcome.outcome == "failed" else ""
            outcome.outcome = "failed"
            outcome.message = ("gone from the tenant before it could be disabled" if user is None
                               else f"still {'in the tenant' if entry.action == 'delete' else 'enabled'}") + (f" ({reason})" if reason else "")
        pending = [i for i in pending if outcomes.removals[i].outcome == "failed" and seen.get(str(plan.removals[i].user_id)) is not None]


def _disable(client: IdentityClient, entry: Entry) -> str | None:
    try:
        _users.set_state(client, str(entry.user_id), "disabled")
    except IdentityError as exc:
        return exc.message
    except Exception as exc:  # pylint: disable=broad-exception-caught  # one user's surprise never ends the sync
        return f"unexpected error while applying this row: {exc.__class__.__name__}"
    return None
