# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""identity_tenant_capture through main(), over a fake tenant: the variables captured (roles ordered, rights by name,
service users inline), the files written owner-only and not in check mode, no change on a second run, drift against
kept files, the requests it reads with, bad options refused before any request."""

from __future__ import annotations

import os

import pytest
import yaml
from identity_fakes import CONNECTION, RoleRights, directory, run_module, serve, success, table  # pylint: disable=import-error

from ansible_collections.cyberark_community.identity.plugins.modules import identity_tenant_capture

ROLES = [{"ID": "r1", "Name": "Help Desk", "Description": "First line"}, {"ID": "r2", "Name": "Auditors", "Description": None},
         {"ID": "r0", "Name": "Everybody", "Description": None}]
USERS = [
    {"ID": "u1", "Name": "jane@acme.com", "DisplayName": "Jane", "Mail": "jane@acme.com", "ReportsTo": "u2", "InEverybodyRole": True, "roles": ["r1"]},
    {"ID": "u2", "Name": "boss@acme.com", "DisplayName": "Boss", "Mail": "boss@acme.com", "ReportsTo": "Unassigned", "InEverybodyRole": True},
    {"ID": "u3", "Name": "app@acme.com", "Mail": None, "InEverybodyRole": False, "OauthClient": True, "roles": ["r2"]},
    {"ID": "u4", "Name": "backup@acme.com", "Mail": "backup@acme.com", "InEverybodyRole": False},
    {"ID": "u5", "Name": "alero-integration-user$@acme.com", "Mail": None, "InEverybodyRole": False},
]
SUFFIXES = [{"ID": "acme.com", "CdsAlias": True, "ReplaceDomain": None}, {"ID": "corp.acme.local", "CdsAlias": False, "ReplaceDomain": None}]


def tenant(schema=()):
    rights = RoleRights(lambda: ROLES, {"r1": ["/lib/rights/dsman.json", "ServiceRight/dpaShowTile"]})
    answers = rights.answers(directory(USERS, ROLES)["/Redrock/query"])
    plain = directory(USERS, ROLES)
    answers["/CDirectoryService/GetUser"] = plain["/CDirectoryService/GetUser"]

    def members(_method, _url, kwargs):
        role = kwargs["json"]["Name"]
        found = [{"Guid": u["ID"], "Name": u["Name"], "Type": "User"} for u in USERS if role in (u.get("roles") or [])]
        if role == "r1":
            found += [{"Guid": "g1", "Name": "Ops", "Type": "Group"}, {"Guid": "r2", "Name": "Auditors", "Type": "Role"}]
        return success(table(found, key="Guid"))
    answers["/Roles/GetRoleMembers"] = members
    answers["/Core/GetAliasesForTenant"] = success(table(SUFFIXES, entity_type="Alias"))
    answers["/ExtData/GetSchema"] = success({"Columns": [{"Name": a, "Title": a, "Type": "Text"} for a in schema]})
    answers["/ExtData/GetColumns"] = lambda _m, _u, kwargs: success({"CostCenter": "CC-" + kwargs["json"]["ID"]})
    return answers


def run(monkeypatch, capsys, schema=("CostCenter",), **args):
    session = serve(monkeypatch, tenant(schema))
    return run_module(identity_tenant_capture.main, dict(CONNECTION, **args), capsys), session


def test_the_variables_captured_without_files(monkeypatch, capsys):
    result, session = run(monkeypatch, capsys, attributes=[])
    captured = result["captured"]
    assert result["changed"] is False and result["users_file"] == {} and result["drift"] == {} and result["drifted"] is False
    assert captured["identity_onboarding_login_suffixes"] == ["acme.com"]
    assert captured["identity_onboarding_roles"] == [
        {"name": "Auditors", "administrative_rights": [], "purge_administrative_rights": True, "member_groups": [], "purge_member_groups": True,
         "member_roles": [], "purge_member_roles": True},
        {"name": "Help Desk", "description": "First line", "administrative_rights": ["ServiceRight/dpaShowTile", "User Management"],
         "purge_administrative_rights": True, "member_groups": ["Ops"], "purge_member_groups": True, "member_roles": ["Auditors"],
         "purge_member_roles": True}]
    users = captured["identity_onboarding_users"]
    assert [u["name"] for u in users] == ["app@acme.com", "backup@acme.com", "boss@acme.com", "jane@acme.com"]
    assert users[3] == {"name": "jane@acme.com", "email": "jane@acme.com", "display_name": "Jane", "reports_to": "boss@acme.com",
                        "roles": ["Help Desk"], "purge_roles": True}
    assert users[0] == {"name": "app@acme.com", "service_user": True, "oauth_client": True, "roles": ["Auditors"], "purge_roles": True}
    assert captured["remote_access_onboarding_integration_suffix"] == "acme.com"
    names = {item["name"] for item in result["not_captured"]}
    assert {"corp.acme.local", "alero-integration-user$@acme.com", "backup@acme.com", "passwords", "Remote Access portal settings"} <= names
    assert "app@acme.com" not in names
    assert [m["variable"] for m in result["must_supply"]] == [
        "remote_access_onboarding_integration_password", "identity_onboarding_users[app@acme.com].password",
        "identity_onboarding_users[backup@acme.com].password"]
    # reads only: one GetRoleMembers per role but Everybody, GetUser only for the users outside Everybody
    paths = session.paths()
    assert paths.count("/Roles/GetRoleMembers") == 2 and paths.count("/CDirectoryService/GetUser") == 2
    assert not any(p.startswith(("/SaasManage", "/CDirectoryService/Create", "/CDirectoryService/Change", "/Core/Store")) for p in paths)


def test_files_written_owner_only_not_in_check_mode_and_a_second_run_changes_nothing(monkeypatch, capsys, tmp_path):
    dest, users_dest = str(tmp_path / "t" / "acme.yml"), str(tmp_path / "t" / "acme_users.csv")
    checked, _session = run(monkeypatch, capsys, dest=dest, users_dest=users_dest, attributes=["CostCenter"], _ansible_check_mode=True)
    assert checked["changed"] is True and not os.path.exists(dest) and not os.path.exists(users_dest)
    result, _session = run(monkeypatch, capsys, dest=dest, users_dest=users_dest, attributes=["CostCenter"])
    assert result["changed"] is True and os.stat(dest).st_mode & 0o777 == 0o600 and os.stat(users_dest).st_mode & 0o777 == 0o600
    text = open(dest, encoding="utf-8").read()
    assert text.startswith("# The onboarding state") and "#   alero-integration-user$@acme.com (users)" in text
    kept = yaml.safe_load(text)
    assert kept == result["captured"] and kept["identity_onboarding_import_file"] == users_dest
    assert kept["identity_onboarding_import_roles_mode"] == "exact"
    assert [u["name"] for u in kept["identity_onboarding_users"]] == ["app@acme.com", "backup@acme.com"]  # service users stay inline
    assert result["users_file"] == {"path": users_dest, "format": "csv", "users": 2, "headers": result["users_file"]["headers"]}
    assert result["users_file"]["headers"][-1] == "CostCenter"
    lines = open(users_dest, encoding="utf-8").read().splitlines()
    assert lines[1] == "boss@acme.com,boss@acme.com,Boss,,,,,,,,,,,CC-u2"
    assert lines[2] == "jane@acme.com,jane@acme.com,Jane,,,,,Help Desk,,,,,boss@acme.com,CC-u1"
    again, _session = run(monkeypatch, capsys, dest=dest, users_dest=users_dest, attributes=["CostCenter"], _ansible_diff=True)
    assert again["changed"] is False and again["drifted"] is False
    assert again["drift"] == {k: {"added": [], "removed": [], "changed": []} for k in ("login_suffixes", "roles", "users")}
    assert again["diff"][0]["before"] == again["diff"][0]["after"] and again["diff"][1]["after"] == "2 users\n"


def test_drift_against_kept_files(monkeypatch, capsys, tmp_path):
    dest, users_dest = str(tmp_path / "acme.yml"), str(tmp_path / "acme_users.csv")
    run(monkeypatch, capsys, dest=dest, users_dest=users_dest, attributes=[])
    kept = yaml.safe_load(open(dest, encoding="utf-8"))
    kept["identity_onboarding_login_suffixes"].append("old.acme.com")
    kept["identity_onboarding_roles"] = [r for r in kept["identity_onboarding_roles"] if r["name"] != "Auditors"]
    kept["identity_onboarding_roles"][0]["description"] = "Kept description"
    kept["identity_onboarding_users"][0]["roles"] = []
    with open(dest, "w", encoding="utf-8") as handle:
        yaml.safe_dump(kept, handle)
    with open(users_dest, encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    with open(users_dest, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines[:2] + ["gone@acme.com,gone@acme.com,,,,,,,,,,,,"]) + "\n")
    result, _session = run(monkeypatch, capsys, dest=dest, users_dest=users_dest, attributes=[], _ansible_check_mode=True)
    assert result["drifted"] is True and result["changed"] is True
    assert result["drift"] == {
        "login_suffixes": {"added": [], "removed": ["old.acme.com"], "changed": []},
        "roles": {"added": ["Auditors"], "removed": [], "changed": ["Help Desk"]},
        "users": {"added": ["jane@acme.com"], "removed": ["gone@acme.com"], "changed": ["app@acme.com"]}}
    assert yaml.safe_load(open(dest, encoding="utf-8")) == kept  # check mode: the kept file is untouched


def test_every_attribute_the_tenant_defines_unless_told(monkeypatch, capsys):
    result, session = run(monkeypatch, capsys)
    jane = next(u for u in result["captured"]["identity_onboarding_users"] if u["name"] == "jane@acme.com")
    assert jane["attributes"] == {"CostCenter": "CC-u1"}
    assert session.paths().count("/ExtData/GetColumns") == 4  # one per user but the provisioned one


def test_managers_come_before_their_reports_inline():
    users = [{"name": "a@acme.com", "reports_to": "c@acme.com"}, {"name": "b@acme.com"}, {"name": "c@acme.com", "reports_to": "B@acme.com"}]
    ordered = identity_tenant_capture._capture.ordered_users(users)  # pylint: disable=protected-access
    assert [u["name"] for u in ordered] == ["b@acme.com", "c@acme.com", "a@acme.com"]


def test_kinds_limit_what_is_read(monkeypatch, capsys):
    result, session = run(monkeypatch, capsys, kinds=["login_suffixes"])
    assert result["captured"] == {"identity_onboarding_login_suffixes": ["acme.com"]}
    assert session.paths() == ["/Core/GetAliasesForTenant"]


def test_an_attribute_the_tenant_does_not_define_fails_naming_the_option(monkeypatch, capsys):
    result, _session = run(monkeypatch, capsys, attributes=["Missing"])
    assert result["failed"] is True and "attributes: the tenant defines no additional attribute named Missing" in result["msg"]


@pytest.mark.parametrize("args, message", [
    ({"dest": "acme.json"}, "dest must end in .yml or .yaml"),
    ({"users_dest": "users.txt"}, "users_dest must end in .csv or .xlsx"),
    ({"users_dest": "users.csv", "kinds": ["roles"]}, "users_dest needs users in kinds"),
    ({"import_file": "users.csv"}, "import_file needs users_dest"),
    ({"kinds": []}, "kinds must name at least one kind"),
    ({"concurrency": 0}, "concurrency must be between 1 and 16"),
    ({"page_size": 0}, "page_size must be between 1 and 10,000"),
    ({"attributes": [" "]}, "attributes: ' ' is empty"),
    ({"attributes": ["Roles"]}, "attributes: Roles is a header of the import format already"),
])
def test_bad_options_fail_before_any_request(monkeypatch, capsys, tmp_path, args, message):
    for key in ("dest", "users_dest"):
        if key in args:
            args[key] = str(tmp_path / args[key])
    result, session = run(monkeypatch, capsys, **args)
    assert result["failed"] is True and message in result["msg"] and session.calls == []


def test_a_kept_file_that_is_not_variables_fails_naming_dest(monkeypatch, capsys, tmp_path):
    dest = tmp_path / "acme.yml"
    dest.write_text("- a list\n", encoding="utf-8")
    result, _session = run(monkeypatch, capsys, dest=str(dest))
    assert result["failed"] is True and "dest: " in result["msg"] and "does not hold a mapping of variables" in result["msg"]
    dest.write_text("a: [\n", encoding="utf-8")
    result, _session = run(monkeypatch, capsys, dest=str(dest))
    assert result["failed"] is True and "is not YAML" in result["msg"]


def test_a_symbolic_link_at_dest_is_refused(monkeypatch, capsys, tmp_path):
    target = tmp_path / "elsewhere.yml"
    target.write_text("a: 1\n", encoding="utf-8")
    os.symlink(target, tmp_path / "acme.yml")
    result, session = run(monkeypatch, capsys, dest=str(tmp_path / "acme.yml"))
    assert result["failed"] is True and "symbolic link" in result["msg"] and session.calls == []
