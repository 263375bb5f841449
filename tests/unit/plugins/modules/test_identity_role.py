# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""identity_role through main(), over a fake tenant: the plan, check mode, the diff, the writes sent, and no write on a
second identical run."""

from __future__ import annotations

import pytest
from identity_fakes import CONNECTION, RoleRights, redrock, refused, run_module, serve, success, table  # pylint: disable=import-error

from ansible_collections.cyberark_community.identity.plugins.modules import identity_role

WRITES = ("/Roles/StoreRole", "/Roles/UpdateRole", "/SaasManage/AddUsersAndGroupsToRole", "/SaasManage/RemoveUsersAndGroupsFromRole",
          "/SaasManage/DeleteRole", "/SaasManage/AssignSuperRights", "/SaasManage/UnAssignSuperRights")
GROUPS = {"g1": "Ops", "g2": "Helpdesk Staff"}  # directory groups the tenant knows


class Tenant:
    """Roles and users answered the way the simulator answers them, changed by the writes the module sends."""

    def __init__(self, roles=(), users=(), rights=None):
        # {"ID", "Name", "Description", "members": [user IDs], "groups": [group IDs], "roles": [role IDs]}
        self.roles = [dict(r, members=list(r["members"]), groups=list(r.get("groups", [])), roles=list(r.get("roles", []))) for r in roles]
        self.users = {u["ID"]: u for u in users}  # {"ID", "Username"}
        self.tables = {"Role": [], "User": list(self.users.values())}
        self.rights = RoleRights(lambda: self.tables["Role"], rights, groups=GROUPS)
        self.sync()

    def sync(self):
        self.tables["Role"][:] = [{k: r[k] for k in ("ID", "Name", "Description")} for r in self.roles]

    def role(self, role_id):
        return next(r for r in self.roles if r["ID"] == role_id)

    def user_id(self, name):
        return next(uid for uid, u in self.users.items() if u["Username"].lower() == name.lower())

    def store(self, _method, _url, kwargs):
        body = kwargs["json"]
        self.roles.append({"ID": "role-new", "Name": body["Name"], "Description": body.get("Description"), "members": [], "groups": [],
                           "roles": []})
        self.sync()
        return success({"_RowKey": "role-new"})

    def update(self, _method, _url, kwargs):
        self.role(kwargs["json"]["Name"])["Description"] = kwargs["json"]["Description"]
        self.sync()
        return success(None)

    def members(self, _method, _url, kwargs):
        role = self.role(kwargs["json"]["Name"])
        rows = [{"Guid": uid, "Name": self.users[uid]["Username"], "Type": "User"} for uid in role["members"]]
        rows += [{"Guid": gid, "Name": GROUPS[gid], "Type": "Group"} for gid in role["groups"]]
        rows += [{"Guid": rid, "Name": self.role(rid)["Name"], "Type": "Role"} for rid in role["roles"]]
        return success(table(rows, entity_type="User", key="Guid"))

    def change(self, add):
        def answer(_method, _url, kwargs):
            role = self.role(kwargs["json"]["Name"])
            found = []
            for name in kwargs["json"].get("Users") or []:
                found.append(("members", self.user_id(name)))
            for name in kwargs["json"].get("Groups") or []:
                gid = next((g for g, n in GROUPS.items() if n.lower() == name.lower()), None)
                if gid is None:
                    return refused(f"Group {name} not found.")
                found.append(("groups", gid))
            for name in kwargs["json"].get("Roles") or []:
                found.append(("roles", next(r["ID"] for r in self.roles if r["Name"] == name)))
            for kind, key in found:
                if add and key not in role[kind]:
                    role[kind].append(key)
                elif not add and key in role[kind]:
                    role[kind].remove(key)
            return success(None)
        return answer

    def delete(self, _method, _url, kwargs):
        self.roles.remove(self.role(kwargs["json"]["Name"]))
        self.sync()
        return success(None)

    def answers(self):
        answers = {"/Roles/StoreRole": self.store, "/Roles/UpdateRole": self.update,
                   "/Roles/GetRoleMembers": self.members, "/SaasManage/AddUsersAndGroupsToRole": self.change(True),
                   "/SaasManage/RemoveUsersAndGroupsFromRole": self.change(False), "/SaasManage/DeleteRole": self.delete}
        answers.update(self.rights.answers(redrock(self.tables)))
        return answers


USERS = [{"ID": "u1", "Username": "jane@acme.com"}, {"ID": "u2", "Username": "john@acme.com"}, {"ID": "u3", "Username": "ann@acme.com"}]
NO_MEMBERS = {"members": [], "member_groups": [], "member_roles": [], "administrative_rights": []}
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
        assert result["role"] == dict(NO_MEMBERS, id=None, name="Auditors", description="Reads logs", members=["Jane@acme.com", "john@acme.com"])
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
        assert result["role"] == dict(NO_MEMBERS, id="role-1", name="Auditors", description="Reads every log",
                                      members=["jane@acme.com", "john@acme.com"])

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
        tenant = Tenant(roles=[dict(AUDITORS, groups=["g1"])], users=USERS)
        result, session = run(monkeypatch, capsys, tenant, name="Auditors", members=[], purge_members=True)
        assert result["actions"] == ["remove members: jane@acme.com"]
        assert writes(session) == [("/SaasManage/RemoveUsersAndGroupsFromRole", {"Name": "role-1", "Users": ["jane@acme.com"]})]
        assert result["role"]["member_groups"] == ["Ops"] and tenant.role("role-1")["groups"] == ["g1"]


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


DSMAN = "/lib/rights/dsman.json"
PORTAL = "/lib/rights/adminportallogin.json"
APPMAN = "/lib/rights/appman.json"


class TestAdministrativeRights:
    ARGS = {"name": "Auditors", "administrative_rights": ["user management", "Admin Portal Login"], "_ansible_diff": True}

    def test_rights_are_assigned_by_path_in_one_array_and_read_back_by_name(self, monkeypatch, capsys):
        tenant = Tenant(roles=[AUDITORS], users=USERS)
        result, session = run(monkeypatch, capsys, tenant, **self.ARGS)
        assert result["actions"] == ["assign administrative rights: Admin Portal Login, User Management"]
        assert writes(session) == [("/SaasManage/AssignSuperRights", [{"Role": "role-1", "Path": PORTAL}, {"Role": "role-1", "Path": DSMAN}])]
        assert result["role"]["administrative_rights"] == ["Admin Portal Login", "User Management"]
        assert result["diff"]["before"]["administrative_rights"] == [] and result["diff"]["after"] == result["role"]
        assert sorted(tenant.rights.rights["role-1"]) == [PORTAL, DSMAN]

    def test_a_second_identical_run_sends_no_write(self, monkeypatch, capsys):
        tenant = Tenant(roles=[AUDITORS], users=USERS, rights={"role-1": [DSMAN, PORTAL]})
        result, session = run(monkeypatch, capsys, tenant, **self.ARGS)
        assert result["changed"] is False and writes(session) == [] and result["diff"]["before"] == result["diff"]["after"]

    def test_a_right_may_be_named_by_its_path(self, monkeypatch, capsys):
        tenant = Tenant(roles=[AUDITORS], users=USERS, rights={"role-1": [DSMAN]})
        result, session = run(monkeypatch, capsys, tenant, name="Auditors", administrative_rights=[DSMAN])
        assert result["changed"] is False and writes(session) == []

    def test_check_mode_predicts_and_sends_nothing(self, monkeypatch, capsys):
        tenant = Tenant(users=USERS)
        result, session = run(monkeypatch, capsys, tenant, _ansible_check_mode=True, **self.ARGS)
        assert result["actions"] == ["create role", "assign administrative rights: Admin Portal Login, User Management"]
        assert result["role"]["administrative_rights"] == ["Admin Portal Login", "User Management"] and writes(session) == []

    def test_purge_unassigns_the_others_and_append_keeps_them(self, monkeypatch, capsys):
        tenant = Tenant(roles=[AUDITORS], users=USERS, rights={"role-1": [DSMAN, APPMAN]})
        result, session = run(monkeypatch, capsys, tenant, name="Auditors", administrative_rights=["User Management"])
        assert result["changed"] is False and writes(session) == []
        result, session = run(monkeypatch, capsys, tenant, name="Auditors", administrative_rights=["User Management"],
                              purge_administrative_rights=True)
        assert result["actions"] == ["unassign administrative rights: Application Management"]
        assert writes(session) == [("/SaasManage/UnAssignSuperRights", [{"Role": "role-1", "Path": APPMAN}])]
        assert result["role"]["administrative_rights"] == ["User Management"]

    def test_an_unknown_right_fails_naming_the_option_and_the_tenants_rights_before_any_write(self, monkeypatch, capsys):
        result, session = run(monkeypatch, capsys, Tenant(users=USERS), name="Auditors", members=["jane@acme.com"],
                              administrative_rights=["User Managment"])
        assert result["failed"] is True
        assert result["msg"] == ("administrative_rights: the tenant has no administrative right named User Managment; its rights are: "
                                 "Admin Portal Login, Application Management, User Management")
        assert writes(session) == []

    def test_a_right_the_tenant_does_not_show_after_the_write_fails_naming_the_option(self, monkeypatch, capsys):
        tenant = Tenant(roles=[AUDITORS], users=USERS)
        answers = tenant.answers()
        answers["/SaasManage/AssignSuperRights"] = success(None)  # answered, not applied
        serve(monkeypatch, answers)
        result = run_module(identity_role.main, dict(CONNECTION, name="Auditors", administrative_rights=["User Management"]), capsys)
        assert result["failed"] is True
        assert "administrative_rights: the tenant does not show the change for User Management" in result["msg"]

    def test_a_held_right_the_tenants_list_does_not_name_shows_its_path(self, monkeypatch, capsys):
        tenant = Tenant(roles=[AUDITORS], users=USERS, rights={"role-1": ["ServiceRight/dpaShowTile"]})
        result, _session = run(monkeypatch, capsys, tenant, name="Auditors")
        assert result["role"]["administrative_rights"] == ["ServiceRight/dpaShowTile"]

    def test_rights_are_refused_with_state_absent(self, monkeypatch, capsys):
        result, session = run(monkeypatch, capsys, Tenant(roles=[AUDITORS], users=USERS), name="Auditors", state="absent",
                              administrative_rights=[], member_roles=["Auditors2"])
        assert result["failed"] is True and session.calls == []
        assert "administrative_rights has no meaning with state=absent" in result["msg"]
        assert "member_roles has no meaning with state=absent" in result["msg"]


class TestGroupAndRoleMembers:
    HELP_DESK = {"ID": "role-2", "Name": "Help Desk", "Description": None, "members": []}

    def test_groups_and_roles_are_added_by_name_one_kind_a_request(self, monkeypatch, capsys):
        tenant = Tenant(roles=[AUDITORS, self.HELP_DESK], users=USERS)
        result, session = run(monkeypatch, capsys, tenant, name="Help Desk", member_groups=["helpdesk staff"], member_roles=["Auditors"],
                              _ansible_diff=True)
        assert result["actions"] == ["add member groups: helpdesk staff", "add member roles: Auditors"]
        assert writes(session) == [("/SaasManage/AddUsersAndGroupsToRole", {"Name": "role-2", "Groups": ["helpdesk staff"]}),
                                   ("/SaasManage/AddUsersAndGroupsToRole", {"Name": "role-2", "Roles": ["Auditors"]})]
        assert result["role"]["member_groups"] == ["Helpdesk Staff"] and result["role"]["member_roles"] == ["Auditors"]
        result, session = run(monkeypatch, capsys, tenant, name="Help Desk", member_groups=["Helpdesk Staff"], member_roles=["Auditors"])
        assert result["changed"] is False and writes(session) == []

    def test_purge_removes_groups_and_roles_not_listed(self, monkeypatch, capsys):
        tenant = Tenant(roles=[AUDITORS, dict(self.HELP_DESK, groups=["g1", "g2"], roles=["role-1"])], users=USERS)
        result, session = run(monkeypatch, capsys, tenant, name="Help Desk", member_groups=["Ops"], purge_member_groups=True,
                              member_roles=[], purge_member_roles=True)
        assert result["actions"] == ["remove member groups: Helpdesk Staff", "remove member roles: Auditors"]
        assert writes(session) == [("/SaasManage/RemoveUsersAndGroupsFromRole", {"Name": "role-2", "Groups": ["Helpdesk Staff"]}),
                                   ("/SaasManage/RemoveUsersAndGroupsFromRole", {"Name": "role-2", "Roles": ["Auditors"]})]
        assert tenant.role("role-2")["groups"] == ["g1"] and tenant.role("role-2")["roles"] == []

    def test_a_member_role_that_does_not_exist_fails_before_any_write(self, monkeypatch, capsys):
        result, session = run(monkeypatch, capsys, Tenant(roles=[self.HELP_DESK], users=USERS), name="Help Desk", member_roles=["auditors"],
                              administrative_rights=["User Management"])
        assert result["failed"] is True and result["msg"] == "member_roles: no role named auditors exists" and writes(session) == []

    def test_member_types_compare_without_case(self, monkeypatch, capsys):
        tenant = Tenant(roles=[dict(self.HELP_DESK, groups=["g1"])], users=USERS)
        answers = tenant.answers()
        answers["/Roles/GetRoleMembers"] = success(table([{"Guid": "g1", "Name": "Ops", "Type": "group"}], key="Guid"))
        serve(monkeypatch, answers)
        result = run_module(identity_role.main, dict(CONNECTION, name="Help Desk", member_groups=["Ops"]), capsys)
        assert result["changed"] is False and result["role"]["member_groups"] == ["Ops"] and result["role"]["members"] == []


@pytest.mark.parametrize("params, named", [
    ({"name": "Ops", "member_roles": ["Ops"]}, "member_roles: 'Ops' is the role itself"),
    ({"name": "Ops", "member_roles": [" "]}, "member_roles: ' ' must not be empty"),
    ({"name": "Ops", "member_groups": ["a\nb"]}, "member_groups: 'a\\nb' holds a control character"),
    ({"name": "Ops", "administrative_rights": [""]}, "administrative_rights: '' must not be empty"),
])
def test_member_and_right_input_errors_name_the_option(params, named):
    errors = identity_role.input_errors(dict(params, state="present"))
    assert len(errors) == 1 and errors[0].startswith(named)


def group_queries(session):
    return [c["json"] for c in session.calls if c["path"] == "/UserMgmt/DirectoryServiceQuery" and "group" in c["json"]]


class TestGroupLookup:
    """Groups are looked up before any write, as CyberArk's SDKs list directory entities (review 26, H3)."""

    HELP_DESK = {"ID": "role-2", "Name": "Help Desk", "Description": "Old", "members": []}

    def test_an_unknown_group_fails_naming_the_option_before_any_write(self, monkeypatch, capsys):
        tenant = Tenant(roles=[self.HELP_DESK], users=USERS)
        result, session = run(monkeypatch, capsys, tenant, name="Help Desk", description="New", member_groups=["ops", "Nobody"],
                              administrative_rights=["User Management"])
        assert result["failed"] is True and not result.get("changed")
        assert result["msg"].startswith("member_groups: no directory group named Nobody ")
        assert writes(session) == [] and tenant.role("role-2")["Description"] == "Old" and "role-2" not in tenant.rights.rights

    def test_the_lookup_is_the_sdks_group_filter_across_every_directory_service(self, monkeypatch, capsys):
        tenant = Tenant(roles=[self.HELP_DESK], users=USERS)
        _result, session = run(monkeypatch, capsys, tenant, name="Help Desk", member_groups=["Helpdesk Staff"], _ansible_check_mode=True)
        assert group_queries(session) == [{
            "directoryServices": ["09B9A9B0-6CE8-465F-AB03-65766D33B05E", "6B2A9D3E-41C7-4F0B-9E2A-1D5C7B8E0F34"],
            "group": '{"_or": [{"DisplayName": {"_like": "Helpdesk Staff"}}, {"SystemName": {"_like": "Helpdesk Staff"}}]}',
            "Args": {"PageNumber": 1, "PageSize": 10000, "Limit": 10000}}]

    def test_check_mode_refuses_an_unknown_group_too(self, monkeypatch, capsys):
        result, session = run(monkeypatch, capsys, Tenant(users=USERS), name="Help Desk", member_groups=["Nobody"], _ansible_check_mode=True)
        assert result["failed"] is True and result["msg"].startswith("member_groups: no directory group named Nobody ")
        assert writes(session) == []

    def test_a_name_the_filter_only_starts_is_not_the_group(self, monkeypatch, capsys):
        # "Helpdesk" is the start of "Helpdesk Staff": _like finds it, but no group is named so
        result, session = run(monkeypatch, capsys, Tenant(users=USERS), name="Help Desk", member_groups=["Helpdesk"])
        assert result["failed"] is True and result["msg"].startswith("member_groups: no directory group named Helpdesk ")
        assert writes(session) == []

    def test_groups_already_held_are_not_looked_up(self, monkeypatch, capsys):
        tenant = Tenant(roles=[dict(self.HELP_DESK, groups=["g2"])], users=USERS)
        result, session = run(monkeypatch, capsys, tenant, name="Help Desk", member_groups=["helpdesk staff"])
        assert result["changed"] is False and group_queries(session) == [] and writes(session) == []

    def test_a_group_held_under_its_other_directory_name_is_neither_added_nor_purged(self, monkeypatch, capsys):
        """GetRoleMembers shows the group as Ops (its SystemName, say); the task names it by its DisplayName, Operations
        Team: the lookup shows both names, so the role holds it already (re-review 26, N4)."""
        tenant = Tenant(roles=[dict(self.HELP_DESK, groups=["g1"])], users=USERS)
        answers = tenant.answers()
        answers["/UserMgmt/DirectoryServiceQuery"] = lambda *_: success({"Group": table(
            [{"DisplayName": "Operations Team", "SystemName": "Ops", "ServiceType": "AdProxy", "InternalName": "g1"}], key="InternalName")})
        session = serve(monkeypatch, answers)
        for _run in range(2):
            result = run_module(identity_role.main, dict(CONNECTION, name="Help Desk", member_groups=["Operations Team"],
                                                         purge_member_groups=True), capsys)
            assert result["changed"] is False and writes(session) == [] and result["role"]["member_groups"] == ["Ops"]

    def test_only_the_directories_the_sdks_ask_are_asked_and_a_refused_lookup_names_the_option(self, monkeypatch, capsys):
        tenant = Tenant(roles=[self.HELP_DESK], users=USERS)
        answers = tenant.answers()
        answers["/Core/GetDirectoryServices"] = success(table(
            [{"Service": "CDS", "directoryServiceUuid": "cds-1"}, {"Service": "LDAPProxy", "directoryServiceUuid": "ldap-1"},
             {"Service": "AdProxy", "directoryServiceUuid": "ad-1"}], key="directoryServiceUuid"))
        answers["/UserMgmt/DirectoryServiceQuery"] = refused("Not allowed.")
        session = serve(monkeypatch, answers)
        result = run_module(identity_role.main, dict(CONNECTION, name="Help Desk", member_groups=["Ops"]), capsys)
        assert group_queries(session)[0]["directoryServices"] == ["cds-1", "ad-1"]  # ark-sdk-python: AdProxy, CDS, FDS
        assert result["failed"] is True and result["msg"].startswith("member_groups: the lookup of group Ops failed: ")
        assert writes(session) == []

    def test_groups_are_added_before_the_description_changes(self, monkeypatch, capsys):
        tenant = Tenant(roles=[self.HELP_DESK], users=USERS)
        result, session = run(monkeypatch, capsys, tenant, name="Help Desk", description="New", member_groups=["Ops"])
        assert result["changed"] is True
        assert [w[0] for w in writes(session)] == ["/SaasManage/AddUsersAndGroupsToRole", "/Roles/UpdateRole"]


