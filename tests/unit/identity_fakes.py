# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fakes at the transport seam (shared by the unit tests): a session that answers from a route table and records every request."""

from __future__ import annotations

import json
import os
import threading
import typing as t

from ansible_collections.cyberark_community.identity.plugins.module_utils.client._http import Cookies


class FakeResponse:
    def __init__(self, status: int = 200, body: t.Any = None, headers: dict | None = None, text: str | None = None) -> None:
        self.status_code = status
        self._body = body
        self.headers = headers or {}
        self.text = text if text is not None else ("" if body is None else json.dumps(body))
        self.content = self.text.encode()

    def json(self) -> t.Any:
        if self._body is None:
            raise ValueError("no JSON")
        return self._body


def envelope(result: t.Any = None, success: bool = True, **extra: t.Any) -> dict:
    body = {"success": success, "Result": result, "Message": None, "ErrorID": None, "ErrorCode": None, "MessageID": None}
    body.update(extra)
    return body


class FakeSession:
    """``answers[(host, path)]`` or ``answers[path]``: a response, an exception, or a list consumed in order."""

    def __init__(self, answers: dict) -> None:
        self.answers = answers
        self.calls: list[dict] = []
        self.headers: dict = {}
        self.cookies = Cookies()
        self.closed = False

    def request(self, method: str, url: str, **kwargs: t.Any) -> FakeResponse:
        host_path = url.split("://", 1)[1]
        host, _sep, path = host_path.partition("/")
        path = "/" + path
        self.calls.append({"method": method, "url": url, "host": host, "path": path, **kwargs})
        answer = self.answers.get((host, path), self.answers.get(path))
        if answer is None:
            return FakeResponse(404, None, text="")
        if isinstance(answer, list):
            answer = answer.pop(0) if len(answer) > 1 else answer[0]
        if callable(answer) and not isinstance(answer, FakeResponse):
            answer = answer(method, url, kwargs)
        if isinstance(answer, BaseException):
            raise answer
        return answer

    def mount(self, *_: t.Any) -> None:
        pass

    def close(self) -> None:
        self.closed = True

    def paths(self) -> list[str]:
        return [c["path"] for c in self.calls]


def run_module(main: t.Callable[[], None], args: dict, capsys: t.Any) -> dict:
    """Run a module's ``main()`` with ``args`` and return the JSON it printed (exit or fail)."""
    import pytest  # pylint: disable=import-outside-toplevel

    try:
        from ansible.module_utils.testing import patch_module_args  # pylint: disable=import-outside-toplevel
        context = patch_module_args(args)
    except ImportError:  # ansible-core < 2.19
        from unittest import mock  # pylint: disable=import-outside-toplevel

        from ansible.module_utils import basic  # pylint: disable=import-outside-toplevel
        context = mock.patch.object(basic, "_ANSIBLE_ARGS", json.dumps({"ANSIBLE_MODULE_ARGS": args}).encode())
    with context, pytest.raises(SystemExit):
        main()
    return json.loads(capsys.readouterr().out)


# A module's connection: a given token (no login request), no retry (no sleep)
CONNECTION = {"tenant_url": "abc.my.idaptive.app", "access_token": "tok-en-value", "retries": 0}
HTTP_SESSION_REQUEST = "ansible_collections.cyberark_community.identity.plugins.module_utils.client._http.HttpSession.request"


def serve(monkeypatch: t.Any, answers: dict) -> FakeSession:
    """Answer every request of this test's HTTP sessions from a FakeSession over ``answers`` (returned, with the calls it
    records): a module or lookup runs whole, from its options through the client and transport to the wire. The
    ``CYBERARK_IDENTITY_*`` environment is cleared for the test."""
    for name in list(os.environ):
        if name.startswith("CYBERARK_IDENTITY_"):
            monkeypatch.delenv(name)
    session = FakeSession(answers)
    monkeypatch.setattr(HTTP_SESSION_REQUEST, lambda _self, method, url, **kwargs: session.request(method, url, **kwargs))
    return session


def success(result: t.Any = None) -> FakeResponse:
    """A successful envelope holding ``result``."""
    return FakeResponse(200, envelope(result))


