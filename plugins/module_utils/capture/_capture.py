# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A tenant's onboarding state as the variables of the identity_onboarding role (tenant as code).

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.

Reads by page, through the resource functions the onboarding modules use, so that the role run with what this returns
against the same tenant finds nothing to change: the login suffixes (one request), every role (the ``Role`` table,
paged), every role's rights (two requests for all roles, as identity_role_info reads them) and the tenant's list of
rights (one), every role's members (one request per role, which also gives every user's roles), every user (``CDUser``,
paged), ``GetUser`` for the few users outside the Everybody role (to tell an OAuth client), and additional attributes
one user at a time when the tenant defines any (the API reads them per user only).

Secrets are never read (no endpoint returns them); what cannot be captured or copied is named in ``not_captured``,
what a user must supply on re-apply in ``must_supply``.
"""

from __future__ import annotations

import dataclasses
import re
import typing as t

from ansible_collections.cyberark_community.identity.plugins.module_utils.bulk_import import _export, _import_file
from ansible_collections.cyberark_community.identity.plugins.module_utils.client import _redrock
from ansible_collections.cyberark_community.identity.plugins.module_utils.resources import (
    _role_rights, _roles, _suffixes, _user_details, _users, _validate,
)
from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import IdentityError

if t.TYPE_CHECKING:
    from ansible_collections.cyberark_community.identity.plugins.module_utils.client._client import IdentityClient

KINDS = ("login_suffixes", "roles", "users", "remote_access")
# The login suffix CyberArk generates for each Shared Services tenant (idsec-sdk-golang idsec_env.go, ark-sdk-python
# ark_env_mapping.py: cyberark.cloud.<digits>, cyberarkgov.cloud.<digits>): the tenant's own, no other tenant's to create.
GENERATED_SUFFIX = re.compile(r"^cyberark(gov)?\.cloud\.\d+$", re.IGNORECASE)
# identity_user's options an inline user of identity_onboarding_users carries, in this order; header -> option for the rest
INLINE_FIELDS = {"Email Address": "email", "Display Name": "display_name", "Description": "description",
                 "Office Number": "office_number", "Mobile number": "mobile_number", "Home number": "home_number",
                 "Reports to": "reports_to"}
# What never is captured, whatever the tenant holds (the docs list the same).
ALWAYS_NOT_CAPTURED = (
    {"kind": "tenant", "name": "tenant URLs", "reason": "a tenant's system and custom URLs are its own (identity_tenant_url manages custom ones)"},
    {"kind": "tenant", "name": "IDs", "reason": "role and user IDs are given by each tenant; the variables name roles and users"},
    {"kind": "users", "name": "passwords", "reason": "no endpoint returns a password or an OAuth client's secret"},
    {"kind": "users", "name": "write-only user settings",
     "reason": "Require Password Change, Password Never Expires, the account expiry and the account state are not returned by any public read"},
    {"kind": "roles", "name": "Everybody", "reason": "every user holds it; it cannot be created or granted"},
    {"kind": "roles", "name": "directory groups",
     "reason": "groups come from a connected directory (AD, LDAP); a role's member groups are captured by name and a copy needs the same groups"},
)


@dataclasses.dataclass
class Capture:
    """What was read, in the role's variables, and what could not be captured."""
    variables: dict[str, t.Any]
    records: list[dict[str, str]]  # the import file's records (users_dest), empty when the users are inline
    headers: list[str]
    not_captured: list[dict[str, str]]
    must_supply: list[dict[str, str]]
    warnings: list[str]


def ordered_roles(roles: list[dict[str, t.Any]]) -> list[dict[str, t.Any]]:
    """Roles with each role's member roles before it (identity_onboarding ensures them in order); a cycle keeps the
    remaining roles by name."""
    by_name = {r["name"]: r for r in roles}
    done: list[dict[str, t.Any]] = []
    placed: set[str] = set()
    visiting: set[str] = set()

    def place(name: str) -> None:
        if name in placed or name in visiting or name not in by_name:
            return
        visiting.add(name)
        for member in by_name[name].get("member_roles") or []:
            place(member)
        visiting.discard(name)
        placed.add(name)
        done.append(by_name[name])
    for name in sorted(by_name):
        place(name)
    return done


def ordered_users(users: list[dict[str, t.Any]]) -> list[dict[str, t.Any]]:
    """Inline users with each manager before the users who report to it (identity_user needs the manager to exist)."""
    by_name = {u["name"].lower(): u for u in users}
    done: list[dict[str, t.Any]] = []
    placed: set[str] = set()

    def place(key: str, depth: int = 0) -> None:
        if key in placed or key not in by_name or depth > len(by_name):
            return
        manager = str(by_name[key].get("reports_to") or "").lower()
        if manager and manager != key:
            place(manager, depth + 1)
        if key not in placed:
            placed.add(key)
            done.append(by_name[key])
    for user in users:
        place(user["name"].lower())
    return done


