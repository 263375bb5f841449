# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Bulk import: plan every row against the tenant (read in pages), then apply concurrently.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.

Requests for N new users: one ``CreateUser`` each, plus reads of existing users
in chunks, one member list per role and role grants in batches: about N plus a
constant. A re-run of the same file reads and writes nothing.
"""

from __future__ import annotations

import concurrent.futures
import csv
import dataclasses
import functools
import io
import math
import os
import time
import typing as t

from ansible_collections.cyberark_community.identity.plugins.module_utils.resources import (
    _attributes, _compare, _roles, _user_details, _user_fields, _users, _validate,
)
from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import ApiError, IdentityError
from ansible_collections.cyberark_community.identity.plugins.module_utils.bulk_import._import_file import HEADERS
from ansible_collections.cyberark_community.identity.plugins.module_utils.bulk_import._import_rows import UserRow

if t.TYPE_CHECKING:
    from ansible_collections.cyberark_community.identity.plugins.module_utils.client._client import IdentityClient

SCAN_ABOVE = 200  # more names than this: one paged read of every Cloud Directory user beats two lookups per 100 names
GRANT_BATCH = 500
SETTLE_ROUNDS = 3
COMPARED = _user_fields.FILE_COMPARED  # the manager is compared by ID once resolved


@dataclasses.dataclass
class Item:
    """The plan and outcome of one row; never holds a secret."""

    row: int
    login_name: str
    action: str
    outcome: str = "planned"
    message: str = ""
    changes: list[str] = dataclasses.field(default_factory=list)
    user_id: str | None = None
    missing_roles: list[str] = dataclasses.field(default_factory=list)
    extra_roles: list[str] = dataclasses.field(default_factory=list)  # roles_mode=exact: held, not in the file
    # Write-only fields cannot be read back to confirm them: whether this run's call for them succeeded.
    write_only_done: bool = False

    def public(self) -> dict[str, t.Any]:
        return {"row": self.row, "login_name": self.login_name, "action": self.action, "outcome": self.outcome,
                "message": self.message, "changes": self.changes}

    def removal(self) -> dict[str, t.Any]:
        """A user the file no longer lists, as results and reports show it."""
        return {"login_name": self.login_name, "action": self.action, "outcome": self.outcome, "message": self.message}


@dataclasses.dataclass
class Scope:
    """Which tenant users the file owns (absent_users): every criterion given must match; within one, any value."""

    suffixes: list[str] = dataclasses.field(default_factory=list)
    roles: list[str] = dataclasses.field(default_factory=list)
    attribute: dict[str, str] | None = None  # {"name": ..., "value": ...}
    include_admins: bool = False


@dataclasses.dataclass
class Options:
    update_existing: bool = True
    attribute_types: dict[str, str] = dataclasses.field(default_factory=dict)  # additional attribute: its column type
    update_password: str = "on_create"
    send_email_invite: bool = False
    concurrency: int = 8
    roles_mode: str = "append"
    absent_users: str = "keep"
    scope: Scope | None = None
    max_removals: str = "10%"
    connecting_user: str | None = None  # never disabled, deleted or stripped of roles


@dataclasses.dataclass
class Plan:
    items: list[Item]
    rows: dict[int, UserRow]
    existing: dict[str, dict[str, t.Any]]
    role_ids: dict[str, str]
    grants: dict[str, list[str]]
    field_changes: dict[int, dict[str, t.Any]]
    attribute_changes: dict[int, dict[str, t.Any]] = dataclasses.field(default_factory=dict)
    # Per row, the fields no read can confirm: AccountExp after a create; with update_password=always, every
    # write-only field of an update (the password is reset separately).
    write_only: dict[int, dict[str, t.Any]] = dataclasses.field(default_factory=dict)
    password_resets: set[int] = dataclasses.field(default_factory=set)
    # Problems only the tenant can show (a manager that does not exist), in the shape of the file's problems.
    problems: list[dict[str, t.Any]] = dataclasses.field(default_factory=list)
    # Roles to take from users (roles_mode=exact), batched like the grants.
    revokes: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    # Users in the scope that the file does not list (absent_users), and the cap on them.
    removals: list[Item] = dataclasses.field(default_factory=list)
    scope_size: int = 0
    removal_limit: int | None = None
    # Users the criteria match but no import file can name (CyberArk's own, such as the Remote Access integration user):
    # never removed.
    out_of_reach: list[str] = dataclasses.field(default_factory=list)
    # Rows the service's import job created (method=service): the API neither applies nor settles them.
    handed_over: set[int] = dataclasses.field(default_factory=set)

    def to_apply(self, action: str) -> list[Item]:
        return [i for i in self.items if i.action == action and i.row not in self.handed_over]


def read_existing(client: IdentityClient, names: list[str]) -> dict[str, dict[str, t.Any]]:
    """Existing users among ``names`` by lower-case login name, never one request per user: a few names are looked up
    as the SDKs do (by name, then by ID, in chunks); many are found in one paged read of the Cloud Directory."""
    wanted = {n.lower() for n in names if n}
    if len(wanted) <= SCAN_ABOVE:
        return _users.rows_by_name(client, [n for n in names if n])
    return _users.keyed_by_name(row for row in _users.find_rows(client) if str(row.get("Name") or "").lower() in wanted)


def manager_id(row: UserRow, existing: dict[str, dict[str, t.Any]]) -> str | None:
    manager = existing.get((row.reports_to or "").lower())
    return str(manager["ID"]) if manager else None


def values_of(row: UserRow) -> dict[str, t.Any]:
    """The row's values by option name (``_users.CREATE_FIELDS``), the password left out."""
    return {option: getattr(row, option) for option in _users.CREATE_FIELDS
            if option not in ("password", "reports_to") and hasattr(row, option)}  # the manager goes by ID: manager_id()