def refused(message: str, message_id: str | None = None) -> FakeResponse:
    """A business error as the tenant answers it: HTTP 200, ``success: false``."""
    return FakeResponse(200, envelope(None, success=False, Message=message, MessageID=message_id))


def table(rows: list[dict], entity_type: str = "Row", key: str | None = "ID") -> dict:
    """A table-shaped ``Result`` as the simulator answers it (``wire.table``): ``Results[{Entities, Row}]``, counts."""
    results = [{"Entities": [{"Type": entity_type, "Key": row.get(key), "IsForeignKey": False}] if key else [], "Row": row}
               for row in rows]
    return {"IsAggregate": False, "Count": len(rows), "Columns": [], "FullCount": len(rows), "Results": results, "ReturnID": ""}


# The simulator's Redrock tables and the columns it compares without case (tests/simulator/idsim/redrock.py)
REDROCK_COLUMNS = {
    "User": ("ID", "Username", "DisplayName", "Email", "MobileNumber", "LastLogin", "LastInvite", "StatusEnum", "Status", "SourceDs",
             "SourceDsLocalized", "SourceDsType", "DirectoryServiceUuid"),
    "CDUser": ("ID", "Name", "DisplayName", "Mail", "Description", "OfficeNumber", "MobileNumber", "HomeNumber", "ReportsTo", "PictureUri",
               "Enabled", "Locked", "LockedByAdmin", "InEverybodyRole"),
    "Role": ("ID", "Name", "Description", "RoleType"),
}
NOCASE_COLUMNS = {("User", "Username"), ("User", "Email")}


def redrock(tables: dict[str, list[dict]]) -> t.Callable[[str, str, dict], FakeResponse]:
    """An answer for ``/Redrock/query`` over in-memory tables (``{"Role": [rows], "CDUser": [...], "User": [...]}``, with
    the simulator's columns, a row's missing cells null): the script runs in SQLite like the simulator's, paged by
    ``args.PageNumber`` / ``PageSize``, ``FullCount`` the uncut count. A boolean cell comes back a boolean. Reads
    ``tables`` at each call, so a test may change them."""
    import sqlite3  # pylint: disable=import-outside-toplevel

    def answer(_method: str, _url: str, kwargs: dict) -> FakeResponse:
        body = kwargs["json"]
        args = body.get("args") or {}
        database = sqlite3.connect(":memory:")
        booleans = set()
        try:
            for name, rows in tables.items():
                columns = list(dict.fromkeys([*REDROCK_COLUMNS.get(name, ()), *(column for row in rows for column in row)]))
                database.execute(f"CREATE TABLE {name} (" + ", ".join(
                    f"{column}" + (" COLLATE NOCASE" if (name, column) in NOCASE_COLUMNS else "") for column in columns) + ")")
                for row in rows:
                    booleans.update(column for column, value in row.items() if isinstance(value, bool))
                    database.execute(f"INSERT INTO {name} VALUES ({', '.join('?' * len(columns))})", [row.get(c) for c in columns])
            script = body["Script"]
            full_count = database.execute(f"SELECT COUNT(*) FROM ({script})").fetchone()[0]
            size = int(args.get("PageSize") or 0) or full_count or 1
            cursor = database.execute(f"SELECT * FROM ({script}) LIMIT ? OFFSET ?", (size, (int(args.get("PageNumber") or 1) - 1) * size))
            names = [d[0] for d in cursor.description]
            rows = [{n: bool(v) if n in booleans and v is not None else v for n, v in zip(names, values)} for values in cursor]
        except sqlite3.Error as exc:
            return refused(f"Query failed: {exc}")
        finally:
            database.close()
        result = table(rows)
        result["FullCount"] = full_count
        return FakeResponse(200, envelope(result))
    return answer


