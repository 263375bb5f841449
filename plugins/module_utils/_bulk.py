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
import io
import json
import time
import typing as t

from ansible_collections.cyberark_community.identity.plugins.module_utils import _redrock, _roles, _users
from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import ApiError, IdentityError
from ansible_collections.cyberark_community.identity.plugins.module_utils._import_file import HEADERS
from ansible_collections.cyberark_community.identity.plugins.module_utils._import_rows import UserRow

if t.TYPE_CHECKING:
    from ansible_collections.cyberark_community.identity.plugins.module_utils._client import IdentityClient

READ_CHUNK = 500
GRANT_BATCH = 500
COMPARED = {
    "email": "Mail", "display_name": "DisplayName", "description": "Description",
    "office_number": "OfficeNumber", "mobile_number": "MobileNumber", "home_number": "HomeNumber",
}
WRITE_ONLY = {"require_password_change": "ForcePasswordChangeNext", "password_never_expires": "PasswordNeverExpire",
              "expiration_date": "AccountExp"}


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

    def public(self) -> dict[str, t.Any]:
        return {"row": self.row, "login_name": self.login_name, "action": self.action, "outcome": self.outcome,
                "message": self.message, "changes": self.changes}


@dataclasses.dataclass
class Options:
    update_existing: bool = True
    update_password: str = "on_create"
    send_email_invite: bool = False
    concurrency: int = 8


@dataclasses.dataclass
class Plan:
    items: list[Item]
    rows: dict[int, UserRow]
    existing: dict[str, dict[str, t.Any]]
    role_ids: dict[str, str]
    grants: dict[str, list[str]]
    field_changes: dict[int, dict[str, t.Any]]
    attribute_changes: dict[int, dict[str, t.Any]] = dataclasses.field(default_factory=dict)


def attribute_schema(client: IdentityClient) -> list[str]:
    """Names of the tenant's additional user attributes (``ExtData/GetSchema``)."""
    result = client.call("/ExtData/GetSchema", {"Table": "users"}) or {}
    return [str(c["Name"]) for c in result.get("Columns") or [] if c.get("Name")]


def read_attributes(client: IdentityClient, user_id: str) -> dict[str, t.Any]:
    return dict(client.call("/ExtData/GetColumns", {"Table": "users", "ID": user_id}) or {})


def set_attributes(client: IdentityClient, user_id: str, values: dict[str, t.Any]) -> None:
    """``ExtData/SetColumns`` with the whole set (current values and the new ones), as CyberArk's SDK sends it."""
    if values:
        client.call("/ExtData/SetColumns", {"Table": "users", "ID": user_id, "Columns": values})


def read_existing(client: IdentityClient, names: list[str]) -> dict[str, dict[str, t.Any]]:
    """Existing users among ``names`` by lower-case login name, read in chunks (never one request per user)."""
    found: dict[str, dict[str, t.Any]] = {}
    wanted = sorted({n.lower() for n in names})
    for start in range(0, len(wanted), READ_CHUNK):
        chunk = wanted[start:start + READ_CHUNK]
        where = f"lower(Name) IN ({', '.join(_redrock.quote(n) for n in chunk)})"
        for row in _users.find_rows(client, where):
            found[str(row["Name"]).lower()] = row
    return found


def manager_id(row: UserRow, existing: dict[str, dict[str, t.Any]]) -> str | None:
    manager = existing.get((row.reports_to or "").lower())
    return str(manager["ID"]) if manager else None


def compare(row: UserRow, current: dict[str, t.Any], existing: dict[str, dict[str, t.Any]]) -> dict[str, t.Any]:
    """Wire fields to change so the user holds the row's values; empty cells leave fields alone."""
    changes = {}
    for attribute, field in COMPARED.items():
        value = getattr(row, attribute)
        if value is not None and (current.get(field) or None) != value:
            changes[field] = value
    wanted_manager = manager_id(row, existing)
    if wanted_manager and current.get("ReportsTo") != wanted_manager:
        changes["ReportsTo"] = wanted_manager
    return changes


def write_only_fields(row: UserRow) -> dict[str, t.Any]:
    return {field: getattr(row, attribute) for attribute, field in WRITE_ONLY.items() if getattr(row, attribute) is not None}


