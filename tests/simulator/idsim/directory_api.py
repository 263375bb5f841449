# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Cloud Directory users, roles and login suffixes (contract §4–6). Handlers take (sim, ctx) and return a Reply."""

from __future__ import annotations

import datetime
import re
import secrets

from . import ext_data, wire
from .passwords import StoredPassword
from .state import USER_FIELDS, now_ms
from .wire import Reply, fail, ok

CREATE_FIELDS = set(USER_FIELDS) | {"Password", "SendEmailInvite", "SendSmsInvite", "VerifyEmail", "CmaRedirectedUserUuid", "useAlternateMfaAccount"}
CHANGE_FIELDS = (set(USER_FIELDS) | {"ID", "SendEmailInvite", "SendSmsInvite"}) - {"InEverybodyRole"}
BOOL_FIELDS = {"ForcePasswordChangeNext", "PasswordNeverExpire", "InEverybodyRole", "InSysAdminRole", "ServiceUser", "OauthClient",
               "SendEmailInvite", "SendSmsInvite", "VerifyEmail"}
STATES = {"None", "Locked", "Disabled", "Expired"}
ROLE_FIELDS = {"Name", "Description", "RoleType", "OrgPath", "Users", "Roles", "Groups"}
MEMBER_FIELDS = {"Name", "Users", "Groups", "Roles"}


def _bool(value, default=None):
    """The API takes JSON booleans and the strings "true" / "false" alike (contract Q4)."""
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise ValueError(f"not a boolean: {value!r}")


_DATE_TIME_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")


def account_exp_error(sim, value) -> str | None:
    """AccountExp under the reading in force (readings.py: account_exp_form); None when accepted."""
    if value is None:
        return None
    text = str(value)
    if sim.faults["readings"]["account_exp_form"] == "date_time_z":
        return None if _DATE_TIME_Z.match(text) else f"AccountExp {text!r} is not a date and time (for example 2019-08-24T14:15:22Z)."
    for parse in (datetime.date.fromisoformat, datetime.datetime.fromisoformat):
        try:
            parse(text.replace("Z", "+00:00"))
            return None
        except ValueError:
            continue
    return f"AccountExp {text!r} is not a date."


def policy_error(tenant, password: str | None) -> str | None:
    policy = tenant.info.get("password_policy") or {}
    minimum = int(policy.get("min_length", 8))
    if password is None:
        return None
    if not (minimum <= len(password) <= 64 and re.search(r"\d", password) and re.search(r"[A-Z]", password) and re.search(r"[a-z]", password)):
        return (f"Password does not meet the password complexity requirements: at least {minimum} characters, "
                "one digit, one upper case and one lower case letter.")
    return None


def _suffix_ok(tenant, name: str) -> bool:
    suffix = name.rpartition("@")[2].lower()
    return any(s["name"].lower() == suffix for s in tenant.login_suffixes)