class TestFailedAfterWrites:
    """A failure after a write landed reports changed (review 26, H2)."""

    def test_a_refused_right_after_the_role_was_created_reports_changed(self, monkeypatch, capsys):
        tenant = Tenant(users=USERS)
        answers = tenant.answers()
        answers["/SaasManage/AssignSuperRights"] = refused("Not allowed.")
        serve(monkeypatch, answers)
        result = run_module(identity_role.main, dict(CONNECTION, name="New", administrative_rights=["User Management"]), capsys)
        assert result["failed"] is True and result["changed"] is True and "Not allowed." in result["msg"]
        assert "done before the failure: create role" in result["msg"]
        assert result["actions"] == ["create role"]  # only what was sent (re-review 26, N3)
        assert [r["Name"] for r in tenant.roles] == ["New"]

    def test_a_group_the_tenant_refuses_after_the_lookup_reports_the_role_created(self, monkeypatch, capsys):
        tenant = Tenant(users=USERS)
        answers = tenant.answers()
        answers["/SaasManage/AddUsersAndGroupsToRole"] = refused("Group Ops not found.")
        serve(monkeypatch, answers)
        result = run_module(identity_role.main, dict(CONNECTION, name="New", member_groups=["Ops"]), capsys)
        assert result["failed"] is True and result["changed"] is True
        assert result["msg"].startswith("member_groups: the tenant refused Ops: ")

    def test_a_change_the_read_back_does_not_show_reports_changed(self, monkeypatch, capsys):
        tenant = Tenant(roles=[AUDITORS], users=USERS)
        answers = tenant.answers()
        answers["/SaasManage/AssignSuperRights"] = success(None)  # answered, not applied
        serve(monkeypatch, answers)
        result = run_module(identity_role.main, dict(CONNECTION, name="Auditors", administrative_rights=["User Management"]), capsys)
        assert result["failed"] is True and result["changed"] is True
        assert result["role"]["administrative_rights"] == []  # as read back

    def test_a_refused_first_write_reports_no_change(self, monkeypatch, capsys):
        tenant = Tenant(roles=[AUDITORS], users=USERS)
        answers = tenant.answers()
        answers["/Roles/UpdateRole"] = refused("Not allowed.")
        serve(monkeypatch, answers)
        result = run_module(identity_role.main, dict(CONNECTION, name="Auditors", description="x"), capsys)
        assert result["failed"] is True and not result.get("changed")


