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
UNDO_CREATE = ("to create; deleted again should the tenant not take its account expiry, which no read can confirm "
               "(a re-run then creates it whole)")


@dataclasses.dataclass(frozen=True)
class Entry:
    """What one row (or one user the file no longer lists) needs, as planned; never changed once planned (a retry is a
    new entry) and never holds a secret. What became of it is its ``_import_outcome.Outcome``."""

    row: int  # 0 for a removal
    login_name: str
    action: str  # create, update, unchanged, invalid; disable or delete for a removal
    user_id: str | None = None
    changes: tuple[str, ...] = ()  # what the row changes, as the result names it
    message: str = ""  # the plan's word on the row ("to update: ...", why it is invalid)
    fields: t.Mapping[str, t.Any] = dataclasses.field(default_factory=dict)  # ChangeUser fields of an update (Name renames)
    attributes: t.Mapping[str, t.Any] = dataclasses.field(default_factory=dict)  # ExtData/SetColumns values, typed
    # Wire fields no read can confirm: AccountExp after a create; with update_password=always, every write-only field
    # of an update. They count as set only when this run's call for them succeeded.
    write_only: t.Mapping[str, t.Any] = dataclasses.field(default_factory=dict)
    reset_password: bool = False  # update_password=always: the row's password is set again
    grant: tuple[str, ...] = ()  # roles to give
    revoke: tuple[str, ...] = ()  # roles to take (roles_mode=exact): held, not in the file
    # A contingent write, planned: a new user whose write-only fields the tenant does not take is deleted again, since
    # no read could show them missing later and a re-run would leave it without them.
    undo_create: bool = False

    def sends_write_only(self) -> bool:
        return bool(self.write_only) or self.reset_password


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

    def writes_fields(self, creating: bool) -> bool:
        """Whether a row's fields and additional attributes are this run's to write: always for a new user, for an
        existing one only with update_existing (a rename happens either way)."""
        return creating or self.update_existing


@dataclasses.dataclass
class Plan:
    """Every row's entry, what was read to plan them, and with a sync the users to remove."""

    entries: list[Entry]
    rows: dict[int, UserRow]
    existing: dict[str, dict[str, t.Any]]
    role_ids: dict[str, str]
    # Problems only the tenant can show (a manager that does not exist), in the shape of the file's problems.
    problems: list[dict[str, t.Any]] = dataclasses.field(default_factory=list)
    # Users in the scope that the file does not list (absent_users), and the cap on them.
    removals: list[Entry] = dataclasses.field(default_factory=list)
    scope_size: int = 0
    removal_limit: int | None = None
    # Users the criteria match but no import file can name (CyberArk's own, such as the Remote Access integration user):
    # never removed.
    out_of_reach: list[str] = dataclasses.field(default_factory=list)

    def of(self, action: str) -> list[Entry]:
        return [e for e in self.entries if e.action == action]


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


@dataclasses.dataclass
class Observed:
    """What the tenant shows of the rows' users, their managers and their roles: read by page, once per plan or check."""

    existing: dict[str, dict[str, t.Any]]  # CDUser rows by lower-case login name
    role_ids: dict[str, str]  # the roles the rows name (every role with roles_mode=exact), by name
    holders: dict[str, set[str]]  # who holds each of them (IDs and lower-case names)
    tenant_roles: dict[str, dict[str, t.Any]] | None = None  # every role, when read (roles_mode=exact)


@dataclasses.dataclass(frozen=True)
class Gap:
    """How the tenant's user differs from its row: through the same compare functions for a plan and for settling."""

    current: dict[str, t.Any] | None  # the user's CDUser row; None when it does not exist
    renamed: bool = False  # found by its Previous Login Name
    fields: t.Mapping[str, t.Any] = dataclasses.field(default_factory=dict)  # ChangeUser fields that differ (Name to rename)
    missing_roles: tuple[str, ...] = ()
    extra_roles: tuple[str, ...] = ()  # roles_mode=exact
    attributes: t.Mapping[str, t.Any] = dataclasses.field(default_factory=dict)  # values that differ, typed
    held_attributes: t.Mapping[str, t.Any] = dataclasses.field(default_factory=dict)


