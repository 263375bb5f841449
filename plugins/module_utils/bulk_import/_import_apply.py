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
import threading
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
    """Create and update ``entries`` concurrently (an unchanged one only sends its write-only fields), each batch of role
    grants sent as soon as its rows are done, while the other rows are still being written; then set managers created in
    this round, then take roles. ``existing`` is what the tenant was last seen to hold (the plan's reads by default)."""
    existing = plan.existing if existing is None else existing
    creates = [e for e in entries if e.action == "create"]
    work: list[tuple[Entry, RowJob]] = [(e, lambda e, o: _create(client, plan, e, o, options, existing)) for e in creates]
    work += [(e, lambda e, o: _update(client, plan, e, o)) for e in entries if e.action == "update"]
    work += [(e, lambda e, o: send_write_only(client, plan, e, o)) for e in entries if e.action == "unchanged" and e.sends_write_only()]
    grants = GrantBatches(client, plan, role_batches(plan, entries, outcomes, "grant"), {e.row for e, _job in work})
    done = client.run_concurrently(lambda item: grants.after(item[0].row, guarded(item[0], outcomes.rows[item[0].row], item[1])),
                                   work, options.concurrency)
    for row, outcome in done:
        outcomes.rows[row] = outcome
    # Batches whose rows had no job this round (or none at all) are sent now.
    grants.send_rest(options.concurrency)
    grants.record(outcomes)
    created = {e.login_name.lower(): outcomes.rows[e.row].user_id for e in creates if outcomes.rows[e.row].outcome == "ok"}
    late = [e for e in creates if outcomes.rows[e.row].outcome == "ok" and (plan.rows[e.row].reports_to or "").lower() in created]
    run_rows(client, outcomes, [(e, lambda e, o: _users.change(client, str(o.user_id), {
        "ReportsTo": created[str(plan.rows[e.row].reports_to).lower()]})) for e in late], options.concurrency)
    grant_roles(client, plan, entries, outcomes, options.concurrency, kinds=("revoke",))


# a batch of one role's grants or revocations: the role's name and the entries, in the plan's order
Batch = t.Tuple[str, t.List[Entry]]


def role_batches(plan: Plan, entries: list[Entry], outcomes: Outcomes, kind: str) -> list[Batch]:
    """Per role, the entries that get (``grant``) or lose (``revoke``) it, GRANT_BATCH at a time in the plan's order, so
    which rows share a call, and the message a failed call leaves on them, does not depend on timing. Rows the
    service's job created got their roles from it."""
    batches: list[Batch] = []
    for role in plan.role_ids:
        members = [e for e in entries if e.row not in outcomes.handed_over and role in getattr(e, kind)]
        batches += [(role, members[start:start + GRANT_BATCH]) for start in range(0, len(members), GRANT_BATCH)]
    return batches


class GrantBatches:
    """Role grants overlapping the rows' writes: the worker that ends a batch's last row sends the batch (the rows that
    did not fail), so grants do not wait for every create. Workers only report rows and errors here, under a lock; the
    driving thread records the errors on the rows (:meth:`record`)."""

    def __init__(self, client: IdentityClient, plan: Plan, batches: list[Batch], rows_with_jobs: set[int]) -> None:
        self._client, self._plan, self._batches = client, plan, batches
        self._lock = threading.Lock()
        self._waiting = [sum(1 for e in batch if e.row in rows_with_jobs) for _role, batch in batches]
        self._of_row: dict[int, list[int]] = {}
        for index, (_role, batch) in enumerate(batches):
            for entry in batch:
                self._of_row.setdefault(entry.row, []).append(index)
        self._failed_rows: set[int] = set()
        self._sent: set[int] = set()
        self._errors: dict[int, str] = {}

    def after(self, row: int, outcome: Outcome) -> tuple[int, Outcome]:
        """Called by a worker when ``row``'s write has ended: sends each batch this row was the last to wait for."""
        ready = []
        with self._lock:
            if outcome.outcome == "failed":
                self._failed_rows.add(row)
            for index in self._of_row.get(row, ()):
                self._waiting[index] -= 1
                if self._waiting[index] == 0:
                    ready.append(index)
                    self._sent.add(index)
        for index in ready:
            self._send(index)
        return row, outcome

    def send_rest(self, concurrency: int) -> None:
        """The batches no row's job ended, concurrently (the rows' jobs have all ended)."""
        rest = [index for index in range(len(self._batches)) if index not in self._sent]
        self._sent.update(rest)
        self._client.run_concurrently(self._send, rest, concurrency)

    def _send(self, index: int) -> None:
        role, batch = self._batches[index]
        with self._lock:
            members = [e for e in batch if e.row not in self._failed_rows]
        try:
            error = _send_batch(_roles.add_users, self._client, self._plan.role_ids[role], members) if members else None
        except Exception as exc:  # pylint: disable=broad-exception-caught  # on a create's worker: fail the batch, not the import
            error = f"unexpected error while granting the role: {exc.__class__.__name__}"
        if error:
            with self._lock:
                self._errors[index] = error

    def record(self, outcomes: Outcomes) -> None:
        """A failed batch fails its rows, in batch order; a row failed already keeps its own message."""
        for index in sorted(self._errors):
            role, batch = self._batches[index]
            for entry in batch:
                if outcomes.rows[entry.row].outcome != "failed":
                    outcomes.rows[entry.row] = dataclasses.replace(outcomes.rows[entry.row], outcome="failed",
                                                                   message=f"role {role}: {self._errors[index]}")


def grant_roles(client: IdentityClient, plan: Plan, entries: list[Entry], outcomes: Outcomes, concurrency: int = 1,
                kinds: tuple[str, ...] = ("grant", "revoke")) -> None:
    """One call per role and batch of users, not one per user, ``concurrency`` batches at once; a failed batch fails
    its rows (in batch order, so the message a row keeps does not depend on timing). Roles are granted first, then
    taken (roles_mode=exact)."""
    for kind, send in (("grant", _roles.add_users), ("revoke", _roles.remove_users)):
        if kind not in kinds:
            continue
        batches = [(role, [e for e in batch if outcomes.rows[e.row].outcome != "failed"])
                   for role, batch in role_batches(plan, entries, outcomes, kind)]
        batches = [(role, batch) for role, batch in batches if batch]
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