class TestRightsByPath:
    """A path is taken as given, listed or not (review 26, M1); a name two rights share is refused (L10)."""

    def test_a_held_path_the_tenants_list_lacks_is_kept_under_purge(self, monkeypatch, capsys):
        tenant = Tenant(roles=[AUDITORS], users=USERS, rights={"role-1": [DSMAN, "ServiceRight/dpaShowTile"]})
        result, session = run(monkeypatch, capsys, tenant, name="Auditors", administrative_rights=["User Management", "ServiceRight/dpaShowTile"],
                              purge_administrative_rights=True)
        assert result["changed"] is False and writes(session) == []
        assert result["role"]["administrative_rights"] == ["ServiceRight/dpaShowTile", "User Management"]

    def test_a_path_the_tenants_list_lacks_is_sent_as_given(self, monkeypatch, capsys):
        tenant = Tenant(roles=[AUDITORS], users=USERS)
        tenant.rights.catalog.append({"Description": None, "Path": "ServiceRight/dpaShowTile"})  # assignable, listed without a name
        result, session = run(monkeypatch, capsys, tenant, name="Auditors", administrative_rights=["ServiceRight/dpaShowTile"])
        assert result["actions"] == ["assign administrative rights: ServiceRight/dpaShowTile"]
        assert writes(session) == [("/SaasManage/AssignSuperRights", [{"Role": "role-1", "Path": "ServiceRight/dpaShowTile"}])]

    def test_a_name_two_rights_share_is_refused_naming_their_paths(self, monkeypatch, capsys):
        tenant = Tenant(roles=[AUDITORS], users=USERS)
        tenant.rights.catalog.append({"Description": "User Management", "Path": "/lib/rights/dsman2.json"})
        result, session = run(monkeypatch, capsys, tenant, name="Auditors", administrative_rights=["User Management"])
        assert result["failed"] is True and writes(session) == []
        assert result["msg"] == ("administrative_rights: the tenant lists more than one right named User Management "
                                 "(/lib/rights/dsman.json, /lib/rights/dsman2.json): give the path of the one meant")