def read_roles(client: IdentityClient, not_captured: list[dict[str, str]], warnings: list[str]
               ) -> tuple[list[dict[str, t.Any]], dict[str, list[dict[str, t.Any]]]]:
    """``(roles in the role's variables, members by role name)``; Everybody left out."""
    known = {n: r for n, r in _roles.all_roles(client).items() if n != _roles.EVERYBODY}
    members = {name: _roles.members(client, str(role["id"])) for name, role in sorted(known.items())}
    rights: dict[str, list[str]] | None = {}
    catalog: list[dict[str, str]] = []
    if known:
        try:
            rights = _role_rights.all_role_rights(client)
            if any(rights.values()):
                catalog = _role_rights.catalog(client)
        except IdentityError as exc:
            if not _role_rights.unreadable(exc):
                raise
            if rights and any(rights.values()):  # the rights were read, their names were not: keep the paths
                warnings.append(f"the tenant's list of administrative rights cannot be read ({exc.message}); rights are captured by their paths")
            else:
                rights = None
                warnings.append(f"the roles' administrative rights cannot be read ({exc.message}); they are not captured")
                not_captured.append({"kind": "roles", "name": "administrative rights", "reason": f"the tenant refused to show them: {exc.message}"})
    names = {}
    for right in catalog:
        names.setdefault(right["name"].lower(), set()).add(right["path"])
    roles = []
    for name, role in sorted(known.items()):
        problem = _validate.role_name_error(name)
        if problem:
            not_captured.append({"kind": "roles", "name": name, "reason": f"identity_role cannot take this name: it {problem}"})
            continue
        kinds = _roles.members_by_kind(members[name])
        entry: dict[str, t.Any] = {"name": name}
        if role.get("description"):
            entry["description"] = str(role["description"])
        if rights is not None:
            held = _role_rights.named(catalog, rights.get(str(role["id"]), []))
            # a right by its portal name when the tenant's list names it once, else by its path (identity_role takes both)
            entry["administrative_rights"] = [r["name"] if r["name"] and len(names.get(r["name"].lower(), ())) == 1 else r["path"] for r in held]
            entry["purge_administrative_rights"] = True
        entry["member_groups"] = kinds["Group"]
        entry["purge_member_groups"] = True
        entry["member_roles"] = [r for r in kinds["Role"] if r in known]
        entry["purge_member_roles"] = True
        roles.append(entry)
    return ordered_roles(roles), members


def held_roles(members: dict[str, list[dict[str, t.Any]]]) -> dict[str, list[str]]:
    """Role names by user ID, from every role's members (read once)."""
    held: dict[str, list[str]] = {}
    for name in sorted(members):
        for member in members[name]:
            if member.get("type") in ("User", None) and member.get("id"):
                held.setdefault(str(member["id"]), []).append(name)
    return held


def capture(client: IdentityClient, kinds: t.Iterable[str], users_file: bool, attributes: list[str] | None,
            page_size: int, concurrency: int, import_file: str = "") -> Capture:
    """The tenant's onboarding state. ``users_file``: users go to import records (service users stay inline, the file
    cannot say what they are); else every user is inline. ``attributes``: additional attributes to capture, None for
    every one the tenant defines."""
    kinds = set(kinds)
    client.set_concurrency(concurrency)
    variables: dict[str, t.Any] = {}
    not_captured = [dict(item) for item in ALWAYS_NOT_CAPTURED]
    must_supply: list[dict[str, str]] = []
    warnings: list[str] = []
    suffixes = _suffixes.list_suffixes(client) if kinds & {"login_suffixes", "users", "remote_access"} else []
    if "login_suffixes" in kinds:
        variables["identity_onboarding_login_suffixes"] = sorted((s["name"] for s in suffixes if s["cds"] and not GENERATED_SUFFIX.match(s["name"])),
                                                                 key=str.lower)
        not_captured += [{"kind": "login_suffixes", "name": s["name"],
                          "reason": "the suffix CyberArk generates for this Shared Services tenant: every tenant has its own; users under it are "
                                    "captured, and a copy needs them under a suffix the other tenant has"}
                         for s in suffixes if s["cds"] and GENERATED_SUFFIX.match(s["name"])]
        not_captured += [{"kind": "login_suffixes", "name": s["name"],
                          "reason": "a suffix of a connected directory (AD, LDAP), not of the Cloud Directory: the directory brings it"}
                         for s in suffixes if not s["cds"]]
    members: dict[str, list[dict[str, t.Any]]] = {}
    if "roles" in kinds or "users" in kinds:
        roles, members = read_roles(client, not_captured, warnings)
        if "roles" in kinds:
            variables["identity_onboarding_roles"] = roles
    records: list[dict[str, str]] = []
    headers: list[str] = []
    if kinds & {"users", "remote_access"}:
        rows = _users.all_rows(client, page_size)
        provisioned = [r for r in rows if _validate.provisioned_by_cyberark(str(r.get("Name") or ""))]
        if "remote_access" in kinds:
            integration = next((str(r["Name"]) for r in provisioned if str(r["Name"]).lower().startswith("alero-integration-user$@")), None)
            if integration:
                variables["remote_access_onboarding_integration_suffix"] = integration.rpartition("@")[2]
                must_supply.append({"variable": "remote_access_onboarding_integration_password",
                                    "reason": f"the password of {integration}, which remote_access_onboarding sets only when asked; no endpoint returns it"})
            not_captured.append({"kind": "remote_access", "name": "Remote Access portal settings",
                                 "reason": "login through Identity only, the re-authentication interval, vendor access to web applications and the "
                                           "built-in role are set in the Remote Access portal: no public API reads them (remote_access_integration "
                                           "reports them as unverified_settings)"})
        if "users" in kinds:
            records, headers = read_users(client, rows, members, suffixes, users_file, attributes, page_size, concurrency,
                                          variables, not_captured, must_supply, warnings)
            if users_file:
                variables["identity_onboarding_import_file"] = import_file
                variables["identity_onboarding_import_roles_mode"] = "exact"
        not_captured += [{"kind": "users", "name": str(r["Name"]),
                          "reason": "provisioned by CyberArk (a $ in its login name): no administrator can create it, and no import can hold it"}
                         for r in sorted(provisioned, key=lambda r: str(r["Name"]).lower())]
    return Capture(variables, records, headers, not_captured, must_supply, warnings)


