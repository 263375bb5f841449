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
from ansible_collections.cyberark_community.identity.plugins.module_utils.resources import _attributes, _user_fields, _where
from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import ApiError, IdentityError, is_refusal

if t.TYPE_CHECKING:
    from ansible_collections.cyberark_community.identity.plugins.module_utils.client._client import IdentityClient

# Derived from the one description of a user's fields (_user_fields): which are read back, write-only, created with
CDUSER_COLUMNS = _user_fields.CDUSER_COLUMNS
READABLE_FIELDS = _user_fields.READABLE_FIELDS
WRITE_ONLY_FIELDS = _user_fields.WRITE_ONLY_FIELDS
CREATE_FIELDS = _user_fields.CREATE_FIELDS
UNASSIGNED = "Unassigned"
ACCOUNT_STATES = {"None": "enabled", "Locked": "locked", "Disabled": "disabled", "Expired": "expired"}
WIRE_STATES = {"enabled": "None", "locked": "Locked", "disabled": "Disabled"}


CDUSER_ALL = "Select " + ", ".join(CDUSER_COLUMNS) + " from CDUser"


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
    """A user as modules return it (no secrets). Without ``details`` (``GetUser``'s answer, not read) the account state
    and the OAuth flag are None."""
    user: dict[str, t.Any] = {"id": row.get("ID")}
    for field in _user_fields.FIELDS:
        if field.column:
            user[field.option] = row.get(field.column)
    user.update(
        reports_to=manager_of(row),
        in_everybody_role=_redrock.truth(row.get("InEverybodyRole")),
        oauth_client=_redrock.truth(details.get("OauthClient")) if details is not None else None,
        account_state=_account_state(details.get("State")) if details is not None else None,
    )
    return user


def find_rows(client: IdentityClient) -> t.Iterator[dict[str, t.Any]]:
    """Every ``CDUser`` row, every page, as the pages come (a caller that keeps a few holds no more)."""
    return iter(client.query(CDUSER_ALL))


def ids_by_name(client: IdentityClient, names: t.Iterable[str]) -> dict[str, str]:
    """``{lower-case login name: id}`` as CyberArk's SDKs look users up: the ``User`` table, ``Username`` equal to the
    name lower-cased (idsec-sdk-golang; ark-sdk-python sends it as given).

    How the tenant folds the case of letters beyond ASCII is shown nowhere (docs/api_sources.md, reading
    ``name_folding``; SQLite's NOCASE folds only A-Z). The collection treats ``Élise`` and ``élise`` as one user: a
    name with such letters goes as given too, and one that no equality finds is looked for once more with ``LIKE``,
    each of those letters a wildcard, and compared here. Where the tenant holds two users told apart only by such
    letters, the one spelled exactly as asked is meant; without one, the name is refused, never guessed."""
    given = sorted({n for n in names if n})
    # ASCII letters fold under every reading: the lower-cased name is enough; others go as given too
    spellings = sorted({n.lower() for n in given} | {n for n in given if not n.isascii()})
    select = "Select ID, Username from User"
    rows = _where.rows_matching(client, select, [_where.equal("Username", n) for n in spellings])
    seen = {str(r.get("Username") or "").lower() for r in rows}
    unfound = {n.lower() for n in given if not n.isascii() and n.lower() not in seen}
    if unfound:
        patterns = sorted({"".join(ch if ch.isascii() else "_" for ch in n) for n in unfound})
        rows += [r for r in _where.rows_matching(client, select, [f"Username LIKE {_redrock.quote(p)}" for p in patterns])
                 if str(r.get("Username") or "").lower() in unfound]
    by_name: dict[str, dict[str, str]] = {}  # lower-case name -> {id: name as the tenant spells it}
    for row in rows:
        username = str(row.get("Username") or "")
        by_name.setdefault(username.lower(), {})[str(row["ID"])] = username
    found: dict[str, str] = {}
    for name in given:
        candidates = by_name.get(name.lower(), {})
        exact = [uid for uid, username in candidates.items() if username == name]
        if len(candidates) > 1 and len(exact) != 1:
            raise IdentityError(
                f"the tenant holds {len(candidates)} users whose login names differ from {name} only in the case of letters "
                "beyond ASCII: the collection compares names without case and cannot tell which is meant; give the name "
                "exactly as the tenant spells it, or rename one in the tenant")
        if candidates:
            uid = exact[0] if len(candidates) > 1 else next(iter(candidates))
            if found.setdefault(name.lower(), uid) != uid:
                raise IdentityError(f"{name} and another spelling of it name two different users of the tenant: give one")
    return found


