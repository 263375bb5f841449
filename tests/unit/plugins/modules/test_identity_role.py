# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""identity_role through main(), over a fake tenant: the plan, check mode, the diff, the writes sent, and no write on a
second identical run."""

from __future__ import annotations

import pytest
from identity_fakes import CONNECTION, redrock, refused, run_module, serve, success, table  # pylint: disable=import-error

from ansible_collections.cyberark_community.identity.plugins.modules import identity_role

WRITES = ("/Roles/StoreRole", "/Roles/UpdateRole", "/SaasManage/AddUsersAndGroupsToRole", "/SaasManage/RemoveUsersAndGroupsFromRole",
          "/SaasManage/DeleteRole")


class Tenant:
    """Roles and users answered the way the simulator answers them, changed by the writes the module sends."""

    def __init__(self, roles=(), users=()):
        self.roles = [dict(r, members=list(r["members"])) for r in roles]  # {"ID", "Name", "Description", "members": [user ids]}
        self.users = {u["ID"]: u for u in users}  # {"ID", "Username"}
        self.tables = {"Role": [], "User": list(self.users.values())}
        self.sync()

    def sync(self):
        self.tables["Role"][:] = [{k: r[k] for k in ("ID", "Name", "Description")} for r in self.roles]

    def role(self, role_id):
        return next(r for r in self.roles if r["ID"] == role_id)

    def user_id(self, name):
        return next(uid for uid, u in self.users.items() if u["Username"].lower() == name.lower())

    def store(self, _method, _url, kwargs):
        body = kwargs["json"]
        self.roles.append({"ID": "role-new", "Name": body["Name"], "Description": body.get("Description"), "members": []})
        self.sync()
        return success({"_RowKey": "role-new"})

    def update(self, _method, _url, kwargs):
        self.role(kwargs["json"]["Name"])["Description"] = kwargs["json"]["Description"]
        self.sync()
        return success(None)

    def members(self, _method, _url, kwargs):
        role = self.role(kwargs["json"]["Name"])
        return success(table([{"Guid": uid, "Name": self.users[uid]["Username"], "Type": "User"} for uid in role["members"]],
                             entity_type="User", key="Guid"))

    def change(self, add):
        def answer(_method, _url, kwargs):
            role = self.role(kwargs["json"]["Name"])
            for name in kwargs["json"]["Users"]:
                uid = self.user_id(name)
                if add and uid not in role["members"]:
                    role["members"].append(uid)
                elif not add and uid in role["members"]:
                    role["members"].remove(uid)
            return success(None)
        return answer

    def delete(self, _method, _url, kwargs):
        self.roles.remove(self.role(kwargs["json"]["Name"]))
        self.sync()
        return success(None)

    def answers(self):
        return {"/Redrock/query": redrock(self.tables), "/Roles/StoreRole": self.store, "/Roles/UpdateRole": self.update,
                "/Roles/GetRoleMembers": self.members, "/SaasManage/AddUsersAndGroupsToRole": self.change(True),
                "/SaasManage/RemoveUsersAndGroupsFromRole": self.change(False), "/SaasManage/DeleteRole": self.delete}


USERS = [{"ID": "u1", "Username": "jane@acme.com"}, {"ID": "u2", "Username": "john@acme.com"}, {"ID": "u3", "Username": "ann@acme.com"}]
AUDITORS = {"ID": "role-1", "Name": "Auditors", "Description": "Reads logs", "members": ["u1"]}


def run(monkeypatch, capsys, tenant, **args):
    session = serve(monkeypatch, tenant.answers())
    result = run_module(identity_role.main, dict(CONNECTION, **args), capsys)
    return result, session


def writes(session):
    return [(c["path"], c.get("json")) for c in session.calls if c["path"] in WRITES]


class TestCreate:
    ARGS = {"name": "Auditors", "description": "Reads logs", "members": ["Jane@acme.com", "john@acme.com"], "_ansible_diff": True}

    def test_check_mode_predicts_the_role_and_sends_no_write(self, monkeypatch, capsys):
        result, session = run(monkeypatch, capsys, Tenant(users=USERS), _ansible_check_mode=True, **self.ARGS)
        assert result["changed"] is True
        assert result["actions"] == ["create role", "add members: Jane@acme.com, john@acme.com"]
        assert result["role"] == {"id": None, "name": "Auditors", "description": "Reads logs", "members": ["Jane@acme.com", "john@acme.com"]}
        assert result["diff"] == {"before": {}, "after": result["role"]}
        assert writes(session) == []

    def test_the_role_is_stored_then_its_members_added_by_login_name(self, monkeypatch, capsys):
        tenant = Tenant(users=USERS)
        result, session = run(monkeypatch, capsys, tenant, **self.ARGS)
        assert writes(session) == [
            ("/Roles/StoreRole", {"Name": "Auditors", "RoleType": "PrincipalList", "Description": "Reads logs"}),
            ("/SaasManage/AddUsersAndGroupsToRole", {"Name": "role-new", "Users": ["Jane@acme.com", "john@acme.com"]}),
        ]
        assert result["changed"] is True and result["role"]["id"] == "role-new"
        assert tenant.role("role-new")["members"] == ["u1", "u2"]

    def test_a_second_identical_run_sends_no_write(self, monkeypatch, capsys):
        tenant = Tenant(users=USERS)
        run(monkeypatch, capsys, tenant, **self.ARGS)
        result, session = run(monkeypatch, capsys, tenant, **self.ARGS)
        assert result["changed"] is False and result["actions"] == [] and writes(session) == []
        assert result["role"]["members"] == ["jane@acme.com", "john@acme.com"]  # as the tenant spells them
        assert result["diff"]["before"] == result["diff"]["after"]

    def test_a_member_who_does_not_exist_fails_before_any_write(self, monkeypatch, capsys):
        result, session = run(monkeypatch, capsys, Tenant(users=USERS), name="Auditors", members=["ghost@acme.com", "jane@acme.com"])
        assert result["failed"] is True and result["msg"] == "members: no user named ghost@acme.com exists"
        assert writes(session) == []

    def test_a_refused_create_fails_with_the_tenants_message(self, monkeypatch, capsys):
        tenant = Tenant(users=USERS)
        answers = tenant.answers()
        answers["/Roles/StoreRole"] = refused("A role named Auditors already exists.", "_I18N_DuplicateRoleName")
        serve(monkeypatch, answers)
        result = run_module(identity_role.main, dict(CONNECTION, name="Auditors"), capsys)
        assert result["failed"] is True and "A role named Auditors already exists." in result["msg"]


class TestUpdate:
    def test_append_adds_only_the_missing_members_and_updates_the_description(self, monkeypatch, capsys):
        tenant = Tenant(roles=[AUDITORS], users=USERS)
        result, session = run(monkeypatch, capsys, tenant, name="Auditors", description="Reads every log",
                              members=["JANE@acme.com", "john@acme.com"])
        assert result["actions"] == ["update description", "add members: john@acme.com"]
        assert writes(session) == [
            ("/Roles/UpdateRole", {"Name": "role-1", "Description": "Reads every log"}),
            ("/SaasManage/AddUsersAndGroupsToRole", {"Name": "role-1", "Users": ["john@acme.com"]}),
        ]
        assert result["role"] == {"id": "role-1", "name": "Auditors", "description": "Reads every log",
                                  "members": ["jane@acme.com", "john@acme.com"]}

    def test_purge_members_removes_the_others(self, monkeypatch, capsys):
        tenant = Tenant(roles=[dict(AUDITORS, members=["u1", "u3"])], users=USERS)
        result, session = run(monkeypatch, capsys, tenant, name="Auditors", members=["john@acme.com"], purge_members=True)
        assert result["actions"] == ["add members: john@acme.com", "remove members: ann@acme.com, jane@acme.com"]
        assert writes(session) == [
            ("/SaasManage/AddUsersAndGroupsToRole", {"Name": "role-1", "Users": ["john@acme.com"]}),
            ("/SaasManage/RemoveUsersAndGroupsFromRole", {"Name": "role-1", "Users": ["ann@acme.com", "jane@acme.com"]}),
        ]
        assert tenant.role("role-1")["members"] == ["u2"]

    def test_purge_with_no_members_given_empties_the_role(self, monkeypatch, capsys):
        tenant = Tenant(roles=[AUDITORS], users=USERS)
        result, session = run(monkeypatch, capsys, tenant, name="Auditors", members=[], purge_members=True)
        assert result["actions"] == ["remove members: jane@acme.com"] and result["role"]["members"] == []
        assert writes(session) == [("/SaasManage/RemoveUsersAndGroupsFromRole", {"Name": "role-1", "Users": ["jane@acme.com"]})]

    def test_without_purge_unnamed_members_stay_and_nothing_is_sent(self, monkeypatch, capsys):
        result, session = run(monkeypatch, capsys, Tenant(roles=[AUDITORS], users=USERS), name="Auditors", description="Reads logs")
        assert result["changed"] is False and writes(session) == []
        assert result["role"]["members"] == ["jane@acme.com"]

    def test_role_names_are_case_sensitive(self, monkeypatch, capsys):
        # "auditors" is another role than "Auditors": it is created
        result, session = run(monkeypatch, capsys, Tenant(roles=[AUDITORS], users=USERS), name="auditors", _ansible_check_mode=True)
        assert result["actions"] == ["create role"] and writes(session) == []

    def test_members_that_are_not_users_are_left_alone(self, monkeypatch, capsys):
        tenant = Tenant(roles=[AUDITORS], users=USERS)
        answers = tenant.answers()
        answers["/Roles/GetRoleMembers"] = success(table([{"Guid": "u1", "Name": "jane@acme.com", "Type": "User"},
                                                          {"Guid": "g1", "Name": "Ops", "Type": "Group"}], key="Guid"))
        session = serve(monkeypatch, answers)
        result = run_module(identity_role.main, dict(CONNECTION, name="Auditors", members=[], purge_members=True), capsys)
        assert result["actions"] == ["remove members: jane@acme.com"]
        assert writes(session) == [("/SaasManage/RemoveUsersAndGroupsFromRole", {"Name": "role-1", "Users": ["jane@acme.com"]})]


class TestAbsent:
    def test_an_existing_role_is_deleted_by_id(self, monkeypatch, capsys):
        tenant = Tenant(roles=[AUDITORS], users=USERS)
        result, session = run(monkeypatch, capsys, tenant, name="Auditors", state="absent", _ansible_diff=True)
        assert result["changed"] is True and result["actions"] == ["delete role"] and result["role"] == {}
        assert result["diff"]["before"]["id"] == "role-1" and result["diff"]["after"] == {}
        assert writes(session) == [("/SaasManage/DeleteRole", {"Name": "role-1"})]
        assert tenant.roles == []

    def test_check_mode_deletes_nothing(self, monkeypatch, capsys):
        result, session = run(monkeypatch, capsys, Tenant(roles=[AUDITORS], users=USERS), name="Auditors", state="absent",
                              _ansible_check_mode=True)
        assert result["changed"] is True and writes(session) == []

    def test_a_role_that_is_not_there_is_no_change(self, monkeypatch, capsys):
        result, session = run(monkeypatch, capsys, Tenant(users=USERS), name="Auditors", state="absent")
        assert result["changed"] is False and result["actions"] == [] and writes(session) == []

    def test_a_delete_answered_role_not_found_is_done(self, monkeypatch, capsys):
        # a retried delete whose first attempt landed gets exactly this answer
        tenant = Tenant(roles=[AUDITORS], users=USERS)
        answers = tenant.answers()
        answers["/SaasManage/DeleteRole"] = refused("Role not found.", "_I18N_RoleNotFound")
        serve(monkeypatch, answers)
        result = run_module(identity_role.main, dict(CONNECTION, name="Auditors", state="absent"), capsys)
        assert not result.get("failed") and result["changed"] is True


@pytest.mark.parametrize("params, named", [
    ({"name": "", "members": None}, "name"),
    ({"name": "Auditors", "description": "two\x00parts", "members": None}, "description"),
    ({"name": "Auditors", "members": ["jane@acme.com", "no suffix"]}, "members: "),
])
def test_input_errors_name_the_option(params, named):
    errors = identity_role.input_errors(params)
    assert len(errors) == 1 and errors[0].startswith(named)