def read_users(client: IdentityClient, rows: list[dict[str, t.Any]], members: dict[str, list[dict[str, t.Any]]],
               suffixes: list[dict[str, t.Any]], users_file: bool, attributes: list[str] | None, page_size: int, concurrency: int,
               variables: dict[str, t.Any], not_captured: list[dict[str, str]], must_supply: list[dict[str, str]],
               warnings: list[str]) -> tuple[list[dict[str, str]], list[str]]:
    """Users as import records and inline users (``variables["identity_onboarding_users"]``)."""
    rows = [r for r in rows if r.get("Name") and not _validate.provisioned_by_cyberark(str(r["Name"]))]
    schema = _users.attribute_schema(client)
    if attributes is None:
        attributes = sorted(n for n in schema if n not in _import_file.KNOWN_HEADERS)
    else:
        missing = [a for a in attributes if a not in schema]
        if missing:
            raise IdentityError(f"attributes: the tenant defines no additional attribute named {', '.join(missing)}")
    held = held_roles(members)
    names = {str(r["ID"]): str(r["Name"]) for r in rows}
    values = _export.read_attributes(client, [str(r["ID"]) for r in rows] if attributes else [], concurrency)
    all_records = _export.records_of(rows, held, names, attributes, values, schema)
    # Users outside the Everybody role: service users keep out of it (contract Q5), and GetUser tells an OAuth client.
    outside = [str(r["ID"]) for r in rows if r.get("InEverybodyRole") is not None and not _redrock.truth(r.get("InEverybodyRole"))]
    details = _user_details.concurrently(client, outside, lambda uid: _users.get_details(client, uid), concurrency)
    inline, file_records = [], []
    for row, record in zip(rows, all_records):
        uid = str(row["ID"])
        if uid in details or not users_file:
            inline.append(inline_user(record, attributes, details.get(uid) if uid in details else None, uid in details))
        else:
            file_records.append(record)
    headers = list(_import_file.HEADERS) + list(attributes)
    role_names = set(members)
    if users_file:
        kinds = {s["name"].lower(): s["cds"] for s in suffixes}
        file_records, left_out = _export.importable(file_records, headers, kinds, role_names, attributes)
        not_captured += [{"kind": "users", "name": u["login_name"], "reason": f"the import would refuse it: {u['message']}"} for u in left_out]
    kept = []
    for user in inline:
        problem = _validate.login_name_error(user["name"])
        if problem:
            not_captured.append({"kind": "users", "name": user["name"], "reason": f"identity_user cannot take this name: {problem}"})
            continue
        kept.append(user)
        if user.get("service_user"):
            secret = "its OAuth client secret" if user.get("oauth_client") else "its password"
            must_supply.append({"variable": f"identity_onboarding_users[{user['name']}].password",
                                "reason": f"{secret}, to create {user['name']} on another tenant (without it the tenant gives a random one)"})
            if not user.get("oauth_client"):
                not_captured.append({"kind": "users", "name": user["name"],
                                     "reason": "outside the Everybody role, so captured as a service user: no endpoint reports ServiceUser itself"})
    variables["identity_onboarding_users"] = ordered_users(kept)
    return file_records, headers


def inline_user(record: dict[str, str], attributes: list[str], details: dict[str, t.Any] | None, service: bool) -> dict[str, t.Any]:
    """One entry of ``identity_onboarding_users`` from an export record: only the values the tenant holds."""
    user: dict[str, t.Any] = {"name": record["Login Name"]}
    for header, option in INLINE_FIELDS.items():
        if record.get(header):
            user[option] = record[header]
    if service:
        user["service_user"] = True
        user["oauth_client"] = bool(details and _redrock.truth(details.get("OauthClient")))
    user["roles"] = [r.strip() for r in record.get("Roles", "").split(",") if r.strip()]
    user["purge_roles"] = True
    values = {name: record[name] for name in attributes if record.get(name)}
    if values:
        user["attributes"] = values
    return user