def keyed_by_name(rows: t.Iterable[dict[str, t.Any]], column: str = "Name") -> dict[str, dict[str, t.Any]]:
    """``rows`` by lower-case login name; IdentityError when two users share one (a tenant that folds only ASCII
    letters tells ``Élise`` from ``élise``; the collection cannot know which is meant)."""
    found: dict[str, dict[str, t.Any]] = {}
    for row in rows:
        name = str(row.get(column) or "").lower()
        if str(found.setdefault(name, row)["ID"]) != str(row["ID"]):
            raise IdentityError(
                f"the tenant holds two users whose login names differ only in the case of letters beyond ASCII ({name}): "
                "the collection compares names without case and cannot tell which is meant; rename one in the tenant")
    return found


def rows_by_id(client: IdentityClient, ids: t.Iterable[str]) -> dict[str, dict[str, t.Any]]:
    """``CDUser`` rows by ID (``WHERE ID='…'``, the SDKs' form)."""
    rows = _where.rows_matching(client, CDUSER_ALL, [_where.equal("ID", i) for i in sorted(set(ids))])
    return {str(row["ID"]): row for row in rows}


def rows_by_name(client: IdentityClient, names: t.Iterable[str]) -> dict[str, dict[str, t.Any]]:
    """``CDUser`` rows by lower-case login name: looked up by name first, then read by ID."""
    ids = ids_by_name(client, names)
    rows = rows_by_id(client, ids.values()) if ids else {}
    return {name: rows[uid] for name, uid in ids.items() if uid in rows}


def enabled_by_id(client: IdentityClient, ids: t.Iterable[str] | None = None,
                  keep: t.Callable[[str, str], bool] | None = None) -> dict[str, dict[str, t.Any]]:
    """``{id: {"name", "enabled"}}`` from ``CDUser`` (``Enabled`` column): every user, or only ``ids`` (in chunks); with
    ``keep(id, name)``, only the users it keeps, chosen as the pages come (memory follows them, not the tenant)."""
    select = "Select ID, Name, Enabled from CDUser"
    rows = client.query(select) if ids is None else _where.rows_matching(client, select, [_where.equal("ID", i) for i in sorted(set(ids))])
    return {str(row["ID"]): {"name": str(row.get("Name") or ""), "enabled": _redrock.truth(row.get("Enabled"), default=True)}
            for row in rows if keep is None or keep(str(row["ID"]), str(row.get("Name") or ""))}


def find_row(client: IdentityClient, name: str) -> dict[str, t.Any] | None:
    return rows_by_name(client, [name]).get(name.lower())


def search_rows(client: IdentityClient, text: str, page_size: int = _redrock.DEFAULT_PAGE_SIZE) -> list[dict[str, t.Any]]:
    """``CDUser`` rows whose login name, display name or email contains ``text`` (``LIKE``), sorted by login name."""
    pattern = _redrock.quote("%" + text.replace("%", "").replace("_", "") + "%")
    rows = _where.rows_matching(client, CDUSER_ALL, [f"{column} LIKE {pattern}" for column in ("Name", "DisplayName", "Mail")],
                                page_size=page_size, order="ORDER BY Name")
    return sorted(rows, key=lambda row: str(row.get("Name") or "").lower())


def all_rows(client: IdentityClient, page_size: int = _redrock.DEFAULT_PAGE_SIZE) -> list[dict[str, t.Any]]:
    """Every ``CDUser`` row, sorted by login name."""
    return [row for page in row_pages(client, page_size) for row in page]


def row_pages(client: IdentityClient, page_size: int = _redrock.DEFAULT_PAGE_SIZE) -> t.Iterator[list[dict[str, t.Any]]]:
    """Every ``CDUser`` row, sorted by login name, ``page_size`` at a time: no more than a few pages in memory at once."""
    page: list[dict[str, t.Any]] = []
    for row in client.query(CDUSER_ALL + " ORDER BY Name", page_size=page_size):
        page.append(row)
        if len(page) >= page_size:
            yield page
            page = []
    if page:
        yield page


def find_user(client: IdentityClient, name: str) -> dict[str, t.Any] | None:
    """The user with this login name (case-insensitive), in the Ansible shape, or None."""
    row = find_row(client, name)
    if row is None:
        return None
    details = get_details(client, str(row["ID"]))
    if details is None:
        return None
    return to_ansible(row, details)


def attribute_schema(client: IdentityClient) -> dict[str, str]:
    """``{name: type}`` of the tenant's additional user attributes (``ExtData/GetSchema``)."""
    result = client.call("/ExtData/GetSchema", {"Table": "users"}) or {}
    return {str(c["Name"]): str(c.get("Type") or "") for c in result.get("Columns") or [] if c.get("Name")}


def read_attributes(client: IdentityClient, user_id: str) -> dict[str, t.Any]:
    return dict(client.call("/ExtData/GetColumns", {"Table": "users", "ID": user_id}) or {})


