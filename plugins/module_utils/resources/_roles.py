# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Roles and role membership.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.

Role names are case-sensitive (CyberArk's bulk import rules); the API addresses
a role by its ID, found with a Redrock query on the ``Role`` table.
"""

from __future__ import annotations

import typing as t

from ansible_collections.cyberark_community.identity.plugins.module_utils.client import _redrock

if t.TYPE_CHECKING:
    from ansible_collections.cyberark_community.identity.plugins.module_utils.client._client import IdentityClient

EVERYBODY = "Everybody"
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


def members(client: IdentityClient, role_id: str) -> list[dict[str, t.Any]]:
    """Members of a role (``Roles/GetRoleMembers``): ``{"id", "name", "type"}``."""
    rows = _redrock.rows(client.call("/Roles/GetRoleMembers", {"Name": role_id}))
    return [{"id": r.get("Guid"), "name": r.get("Name"), "type": r.get("Type")} for r in rows]


def add_users(client: IdentityClient, role_id: str, login_names: list[str]) -> None:
    """Grant a role to several users in one call (the SDKs pass login names)."""
    if login_names:
        client.call("/SaasManage/AddUsersAndGroupsToRole", {"Name": role_id, "Users": login_names})


def remove_users(client: IdentityClient, role_id: str, login_names: list[str]) -> None:
    if login_names:
        client.call("/SaasManage/RemoveUsersAndGroupsFromRole", {"Name": role_id, "Users": login_names})


def delete(client: IdentityClient, role_id: str) -> None:
    client.delete("/SaasManage/DeleteRole", {"Name": role_id}, gone_message_id="_I18N_RoleNotFound")