def directory(users: list[dict], roles: list[dict] = ()) -> dict:
    """Route answers for a tenant's users and roles, in the simulator's shapes: ``users`` hold their ``CDUser`` columns
    (``ID``, ``Name``, ...) and ``State``, ``OauthClient`` (for ``CDirectoryService/GetUser``) and ``roles`` (role IDs);
    ``roles`` hold ``ID``, ``Name``, ``Description``."""
    by_id = {str(u["ID"]): u for u in users}
    cduser = [{k: v for k, v in u.items() if k in REDROCK_COLUMNS["CDUser"]} for u in users]
    tables = {"User": [{"ID": u["ID"], "Username": u["Name"]} for u in users], "CDUser": cduser, "Role": [dict(r) for r in roles]}

    def get_user(_method: str, _url: str, kwargs: dict) -> FakeResponse:
        user = by_id.get(str(kwargs["json"]["ID"]))
        if user is None:
            return refused("User not found.", "_I18N_UserNotFound")
        return success({"Uuid": user["ID"], "Name": user["Name"], "State": user.get("State", "None"),
                        "OauthClient": bool(user.get("OauthClient")), "InEverybodyRole": user.get("InEverybodyRole", True)})

    def user_roles(_method: str, _url: str, kwargs: dict) -> FakeResponse:
        held = by_id[kwargs["params"]["ID"]].get("roles") or []
        return success(table([{"ID": r["ID"], "Name": r["Name"], "Description": r.get("Description"), "AdministrativeRights": [],
                               "RoleType": "PrincipalList", "Role": r["ID"], "RoleName": r["Name"]} for r in roles if r["ID"] in held],
                             entity_type="Role"))

    def role_members(_method: str, _url: str, kwargs: dict) -> FakeResponse:
        role_id = kwargs["json"]["Name"]
        return success(table([{"Guid": u["ID"], "Name": u["Name"], "Type": "User"} for u in users if role_id in (u.get("roles") or [])],
                             entity_type="User", key="Guid"))

    return {"/Redrock/query": redrock(tables), "/CDirectoryService/GetUser": get_user,
            "/UserMgmt/GetUsersRolesAndAdministrativeRights": user_roles, "/Roles/GetRoleMembers": role_members}


# The CreateUser / ChangeUser fields the simulator keeps in the CDUser table, and those it keeps but no read shows
CDUSER_FIELDS = ("Name", "Mail", "DisplayName", "Description", "OfficeNumber", "MobileNumber", "HomeNumber", "ReportsTo", "InEverybodyRole")
WRITE_ONLY_USER_FIELDS = ("Password", "ForcePasswordChangeNext", "PasswordNeverExpire", "AccountExp", "ServiceUser", "OauthClient")