def create_user(sim, ctx):
    body = ctx.json(CREATE_FIELDS)
    tenant = ctx.tenant
    name = body.get("Name")
    if not isinstance(name, str) or "@" not in name:
        return fail("Name is required in the form login@suffix.")
    login = name.rpartition("@")[0]
    if not login or not all(ch.isalnum() or ch in "+-_." for ch in login):
        # "Add CyberArk Cloud Directory Users": UTF-8 letters and digits plus + - _ . only.
        return fail("The login name may contain only letters, digits and the symbols + - _ .")
    if not _suffix_ok(tenant, name):
        return fail(f"The login suffix {name.rpartition('@')[2]} does not exist.", message_id="_I18N_InvalidLoginSuffix")
    try:
        flags = {k: _bool(body.get(k)) for k in BOOL_FIELDS if k in body}
    except ValueError as exc:
        return fail(str(exc))
    send_email = flags.get("SendEmailInvite", True)
    if (send_email or flags.get("VerifyEmail")) and not body.get("Mail"):
        return fail("Mail is required to send an invitation.")
    if flags.get("SendSmsInvite") and not body.get("MobileNumber"):
        return fail("MobileNumber is required to send an SMS invitation.")
    error = policy_error(tenant, body.get("Password"))
    if error:
        return fail(error, message_id="_I18N_PasswordComplexity")
    with tenant.lock:
        if tenant.find_user(name):
            return fail(f"A user named {name} already exists.", message_id="_I18N_DuplicateUserName")
        fields = {k: body.get(k) for k in USER_FIELDS if k in body}
        fields.update({k: v for k, v in flags.items() if k in USER_FIELDS})
        fields.setdefault("ForcePasswordChangeNext", True)
        fields.setdefault("PasswordNeverExpire", False)
        fields["Password"] = body.get("Password") or secrets.token_urlsafe(16) + "aA1"
        user = tenant.add_user(fields)
        if send_email:
            tenant.outbox.append({"kind": "email_invite", "to": user["Mail"], "user": user["Name"]})
        if flags.get("SendSmsInvite"):
            tenant.outbox.append({"kind": "sms_invite", "to": user["MobileNumber"], "user": user["Name"]})
    return ok(user["Uuid"])


def _user(ctx, key) -> dict | None:
    tenant = ctx.tenant
    if not key:
        return None
    return tenant.users.get(str(key)) or tenant.find_user(str(key))


def change_user(sim, ctx):
    body = ctx.json(CHANGE_FIELDS)
    tenant = ctx.tenant
    user = _user(ctx, body.get("ID"))
    if user is None:
        return fail("User not found.", message_id="_I18N_UserNotFound")
    problem = account_exp_error(sim, body.get("AccountExp"))
    if problem:
        return fail(problem)
    if "InEverybodyRole" in body:
        ctx.note_unknown(["InEverybodyRole"])
    try:
        flags = {k: _bool(body[k]) for k in BOOL_FIELDS if k in body}
    except ValueError as exc:
        return fail(str(exc))
    with tenant.lock:
        if "Name" in body and body["Name"] and ctx.tenant.fold(body["Name"]) != ctx.tenant.fold(user["Name"]):
            if tenant.find_user(body["Name"]) or not _suffix_ok(tenant, body["Name"]):
                return fail("The new name is taken or its suffix does not exist.")
        if body.get("Name") and body["Name"] != user["Name"]:
            tenant.rename_user(user["Uuid"], body["Name"])
        for key in USER_FIELDS:
            if key in body and key not in ("InEverybodyRole", "Name"):
                user[key] = flags.get(key, body[key])
        if user.get("OauthClient"):
            user["ServiceUser"] = True
        if user.get("ServiceUser"):
            user["InEverybodyRole"] = False  # ServiceUser overrides InEverybodyRole (contract Q5)
        user["LastModifiedDate"] = now_ms()
        user["Version"] += 1
        tenant.version += 1
    return ok(None)


def set_user_state(sim, ctx):
    body = ctx.json({"ID", "state"})
    user = _user(ctx, body.get("ID"))
    if user is None:
        return fail("User not found.", message_id="_I18N_UserNotFound")
    states = [s.strip() for s in str(body.get("state") or "").split(",")]
    if not all(s in STATES for s in states):
        return fail(f"Invalid state {body.get('state')!r}.")
    with ctx.tenant.lock:
        user["State"] = ",".join(states)
        user["Enabled"] = "Disabled" not in states
        ctx.tenant.version += 1
    return ok(None)


def reset_password(sim, ctx):
    body = ctx.json({"ID", "newPassword"})
    user = _user(ctx, body.get("ID"))
    if user is None:
        return fail("User not found.", message_id="_I18N_UserNotFound")
    error = policy_error(ctx.tenant, body.get("newPassword"))
    if error or not body.get("newPassword"):
        return fail(error or "newPassword is required.", message_id="_I18N_PasswordComplexity")
    with ctx.tenant.lock:
        user["password"] = StoredPassword(clear=body["newPassword"])
        user["PasswordChanges"] = user.get("PasswordChanges", 0) + 1
        ctx.tenant.version += 1
    return ok(None)


