# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""identity_role_info through main(), over a fake tenant: roles by exact name, missing names, members on request."""

from __future__ import annotations

from identity_fakes import CONNECTION, RoleRights, redrock, refused, run_module, serve, success, table  # pylint: disable=import-error

from ansible_collections.cyberark_community.identity.plugins.modules import identity_role_info

ROLES = [{"ID": "r2", "Name": "System Administrator", "Description": None, "RoleType": "PrincipalList"},
         {"ID": "r1", "Name": "Auditors", "Description": "Reads logs", "RoleType": "PrincipalList"}]
MEMBERS = {"r1": [{"Guid": "u1", "Name": "jane@acme.com", "Type": "User"}, {"Guid": "g1", "Name": "Ops", "Type": "Group"}]}


def run(monkeypatch, capsys, rights=None, **args):
    def members(_method, _url, kwargs):
        return success(table(MEMBERS.get(kwargs["json"]["Name"], []), key="Guid"))
    answers = RoleRights(lambda: ROLES, rights).answers(redrock({"Role": ROLES}))
    session = serve(monkeypatch, dict(answers, **{"/Roles/GetRoleMembers": members}))
    return run_module(identity_role_info.main, dict(CONNECTION, **args), capsys), session


def test_every_role_sorted_by_name_without_members(monkeypatch, capsys):
    result, session = run(monkeypatch, capsys)
    assert result["changed"] is False and result["missing"] == []
    assert result["roles"] == [{"id": "r1", "name": "Auditors", "description": "Reads logs", "administrative_rights": []},
                               {"id": "r2", "name": "System Administrator", "description": None, "administrative_rights": []}]
    # no role holds a right: the tenant's list of rights is not read
    assert session.paths() == ["/Redrock/query", "/Core/GetDirectoryServices", "/UserMgmt/DirectoryServiceQuery"]
    assert session.calls[0]["json"]["Script"] == "Select ID, Name, Description from Role"


def test_rights_of_every_role_in_two_requests_and_named_by_the_tenants_list(monkeypatch, capsys):
    result, session = run(monkeypatch, capsys, rights={"r1": ["/lib/rights/dsman.json", "ServiceRight/dpaShowTile"], "r2": ["/lib/rights/appman.json"]})
    assert [r["administrative_rights"] for r in result["roles"]] == [
        [{"name": None, "path": "ServiceRight/dpaShowTile"}, {"name": "User Management", "path": "/lib/rights/dsman.json"}],
        [{"name": "Application Management", "path": "/lib/rights/appman.json"}]]
    assert session.paths() == ["/Redrock/query", "/Core/GetDirectoryServices", "/UserMgmt/DirectoryServiceQuery", "/Redrock/query"]
    query = session.calls[2]["json"]
    assert query["roles"] == "{}" and query["Args"] == {"PageNumber": 1, "PageSize": 10000, "Limit": 10000}
    assert query["directoryServices"] == ["09B9A9B0-6CE8-465F-AB03-65766D33B05E"]


def test_named_roles_match_exactly_and_the_others_are_missing_once_each(monkeypatch, capsys):
    result, _session = run(monkeypatch, capsys, name=["Auditors", "auditors", "Nobody", "Nobody"])
    assert [r["name"] for r in result["roles"]] == ["Auditors"]
    assert result["missing"] == ["auditors", "Nobody"]


def test_members_are_read_per_role_found_with_their_type(monkeypatch, capsys):
    result, session = run(monkeypatch, capsys, name=["Auditors"], with_members=True)
    assert result["roles"][0]["members"] == [{"id": "u1", "name": "jane@acme.com", "type": "User"},
                                             {"id": "g1", "name": "Ops", "type": "Group"}]
    assert [c["json"] for c in session.calls if c["path"] == "/Roles/GetRoleMembers"] == [{"Name": "r1"}]


def test_member_types_are_reported_in_one_case(monkeypatch, capsys):
    members = dict(MEMBERS, r9=[{"Guid": "r1", "Name": "Auditors", "Type": "role"}])  # a copy: MEMBERS stays as the other tests read it
    roles = ROLES + [{"ID": "r9", "Name": "Nest", "Description": None, "RoleType": "PrincipalList"}]
    answers = RoleRights(lambda: roles).answers(redrock({"Role": roles}))
    serve(monkeypatch, dict(answers, **{"/Roles/GetRoleMembers": lambda _m, _u, kw: success(table(members[kw["json"]["Name"]], key="Guid"))}))
    result = run_module(identity_role_info.main, dict(CONNECTION, name=["Nest"], with_members=True), capsys)
    assert result["roles"][0]["members"] == [{"id": "r1", "name": "Auditors", "type": "Role"}]


def test_nothing_asked_that_exists_reads_no_rights(monkeypatch, capsys):
    result, session = run(monkeypatch, capsys, name=["Nobody"])
    assert result["roles"] == [] and session.paths() == ["/Redrock/query"]


def test_a_name_with_a_control_character_fails_naming_the_option_before_any_request(monkeypatch, capsys):
    result, session = run(monkeypatch, capsys, name=["Audi\ttors"])
    assert result["failed"] is True and result["msg"].startswith("name: 'Audi\\ttors'") and session.calls == []


def test_the_fake_tenants_members_are_not_changed_by_a_test():
    assert set(MEMBERS) == {"r1"}


def test_without_rights_only_the_role_table_is_read(monkeypatch, capsys):
    # review 26, M3: listing roles need not depend on DirectoryServiceQuery or the rights script
    result, session = run(monkeypatch, capsys, rights={"r1": ["/lib/rights/dsman.json"]}, with_rights=False)
    assert session.paths() == ["/Redrock/query"]
    assert result["roles"] == [{"id": "r1", "name": "Auditors", "description": "Reads logs"},
                               {"id": "r2", "name": "System Administrator", "description": None}]


def test_a_refused_list_of_rights_leaves_their_names_null_with_a_warning(monkeypatch, capsys):
    answers = RoleRights(lambda: ROLES, {"r1": ["/lib/rights/dsman.json"]}).answers(redrock({"Role": ROLES}))
    tables = answers["/Redrock/query"]
    answers["/Redrock/query"] = lambda m, u, kw: refused("Not authorized.") if kw["json"]["Script"] == RoleRights.SCRIPT else tables(m, u, kw)
    serve(monkeypatch, answers)
    result = run_module(identity_role_info.main, dict(CONNECTION), capsys)
    assert not result.get("failed")
    assert result["roles"][0]["administrative_rights"] == [{"name": None, "path": "/lib/rights/dsman.json"}]
    assert "list of administrative rights cannot be read" in str(result["warnings"])


def test_rights_the_tenant_refuses_to_show_fail_saying_how_to_list_without_them(monkeypatch, capsys):
    answers = RoleRights(lambda: ROLES).answers(redrock({"Role": ROLES}))
    answers["/UserMgmt/DirectoryServiceQuery"] = refused("Not authorized.")
    serve(monkeypatch, answers)
    result = run_module(identity_role_info.main, dict(CONNECTION), capsys)
    assert result["failed"] is True and "Not authorized." in result["msg"] and result["msg"].endswith("with_rights=false lists the roles without them")