def make_plan(client: IdentityClient, rows: list[UserRow], options: Options) -> Plan:
    """Give every valid row an action by comparing it with the tenant; reads only."""
    existing = read_existing(client, [r.name for r in rows] + [r.reports_to for r in rows if r.reports_to])
    role_names = sorted({role for r in rows for role in r.roles if role != "Everybody"})
    found_roles = _roles.find_roles(client, role_names)
    role_ids = {name: str(role["id"]) for name, role in found_roles.items()}
    members = {name: {str(m["name"]).lower() for m in _roles.members(client, rid)} for name, rid in role_ids.items()}
    in_file = {r.name.lower() for r in rows}
    items, field_changes, grants = [], {}, {name: [] for name in role_ids}
    attribute_changes: dict[int, dict[str, t.Any]] = {}
    for row in rows:
        current = existing.get(row.name.lower())
        if row.reports_to and row.reports_to.lower() not in existing and row.reports_to.lower() not in in_file:
            items.append(Item(row.row, row.name, "invalid", "skipped", f"Reports to: no user named {row.reports_to} exists"))
            continue
        missing_roles = [role for role in row.roles if role in role_ids and row.name.lower() not in members[role]]
        for role in missing_roles:
            grants[role].append(row.name)
        if current is None:
            items.append(Item(row.row, row.name, "create", changes=["roles"] if missing_roles else []))
            continue
        changes = compare(row, current, existing) if options.update_existing else {}
        if options.update_password == "always":
            changes.update(write_only_fields(row))
        field_changes[row.row] = changes
        described = sorted(changes) + (["password"] if options.update_password == "always" and row.password else [])
        if row.attributes and options.update_existing:
            held = read_attributes(client, str(current["ID"]))  # one read per existing user that has attribute values
            differing = {k: v for k, v in row.attributes.items() if str(held.get(k) or "") != v}
            if differing:
                attribute_changes[row.row] = dict(held, **differing)
                described += sorted(differing)
        described += ["roles"] if missing_roles else []
        items.append(Item(row.row, row.name, "update" if described else "unchanged", changes=described, user_id=str(current["ID"])))
    return Plan(items, {r.row: r for r in rows}, existing, role_ids, grants, field_changes, attribute_changes)


def create_payload(row: UserRow, existing: dict[str, dict[str, t.Any]], options: Options) -> dict[str, t.Any]:
    payload: dict[str, t.Any] = {"Name": row.name, "Mail": row.email}
    for attribute, field in COMPARED.items():
        if attribute != "email" and getattr(row, attribute) is not None:
            payload[field] = getattr(row, attribute)
    if row.password:
        payload["Password"] = row.password
    if row.require_password_change is not None:
        payload["ForcePasswordChangeNext"] = row.require_password_change
    if row.password_never_expires is not None:
        payload["PasswordNeverExpire"] = row.password_never_expires
    manager = manager_id(row, existing)
    if manager:
        payload["ReportsTo"] = manager
    payload["SendEmailInvite"] = options.send_email_invite  # the service would email every new user otherwise
    payload["SendSmsInvite"] = False
    return payload


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
    return run


def _create(client: IdentityClient, plan: Plan, item: Item, options: Options) -> None:
    row = plan.rows[item.row]
    try:
        item.user_id = _users.create(client, create_payload(row, plan.existing, options))
    except ApiError as exc:
        if exc.message_id != "_I18N_DuplicateUserName":
            raise
        # Created meanwhile by another run: bring it to the row's values instead.
        current = read_existing(client, [row.name])[row.name.lower()]
        item.user_id = str(current["ID"])
        _users.change(client, item.user_id, compare(row, current, plan.existing))
        item.message = "existed already (created by another run); brought to the file's values"
    else:
        item.message = "created"
    if row.expiration_date:
        _users.change(client, item.user_id, {"AccountExp": row.expiration_date})
    set_attributes(client, item.user_id, row.attributes)
    item.outcome = "ok"


def _update(client: IdentityClient, plan: Plan, item: Item, options: Options) -> None:
    row = plan.rows[item.row]
    _users.change(client, str(item.user_id), plan.field_changes.get(item.row) or {})
    if options.update_password == "always" and row.password:
        _users.reset_password(client, str(item.user_id), row.password)
    set_attributes(client, str(item.user_id), plan.attribute_changes.get(item.row) or {})
    item.outcome = "ok"
    item.message = "updated: " + ", ".join(item.changes)