def set_attributes(client: IdentityClient, user_id: str, values: dict[str, t.Any]) -> None:
    """``ExtData/SetColumns`` with the whole set (current values and the new ones), as CyberArk's SDK sends it.

    Values go typed by their column (the API collection: values must match the column definition); when the tenant
    refuses that, which sets nothing, every value as text, as idsec-sdk-golang sends them (docs/api_sources.md,
    reading ``ext_data_values``), and so on from then on."""
    if not values:
        return
    as_text = {k: v if isinstance(v, str) or v is None else _attributes.as_text(v) for k, v in values.items()}
    if client.readings.get("ext_data_values") == "text":
        values = as_text
    try:
        client.call("/ExtData/SetColumns", {"Table": "users", "ID": user_id, "Columns": values})
    except ApiError as exc:
        if as_text == values or not is_refusal(exc):
            raise
        try:
            client.call("/ExtData/SetColumns", {"Table": "users", "ID": user_id, "Columns": as_text})
        except ApiError:
            raise exc from None
        client.met_reading("ext_data_values", "text", "ExtData/SetColumns refused additional attribute values typed by "
                           "their column and took them as text (as idsec-sdk-golang sends them); they go as text from now on")


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


def cloud_locked(client: IdentityClient, user_id: str) -> bool:
    """``UserMgmt/IsUserCloudLocked?user=``: whether an administrator's cloud lock holds the user (its answer is a
    boolean ``Result``; released IdentityCommand, Bruno: docs/api_sources.md)."""
    return bool(_redrock.truth(client.call("/UserMgmt/IsUserCloudLocked", params={"user": user_id})))


def locked_out_by_policy(client: IdentityClient, user_id: str) -> bool:
    """``UserMgmt/IsUserLockedOutByPolicy?user=``: whether the tenant's lockout policy keeps the user from answering MFA
    challenges (identity-developer reference). No public endpoint clears it: it ends as the policy says."""
    return bool(_redrock.truth(client.call("/UserMgmt/IsUserLockedOutByPolicy", params={"user": user_id})))


def set_cloud_lock(client: IdentityClient, user_id: str, locked: bool) -> None:
    """``UserMgmt/SetCloudLock?user=&lockUser=``: apply or clear the cloud lock (query string, as every source sends it;
    the answer's ``Result`` is disputed, null or true, so callers read the lock back instead of trusting it)."""
    client.call("/UserMgmt/SetCloudLock", params={"user": user_id, "lockUser": "true" if locked else "false"})


def invite(client: IdentityClient, user_id: str, name: str, email: bool, sms: bool) -> None:
    """``UserMgmt/InviteUsers``: the user's invitation by email and/or text. The body's fields (``Entities`` of
    ``{Type, Guid, Name}``, ``EmailInvite``, ``SmsInvite``) are COMMUNITY (docs/api_sources.md); no source shows the
    answer, so only the envelope's success is read."""
    client.call("/UserMgmt/InviteUsers", {"Entities": [{"Type": "User", "Guid": user_id, "Name": name}],
                                          "EmailInvite": bool(email), "SmsInvite": bool(sms)}, idempotent=False)


def reset_password(client: IdentityClient, user_id: str, password: str) -> None:
    client.call("/UserMgmt/ResetUserPassword", {"ID": user_id, "newPassword": password})


def remove_many(client: IdentityClient, user_ids: list[str]) -> None:
    """``UserMgmt/RemoveUsers``: delete Cloud Directory users by ID in one call (the service refuses a list holding the
    caller). Repeating it is harmless: IDs already gone are skipped.

    The IDs go as a flat list (the contract, idsec-sdk-golang, the API collection); when the tenant refuses that, which
    deletes nothing, as ark-sdk-python 2.1 sends them: a list holding the list (docs/api_sources.md, reading
    ``remove_users_list``). Callers confirm the deletes by reading the users back."""
    if not user_ids:
        return
    flat, nested = {"Users": list(user_ids)}, {"Users": [list(user_ids)]}
    if client.readings.get("remove_users_list") == "nested":
        client.call("/UserMgmt/RemoveUsers", nested)
        return
    try:
        client.call("/UserMgmt/RemoveUsers", flat)
    except ApiError as exc:
        if not is_refusal(exc):
            raise
        try:
            client.call("/UserMgmt/RemoveUsers", nested)
        except ApiError:
            raise exc from None
        client.met_reading("remove_users_list", "nested", "UserMgmt/RemoveUsers refused a flat list of IDs and took a "
                           "list holding the list (as ark-sdk-python sends it); deletes go that way from now on")


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
    succeeded = _redrock.truth(inner.get("success"), default=True, unknown=None) if isinstance(inner, dict) else True
    if succeeded is None:
        raise IdentityError(f"SubmitUploadedFile answered a success flag the collection cannot read: the import job "
                            f"{return_id} may have started; check its Bulk Import Report before running the task again")
    if not succeeded:
        raise IdentityError(f"SubmitUploadedFile refused the job: {inner.get('Message')}", error_id=inner.get("ErrorID"))
    return str(return_id)