class Tenant:
    """A tenant the writes change, answering as the simulator does (tests/simulator/idsim/directory_api.py,
    identity_api.py, import_api.py): Cloud Directory users, roles, login suffixes and additional attributes.

    ``users`` hold their CDUser columns (``ID``, ``Name``, ``Mail``, ...) and optionally ``State``, ``ExtData``;
    ``roles`` hold ``ID``, ``Name`` and ``members`` (user IDs); ``attributes`` is ``{name: type}``. ``answers()`` gives
    the routes for :func:`serve`; a test may replace one of them to lose or refuse a write."""

    def __init__(self, users: t.Iterable[dict] = (), roles: t.Iterable[dict] = (), suffixes: t.Iterable[str] = ("acme.com",),
                 attributes: dict[str, str] | None = None) -> None:
        self.users: dict[str, dict] = {}
        for user in users:
            self.users[str(user["ID"])] = dict(user)
        self.roles = {str(r["ID"]): dict(r, members=list(r.get("members") or [])) for r in roles}
        self.suffixes = list(suffixes)
        self.attributes = dict(attributes or {})
        self.invited: list[tuple[str, bool, bool]] = []  # (user ID, by email, by text) of each InviteUsers
        self.uploads: dict[str, bytes] = {}
        self.jobs: list[dict] = []
        self.created = 0
        self.tables: dict[str, list[dict]] = {"User": [], "CDUser": [], "Role": []}
        self._query = redrock(self.tables)
        self.lock = threading.RLock()  # the module's workers answer from several threads

    # -- state ------------------------------------------------------------
    def find(self, key: t.Any) -> dict | None:
        """A user by ID or login name (case-insensitive), as the simulator's ``_user``."""
        key = str(key or "")
        return self.users.get(key) or next((u for u in self.users.values() if str(u["Name"]).lower() == key.lower()), None)

    def user(self, name: str) -> dict:
        found = self.find(name)
        assert found is not None, f"no user {name}"
        return found

    def role_names(self, name: str) -> list[str]:
        uid = self.user(name)["ID"]
        return sorted(r["Name"] for r in self.roles.values() if uid in r["members"])

    def _sync(self) -> None:
        self.tables["User"][:] = [{"ID": u["ID"], "Username": u["Name"]} for u in self.users.values()]
        self.tables["CDUser"][:] = [dict({k: v for k, v in u.items() if k in REDROCK_COLUMNS["CDUser"]},
                                         Enabled="Disabled" not in str(u.get("State") or "None")) for u in self.users.values()]
        self.tables["Role"][:] = [{"ID": r["ID"], "Name": r["Name"], "Description": r.get("Description")} for r in self.roles.values()]

    # -- routes -----------------------------------------------------------
    def query(self, method: str, url: str, kwargs: dict) -> FakeResponse:
        with self.lock:
            self._sync()
            return self._query(method, url, kwargs)

    def get_user(self, _method: str, _url: str, kwargs: dict) -> FakeResponse:
        user = self.users.get(str(kwargs["json"]["ID"]))
        if user is None:
            return refused("User not found.", "_I18N_UserNotFound")
        return success({"Uuid": user["ID"], "Name": user["Name"], "State": user.get("State", "None"),
                        "OauthClient": bool(user.get("OauthClient")), "InEverybodyRole": user.get("InEverybodyRole", True)})

    def add_user(self, body: dict) -> dict:
        with self.lock:
            self.created += 1
            uid = f"new-{self.created}"
            user = {k: body[k] for k in CDUSER_FIELDS + WRITE_ONLY_USER_FIELDS if k in body}
            user.update(ID=uid, State="None")
            self.users[uid] = user
            return user

    def create_user(self, _method: str, _url: str, kwargs: dict) -> FakeResponse:
        body = kwargs["json"]
        name = str(body.get("Name") or "")
        if name.rpartition("@")[2].lower() not in {s.lower() for s in self.suffixes}:
            return refused(f"The login suffix {name.rpartition('@')[2]} does not exist.", "_I18N_InvalidLoginSuffix")
        with self.lock:
            if self.find(name):
                return refused(f"A user named {name} already exists.", "_I18N_DuplicateUserName")
            return success(self.add_user(body)["ID"])

    def change_user(self, _method: str, _url: str, kwargs: dict) -> FakeResponse:
        body = kwargs["json"]
        user = self.find(body.get("ID"))
        if user is None:
            return refused("User not found.", "_I18N_UserNotFound")
        user.update({k: v for k, v in body.items() if k != "ID"})
        return success(None)

    def set_user_state(self, _method: str, _url: str, kwargs: dict) -> FakeResponse:
        user = self.find(kwargs["json"].get("ID"))
        if user is None:
            return refused("User not found.", "_I18N_UserNotFound")
        user["State"] = kwargs["json"]["state"]
        return success(None)

    def reset_password(self, _method: str, _url: str, kwargs: dict) -> FakeResponse:
        user = self.find(kwargs["json"].get("ID"))
        if user is None:
            return refused("User not found.", "_I18N_UserNotFound")
        user["Password"] = kwargs["json"]["newPassword"]
        return success(None)

    def remove_users(self, _method: str, _url: str, kwargs: dict) -> FakeResponse:
        for key in kwargs["json"].get("Users") or []:
            user = self.find(key)
            if user is not None:
                self.remove(user["ID"])
        return success(None)

    def delete_user(self, _method: str, _url: str, kwargs: dict) -> FakeResponse:
        user = self.find(kwargs["json"].get("ID"))
        if user is None:
            return refused("User not found.", "_I18N_UserNotFound")
        self.remove(user["ID"])
        return success(None)

    def remove(self, uid: str) -> None:
        self.users.pop(uid, None)
        for role in self.roles.values():
            role["members"] = [m for m in role["members"] if m != uid]

    def user_roles(self, _method: str, _url: str, kwargs: dict) -> FakeResponse:
        user = self.find(kwargs["params"]["ID"])
        if user is None:
            return refused("User not found.", "_I18N_UserNotFound")
        return success(table([{"ID": r["ID"], "Name": r["Name"], "Description": r.get("Description"), "AdministrativeRights": [],
                               "RoleType": "PrincipalList", "Role": r["ID"], "RoleName": r["Name"]}
                              for r in self.roles.values() if user["ID"] in r["members"]], entity_type="Role"))

    def role_members(self, _method: str, _url: str, kwargs: dict) -> FakeResponse:
        role = self.roles.get(str(kwargs["json"]["Name"]))
        if role is None:
            return refused("Role not found.", "_I18N_RoleNotFound")
        return success(table([{"Guid": uid, "Name": self.users[uid]["Name"], "Type": "User"} for uid in role["members"] if uid in self.users],
                             entity_type="User", key="Guid"))

    def change_members(self, add: bool) -> t.Callable[[str, str, dict], FakeResponse]:
        def answer(_method: str, _url: str, kwargs: dict) -> FakeResponse:
            role = self.roles.get(str(kwargs["json"]["Name"]))
            if role is None:
                return refused("Role not found.", "_I18N_RoleNotFound")
            users = [self.find(key) for key in kwargs["json"].get("Users") or []]
            if None in users:
                return refused("User not found.", "_I18N_UserNotFound")
            for user in users:
                if add and user["ID"] not in role["members"]:
                    role["members"].append(user["ID"])
                elif not add and user["ID"] in role["members"]:
                    role["members"].remove(user["ID"])
            return success(None)
        return answer

    def aliases(self, *_: t.Any) -> FakeResponse:
        return success(table([{"ID": s, "CdsAlias": True, "ReplaceDomain": None} for s in self.suffixes], entity_type="Alias"))

    def set_cloud_lock(self, _method: str, _url: str, kwargs: dict) -> FakeResponse:
        """Query string ``user`` and ``lockUser`` (true/false), no body; ``Result`` null (Bruno's example)."""
        user = self.find((kwargs.get("params") or {}).get("user"))
        if user is None:
            return refused("User not found.", "_I18N_UserNotFound")
        user["CloudLocked"] = str(kwargs["params"]["lockUser"]).lower() == "true"
        return success(None)

    def is_cloud_locked(self, _method: str, _url: str, kwargs: dict) -> FakeResponse:
        user = self.find((kwargs.get("params") or {}).get("user"))
        return refused("User not found.", "_I18N_UserNotFound") if user is None else success(bool(user.get("CloudLocked")))

    def is_locked_out(self, _method: str, _url: str, kwargs: dict) -> FakeResponse:
        user = self.find((kwargs.get("params") or {}).get("user"))
        return refused("User not found.", "_I18N_UserNotFound") if user is None else success(bool(user.get("LockedOutByPolicy")))

    def invite(self, _method: str, _url: str, kwargs: dict) -> FakeResponse:
        """Invitations by ``EmailInvite`` / ``SmsInvite`` to ``Entities`` of users (``Guid``), kept in ``invited``."""
        body = kwargs["json"]
        for entity in body["Entities"]:
            if self.find(entity["Guid"]) is None:
                return refused("User not found.", "_I18N_UserNotFound")
            self.invited.append((entity["Guid"], bool(body.get("EmailInvite")), bool(body.get("SmsInvite"))))
        return success(None)

    def schema(self, *_: t.Any) -> FakeResponse:
        return success({"Columns": [{"Name": n, "Title": n, "Type": kind, "Description": None, "UserEditable": False}
                                    for n, kind in self.attributes.items()]})

    def get_columns(self, _method: str, _url: str, kwargs: dict) -> FakeResponse:
        user = self.find(kwargs["json"].get("ID"))
        if user is None:
            return refused("User not found.", "_I18N_UserNotFound")
        return success(dict(user.get("ExtData") or {}))

    def set_columns(self, _method: str, _url: str, kwargs: dict) -> FakeResponse:
        user = self.find(kwargs["json"].get("ID"))
        if user is None:
            return refused("User not found.", "_I18N_UserNotFound")
        unknown = sorted(set(kwargs["json"].get("Columns") or {}) - set(self.attributes))
        if unknown:
            return refused(f"Unknown attribute {unknown[0]}; define it under Settings > Customization > Additional Attributes.")
        user.setdefault("ExtData", {}).update(kwargs["json"]["Columns"])
        return success(None)

    def upload(self, _method: str, _url: str, kwargs: dict) -> FakeResponse:
        """Step 1 of the service's import: the file part is named ``Icon``; the answer names the upload with ``ReturnID``."""
        _filename, content, _kind = kwargs["files"]["Icon"]
        return_id = f"upload-{len(self.uploads) + 1}"
        self.uploads[return_id] = content
        return success({"ReturnID": return_id})

    def submit(self, _method: str, _url: str, kwargs: dict) -> FakeResponse:
        """Step 2: the job (run at once here) creates the CSV's users; ``Result`` is a JSON-encoded second envelope."""
        import csv  # pylint: disable=import-outside-toplevel
        import io  # pylint: disable=import-outside-toplevel

        body = kwargs["json"]
        content = self.uploads.pop(str(body.get("ReturnID")), None)
        if content is None:
            return refused("The uploaded file was not found; upload it again.")
        rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
        self.jobs.append({"admin_email": body.get("AdminEmail"), "rows": rows, "send_email_invite": body.get("SendEmailInvite")})
        for row in rows:
            if not self.find(row["Login Name"]):
                self.add_user({"Name": row["Login Name"], "Mail": row["Email Address"], "DisplayName": row.get("Display Name") or None})
        inner = {"success": True, "Result": None, "Message": "Your bulk user import job has been submitted.", "MessageID": None,
                 "Exception": None, "ErrorID": None, "ErrorCode": None, "IsSoftError": False, "InnerExceptions": None}
        return success(json.dumps(inner))

    def answers(self) -> dict:
        return {
            "/Redrock/query": self.query, "/CDirectoryService/GetUser": self.get_user,
            "/CDirectoryService/CreateUser": self.create_user, "/CDirectoryService/ChangeUser": self.change_user,
            "/CDirectoryService/SetUserState": self.set_user_state, "/UserMgmt/ResetUserPassword": self.reset_password,
            "/UserMgmt/RemoveUsers": self.remove_users, "/CDirectoryService/DeleteUser": self.delete_user,
            "/UserMgmt/SetCloudLock": self.set_cloud_lock, "/UserMgmt/IsUserCloudLocked": self.is_cloud_locked,
            "/UserMgmt/IsUserLockedOutByPolicy": self.is_locked_out, "/UserMgmt/InviteUsers": self.invite,
            "/UserMgmt/GetUsersRolesAndAdministrativeRights": self.user_roles, "/Roles/GetRoleMembers": self.role_members,
            "/SaasManage/AddUsersAndGroupsToRole": self.change_members(True),
            "/SaasManage/RemoveUsersAndGroupsFromRole": self.change_members(False),
            "/Core/GetAliasesForTenant": self.aliases, "/ExtData/GetSchema": self.schema, "/ExtData/GetColumns": self.get_columns,
            "/ExtData/SetColumns": self.set_columns, "/CDirectoryService/GetUsersFromCsvFile": self.upload,
            "/CDirectoryService/SubmitUploadedFile": self.submit,
        }