def apply_api(client: IdentityClient, plan: Plan, options: Options) -> None:
    """Create and update rows concurrently, then set managers created in this run, then grant roles in batches."""
    client.authenticate()  # once, before the workers start
    client.transport.limiter.maximum = client.transport.limiter.limit = max(1, options.concurrency)
    creates = [i for i in plan.items if i.action == "create"]
    updates = [i for i in plan.items if i.action == "update"]
    work = [_guard(i, lambda i=i: _create(client, plan, i, options)) for i in creates]
    work += [_guard(i, lambda i=i: _update(client, plan, i, options)) for i in updates]
    _run_concurrently(work, options.concurrency)
    created = {i.login_name.lower(): i.user_id for i in creates if i.outcome == "ok"}
    late = [i for i in creates if i.outcome == "ok" and (plan.rows[i.row].reports_to or "").lower() in created]
    _run_concurrently([_guard(i, lambda i=i: _users.change(client, str(i.user_id), {
        "ReportsTo": created[str(plan.rows[i.row].reports_to).lower()]})) for i in late], options.concurrency)
    grant_roles(client, plan)
    for item in plan.items:
        if item.outcome == "planned" and item.action == "unchanged":
            item.outcome = "ok"


def grant_roles(client: IdentityClient, plan: Plan) -> None:
    """One call per role and batch of users, not one per user; a failed batch fails its rows."""
    by_name = {i.login_name.lower(): i for i in plan.items}
    for role, names in plan.grants.items():
        names = [n for n in names if by_name[n.lower()].outcome != "failed"]
        for start in range(0, len(names), GRANT_BATCH):
            batch = names[start:start + GRANT_BATCH]
            try:
                _roles.add_users(client, plan.role_ids[role], batch)
            except IdentityError as exc:
                for name in batch:
                    by_name[name.lower()].outcome = "failed"
                    by_name[name.lower()].message = f"role {role}: {exc.message}"


def csv_bytes(rows: list[UserRow]) -> bytes:
    """The rows as an import CSV (default headers, roles quoted) for the service's own import."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in rows:
        flags = {True: "True", False: "False", None: ""}
        writer.writerow([
            row.name, row.email, row.display_name or "", row.description or "", row.office_number or "", row.mobile_number or "",
            row.home_number or "", ", ".join(row.roles), row.expiration_date or "", row.password or "",
            flags[row.require_password_change], flags[row.password_never_expires], row.reports_to or "",
        ])
    return buffer.getvalue().encode("utf-8")


def submit_service_import(client: IdentityClient, filename: str, content: bytes, admin_email: str, send_email_invite: bool) -> str:
    """The service's two-step import: upload (``GetUsersFromCsvFile``), then submit the job (``SubmitUploadedFile``)."""
    params = {"importType": "ImportBulkUser"}
    uploaded = client.call("/CDirectoryService/GetUsersFromCsvFile", params=params, data={"FileName": filename},
                           files={"Icon": (filename, content, "text/csv")}, idempotent=True)
    return_id = (uploaded or {}).get("ReturnID")
    if not return_id:
        raise IdentityError("GetUsersFromCsvFile answered without a ReturnID")
    body = {"ReturnID": return_id, "AdminEmail": admin_email, "SendSmsInvite": False, "SendEmailInvite": send_email_invite}
    result = client.call("/CDirectoryService/SubmitUploadedFile", body, params=params, idempotent=False)
    inner = json.loads(result) if isinstance(result, str) else result
    if isinstance(inner, dict) and inner.get("success") is False:
        raise IdentityError(f"SubmitUploadedFile refused the job: {inner.get('Message')}", error_id=inner.get("ErrorID"))
    return str(return_id)


def wait_for_users(client: IdentityClient, names: list[str], timeout: float, interval: float = 2.0) -> dict[str, dict[str, t.Any]]:
    """Poll (bounded by ``timeout``) until every name is visible; returns those that are."""
    deadline = time.monotonic() + timeout
    while True:
        found = read_existing(client, names)
        if len(found) >= len({n.lower() for n in names}) or time.monotonic() >= deadline:
            return found
        time.sleep(min(interval, max(0.0, deadline - time.monotonic())))