def compare(row: UserRow, current: dict[str, t.Any], existing: dict[str, dict[str, t.Any]]) -> dict[str, t.Any]:
    """Wire fields to change so the user holds the row's values; empty cells leave fields alone."""
    wanted = dict(values_of(row), reports_to=manager_id(row, existing))
    return _compare.field_changes(_users.to_ansible(current, None), wanted, _users.READABLE_FIELDS)


def write_only_fields(row: UserRow) -> dict[str, t.Any]:
    return {field: getattr(row, option) for option, field in _users.WRITE_ONLY_FIELDS.items() if getattr(row, option) is not None}


def _scope_attribute_test(client: IdentityClient, attribute: dict[str, t.Any], known: dict[str, str]) -> t.Callable[[str], bool]:
    """Whether a user (by ID) holds the scope's attribute value, compared by the column's type. ``known`` is the schema
    when the caller read it already (the file has attribute columns): not read twice."""
    name = attribute["name"]
    types = known or _users.attribute_schema(client)
    if name not in types:
        # an undefined attribute is unset on every user: the scope would silently match nobody
        raise IdentityError(f"scope.attribute.name: the tenant defines no additional attribute named {name}")
    text = str(attribute["value"])
    try:
        _attributes.wanted(text, types[name])  # refused before any user is read
    except ValueError as exc:
        raise IdentityError(f"scope.attribute.value: {text!r} {exc}") from None

    def matches(user_id: str) -> bool:
        held = _users.read_attributes(client, user_id).get(name)
        kind, value = _attributes.wanted(text, types[name], held)
        return _attributes.same(held, value, kind)
    return matches


def attributes_to_change(row: UserRow, held: dict[str, t.Any], types: dict[str, str]) -> dict[str, t.Any]:
    """The row's additional attributes that differ from ``held``, as the tenant takes them: typed by the column type
    (the rows were checked against the same types, so every value converts)."""
    differing = {}
    for name, text in row.attributes.items():
        kind, value = _attributes.wanted(text, types.get(name), held.get(name))
        if not _attributes.same(held.get(name), value, kind):
            differing[name] = value
    return differing