WRITE_PATHS = ("/CDirectoryService/CreateUser", "/CDirectoryService/ChangeUser", "/CDirectoryService/SetUserState",
               "/UserMgmt/ResetUserPassword", "/UserMgmt/RemoveUsers", "/CDirectoryService/DeleteUser",
               "/SaasManage/AddUsersAndGroupsToRole", "/SaasManage/RemoveUsersAndGroupsFromRole", "/ExtData/SetColumns",
               "/CDirectoryService/GetUsersFromCsvFile", "/CDirectoryService/SubmitUploadedFile", "/UserMgmt/SetCloudLock",
               "/UserMgmt/InviteUsers")


def writes(session: FakeSession) -> list[tuple[str, t.Any]]:
    """The writes a session sent, in order: ``(path, JSON body)``."""
    return [(c["path"], c.get("json")) for c in session.calls if c["path"] in WRITE_PATHS]


# The tenant's administrative rights as the simulator seeds them (tests/simulator/idsim/state.py): portal name, path
RIGHTS_CATALOG = [{"Description": "Admin Portal Login", "Path": "/lib/rights/adminportallogin.json"},
                  {"Description": "Application Management", "Path": "/lib/rights/appman.json"},
                  {"Description": "User Management", "Path": "/lib/rights/dsman.json"}]
