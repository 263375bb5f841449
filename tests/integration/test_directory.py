# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""identity_user, identity_role, identity_login_suffix and identity_user_info through real playbooks.

The playbooks check every outcome in the simulator's state through ``/_sim/``; these tests add the checks
that need the whole run (output, failures) and a state comparison before and after bad input.
"""

from __future__ import annotations

import pytest

# The connection secret travels in the environment, as an AWX credential injects it: a -vvvv run prints
# the ansible-playbook command line, extra vars included.
SERVICE_ENV = {"CYBERARK_IDENTITY_CLIENT_ID": "ansible-svc@acme.com", "CYBERARK_IDENTITY_CLIENT_SECRET": "Svc-S3cret-Value!"}


def play_vars(sim, **extra):
    return dict(identity_tenant_url=sim.legacy["system_url"], identity_ca_path=sim.ca_path, sim_url=sim.base, sim_token=sim.token, **extra)


def test_user_lifecycle(sim, run_playbook):
    run = run_playbook("identity_user.yml", extra_vars=play_vars(sim), env=SERVICE_ENV, verbosity=4)
    assert run.rc == 0, run.output[-6000:]
    for secret in ("Init-Passw0rd-1", "Another-Passw0rd-2", "Svc-Passw0rd-99", "Svc-S3cret-Value!"):
        assert secret not in run.output
    assert sim.get("unknown_fields") == {}


GOOD = {"name": "bad.input@acme.com", "email": "bad.input@acme.com", "password": "Good-Passw0rd-1", "roles": ["System Administrator"]}


@pytest.mark.parametrize("override, field, words", [
    ({"name": "bad input!@acme.com"}, "name", "characters a login name cannot hold"),
    ({"name": "someone@unknown.example"}, "name", "acme.com"),
    ({"email": "N/A"}, "email", "not a valid email address"),
    ({"description": "x" * 129}, "description", "129 characters long; the limit is 128"),
    ({"mobile_number": "555-12"}, "mobile_number", "E.164"),
    ({"password": "weakpass"}, "password", "default password policy"),
    ({"roles": ["system administrator"]}, "roles", "case-sensitive"),
], ids=["login_characters", "unknown_suffix", "na_email", "long_description", "bad_phone", "weak_password", "unknown_role"])
def test_bad_input_names_the_field_and_changes_nothing(sim, run_playbook, override, field, words):
    before = sim.tenant_state("ABC1234")
    run = run_playbook("identity_user_bad_input.yml", extra_vars=play_vars(sim, user=dict(GOOD, **override)), env=SERVICE_ENV)
    result = run.result
    assert result.get("failed") is True, run.output[-3000:]
    assert result["msg"].startswith(field) and words in result["msg"]
    assert sim.get("requests")["writes"] == 0

    def without_logins(users):  # a login records LastLogin, as the service does; nothing else may change
        return [{k: v for k, v in u.items() if k != "LastLogin"} for u in users]
    assert without_logins(sim.tenant_state("ABC1234")["users"]) == without_logins(before["users"])
    assert "Good-Passw0rd-1" not in run.output and "weakpass" not in result["msg"]


def test_tenant_password_policy_error_is_passed_through(sim, run_playbook):
    sim.sim.world.tenants[0].info["password_policy"] = {"min_length": 20}
    try:
        run = run_playbook("identity_user_bad_input.yml", extra_vars=play_vars(sim, user=dict(GOOD, roles=[])), env=SERVICE_ENV)
    finally:
        sim.sim.world.tenants[0].info["password_policy"] = {"min_length": 8}
    assert run.result.get("failed") is True
    assert "POST /CDirectoryService/CreateUser failed" in run.result["msg"] and "at least 20 characters" in run.result["msg"]
    assert "Good-Passw0rd-1" not in run.output
    assert "bad.input@acme.com" not in {u["Name"] for u in sim.tenant_state("ABC1234")["users"]}


def test_ad_suffix_warns_that_the_user_goes_to_the_cloud_directory(sim, run_playbook):
    user = dict(GOOD, name="ad.user@corp.acme.local", roles=[])
    run = run_playbook("identity_user_bad_input.yml", extra_vars=play_vars(sim, user=user), env=SERVICE_ENV)
    assert run.result.get("changed") is True, run.output[-3000:]
    assert "not in that directory" in str(run.result.get("warnings"))
    names = {u["Name"] for u in sim.tenant_state("ABC1234")["users"]}
    assert "ad.user@corp.acme.local" in names
    tenant = sim.sim.world.tenants[0]
    tenant.remove_user(tenant.find_user("ad.user@corp.acme.local")["Uuid"])


def test_login_suffix_and_role_cycles(sim, run_playbook):
    run = run_playbook("identity_role_and_suffix.yml", extra_vars=play_vars(sim), env=SERVICE_ENV)
    assert run.rc == 0, run.output[-6000:]
    assert sim.get("unknown_fields") == {}


def test_user_info_pages_through_every_user(sim, run_playbook):
    stored = sim.tenant_state("ABC1234")["users"]
    run = run_playbook("identity_user_info.yml", extra_vars=play_vars(sim, info_page_size=1, info_with_roles=True), env=SERVICE_ENV)
    assert run.result.get("failed") is not True, run.output[-3000:]
    users = run.result["users"]
    assert sorted(u["name"] for u in users) == sorted(u["Name"] for u in stored)
    by_name = {u["Name"]: u for u in stored}
    for user in users:
        assert user["id"] == by_name[user["name"]]["Uuid"] and user["email"] == by_name[user["name"]]["Mail"]
        assert "roles" in user
    pages = sim.get("requests")["by_path"]["/redrock/query"]
    assert pages >= len(stored)  # one row per page
    assert sim.get("requests")["writes"] == 0


def test_user_info_reads_roles_by_role_not_by_user(sim, run_playbook):
    state = sim.sim.world.tenants[0]
    with state.lock:
        extra = [state.add_user({"Name": f"lister{i}@acme.com", "Mail": f"lister{i}@acme.com"}) for i in range(6)]
        team = state.add_role({"Name": "Listers", "Members": [u["Uuid"] for u in extra[:4]]})
    try:
        stored = sim.tenant_state("ABC1234")
        run = run_playbook("identity_user_info.yml", extra_vars=play_vars(sim, info_with_roles=True), env=SERVICE_ENV)
        assert run.result.get("failed") is not True, run.output[-3000:]
        expected = {u["Name"]: sorted(r["Name"] for r in stored["roles"] if u["Uuid"] in r["Members"]) for u in stored["users"]}
        assert {u["name"]: u["roles"] for u in run.result["users"]} == expected
        paths = sim.get("requests")["by_path"]
        if len(stored["roles"]) < len(stored["users"]):  # one read per role, not one per user
            assert paths["/roles/getrolemembers"] == len(stored["roles"])
            assert "/usermgmt/getusersrolesandadministrativerights" not in paths
        else:
            assert paths["/usermgmt/getusersrolesandadministrativerights"] == len(stored["users"])
        assert paths["/cdirectoryservice/getuser"] == len(stored["users"])
    finally:
        with state.lock:
            for user in extra:
                state.remove_user(user["Uuid"])
            state.roles.pop(team["ID"], None)


def test_user_info_by_name_id_and_search(sim, run_playbook):
    admin = next(u for u in sim.tenant_state("ABC1234")["users"] if u["Name"] == "admin@acme.com")
    run = run_playbook("identity_user_info.yml", extra_vars=play_vars(sim, info_name=["ADMIN@acme.com", "ghost@acme.com"]), env=SERVICE_ENV)
    assert [u["id"] for u in run.result["users"]] == [admin["Uuid"]] and run.result["missing"] == ["ghost@acme.com"]
    run = run_playbook("identity_user_info.yml", extra_vars=play_vars(sim, info_id=[admin["Uuid"]]), env=SERVICE_ENV)
    assert [u["name"] for u in run.result["users"]] == ["admin@acme.com"]
    run = run_playbook("identity_user_info.yml", extra_vars=play_vars(sim, info_search="mfa"), env=SERVICE_ENV)
    assert [u["name"] for u in run.result["users"]] == ["mfa.admin@acme.com"]


def test_lost_answers_to_writes_are_settled_without_duplicates(sim, run_playbook):
    """Create, role creation and delete each lose their answer once after being applied; the tasks still succeed once."""
    scripted = [
        {"path": "/cdirectoryservice/createuser", "status": 502, "count": 1, "after_apply": True},
        {"path": "/roles/storerole", "status": "drop", "count": 1, "after_apply": True},
        {"path": "/cdirectoryservice/deleteuser", "status": 504, "count": 1, "after_apply": True},
    ]
    sim.post("config", {"scripted": scripted})
    run = run_playbook("identity_faults.yml", extra_vars=play_vars(sim), env=SERVICE_ENV)
    assert run.rc == 0, run.output[-4000:]
    counts = sim.get("requests")
    assert counts["errors_injected"] == 2 and counts["dropped"] == 1
    assert counts["by_path"]["/cdirectoryservice/createuser"] == 1  # settled by a read, not sent again
    assert counts["by_path"]["/roles/storerole"] == 1
    state = sim.tenant_state("ABC1234")
    assert [r["Name"] for r in state["roles"]].count("Fault Team") == 1
    assert "fault.user@acme.com" not in {u["Name"] for u in state["users"]}


def test_read_coverage_info_modules_api_and_lookups(sim, run_playbook):
    """identity_role_info, identity_login_suffix_info, identity_api and the lookups, checked against /_sim/state."""
    run = run_playbook("read_coverage.yml", extra_vars=play_vars(sim), env=SERVICE_ENV, verbosity=3)
    assert run.rc == 0, run.output[-6000:]
    assert "timeout" in run.result["bad_lookup"] and "Traceback" not in run.output
    assert "Svc-S3cret-Value!" not in run.output


def test_every_problem_is_reported_at_once_local_and_tenant(sim, run_playbook):
    # problems only the tenant can show (suffix, manager, roles) come with the local ones, in one run
    user = {"name": "many.problems@unknown.example", "email": "N/A", "description": "x" * 129, "mobile_number": "555-12",
            "password": "weakpass", "roles": ["No Such Role", "Another Missing Role"], "reports_to": "ghost@acme.com"}
    run = run_playbook("identity_user_bad_input.yml", extra_vars=play_vars(sim, user=user), env=SERVICE_ENV)
    msg = run.result.get("msg", "")
    assert run.result.get("failed") is True, run.output[-3000:]
    for words in ("the login suffix 'unknown.example' does not exist", "email:", "description is 129", "mobile_number:",
                  "password does not meet", "roles: no role named Another Missing Role, No Such Role exists",
                  "reports_to: no user named ghost@acme.com exists"):
        assert words in msg, msg
    assert sim.get("requests")["writes"] == 0 and "weakpass" not in msg