def make_plan(client: IdentityClient, rows: list[UserRow], options: Options,
              roles: dict[str, dict[str, t.Any]] | None = None, in_file: t.Collection[str] = ()) -> Plan:
    """Give every valid row an action by comparing it with the tenant; reads only.

    ``roles`` are the roles the caller found already (``_roles.find_roles``), so that they are not read twice.
    ``in_file`` holds every login name the file names (invalid rows and previous names included): with
    ``absent_users``, users in the scope but not in it are removed.
    """
    names = [r.name for r in rows] + [r.reports_to for r in rows if r.reports_to] + [r.previous_name for r in rows if r.previous_name]
    existing = read_existing(client, names)
    role_names = sorted({role for r in rows for role in r.roles if role != _roles.EVERYBODY})
    exact = options.roles_mode == "exact"
    tenant_roles = _roles.all_roles(client) if exact else None  # every role: a user may hold one the file does not name
    if tenant_roles is not None:
        found_roles = {n: r for n, r in tenant_roles.items() if n != _roles.EVERYBODY}
    else:
        found_roles = roles if roles is not None else _roles.find_roles(client, role_names)
    role_ids = {name: str(role["id"]) for name, role in found_roles.items()}
    holders = holders_by_role(client, role_ids, options.concurrency)
    in_file_now = {r.name.lower() for r in rows}
    protected = (options.connecting_user or "").lower()
    items, field_changes, grants = [], {}, {name: [] for name in role_ids}
    revokes: dict[str, list[str]] = {}
    attribute_changes: dict[int, dict[str, t.Any]] = {}
    write_only: dict[int, dict[str, t.Any]] = {}
    password_resets: set[int] = set()
    problems: list[dict[str, t.Any]] = []
    for row in rows:
        current = existing.get(row.name.lower())
        renamed = current is None and row.previous_name is not None and row.previous_name.lower() in existing
        if renamed:
            current = existing[str(row.previous_name).lower()]
        if row.reports_to and row.reports_to.lower() not in existing and row.reports_to.lower() not in in_file_now:
            message = f"no user named {row.reports_to} exists"
            items.append(Item(row.row, row.name, "invalid", "skipped", f"Reports to: {message}"))
            problems.append({"row": row.row, "column": "Reports to", "value": None, "message": message})
            continue
        keys = {str(current["ID"]), str(current["Name"]).lower()} if current else set()
        wanted_roles = [role for role in dict.fromkeys(row.roles) if role in role_ids]
        held = [role for role in wanted_roles if keys & holders[role]]
        missing_roles = _compare.list_changes(held, wanted_roles)[0]
        extra_roles: list[str] = []
        if exact and current and row.name.lower() != protected:
            extra_roles = _compare.list_changes([r for r, ids in holders.items() if keys & ids], wanted_roles, "exact")[1]
        for role in missing_roles:
            grants[role].append(row.name)
        for role in extra_roles:
            revokes.setdefault(role, []).append(row.name)
        if current is None:
            if row.account_expiry:
                write_only[row.row] = {"AccountExp": row.account_expiry}
            if row.attributes:
                attribute_changes[row.row] = attributes_to_change(row, {}, options.attribute_types)
            items.append(Item(row.row, row.name, "create", changes=["roles"] if missing_roles else [], missing_roles=missing_roles))
            continue
        changes = compare(row, current, existing) if options.update_existing else {}
        if renamed:
            changes["Name"] = row.name  # ChangeUser renames (ark-sdk-python's update_user sends the new name as Name)
        field_changes[row.row] = changes
        described = sorted(changes)
        if options.update_password == "always":
            write_only[row.row] = write_only_fields(row)
            described += sorted(write_only[row.row]) + (["password"] if row.password else [])
            if row.password:
                password_resets.add(row.row)
        if row.attributes and options.update_existing:
            held_values = _users.read_attributes(client, str(current["ID"]))  # one read per existing user that has attribute values
            differing = attributes_to_change(row, held_values, options.attribute_types)
            if differing:
                attribute_changes[row.row] = dict(_attributes.resend(held_values, options.attribute_types), **differing)
                described += sorted(differing)
        described += ["roles"] if missing_roles or extra_roles else []
        items.append(Item(row.row, row.name, "update" if described else "unchanged", changes=described, user_id=str(current["ID"]),
                          missing_roles=missing_roles, extra_roles=extra_roles,
                          message=("to update: " + ", ".join(described)) if described else ""))
    plan = Plan(items, {r.row: r for r in rows}, existing, role_ids, grants, field_changes, attribute_changes, write_only,
                password_resets, problems, revokes=revokes)
    if options.absent_users != "keep":
        plan_removals(client, plan, options, set(in_file) | in_file_now, holders, tenant_roles)
    return plan


def holders_by_role(client: IdentityClient, role_ids: dict[str, str], concurrency: int = 1) -> dict[str, set[str]]:
    """Who holds each role (one ``GetRoleMembers`` each), up to ``concurrency`` roles read at once. When reads fail, the
    error raised is that of the first failing role in ``role_ids``' order, whatever the timing."""
    by_id = _user_details.concurrently(client, list(role_ids.values()), lambda rid: _roles.holders(client, rid), concurrency)
    return {name: by_id[rid] for name, rid in role_ids.items()}


def removal_limit(max_removals: str, in_scope: int) -> int:
    """The most users one run may remove: a number, or a percentage of the users in the scope (rounded down, and at
    least one when the percentage is above 0 and the scope holds anyone: 10% of 9 users would otherwise allow no one)."""
    text = str(max_removals).strip()
    if text.endswith("%"):
        percent = float(text[:-1])
        share = math.floor(percent * in_scope / 100)
        return max(share, 1) if percent > 0 and in_scope > 0 else share
    return int(text)


