# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Roles and role membership.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.

Role names are case-sensitive (CyberArk's bulk import rules); the API addresses
a role by its ID, found with a Redrock query on the ``Role`` table. Directory groups are looked up as CyberArk's SDKs
list directory entities: ``UserMgmt/DirectoryServiceQuery`` with a ``group`` filter, across the tenant's directory
services (``Core/GetDirectoryServices``).
"""

from __future__ import annotations

import json
import typing as t

from ansible_collections.cyberark_community.identity.plugins.module_utils.client import _redrock
from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import IdentityError

if t.TYPE_CHECKING:
    from ansible_collections.cyberark_community.identity.plugins.module_utils.client._client import IdentityClient

EVERYBODY = "Everybody"
# idsec-sdk-golang lists directory entities in one DirectoryServiceQuery with these caps (PageSize, Limit) and never pages.
DIRECTORY_QUERY_ROWS = 10000
SYSTEM_ADMINISTRATOR = "System Administrator"  # the administrators' role (ark-sdk-python's DEFAULT_ADMIN_ROLES)


def all_roles(client: IdentityClient) -> dict[str, dict[str, t.Any]]:
    """Every role by exact name: ``{name: {"id", "name", "description"}}`` (one paged read of the ``Role`` table)."""
    return {str(row["Name"]): {"id": row.get("ID"), "name": row["Name"], "description": row.get("Description")}
            for row in client.query("Select ID, Name, Description from Role") if row.get("Name")}


def find_roles(client: IdentityClient, names: t.Iterable[str]) -> dict[str, dict[str, t.Any]]:
    """Roles by exact (case-sensitive) name: ``{name: {"id", "name", "description"}}``; missing names are absent."""
    wanted = set(names)
    if not wanted:
        return {}
    # Every role, matched here by exact name: role names are case-sensitive, and a plain SELECT is the documented form.
    return {name: role for name, role in all_roles(client).items() if name in wanted}


def find_role(client: IdentityClient, name: str) -> dict[str, t.Any] | None:
    return find_roles(client, [name]).get(name)


def create(client: IdentityClient, name: str, description: str | None) -> str:
    """``Roles/StoreRole``; returns the new role's ID. A lost answer is settled by looking the role up."""
    body: dict[str, t.Any] = {"Name": name, "RoleType": "PrincipalList"}
    if description is not None:
        body["Description"] = description

    def landed() -> t.Any:
        role = find_role(client, name)
        return {"_RowKey": role["id"]} if role else None
    result = client.call("/Roles/StoreRole", body, idempotent=False, landed=landed)
    return str((result or {}).get("_RowKey"))


def update_description(client: IdentityClient, role_id: str, description: str) -> None:
    client.call("/Roles/UpdateRole", {"Name": role_id, "Description": description})


def holders(client: IdentityClient, role_id: str) -> set[str]:
    """The users who hold a role directly, each by ID and by lower-case login name (either finds them)."""
    found: set[str] = set()
    for member in members(client, role_id):
        if member.get("type") in ("User", None):
            found.update(str(key) for key in (member.get("id"), str(member.get("name") or "").lower()) if key)
    return found


# GetRoleMembers' Type as the collection reports it: the service's case is shown by no official example (CyberArk's
# SDKs upper-case whatever comes), so it is compared without case.
MEMBER_TYPES = {"user": "User", "group": "Group", "role": "Role"}
# Which list of AddUsersAndGroupsToRole / RemoveUsersAndGroupsFromRole names each kind of member.
MEMBER_LISTS = {"User": "Users", "Group": "Groups", "Role": "Roles"}


def members(client: IdentityClient, role_id: str) -> list[dict[str, t.Any]]:
    """Members of a role (``Roles/GetRoleMembers``): ``{"id", "name", "type"}``, ``type`` one of User, Group, Role."""
    rows = _redrock.rows(client.call("/Roles/GetRoleMembers", {"Name": role_id}))
    found = []
    for r in rows:
        kind = r.get("Type")
        found.append({"id": r.get("Guid"), "name": r.get("Name"),
                      "type": MEMBER_TYPES.get(str(kind).lower(), kind) if kind is not None else None})
    return found


def members_by_kind(listed: list[dict[str, t.Any]]) -> dict[str, list[str]]:
    """Member names by kind, ``{"User": [...], "Group": [...], "Role": [...]}``, each sorted without case (a member
    without a Type is a user, as the collection has always read it)."""
    kinds: dict[str, list[str]] = {kind: [] for kind in MEMBER_LISTS}
    for member in listed:
        if member.get("name") in (None, ""):
            continue  # a row without a name can be neither compared nor named in a removal
        kinds.setdefault(member.get("type") or "User", []).append(str(member.get("name")))
    return {kind: sorted(names, key=str.lower) for kind, names in kinds.items()}


def add_members(client: IdentityClient, role_id: str, kind: str, names: list[str]) -> None:
    """Add members of one kind (User, Group or Role) by name in one call; CyberArk's SDKs send one list a call, users
    by login name, groups and roles by name."""
    if names:
        client.call("/SaasManage/AddUsersAndGroupsToRole", {"Name": role_id, MEMBER_LISTS[kind]: names})


def remove_members(client: IdentityClient, role_id: str, kind: str, names: list[str]) -> None:
    if names:
        client.call("/SaasManage/RemoveUsersAndGroupsFromRole", {"Name": role_id, MEMBER_LISTS[kind]: names})


def add_users(client: IdentityClient, role_id: str, login_names: list[str]) -> None:
    """Grant a role to several users in one call (the SDKs pass login names)."""
    add_members(client, role_id, "User", login_names)


def remove_users(client: IdentityClient, role_id: str, login_names: list[str]) -> None:
    remove_members(client, role_id, "User", login_names)


def delete(client: IdentityClient, role_id: str) -> None:
    client.delete("/SaasManage/DeleteRole", {"Name": role_id}, gone_message_id="_I18N_RoleNotFound")


def directory_services(client: IdentityClient) -> list[dict[str, str]]:
    """The tenant's directory services, ``[{"service", "uuid"}]`` (``GET Core/GetDirectoryServices``, as both SDKs ask)."""
    rows = _redrock.rows(client.call("/Core/GetDirectoryServices", method="GET"))
    return [{"service": str(r.get("Service")), "uuid": str(r["directoryServiceUuid"])} for r in rows if r.get("directoryServiceUuid")]


# Where CyberArk's SDKs look directory entities up (ark-sdk-python DirectoryService: AdProxy groups, CDS roles, FDS).
GROUP_DIRECTORIES = ("AdProxy", "CDS", "FDS")


def find_groups(client: IdentityClient, names: t.Iterable[str]) -> dict[str, set[str]]:
    """Directory groups by name, without case: ``{lower-case name: every name the directory shows it by, lower-case}``
    (its ``SystemName`` and ``DisplayName``); names no directory shows are absent. One
    ``UserMgmt/DirectoryServiceQuery`` a name, with the SDKs' group filter (``_like`` on ``DisplayName`` or
    ``SystemName``) across the directory services the SDKs ask (AdProxy, CDS, FDS); a row is the group when either
    field equals the name (``_like`` may find more). A refused lookup fails naming ``member_groups``."""
    wanted = list(dict.fromkeys(n for n in names))
    if not wanted:
        return {}
    try:
        services = [s["uuid"] for s in directory_services(client) if s["service"] in GROUP_DIRECTORIES]
    except IdentityError as exc:
        raise IdentityError(f"member_groups: the tenant's directory services could not be read to look the groups up: {exc.message}") from None
    if not services:
        raise IdentityError("member_groups: Core/GetDirectoryServices lists no AdProxy, CDS or FDS directory, so no group can be looked up")
    found: dict[str, set[str]] = {}
    for name in wanted:
        group_filter = {"_or": [{"DisplayName": {"_like": name}}, {"SystemName": {"_like": name}}]}
        body = {"directoryServices": services, "group": json.dumps(group_filter),
                "Args": {"PageNumber": 1, "PageSize": DIRECTORY_QUERY_ROWS, "Limit": DIRECTORY_QUERY_ROWS}}
        try:
            result = client.call("/UserMgmt/DirectoryServiceQuery", body) or {}
        except IdentityError as exc:
            raise IdentityError(f"member_groups: the lookup of group {name} failed: {exc.message}") from None
        block = result.get("Group") if isinstance(result, dict) else None
        rows = _redrock.rows(block) if isinstance(block, dict) else []
        for row in rows:
            shown = {str(row.get(field)).lower() for field in ("SystemName", "DisplayName") if row.get(field)}
            if name.lower() in shown:
                found[name.lower()] = shown
                break
        else:
            full = block.get("FullCount") if isinstance(block, dict) else None
            if isinstance(full, int) and full > len(rows):
                raise IdentityError(f"member_groups: UserMgmt/DirectoryServiceQuery announced {full} groups like {name} but answered "
                                    f"{len(rows)}, none named so: whether {name} exists cannot be told")
    return found
