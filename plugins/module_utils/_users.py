# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Cloud Directory users: read, create, change, state, password, delete, roles.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.

What can be read back through public endpoints (``CDUser`` table, ``GetUser``)
is compared; what cannot (password, password flags, account expiry, the
service-user flag) is write-only and sent only when the user is created or
when the module is told to send it again (docs/users.md).
"""

from __future__ import annotations

import typing as t

from ansible_collections.cyberark_community.identity.plugins.module_utils import _redrock
from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import ApiError

if t.TYPE_CHECKING:
    from ansible_collections.cyberark_community.identity.plugins.module_utils._client import IdentityClient

CDUSER_COLUMNS = ("ID", "Name", "DisplayName", "Mail", "Description", "OfficeNumber", "MobileNumber", "HomeNumber", "ReportsTo", "InEverybodyRole")
# option name -> wire field, for the fields compared with what the tenant holds
READABLE_FIELDS = {
    "email": "Mail",
    "display_name": "DisplayName",
    "description": "Description",
    "office_number": "OfficeNumber",
    "mobile_number": "MobileNumber",
    "home_number": "HomeNumber",
    "reports_to": "ReportsTo",
}
UNASSIGNED = "Unassigned"
ACCOUNT_STATES = {"None": "enabled", "Locked": "locked", "Disabled": "disabled", "Expired": "expired"}
WIRE_STATES = {"enabled": "None", "locked": "Locked", "disabled": "Disabled"}


CDUSER_SELECT = "Select " + ", ".join(CDUSER_COLUMNS) + " from CDUser WHERE {where}"


def _select(where: str) -> str:
    return CDUSER_SELECT.format(where=where)


def _account_state(raw: t.Any) -> str:
    states = [s.strip() for s in str(raw or "None").split(",") if s.strip() and s.strip() != "None"]
    return ACCOUNT_STATES.get(states[0], states[0].lower()) if states else "enabled"


def get_details(client: IdentityClient, user_id: str) -> dict[str, t.Any] | None:
    """``CDirectoryService/GetUser``: account state and OAuth client flag; None when the user is gone."""
    try:
        return client.call("/CDirectoryService/GetUser", {"ID": user_id})
    except ApiError as exc:
        if exc.status == 200 and exc.message_id == "_I18N_UserNotFound":
            return None
        raise


def manager_of(row: dict[str, t.Any]) -> str | None:
    """The manager's ID; the service says ``Unassigned`` when there is none (CDUser table, identity-developer docs)."""
    value = row.get("ReportsTo")
    return None if value in (None, "", UNASSIGNED) else str(value)


def to_ansible(row: dict[str, t.Any], details: dict[str, t.Any] | None) -> dict[str, t.Any]:
    """A user as modules return it (no secrets)."""
    details = details or {}
    return {
        "id": row.get("ID"),
        "name": row.get("Name"),
        "email": row.get("Mail"),
        "display_name": row.get("DisplayName"),
        "description": row.get("Description"),
        "office_number": row.get("OfficeNumber"),
        "mobile_number": row.get("MobileNumber"),
        "home_number": row.get("HomeNumber"),
        "reports_to": manager_of(row),
        "in_everybody_role": bool(row.get("InEverybodyRole")),
        "oauth_client": bool(details.get("OauthClient")),
        "account_state": _account_state(details.get("State")),
    }


def find_rows(client: IdentityClient, where: str) -> list[dict[str, t.Any]]:
    return list(client.query(_select(where)))


def find_user(client: IdentityClient, name: str) -> dict[str, t.Any] | None:
    """The user with this login name (case-insensitive), in the Ansible shape, or None."""
    rows = find_rows(client, f"Name = {_redrock.quote(name)} COLLATE NOCASE")
    if not rows:
        return None
    details = get_details(client, str(rows[0]["ID"]))
    if details is None:
        return None
    return to_ansible(rows[0], details)


def find_user_ids(client: IdentityClient, names: t.Iterable[str]) -> dict[str, str]:
    """``{lower-case login name: id}`` for the users that exist."""
    wanted = sorted({n.lower() for n in names})
    if not wanted:
        return {}
    rows = find_rows(client, f"lower(Name) IN ({', '.join(_redrock.quote(n) for n in wanted)})")
    return {str(r["Name"]).lower(): str(r["ID"]) for r in rows}


def role_names(client: IdentityClient, user_id: str) -> list[str]:
    """Roles the user holds directly (``UserMgmt/GetUsersRolesAndAdministrativeRights``), Everybody excluded."""
    result = client.call("/UserMgmt/GetUsersRolesAndAdministrativeRights", params={"ID": user_id})
    names = {str(r.get("Name") or r.get("RoleName")) for r in _redrock.rows(result)}
    names.discard("Everybody")
    names.discard("None")
    return sorted(names)


def create(client: IdentityClient, payload: dict[str, t.Any]) -> str:
    """``CDirectoryService/CreateUser``; returns the new ID. Never sent twice blindly: a lost answer is settled by a read."""
    def landed() -> t.Any:
        rows = find_rows(client, f"Name = {_redrock.quote(payload['Name'])} COLLATE NOCASE")
        return rows[0]["ID"] if rows else None
    return str(client.call("/CDirectoryService/CreateUser", payload, idempotent=False, landed=landed))


def change(client: IdentityClient, user_id: str, fields: dict[str, t.Any]) -> None:
    """``CDirectoryService/ChangeUser`` with only the fields to change (setting a field twice is harmless)."""
    if fields:
        client.call("/CDirectoryService/ChangeUser", dict(fields, ID=user_id))


def set_state(client: IdentityClient, user_id: str, account_state: str) -> None:
    client.call("/CDirectoryService/SetUserState", {"ID": user_id, "state": WIRE_STATES[account_state]})


def reset_password(client: IdentityClient, user_id: str, password: str) -> None:
    client.call("/UserMgmt/ResetUserPassword", {"ID": user_id, "newPassword": password})


def delete(client: IdentityClient, user_id: str) -> None:
    client.delete("/CDirectoryService/DeleteUser", {"ID": user_id}, gone_message_id="_I18N_UserNotFound")
