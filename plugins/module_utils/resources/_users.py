# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Cloud Directory users: read, create, change, state, password, delete, roles.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.

What can be read back through public endpoints (``CDUser`` table, ``GetUser``)
is compared; what cannot (password, password flags, account expiry, the
service-user flag) is write-only and sent only when the user is created or
when the module is told to send it again (docs/docsite/rst/users.rst).
"""

from __future__ import annotations

import json
import typing as t

from ansible_collections.cyberark_community.identity.plugins.module_utils.client import _redrock
from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import ApiError, IdentityError

if t.TYPE_CHECKING:
    from ansible_collections.cyberark_community.identity.plugins.module_utils.client._client import IdentityClient

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
# option name -> wire field, for the fields no public endpoint returns: sent on create, or again when told to
WRITE_ONLY_FIELDS = {
    "force_password_change": "ForcePasswordChangeNext",
    "password_never_expires": "PasswordNeverExpire",
    "account_expiry": "AccountExp",
}
# option name -> wire field, for what CreateUser takes besides the readable fields (AccountExp is set after the create)
CREATE_FIELDS = dict(
    READABLE_FIELDS, password="Password", force_password_change="ForcePasswordChangeNext",
    password_never_expires="PasswordNeverExpire", service_user="ServiceUser", oauth_client="OauthClient",
    in_everybody_role="InEverybodyRole",
)
UNASSIGNED = "Unassigned"
ACCOUNT_STATES = {"None": "enabled", "Locked": "locked", "Disabled": "disabled", "Expired": "expired"}
WIRE_STATES = {"enabled": "None", "locked": "Locked", "disabled": "Disabled"}


CDUSER_ALL = "Select " + ", ".join(CDUSER_COLUMNS) + " from CDUser"
CDUSER_SELECT = CDUSER_ALL + " WHERE {where}"
NAME_CHUNK = 100  # names or IDs joined by OR in one script


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


def find_rows(client: IdentityClient, where: str | None = None) -> list[dict[str, t.Any]]:
    """``CDUser`` rows, every page; ``where`` holds only equalities and ``LIKE`` joined by OR (the documented dialect)."""
    script = CDUSER_ALL if where is None else _select(where)
    return list(client.query(script))


def _any_equal(column: str, values: list[str]) -> str:
    return " OR ".join(f"{column} = {_redrock.quote(v)}" for v in values)


def ids_by_name(client: IdentityClient, names: t.Iterable[str]) -> dict[str, str]:
    """``{lower-case login name: id}`` as CyberArk's SDKs look users up: the ``User`` table, ``Username`` equal to the
    name (ark-sdk-python and idsec-sdk-golang users services), lower-cased as idsec-sdk-golang sends it (ark sends the
    name as given). Names in chunks, joined by OR."""
    wanted = sorted({n.lower() for n in names if n})
    found: dict[str, str] = {}
    for start in range(0, len(wanted), NAME_CHUNK):
        chunk = wanted[start:start + NAME_CHUNK]
        for row in client.query(f"Select ID, Username from User WHERE {_any_equal('Username', chunk)}"):
            found[str(row.get("Username") or "").lower()] = str(row["ID"])
    return found


def rows_by_id(client: IdentityClient, ids: t.Iterable[str]) -> dict[str, dict[str, t.Any]]:
    """``CDUser`` rows by ID (``WHERE ID='…'``, the SDKs' form), in chunks joined by OR."""
    wanted = sorted(set(ids))
    found: dict[str, dict[str, t.Any]] = {}
    for start in range(0, len(wanted), NAME_CHUNK):
        for row in find_rows(client, _any_equal("ID", wanted[start:start + NAME_CHUNK])):
            found[str(row["ID"])] = row
    return found


def rows_by_name(client: IdentityClient, names: t.Iterable[str]) -> dict[str, dict[str, t.Any]]:
    """``CDUser`` rows by lower-case login name: looked up by name first, then read by ID."""
    ids = ids_by_name(client, names)
    rows = rows_by_id(client, ids.values()) if ids else {}
    return {name: rows[uid] for name, uid in ids.items() if uid in rows}


def enabled_by_id(client: IdentityClient, ids: t.Iterable[str] | None = None) -> dict[str, dict[str, t.Any]]:
    """``{id: {"name", "enabled"}}`` from ``CDUser`` (``Enabled`` column): every user, or only ``ids`` (in chunks)."""
    def rows(where: str | None) -> t.Iterator[dict[str, t.Any]]:
        return client.query("Select ID, Name, Enabled from CDUser" + (f" WHERE {where}" if where else ""))
    wanted = None if ids is None else sorted(set(ids))
    found: dict[str, dict[str, t.Any]] = {}
    chunks = [None] if wanted is None else [_any_equal("ID", wanted[i:i + NAME_CHUNK]) for i in range(0, len(wanted), NAME_CHUNK)]
    for where in chunks:
        for row in rows(where):
            found[str(row["ID"])] = {"name": str(row.get("Name") or ""), "enabled": row.get("Enabled") not in (False, 0, "false", "False")}
    return found


def find_row(client: IdentityClient, name: str) -> dict[str, t.Any] | None:
    return rows_by_name(client, [name]).get(name.lower())


def search_rows(client: IdentityClient, text: str, page_size: int = _redrock.DEFAULT_PAGE_SIZE) -> list[dict[str, t.Any]]:
    """``CDUser`` rows whose login name, display name or email contains ``text`` (``LIKE``), sorted by login name."""
    pattern = _redrock.quote("%" + text.replace("%", "").replace("_", "") + "%")
    where = f"Name LIKE {pattern} OR DisplayName LIKE {pattern} OR Mail LIKE {pattern}"
    return list(client.query(_select(where) + " ORDER BY Name", page_size=page_size))


def all_rows(client: IdentityClient, page_size: int = _redrock.DEFAULT_PAGE_SIZE) -> list[dict[str, t.Any]]:
    """Every ``CDUser`` row, sorted by login name."""
    return list(client.query(CDUSER_ALL + " ORDER BY Name", page_size=page_size))


def find_user(client: IdentityClient, name: str) -> dict[str, t.Any] | None:
    """The user with this login name (case-insensitive), in the Ansible shape, or None."""
    row = find_row(client, name)
    if row is None:
        return None
    details = get_details(client, str(row["ID"]))
    if details is None:
        return None
    return to_ansible(row, details)


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


def role_names(client: IdentityClient, user_id: str) -> list[str]:
    """Roles the user holds directly (``UserMgmt/GetUsersRolesAndAdministrativeRights``), Everybody excluded."""
    result = client.call("/UserMgmt/GetUsersRolesAndAdministrativeRights", params={"ID": user_id})
    names = {str(r.get("Name") or r.get("RoleName")) for r in _redrock.rows(result)}
    names.discard("Everybody")
    names.discard("None")
    return sorted(names)


def create_payload(name: str, values: t.Mapping[str, t.Any], send_email_invite: bool = False,
                   send_sms_invite: bool = False) -> dict[str, t.Any]:
    """The ``CreateUser`` body for ``name`` with the option-named ``values`` given (None values are left out)."""
    payload: dict[str, t.Any] = {"Name": name}
    payload.update({CREATE_FIELDS[k]: v for k, v in values.items() if k in CREATE_FIELDS and v is not None})
    if values.get("oauth_client") or values.get("service_user"):
        # As idsec-sdk-golang creates an OAuth confidential client: it says so itself, not relying on the service.
        payload["ServiceUser"] = True
        payload["InEverybodyRole"] = "false"
    # The service sends invitations unless told not to: always say so explicitly.
    payload["SendEmailInvite"] = bool(send_email_invite)
    payload["SendSmsInvite"] = bool(send_sms_invite)
    return payload


def create(client: IdentityClient, payload: dict[str, t.Any]) -> str:
    """``CDirectoryService/CreateUser``; returns the new ID. Never sent twice blindly: a lost answer is settled by a read."""
    def landed() -> t.Any:
        return ids_by_name(client, [payload["Name"]]).get(payload["Name"].lower())
    return str(client.call("/CDirectoryService/CreateUser", payload, idempotent=False, landed=landed))


def change(client: IdentityClient, user_id: str, fields: dict[str, t.Any]) -> None:
    """``CDirectoryService/ChangeUser`` with only the fields to change (setting a field twice is harmless)."""
    if fields:
        client.call("/CDirectoryService/ChangeUser", dict(fields, ID=user_id))


def set_state(client: IdentityClient, user_id: str, account_state: str) -> None:
    client.call("/CDirectoryService/SetUserState", {"ID": user_id, "state": WIRE_STATES[account_state]})


def reset_password(client: IdentityClient, user_id: str, password: str) -> None:
    client.call("/UserMgmt/ResetUserPassword", {"ID": user_id, "newPassword": password})


def remove_many(client: IdentityClient, user_ids: list[str]) -> None:
    """``UserMgmt/RemoveUsers``: delete Cloud Directory users by ID in one call (the service refuses a list holding the
    caller). Repeating it is harmless: IDs already gone are skipped."""
    if user_ids:
        client.call("/UserMgmt/RemoveUsers", {"Users": list(user_ids)})


def delete(client: IdentityClient, user_id: str) -> None:
    client.delete("/CDirectoryService/DeleteUser", {"ID": user_id}, gone_message_id="_I18N_UserNotFound")


def submit_import(client: IdentityClient, filename: str, content: bytes, admin_email: str, send_email_invite: bool) -> str:
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