def observe(client: IdentityClient, rows: list[UserRow], options: Options, roles: dict[str, dict[str, t.Any]] | None = None) -> Observed:
    """Read what the rows need: their users and managers (and previous names), and the members of their roles."""
    names = [r.name for r in rows] + [r.reports_to for r in rows if r.reports_to] + [r.previous_name for r in rows if r.previous_name]
    existing = read_existing(client, names)
    role_names = sorted({role for r in rows for role in r.roles if role != _roles.EVERYBODY})
    tenant_roles = _roles.all_roles(client) if options.roles_mode == "exact" else None  # a user may hold one the file does not name
    if tenant_roles is not None:
        found_roles = {n: r for n, r in tenant_roles.items() if n != _roles.EVERYBODY}
    else:
        found_roles = roles if roles is not None else _roles.find_roles(client, role_names)
    role_ids = {name: str(role["id"]) for name, role in found_roles.items()}
    return Observed(existing, role_ids, holders_by_role(client, role_ids, options.concurrency), tenant_roles)


def gap_of(client: IdentityClient, row: UserRow, seen: Observed, options: Options, with_attributes: bool) -> Gap:
    """What differs between the row and its user as ``seen``. Held additional attributes are read (one request) only
    when ``with_attributes`` and the row has some."""
    current = seen.existing.get(row.name.lower())
    renamed = current is None and row.previous_name is not None and row.previous_name.lower() in seen.existing
    if renamed:
        current = seen.existing[str(row.previous_name).lower()]
    keys = {str(current["ID"]), str(current["Name"]).lower()} if current else set()
    wanted_roles = [role for role in dict.fromkeys(row.roles) if role in seen.role_ids]
    held = [role for role in wanted_roles if keys & seen.holders[role]]
    missing_roles = _compare.list_changes(held, wanted_roles)[0]
    extra_roles: list[str] = []
    if options.roles_mode == "exact" and current and row.name.lower() != (options.connecting_user or "").lower():
        extra_roles = _compare.list_changes([r for r, ids in seen.holders.items() if keys & ids], wanted_roles, "exact")[1]
    if current is None:
        return Gap(None, missing_roles=tuple(missing_roles), attributes=attributes_to_change(row, {}, options.attribute_types))
    fields = compare(row, current, seen.existing)
    if renamed:
        fields["Name"] = row.name  # ChangeUser renames (ark-sdk-python's update_user sends the new name as Name)
    held_values: dict[str, t.Any] = {}
    differing: dict[str, t.Any] = {}
    if row.attributes and with_attributes:
        held_values = _users.read_attributes(client, str(current["ID"]))  # one read per existing user that has attribute values
        differing = attributes_to_change(row, held_values, options.attribute_types)
    return Gap(current, renamed, fields, tuple(missing_roles), tuple(extra_roles), differing, held_values)


def writable(gap: Gap, options: Options, creating: bool) -> tuple[dict[str, t.Any], dict[str, t.Any]]:
    """The fields and the additional attribute values of ``gap`` this run writes (see :meth:`Options.writes_fields`)."""
    if options.writes_fields(creating):
        return dict(gap.fields), dict(gap.attributes)
    return ({"Name": gap.fields["Name"]} if "Name" in gap.fields else {}), {}


def _entry(row: UserRow, gap: Gap, options: Options) -> Entry:
    """The row's entry from its gap, as the options ask: update_existing=false leaves fields and attributes alone (a
    rename still happens), update_password=always sends the write-only fields and the password again."""
    roles_change = ("roles",) if gap.missing_roles or gap.extra_roles else ()
    if gap.current is None:
        undo = bool(row.account_expiry)
        return Entry(row.row, row.name, "create", changes=roles_change, grant=gap.missing_roles,
                     message=UNDO_CREATE if undo else "", write_only={"AccountExp": row.account_expiry} if undo else {},
                     attributes=gap.attributes, undo_create=undo)
    fields, changed_attributes = writable(gap, options, creating=False)
    described = sorted(fields)
    write_only: dict[str, t.Any] = {}
    reset = False
    if options.update_password == "always":
        write_only = write_only_fields(row)
        reset = bool(row.password)
        described += sorted(write_only) + (["password"] if reset else [])
    attributes: dict[str, t.Any] = {}
    if changed_attributes:
        attributes = _attributes.whole_set(gap.held_attributes, options.attribute_types, changed_attributes)
        described += sorted(changed_attributes)
    described += list(roles_change)
    return Entry(row.row, row.name, "update" if described else "unchanged", user_id=str(gap.current["ID"]), changes=tuple(described),
                 message=("to update: " + ", ".join(described)) if described else "", fields=fields, attributes=attributes,
                 write_only=write_only, reset_password=reset, grant=gap.missing_roles, revoke=gap.extra_roles)