def _query_args(ctx, known: set[str]) -> dict:
    """Query-string arguments by lower-case name: the service binds them whatever their case (IdentityCommand sends
    ``lockuser``, the contract and Bruno ``lockUser``); any other name is recorded as unknown, and so is any body field."""
    ctx.note_unknown([k for k in ctx.query if k.lower() not in known], prefix="?")
    ctx.json(set(), known_query=set(ctx.query))
    return {k.lower(): v for k, v in ctx.query.items()}


def _queried_user(ctx, args: dict, empty_is_caller: bool = False) -> dict | None:
    """``user``: an ID or a login name; an empty one is the caller where a source says so (identity-developer's
    IsUserLockedOutByPolicy reference), else no user."""
    key = args.get("user")
    return _user(ctx, ctx.claims.get("sub") if key == "" and empty_is_caller else key)


def set_cloud_lock(sim, ctx):
    """``UserMgmt/SetCloudLock?user=&lockUser=``: applies or clears the cloud lock (the user's sessions end); the
    answer's ``Result`` is null (Bruno's example; a community script expects true: clients read the lock back)."""
    args = _query_args(ctx, {"user", "lockuser"})
    user = _queried_user(ctx, args)
    if user is None:
        return fail("User not found.", message_id="_I18N_UserNotFound")
    word = str(args.get("lockuser") or "").strip().lower()
    if word not in ("true", "false"):
        return fail("lockUser must be true or false.")
    with ctx.tenant.lock:
        user["CloudLocked"] = word == "true"
        ctx.tenant.version += 1
    return ok(None)


def is_user_cloud_locked(sim, ctx):
    user = _queried_user(ctx, _query_args(ctx, {"user"}))
    if user is None:
        return fail("User not found.", message_id="_I18N_UserNotFound")
    return ok(bool(user["CloudLocked"]))


def is_user_locked_out_by_policy(sim, ctx):
    """True when the user cannot answer MFA challenges under the tenant's lockout policy (identity-developer)."""
    user = _queried_user(ctx, _query_args(ctx, {"user"}), empty_is_caller=True)
    if user is None:
        return fail("User not found.", message_id="_I18N_UserNotFound")
    return ok(bool(user.get("LockedOutByPolicy")))


def invite_users(sim, ctx):
    """``UserMgmt/InviteUsers``: invitations to existing users by email and/or text, kept in the tenant's outbox. The
    body's fields are the community sources' (Delinea's reference of the shared code, PAS scripts, IdentityCommand);
    no source shows the answer: the simulator answers an empty success."""
    body = ctx.json({"Entities", "EmailInvite", "SmsInvite", "GroupInvite", "Role"})
    entities = body.get("Entities")
    if not isinstance(entities, list) or not entities:
        return fail("Entities is required.")
    users = []
    for entity in entities:
        if not isinstance(entity, dict) or str(entity.get("Type") or "").lower() != "user":
            return fail("Only users are invited here.")
        ctx.note_unknown(set(entity) - {"Type", "Guid", "Name"}, prefix="Entities[].")
        user = _user(ctx, entity.get("Guid"))
        if user is None:
            return fail("User not found.", message_id="_I18N_UserNotFound")
        users.append(user)
    with ctx.tenant.lock:
        for user in users:
            if body.get("EmailInvite") is True and user.get("Mail"):
                ctx.tenant.outbox.append({"kind": "email_invite", "to": user["Mail"], "user": user["Name"]})
            if body.get("SmsInvite") is True and user.get("MobileNumber"):
                ctx.tenant.outbox.append({"kind": "sms_invite", "to": user["MobileNumber"], "user": user["Name"]})
        ctx.tenant.version += 1
    return ok(None)