def plan_removals(client: IdentityClient, plan: Plan, options: Options, in_file: set[str], holders: dict[str, set[str]],
                  tenant_roles: dict[str, dict[str, t.Any]] | None = None) -> None:
    """The users in the scope that the file does not list: to disable or delete. Never the connecting user, never a
    System Administrator unless the scope includes administrators."""
    scope = options.scope or Scope()
    roles = tenant_roles if tenant_roles is not None else (_roles.all_roles(client) if scope.roles or not scope.include_admins else {})
    missing = [r for r in scope.roles if r not in roles]
    if missing:
        raise IdentityError(f"scope.roles: no role named {', '.join(missing)} exists (role names are case-sensitive)")
    matches = _scope_attribute_test(client, scope.attribute, options.attribute_types) if scope.attribute else None

    def role_members(name: str) -> set[str]:
        if name not in holders and name in roles:
            holders[name] = _roles.holders(client, str(roles[name]["id"]))
        return holders.get(name, set())
    users = _users.enabled_by_id(client)  # one paged read of every Cloud Directory user
    in_scope = dict(users)
    if scope.suffixes:
        suffixes = {s.lower() for s in scope.suffixes}
        in_scope = {uid: u for uid, u in in_scope.items() if u["name"].rpartition("@")[2].lower() in suffixes}
    if scope.roles:
        owned = set().union(*(role_members(r) for r in scope.roles))
        in_scope = {uid: u for uid, u in in_scope.items() if uid in owned}
    if matches is not None:
        in_scope = {uid: u for uid, u in in_scope.items() if matches(uid)}  # one read per user the other criteria leave
    protected = {(options.connecting_user or "").lower()}
    admins = set() if scope.include_admins else role_members(_roles.SYSTEM_ADMINISTRATOR)
    in_scope = {uid: u for uid, u in in_scope.items() if u["name"].lower() not in protected and uid not in admins}
    # A name the import format cannot hold is one CyberArk gave (alero-integration-user$@<suffix>): removing it would
    # cut an integration, and no file could ever list it to keep it.
    unnamable = {uid for uid, u in in_scope.items() if _validate.login_name_error(u["name"])}
    plan.out_of_reach = sorted((in_scope[uid]["name"] for uid in unnamable), key=str.lower)
    in_scope = {uid: u for uid, u in in_scope.items() if uid not in unnamable}
    plan.scope_size = len(in_scope)
    plan.removal_limit = removal_limit(options.max_removals, len(in_scope))
    for uid, user in sorted(in_scope.items(), key=lambda item: item[1]["name"].lower()):
        if user["name"].lower() in in_file or (options.absent_users == "disable" and not user["enabled"]):
            continue
        verb = "disable" if options.absent_users == "disable" else "delete"
        plan.removals.append(Item(0, user["name"], verb, user_id=uid, message=f"to {verb}: in the scope, not in the file"))


def create_payload(row: UserRow, existing: dict[str, dict[str, t.Any]], options: Options) -> dict[str, t.Any]:
    values = dict(values_of(row), password=row.password, reports_to=manager_id(row, existing))
    return _users.create_payload(row.name, values, send_email_invite=options.send_email_invite)


def _run_concurrently(work: list[t.Callable[[], None]], concurrency: int) -> None:
    if not work:
        return
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        for future in [pool.submit(job) for job in work]:
            future.result()


def _guard(item: Item, job: t.Callable[[], None]) -> t.Callable[[], None]:
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


def _write_only(client: IdentityClient, plan: Plan, item: Item) -> None:
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
    _write_only(client, plan, item)
    _users.set_attributes(client, item.user_id, plan.attribute_changes.get(item.row) or {})
    item.outcome = "ok"


def _update(client: IdentityClient, plan: Plan, item: Item, options: Options) -> None:
    _users.change(client, str(item.user_id), plan.field_changes.get(item.row) or {})
    _write_only(client, plan, item)
    _users.set_attributes(client, str(item.user_id), plan.attribute_changes.get(item.row) or {})
    item.outcome = "ok"
    item.message = "updated: " + ", ".join(item.changes)