CDS_UUID = "09B9A9B0-6CE8-465F-AB03-65766D33B05E"
AD_UUID = "6B2A9D3E-41C7-4F0B-9E2A-1D5C7B8E0F34"


class RoleRights:
    """Administrative rights of roles answered the way the simulator answers them: the tenant's list through Redrock's
    ``@/lib/get_superrights.js``, each role's rights in ``UserMgmt/DirectoryServiceQuery`` rows, and
    ``SaasManage/AssignSuperRights`` / ``UnAssignSuperRights`` changing them. ``roles()`` gives the rows
    (``ID``, ``Name``, ``Description``) the query shows; ``rights`` is ``{role ID: [paths]}``. ``groups``
    (``{Guid: name}``) are an Active Directory's groups, which the query's ``group`` filter finds (``_like`` as the
    simulator reads it: a prefix, without case) when that directory is asked."""

    SCRIPT = "@/lib/get_superrights.js(excludeRight:'')"

    def __init__(self, roles: t.Callable[[], t.Iterable[dict]], rights: dict | None = None, catalog: list | None = None,
                 groups: dict | None = None) -> None:
        self.roles = roles
        self.rights: dict[str, list[str]] = {k: list(v) for k, v in (rights or {}).items()}
        self.catalog = list(RIGHTS_CATALOG if catalog is None else catalog)
        self.groups = dict(groups or {})

    def redrock(self, tables_answer: t.Callable[[str, str, dict], FakeResponse]) -> t.Callable[[str, str, dict], FakeResponse]:
        def answer(method: str, url: str, kwargs: dict) -> FakeResponse:
            if kwargs["json"]["Script"] == self.SCRIPT:
                return success(table(self.catalog, key="Path"))
            return tables_answer(method, url, kwargs)
        return answer

    def directory_query(self, _method: str, _url: str, kwargs: dict) -> FakeResponse:
        body, result = kwargs["json"], {}
        if "roles" in body:
            wanted = json.loads(body["roles"])
            keys = {c[f]["_eq"] for c in wanted.get("_or", []) for f in c} if wanted else None
            rows = [{"Name": r["Name"], "_ID": r["ID"], "Description": r.get("Description"), "IsHidden": False, "RoleType": "PrincipalList",
                     "AdministrativeRights": [{"Path": p, "ServiceName": None} for p in self.rights.get(r["ID"], [])]}
                    for r in self.roles() if keys is None or r["ID"] in keys or r["Name"] in keys]
            result["roles"] = table(rows, key="_ID")
        if "group" in body:
            wanted = json.loads(body["group"])
            starts = [c[f]["_like"].lower() for c in wanted.get("_or", []) for f in c]
            rows = [{"DisplayName": name, "SystemName": name, "ServiceType": "AdProxy", "ServiceInstanceLocalized": "corp.acme.local",
                     "InternalName": gid} for gid, name in self.groups.items()
                    if AD_UUID in body["directoryServices"] and any(name.lower().startswith(s) for s in starts)]
            result["Group"] = table(rows, key="InternalName")
        return success(result)

    def change(self, assign: bool) -> t.Callable[[str, str, dict], FakeResponse]:
        def answer(_method: str, _url: str, kwargs: dict) -> FakeResponse:
            known = {r["Path"] for r in self.catalog}
            for entry in kwargs["json"]:
                if entry["Path"] not in known:
                    return refused(f"Unknown administrative right {entry['Path']}.")
            for entry in kwargs["json"]:
                held = self.rights.setdefault(entry["Role"], [])
                if assign and entry["Path"] not in held:
                    held.append(entry["Path"])
                elif not assign and entry["Path"] in held:
                    held.remove(entry["Path"])
            return success(None)
        return answer

    def answers(self, tables_answer: t.Callable[[str, str, dict], FakeResponse]) -> dict:
        rows = [{"Service": "CDS", "directoryServiceUuid": CDS_UUID, "DisplayName": "CyberArk Cloud Directory"}]
        rows += [{"Service": "AdProxy", "directoryServiceUuid": AD_UUID, "DisplayName": "corp.acme.local"}] if self.groups else []
        services = success(table(rows, key="directoryServiceUuid"))
        return {"/Redrock/query": self.redrock(tables_answer), "/Core/GetDirectoryServices": services,
                "/UserMgmt/DirectoryServiceQuery": self.directory_query,
                "/SaasManage/AssignSuperRights": self.change(True), "/SaasManage/UnAssignSuperRights": self.change(False)}