def _remove(ctx, user: dict) -> None:
    ctx.tenant.remove_user(user["Uuid"])


def delete_user(sim, ctx):
    body = ctx.json({"ID"})
    user = _user(ctx, body.get("ID"))
    if user is None:
        return fail("User not found.", message_id="_I18N_UserNotFound")
    if user["Uuid"] == ctx.claims.get("sub"):
        return fail("You cannot delete yourself.")
    _remove(ctx, user)
    return ok(None)


def remove_users(sim, ctx):
    body = ctx.json({"Users"})
    ids = body.get("Users") or []
    reading = sim.faults["readings"]["remove_users_list"]
    nested = isinstance(ids, list) and len(ids) == 1 and isinstance(ids[0], list)
    if nested and reading != "flat":
        # ark-sdk-python 2.1's delete_users nests the list ({"Users": [[...]]}); idsec-sdk-golang and the contract send it
        # flat. Taken both ways by default (readings.py: remove_users_list): when an SDK and the simulator disagree, the
        # simulator gives way (docs/simulator.md).
        ids = ids[0]
    elif not nested and ids and reading == "nested":
        return fail("Users must be a list holding the list of user IDs.")
    if not isinstance(ids, list) or any(not isinstance(i, str) for i in ids):
        return fail("Users must be a flat list of user IDs.")
    if ctx.claims.get("sub") in ids:
        return fail("The list contains the calling user.")
    for key in ids:
        user = _user(ctx, key)
        if user is not None:
            _remove(ctx, user)
    return ok(None)


def rights_rows(role: dict) -> list[dict]:
    """A role's administrative rights as its rows carry them (idsec-sdk-golang RoleAdminRight: Path, ServiceName); the
    ServiceName a real tenant gives is shown by no source, so it is null here and no client may rely on it."""
    return [{"Path": path, "ServiceName": None} for path in role.get("Rights") or []]


def _role_row(role: dict) -> dict:
    return {"ID": role["ID"], "Name": role["Name"], "Description": role["Description"], "AdministrativeRights": rights_rows(role),
            "RoleType": "PrincipalList", "Role": role["ID"], "RoleName": role["Name"]}


def user_roles(sim, ctx):
    ctx.json({"ID", "Args"}, known_query={"ID"})
    user = _user(ctx, ctx.query.get("ID"))
    if user is None:
        return fail("User not found.", message_id="_I18N_UserNotFound")
    with ctx.tenant.lock:
        rows = [_role_row(r) for r in ctx.tenant.roles.values() if user["Uuid"] in r["Members"]]
    return ok(wire.table(rows, entity_type="Role"))


def _role(ctx, key) -> dict | None:
    return ctx.tenant.roles.get(str(key)) if key else None


def store_role(sim, ctx):
    body = ctx.json(ROLE_FIELDS)
    name = body.get("Name")
    if not isinstance(name, str) or not name.strip():
        return fail("Name is required.")
    tenant = ctx.tenant
    with tenant.lock:
        if any(r["Name"] == name for r in tenant.roles.values()):
            return fail(f"A role named {name} already exists.", message_id="_I18N_DuplicateRoleName")
        role = tenant.add_role({"Name": name, "Description": body.get("Description")})
    return ok({"_RowKey": role["ID"]})


def update_role(sim, ctx):
    body = ctx.json({"Name", "NewName", "Description", "Users", "Roles", "Groups"})
    role = _role(ctx, body.get("Name"))
    if role is None:
        return fail("Role not found.", message_id="_I18N_RoleNotFound")
    with ctx.tenant.lock:
        if body.get("NewName"):
            role["Name"] = body["NewName"]
        if "Description" in body:
            role["Description"] = body["Description"]
        users = body.get("Users") or {}
        for key in users.get("Add") or []:
            user = _user(ctx, key)
            if user is None:
                return fail(f"User {key} not found.", message_id="_I18N_UserNotFound")
            if user["Uuid"] not in role["Members"]:
                role["Members"].append(user["Uuid"])
        for key in users.get("Delete") or []:
            user = _user(ctx, key)
            if user is not None and user["Uuid"] in role["Members"]:
                role["Members"].remove(user["Uuid"])
        ctx.tenant.version += 1
    return ok(None)