def manager_problem(name: str, invalid_rows: list[int] | None) -> str:
    """Why the manager ``name`` will not exist: its rows are invalid, or no user has that name."""
    if not invalid_rows:
        return f"no user named {name} exists"
    one = len(invalid_rows) == 1
    numbers = ", ".join(str(n) for n in invalid_rows)
    return f"{name} is in the file, but its {'row is' if one else 'rows are'} invalid ({'row' if one else 'rows'} {numbers})"


def missing_managers(rows: list[UserRow], existing: t.Collection[str], invalid_rows: t.Mapping[str, list[int]]) -> dict[int, str]:
    """Why each row whose manager will not exist is invalid, by row number: a manager neither on the tenant nor in a
    valid row, and, down the chain, a manager whose own row is invalid for that reason. Without it the user would be
    created without the manager the row names."""
    valid = {r.name.lower() for r in rows}
    reports: dict[str, list[UserRow]] = {}
    for row in rows:
        if row.reports_to and row.reports_to.lower() not in existing:
            reports.setdefault(row.reports_to.lower(), []).append(row)
    queue = [(manager, invalid_rows.get(manager)) for manager in reports if manager not in valid]
    missing: dict[int, str] = {}
    while queue:  # a row is marked once, so the walk ends
        manager, numbers = queue.pop()
        for row in reports.get(manager, []):
            if row.row not in missing:
                missing[row.row] = manager_problem(row.reports_to or "", numbers)
                queue.append((row.name.lower(), [row.row]))
    return missing


def make_plan(client: IdentityClient, rows: list[UserRow], options: Options,
              roles: dict[str, dict[str, t.Any]] | None = None, in_file: t.Collection[str] = (),
              invalid_rows: t.Mapping[str, list[int]] | None = None) -> Plan:
    """Give every valid row an entry by comparing it with the tenant; reads only.

    ``roles`` are the roles the caller found already (``_roles.find_roles``), so that they are not read twice.
    ``in_file`` holds every login name the file names (invalid rows and previous names included): with
    ``absent_users``, users in the scope but not in it are removed. ``invalid_rows`` maps a login name to the numbers
    of its invalid rows, so that a row reporting to that user says why the manager is missing.
    """
    seen = observe(client, rows, options, roles)
    in_file_now = {r.name.lower() for r in rows}
    missing = missing_managers(rows, seen.existing, invalid_rows or {})
    entries: list[Entry] = []
    problems: list[dict[str, t.Any]] = []
    for row in rows:
        if row.row in missing:
            entries.append(Entry(row.row, row.name, "invalid", message=f"Reports to: {missing[row.row]}"))
            problems.append({"row": row.row, "column": "Reports to", "value": None, "message": missing[row.row]})
            continue
        entries.append(_entry(row, gap_of(client, row, seen, options, with_attributes=options.update_existing), options))
    plan = Plan(entries, {r.row: r for r in rows}, seen.existing, seen.role_ids, problems)
    if options.absent_users != "keep":
        plan_removals(client, plan, options, set(in_file) | in_file_now, seen.holders, seen.tenant_roles)
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
    suffixes = {s.lower() for s in scope.suffixes}
    owned = set().union(*(role_members(r) for r in scope.roles)) if scope.roles else set()

    def in_scope_by_name(uid: str, name: str) -> bool:
        return (not suffixes or name.rpartition("@")[2].lower() in suffixes) and (not scope.roles or uid in owned)
    # one paged read of every Cloud Directory user, keeping those the suffixes and roles put in the scope
    in_scope = _users.enabled_by_id(client, keep=in_scope_by_name)
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
        plan.removals.append(Entry(0, user["name"], verb, user_id=uid, message=f"to {verb}: in the scope, not in the file"))