class TestRightsUnreadable:
    """A task that does not manage rights does not need them readable (review 26, M3)."""

    def test_a_role_is_deleted_though_its_rights_cannot_be_read(self, monkeypatch, capsys):
        tenant = Tenant(roles=[AUDITORS], users=USERS, rights={"role-1": [DSMAN]})
        answers = tenant.answers()
        answers["/UserMgmt/DirectoryServiceQuery"] = refused("Not authorized.")
        serve(monkeypatch, answers)
        result = run_module(identity_role.main, dict(CONNECTION, name="Auditors", state="absent", _ansible_diff=True), capsys)
        assert not result.get("failed") and result["changed"] is True and tenant.roles == []
        assert result["diff"]["before"]["administrative_rights"] is None, result
        assert "administrative rights of role Auditors cannot be read" in str(result["warnings"])

    def test_deleting_without_diff_reads_no_rights(self, monkeypatch, capsys):
        tenant = Tenant(roles=[AUDITORS], users=USERS, rights={"role-1": [DSMAN]})
        _result, session = run(monkeypatch, capsys, tenant, name="Auditors", state="absent")
        assert "/UserMgmt/DirectoryServiceQuery" not in session.paths() and tenant.roles == []

    def test_a_refused_list_of_rights_shows_paths_with_a_warning(self, monkeypatch, capsys):
        tenant = Tenant(roles=[AUDITORS], users=USERS, rights={"role-1": [DSMAN]})
        answers = tenant.answers()
        redrock_answer = answers["/Redrock/query"]
        answers["/Redrock/query"] = lambda m, u, kw: (
            refused("Not authorized.") if kw["json"]["Script"] == RoleRights.SCRIPT else redrock_answer(m, u, kw))
        serve(monkeypatch, answers)
        result = run_module(identity_role.main, dict(CONNECTION, name="Auditors", members=["john@acme.com"]), capsys)
        assert not result.get("failed") and result["role"]["administrative_rights"] == [DSMAN]
        assert "list of administrative rights cannot be read" in str(result["warnings"])

    def test_unreadable_rights_are_null_when_the_task_does_not_set_them(self, monkeypatch, capsys):
        tenant = Tenant(roles=[AUDITORS], users=USERS, rights={"role-1": [DSMAN]})
        answers = tenant.answers()
        answers["/UserMgmt/DirectoryServiceQuery"] = refused("Not authorized.")
        serve(monkeypatch, answers)
        result = run_module(identity_role.main, dict(CONNECTION, name="Auditors", description="New"), capsys)
        assert not result.get("failed") and result["changed"] is True and result["role"]["administrative_rights"] is None
        assert tenant.role("role-1")["Description"] == "New"

    def test_rights_the_task_sets_must_be_readable(self, monkeypatch, capsys):
        tenant = Tenant(roles=[AUDITORS], users=USERS)
        answers = tenant.answers()
        answers["/UserMgmt/DirectoryServiceQuery"] = refused("Not authorized.")
        serve(monkeypatch, answers)
        result = run_module(identity_role.main, dict(CONNECTION, name="Auditors", administrative_rights=["User Management"]), capsys)
        assert result["failed"] is True and "Not authorized." in result["msg"] and not result.get("changed")