def role_members(sim, ctx):
    body = ctx.json({"Name", "Args"})
    role = _role(ctx, body.get("Name"))
    if role is None:
        return fail("Role not found.", message_id="_I18N_RoleNotFound")
    tenant = ctx.tenant
    kinds = {"title": ("User", "Group", "Role"), "lower": ("user", "group", "role")}[sim.faults["readings"]["member_type_case"]]
    with tenant.lock:
        groups = {g["Guid"]: g for g in tenant.info.get("groups") or []}
        rows = [{"Guid": uid, "Name": tenant.users[uid]["Name"], "Type": kinds[0]} for uid in role["Members"] if uid in tenant.users]
        rows += [{"Guid": gid, "Name": groups[gid]["Name"], "Type": kinds[1]} for gid in role["Groups"] if gid in groups]
        rows += [{"Guid": rid, "Name": tenant.roles[rid]["Name"], "Type": kinds[2]} for rid in role["RoleMembers"] if rid in tenant.roles]
    return ok(wire.table(rows, entity_type="User", key="Guid"))


def _members_named(ctx, role: dict, body: dict) -> tuple[dict[str, list[str]], Reply | None]:
    """The IDs the body's Users, Groups and Roles name, by the role's member list each goes to; or the failure.

    Users by login name or ID (the contract); groups and roles by name, as both SDKs send them (ark-sdk-python
    add_group_to_role / add_role_to_role, idsec-sdk-golang AddMember). The service's wording for an unknown group or
    role is shown by no source (docs/api_sources.md)."""
    tenant = ctx.tenant
    found: dict[str, list[str]] = {"Members": [], "Groups": [], "RoleMembers": []}
    for field in ("Users", "Groups", "Roles"):
        if not isinstance(body.get(field) or [], list):
            return found, fail(f"{field} must be a list of names.")
    for key in body.get("Users") or []:
        user = _user(ctx, key)
        if user is None:
            return found, fail(f"User {key} not found.", message_id="_I18N_UserNotFound")
        found["Members"].append(user["Uuid"])
    for name in body.get("Groups") or []:
        group = tenant.find_group(str(name))
        if group is None:
            return found, fail(f"Group {name} not found.")
        found["Groups"].append(group["Guid"])
    for name in body.get("Roles") or []:
        member = next((r for r in tenant.roles.values() if r["Name"] == name), None)
        if member is None:
            return found, fail(f"Role {name} not found.", message_id="_I18N_RoleNotFound")
        if member["ID"] == role["ID"]:
            return found, fail("A role cannot be a member of itself.")
        found["RoleMembers"].append(member["ID"])
    return found, None


def _change_members(sim, ctx, add: bool):
    body = ctx.json(MEMBER_FIELDS)
    role = _role(ctx, body.get("Name"))
    if role is None:
        return fail("Role not found.", message_id="_I18N_RoleNotFound")
    if sim.faults["readings"]["member_lists"] == "one_per_call" and sum(bool(body.get(f)) for f in ("Users", "Groups", "Roles")) > 1:
        return fail("Only one of Users, Groups and Roles may be given.")
    with ctx.tenant.lock:
        found, failure = _members_named(ctx, role, body)
        if failure is not None:
            return failure
        for kind, ids in found.items():
            for key in ids:
                if add and key not in role[kind]:
                    role[kind].append(key)
                elif not add and key in role[kind]:
                    role[kind].remove(key)
        ctx.tenant.version += 1
    return ok(None)