def _apply_round(client: IdentityClient, plan: Plan, options: Options) -> None:
    """Create and update rows concurrently, then set managers created in this round, then grant roles in batches."""
    creates, updates = plan.to_apply("create"), plan.to_apply("update")
    work = [_guard(i, lambda i=i: _create(client, plan, i, options)) for i in creates]
    work += [_guard(i, lambda i=i: _update(client, plan, i, options)) for i in updates]
    _run_concurrently(work, options.concurrency)
    created = {i.login_name.lower(): i.user_id for i in creates if i.outcome == "ok"}
    late = [i for i in creates if i.outcome == "ok" and (plan.rows[i.row].reports_to or "").lower() in created]
    _run_concurrently([_guard(i, lambda i=i: _users.change(client, str(i.user_id), {
        "ReportsTo": created[str(plan.rows[i.row].reports_to).lower()]})) for i in late], options.concurrency)
    grant_roles(client, plan, options.concurrency)


def apply_api(client: IdentityClient, plan: Plan, options: Options, mark: t.Callable[[str], None] | None = None) -> None:
    """Apply the plan, then settle: read the tenant back and retry what did not land (see :func:`settle`).

    ``mark(phase)`` is called as the ``apply`` and ``settle`` phases end.
    """
    mark = mark or (lambda name: None)
    client.authenticate()  # once, before the workers start
    client.set_concurrency(options.concurrency)
    _apply_round(client, plan, options)
    apply_removals(client, plan, options)
    mark("apply")
    settle(client, plan, options)
    mark("settle")
    for item in plan.items:
        if item.outcome == "planned" and item.action == "unchanged":
            item.outcome = "ok"


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
    _run_concurrently([_guard(i, lambda i=i: _write_only(client, retry, i)) for i in unchanged], options.concurrency)
    _apply_round(client, retry, options)
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
        _run_concurrently([functools.partial(_send_batch, send, client, plan.role_ids[role], batch, errors, index)
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
        _run_concurrently([_guard(i, lambda i=i: _users.set_state(client, str(i.user_id), "disabled")) for i in disable],
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


def csv_bytes(rows: list[UserRow]) -> bytes:
    """The rows as an import CSV (default headers, roles quoted) for the service's own import."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(HEADERS)
    columns = [_user_fields.BY_OPTION[option] for option in _user_fields.HEADER_OPTIONS]
    for row in rows:
        writer.writerow([_user_fields.file_form(field, getattr(row, field.option)) for field in columns])
    return buffer.getvalue().encode("utf-8")


@dataclasses.dataclass
class ServiceImport:
    """How to hand the new users to the service's own import job (method=service)."""

    admin_email: str
    wait_timeout: float
    path: str | None = None  # the user's CSV file, sent as it is when every row is new and valid


def apply_service(client: IdentityClient, plan: Plan, service: ServiceImport, options: Options,
                  mark: t.Callable[[str], None] | None = None) -> str | None:
    """New users through the service's import job (then waited for); updates and role grants of existing users
    through the API like :func:`apply_api`, which calls ``mark`` as the ``apply`` and ``settle`` phases end. Returns
    the job's ID when there was a job."""
    creates = plan.to_apply("create")
    job_id = None
    if creates:
        wanted = {i.row for i in creates}
        if service.path and wanted == set(plan.rows) and not any(i.action == "invalid" for i in plan.items):
            with open(service.path, "rb") as handle:
                content, filename = handle.read(), os.path.basename(service.path)
        else:
            content, filename = csv_bytes([plan.rows[row] for row in sorted(wanted)]), "ansible_import.csv"
        job_id = _users.submit_import(client, filename, content, service.admin_email, options.send_email_invite)
        visible = wait_for_users(client, [i.login_name for i in creates], service.wait_timeout)
        for item in creates:
            found = visible.get(item.login_name.lower())
            item.outcome = "ok" if found else "failed"
            item.user_id = str(found["ID"]) if found else None
            item.message = "created by the service's import" if found else (
                f"not visible after {service.wait_timeout} s (import job {job_id}); see the Bulk Import Report sent to {service.admin_email}")
        created = {i.login_name.lower() for i in creates}
        plan.grants = {role: [n for n in names if n.lower() not in created] for role, names in plan.grants.items()}
        plan.handed_over |= wanted
    apply_api(client, plan, options, mark=mark)
    return job_id


def wait_for_users(client: IdentityClient, names: list[str], timeout: float, interval: float = 2.0) -> dict[str, dict[str, t.Any]]:
    """Poll (bounded by ``timeout``) until every name is visible; returns those that are."""
    deadline = time.monotonic() + timeout
    while True:
        found = read_existing(client, names)
        if len(found) >= len({n.lower() for n in names}) or time.monotonic() >= deadline:
            return found
        time.sleep(min(interval, max(0.0, deadline - time.monotonic())))
