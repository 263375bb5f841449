# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Bulk import planning: give every valid row an action by comparing it with the tenant (read in pages); reads only.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.

Requests for N rows: reads of existing users in chunks (or one paged read of every user above SCAN_ABOVE names), one
member list per role, and with a sync the users in its scope: a re-run of the same file reads and writes nothing.
"""

from __future__ import annotations

import dataclasses
import math
import typing as t

from ansible_collections.cyberark_community.identity.plugins.module_utils.resources import (
    _attributes, _compare, _roles, _user_details, _user_fields, _users, _validate,
)
from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import IdentityError
from ansible_collections.cyberark_community.identity.plugins.module_utils.bulk_import._import_rows import UserRow

if t.TYPE_CHECKING:
    from ansible_collections.cyberark_community.identity.plugins.module_utils.client._client import IdentityClient

SCAN_ABOVE = 200  # more names than this: one paged read of every Cloud Directory user beats two lookups per 100 names
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