def add_to_role(sim, ctx):
    return _change_members(sim, ctx, add=True)


def remove_from_role(sim, ctx):
    return _change_members(sim, ctx, add=False)


def _change_rights(sim, ctx, assign: bool):
    """``SaasManage/AssignSuperRights`` / ``UnAssignSuperRights``: a bare JSON array of ``{"Role": <role ID>, "Path":
    <right path>}`` (ark-sdk-python add_admin_rights_to_role, idsec-sdk-golang AddAdminRights / RemoveAdminRights).
    The whole array is checked before any right moves; the service's wording for an unknown role or path is shown by
    no source."""
    body = ctx.json(set())
    entries = body.get("_list")
    if not isinstance(entries, list) or not entries:
        return fail("A list of role rights is required.")
    tenant = ctx.tenant
    changes = []
    with tenant.lock:
        for entry in entries:
            if not isinstance(entry, dict):
                return fail("Each entry must hold Role and Path.")
            ctx.note_unknown(set(entry) - {"Role", "Path"})
            role = _role(ctx, entry.get("Role"))  # the role's ID: IdentityCommand notes a name is refused
            if role is None:
                return fail("Role not found.", message_id="_I18N_RoleNotFound")
            if tenant.right(str(entry.get("Path"))) is None:
                return fail(f"Unknown administrative right {entry.get('Path')}.")
            changes.append((role, entry["Path"]))
        for role, path in changes:
            if assign and path not in role["Rights"]:
                role["Rights"].append(path)
            elif not assign and path in role["Rights"]:
                role["Rights"].remove(path)
        tenant.version += 1
    return ok(None)


def assign_rights(sim, ctx):
    return _change_rights(sim, ctx, assign=True)


def unassign_rights(sim, ctx):
    return _change_rights(sim, ctx, assign=False)


def delete_role(sim, ctx):
    body = ctx.json({"Name"})
    role = _role(ctx, body.get("Name"))
    if role is None:
        return fail("Role not found.", message_id="_I18N_RoleNotFound")
    ctx.tenant.remove_role(role["ID"])
    return ok(None)


def store_alias(sim, ctx):
    fields = {"alias", "cdsAlias", "domain", "jsutil-radio2", "oldName"}
    body = ctx.json(fields, known_query=fields)
    where = sim.faults["readings"]["store_alias_args"]  # readings.py: the body, the query string or either
    args = {"either": dict(ctx.query, **body), "body": body, "query": dict(ctx.query)}[where]
    alias = str(args.get("alias") or "").strip().lower()
    if not alias or not re.match(r"^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$", alias):
        return fail("alias must be a domain-like name.")
    try:
        cds = _bool(args.get("cdsAlias"), default=True)
    except ValueError as exc:
        return fail(str(exc))
    if isinstance(args.get("cdsAlias"), bool):
        return fail("cdsAlias must be the string \"true\" or \"false\".")  # contract §6: the string form in a JSON body
    tenant = ctx.tenant
    with tenant.lock:
        if any(s["name"].lower() == alias for s in tenant.login_suffixes):
            return ok({"State": 1})
        tenant.login_suffixes.append({"name": alias, "cds": cds, "domain": args.get("domain") or alias})
        tenant.version += 1
    return ok({"State": 0})


def delete_aliases(sim, ctx):
    body = ctx.json({"Suffixes"})
    names = body.get("_list") if "_list" in body else body.get("Suffixes")
    if not isinstance(names, list):
        return fail("A list of suffixes is required.")
    tenant = ctx.tenant
    wanted = {str(n).lower() for n in names}
    with tenant.lock:
        in_use = [n for n in wanted if any((u["Name"] or "").lower().endswith("@" + n) for u in tenant.users.values())]
        if in_use:
            return fail(f"The login suffix {sorted(in_use)[0]} is in use by users.")
        tenant.login_suffixes = [s for s in tenant.login_suffixes if s["name"].lower() not in wanted]
        tenant.version += 1
    return ok({"State": int(sim.faults["readings"]["delete_aliases_state"])})


