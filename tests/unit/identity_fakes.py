# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fakes at the transport seam (shared by the unit tests): a session that answers from a route table and records every request."""

from __future__ import annotations

import json
import os
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
