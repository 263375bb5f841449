# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""identity_role's administrative rights and its user, group and role members, and identity_role_info's rights, through
ansible-playbook against the simulator; the connection given per task, through module_defaults and through the
environment. The tenant's state is read in-process, writes through the simulator's counters: check mode writes
nothing, a second run writes nothing, a bad right writes nothing, and state=absent takes the role with its rights."""

from __future__ import annotations

import json

import pytest
from identity_it import SERVICE_ENV, connection_env, defaults_play, drop_user, save_task  # pylint: disable=import-error

ROLE = "IT Rights Admins"
NESTED = "IT Rights Auditors"
USER = "rights.jane@acme.com"
GROUP = "Helpdesk Staff"  # a directory group the simulator's tenant seeds
DSMAN = "/lib/rights/dsman.json"
PORTAL = "/lib/rights/adminportallogin.json"
WANTED = {"name": ROLE, "description": "Users, nothing else", "administrative_rights": ["User Management", "admin portal login"],
          "purge_administrative_rights": True, "members": [USER], "member_groups": [GROUP], "member_roles": [NESTED]}


@pytest.fixture
def tenant(sim):
    state = sim.sim.world.tenants[0]

    def clean():
        with state.lock:
            for role in [r for r in state.roles.values() if r["Name"] in (ROLE, NESTED)]:
                state.remove_role(role["ID"])
        drop_user(state, USER)
    clean()
    with state.lock:
        state.add_user({"Name": USER, "Mail": USER})
        state.add_role({"Name": NESTED})
    yield state
    clean()


def stored(state, name=ROLE) -> dict | None:
    with state.lock:
        return next((dict(r) for r in state.roles.values() if r["Name"] == name), None)


def writes(sim) -> int:
    return sim.get("requests")["writes"]


def role_play(tmp_path, sim, name: str, role: dict, check_mode: bool = False, diff: bool = False, connection: dict | None = None) -> str:
    task = {"name": "The role", "cyberark_community.identity.identity_role": dict(role, **(connection or {})), "register": "role",
            "check_mode": check_mode, "diff": diff}
    info = {"name": "Read back", "cyberark_community.identity.identity_role_info": dict({"name": [role["name"]]}, **(connection or {})),
            "register": "info"}
    return defaults_play(tmp_path / f"{name}.yml", sim, name, [task, info, save_task("role", "info")])


def test_check_mode_then_apply_then_nothing_more(sim, tenant, run_playbook, tmp_path):
    before = writes(sim)
    checked = run_playbook(role_play(tmp_path, sim, "check", WANTED, check_mode=True, diff=True), env=SERVICE_ENV)
    assert checked.rc == 0, checked.output[-3000:]
    assert checked.result["role"]["actions"] == [
        "create role", "assign administrative rights: Admin Portal Login, User Management", f"add members: {USER}",
        f"add member groups: {GROUP}", f"add member roles: {NESTED}"]
    assert checked.result["role"]["diff"]["before"] == {}
    assert checked.result["role"]["diff"]["after"]["administrative_rights"] == ["Admin Portal Login", "User Management"]
    assert writes(sim) == before and stored(tenant) is None

    applied = run_playbook(role_play(tmp_path, sim, "apply", WANTED, diff=True), env=SERVICE_ENV)
    assert applied.rc == 0, applied.output[-3000:]
    role = stored(tenant)
    assert sorted(role["Rights"]) == [PORTAL, DSMAN]
    assert role["Members"] == [tenant.find_user(USER)["Uuid"]] and len(role["Groups"]) == 1
    assert role["RoleMembers"] == [stored(tenant, NESTED)["ID"]]
    result = applied.result["role"]["role"]
    assert result == {"id": role["ID"], "name": ROLE, "description": "Users, nothing else", "members": [USER], "member_groups": [GROUP],
                      "member_roles": [NESTED], "administrative_rights": ["Admin Portal Login", "User Management"]}
    assert applied.result["info"]["roles"][0]["administrative_rights"] == [
        {"name": "Admin Portal Login", "path": PORTAL}, {"name": "User Management", "path": DSMAN}]

    before = writes(sim)
    again = run_playbook(role_play(tmp_path, sim, "again", WANTED, diff=True), env=SERVICE_ENV)
    assert again.rc == 0, again.output[-3000:]
    assert again.result["role"]["changed"] is False and again.result["role"]["actions"] == []
    assert again.result["role"]["diff"]["before"] == again.result["role"]["diff"]["after"]
    assert writes(sim) == before


def test_purge_takes_unlisted_rights_and_members(sim, tenant, run_playbook, tmp_path):
    with tenant.lock:
        role = tenant.add_role({"Name": ROLE, "Rights": [DSMAN, "/lib/rights/appman.json"], "Groups": [tenant.info["groups"][0]["Guid"]],
                                "RoleMembers": [stored(tenant, NESTED)["ID"]]})
    wanted = {"name": ROLE, "administrative_rights": ["User Management"], "purge_administrative_rights": True, "member_groups": [],
              "purge_member_groups": True, "member_roles": [], "purge_member_roles": True}
    run = run_playbook(role_play(tmp_path, sim, "purge", wanted), env=SERVICE_ENV)
    assert run.rc == 0, run.output[-3000:]
    assert run.result["role"]["actions"] == ["unassign administrative rights: Application Management",
                                             f"remove member groups: {GROUP}", f"remove member roles: {NESTED}"]
    assert stored(tenant)["Rights"] == [DSMAN] and stored(tenant)["Groups"] == [] and stored(tenant)["RoleMembers"] == []
    assert role["ID"] == run.result["role"]["role"]["id"]


def test_an_unknown_right_fails_naming_the_option_and_writes_nothing(sim, tenant, run_playbook, tmp_path):
    before = writes(sim)
    task = {"name": "Bad right", "cyberark_community.identity.identity_role": {"name": ROLE, "administrative_rights": ["User Managment"]},
            "register": "role", "ignore_errors": True}
    run = run_playbook(defaults_play(tmp_path / "bad.yml", sim, "Bad right", [task, save_task("role")]), env=SERVICE_ENV)
    assert run.rc == 0, run.output[-3000:]
    result = run.result["role"]
    assert result["failed"] is True and "Traceback" not in run.output
    assert result["msg"].startswith("administrative_rights: the tenant has no administrative right named User Managment; its rights are: ")
    assert "User Management" in result["msg"]
    assert writes(sim) == before and stored(tenant) is None


def test_an_unknown_group_fails_naming_the_option_before_any_write(sim, tenant, run_playbook, tmp_path):
    # looked up in every directory service before any write (review 26, H3): the description does not change first
    with tenant.lock:
        tenant.add_role({"Name": ROLE, "Description": "Before"})
    before = writes(sim)
    task = {"name": "Bad group", "cyberark_community.identity.identity_role": {"name": ROLE, "description": "After",
                                                                               "member_groups": [GROUP, "No Such Group"],
                                                                               "administrative_rights": ["User Management"]},
            "register": "role", "ignore_errors": True}
    run = run_playbook(defaults_play(tmp_path / "group.yml", sim, "Bad group", [task, save_task("role")]), env=SERVICE_ENV)
    assert run.rc == 0, run.output[-3000:]
    result = run.result["role"]
    assert result["failed"] is True and result["changed"] is False
    assert result["msg"].startswith("member_groups: no directory group named No Such Group ")
    assert writes(sim) == before
    assert stored(tenant)["Description"] == "Before" and stored(tenant)["Rights"] == [] and stored(tenant)["Groups"] == []


def test_a_failure_after_the_role_was_created_reports_changed(sim, tenant, run_playbook, tmp_path):
    # a path is sent as given (review 26, M1); the tenant refuses one it does not know after the role was stored (H2)
    task = {"name": "Refused right", "cyberark_community.identity.identity_role": {"name": ROLE, "administrative_rights": ["/lib/rights/nothere.json"]},
            "register": "role", "ignore_errors": True}
    run = run_playbook(defaults_play(tmp_path / "after.yml", sim, "Refused right", [task, save_task("role")]), env=SERVICE_ENV)
    assert run.rc == 0, run.output[-3000:]
    result = run.result["role"]
    assert result["failed"] is True and result["changed"] is True
    assert result["msg"].endswith("; done before the failure: create role")
    assert stored(tenant) is not None and stored(tenant)["Rights"] == []


def test_state_absent_deletes_the_role_with_its_rights_and_refuses_rights_options(sim, tenant, run_playbook, tmp_path):
    with tenant.lock:
        tenant.add_role({"Name": ROLE, "Rights": [DSMAN]})
    tasks = [
        {"name": "Rights with absent", "cyberark_community.identity.identity_role": {"name": ROLE, "state": "absent",
                                                                                     "administrative_rights": ["User Management"]},
         "register": "refused", "ignore_errors": True},
        {"name": "Absent", "cyberark_community.identity.identity_role": {"name": ROLE, "state": "absent"}, "register": "gone", "diff": True},
        save_task("refused", "gone"),
    ]
    run = run_playbook(defaults_play(tmp_path / "absent.yml", sim, "Absent", tasks), env=SERVICE_ENV)
    assert run.rc == 0, run.output[-3000:]
    assert run.result["refused"]["msg"] == "administrative_rights has no meaning with state=absent (a deleted role holds nothing)"
    assert run.result["gone"]["diff"]["before"]["administrative_rights"] == ["User Management"]
    assert stored(tenant) is None


def test_the_connection_per_task_and_from_the_environment(sim, tenant, run_playbook, tmp_path):
    per_task = {"tenant_url": sim.legacy["system_url"], "ca_path": sim.ca_path, "client_id": "ansible-svc@acme.com",
                "client_secret": "Svc-S3cret-Value!"}
    wanted = {"name": ROLE, "administrative_rights": ["User Management"]}
    run = run_playbook(role_play(tmp_path, sim, "per_task", wanted, connection=per_task), env={})
    assert run.rc == 0, run.output[-3000:]
    assert stored(tenant)["Rights"] == [DSMAN]
    # everything from the environment: a play without module_defaults
    task = {"name": "From the environment", "cyberark_community.identity.identity_role": dict(wanted, member_roles=[NESTED]), "register": "role"}
    path = tmp_path / "env.yml"
    play = [{"name": "Env", "hosts": "localhost", "gather_facts": False,
             "vars": {"ansible_python_interpreter": "{{ ansible_playbook_python }}"}, "tasks": [task, save_task("role")]}]
    path.write_text(json.dumps(play), encoding="utf-8")
    run = run_playbook(str(path), env=connection_env(sim, client_id="ansible-svc@acme.com", client_secret="Svc-S3cret-Value!"))
    assert run.rc == 0, run.output[-3000:]
    assert run.result["role"]["actions"] == [f"add member roles: {NESTED}"]


@pytest.mark.parametrize("case", ["lower", "title"])
@pytest.mark.parametrize("lists", ["one_per_call", "any"])
def test_members_under_every_reading(sim, tenant, run_playbook, tmp_path, case, lists):
    sim.post("config", {"readings": {"member_type_case": case, "member_lists": lists}})
    run = run_playbook(role_play(tmp_path, sim, "readings", WANTED), env=SERVICE_ENV)
    assert run.rc == 0, run.output[-3000:]
    assert run.result["role"]["role"]["member_groups"] == [GROUP] and run.result["role"]["role"]["member_roles"] == [NESTED]
    before = writes(sim)
    again = run_playbook(role_play(tmp_path, sim, "readings_again", WANTED), env=SERVICE_ENV)
    assert again.rc == 0 and again.result["role"]["changed"] is False and writes(sim) == before