ROUTES = {
    "/cdirectoryservice/createuser": ("write", True, create_user),
    "/cdirectoryservice/changeuser": ("write", True, change_user),
    "/cdirectoryservice/setuserstate": ("write", True, set_user_state),
    "/cdirectoryservice/deleteuser": ("write", True, delete_user),
    "/usermgmt/removeusers": ("write", True, remove_users),
    "/usermgmt/resetuserpassword": ("write", True, reset_password),
    "/usermgmt/setcloudlock": ("write", True, set_cloud_lock),
    "/usermgmt/inviteusers": ("write", True, invite_users),
    "/usermgmt/isusercloudlocked": ("read", True, is_user_cloud_locked),
    "/usermgmt/isuserlockedoutbypolicy": ("read", True, is_user_locked_out_by_policy),
    "/usermgmt/getusersrolesandadministrativerights": ("read", True, user_roles),
    "/roles/storerole": ("write", True, store_role),
    "/roles/updaterole": ("write", True, update_role),
    "/roles/getrolemembers": ("read", True, role_members),
    "/saasmanage/addusersandgroupstorole": ("write", True, add_to_role),
    "/saasmanage/removeusersandgroupsfromrole": ("write", True, remove_from_role),
    "/saasmanage/deleterole": ("write", True, delete_role),
    "/saasmanage/assignsuperrights": ("write", True, assign_rights),
    "/saasmanage/unassignsuperrights": ("write", True, unassign_rights),
    "/core/storealias": ("write", True, store_alias),
    "/core/deletealiases": ("write", True, delete_aliases),
}


def get_schema(sim, ctx):
    """``ExtData/GetSchema``: the tenant's additional user attributes."""
    body = ctx.json({"Table"})
    if body.get("Table") != "users":
        return fail("Only the users table has additional attributes.")
    columns = [{"Name": c["Name"], "Title": c.get("Title") or c["Name"], "Type": c.get("Type", "Text"),
                "Description": c.get("Description"), "UserEditable": bool(c.get("UserEditable"))}
               for c in ctx.tenant.info.get("additional_attributes", [])]
    return ok({"Columns": columns})


def get_columns(sim, ctx):
    body = ctx.json({"Table", "ID"})
    user = _user(ctx, body.get("ID"))
    if user is None or body.get("Table") != "users":
        return fail("User not found.", message_id="_I18N_UserNotFound")
    held = dict(user.get("ExtData") or {})
    if sim.faults["readings"]["ext_data_values"] != "typed":
        held = {k: ext_data.stored(ctx.tenant, k, v, "strings") for k, v in held.items()}
    return ok(held)


def set_columns(sim, ctx):
    body = ctx.json({"Table", "ID", "Columns"})
    user = _user(ctx, body.get("ID"))
    if user is None or body.get("Table") != "users":
        return fail("User not found.", message_id="_I18N_UserNotFound")
    known = {c["Name"] for c in ctx.tenant.info.get("additional_attributes", [])}
    columns = body.get("Columns") or {}
    unknown = sorted(set(columns) - known)
    if unknown:
        return fail(f"Unknown attribute {unknown[0]}; define it under Settings > Customization > Additional Attributes.")
    reading = sim.faults["readings"]["ext_data_values"]
    try:
        columns = {k: ext_data.stored(ctx.tenant, k, v, reading) for k, v in columns.items()}
    except ValueError as exc:
        return fail(str(exc))
    with ctx.tenant.lock:
        user.setdefault("ExtData", {}).update(columns)
        ctx.tenant.version += 1
    return ok(None)


ROUTES.update({
    "/extdata/getschema": ("read", True, get_schema),
    "/extdata/getcolumns": ("read", True, get_columns),
    "/extdata/setcolumns": ("write", True, set_columns),
})
