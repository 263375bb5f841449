# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Joiners, movers and leavers: identity_bulk_import's sync options and identity_user_export, through real
ansible-playbook runs; every outcome is checked in the simulator's state (``/_sim/``), not through the modules."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pytest
from identity_it import SERVICE_ENV, play_vars  # pylint: disable=import-error
from import_files import write_csv  # pylint: disable=import-error

SUFFIX = "hr.acme.com"
PLAYBOOKS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "playbooks")
HEADERS = ["Login Name", "Email Address", "Display Name", "Roles", "Previous Login Name"]


def hr(i: int, **over):
    record = {"Login Name": f"hr{i:03d}@{SUFFIX}", "Email Address": f"hr{i:03d}@{SUFFIX}", "Display Name": f"Worker {i}", "Roles": "Staff"}
    record.update(over)
    return record


@pytest.fixture
def tenant(sim):
    """hr000..hr011 in the tenant, an administrator and a stranger beside them; the file will list hr000..hr009."""
    state = sim.sim.world.tenants[0]
    with state.lock:
        for uid in [u for u, record in state.users.items() if record["Name"].lower().endswith(("@" + SUFFIX, "@outside.acme.com"))]:
            state.remove_user(uid)
        for suffix in (SUFFIX, "outside.acme.com"):
            if not any(s["name"] == suffix for s in state.login_suffixes):
                state.login_suffixes.append({"name": suffix, "cds": True})
        roles = {r["Name"]: r for r in state.roles.values()}
        for name in ("Staff", "Managers", "HR Sync"):
            roles[name] = roles.get(name) or state.add_role({"Name": name})
            roles[name]["Members"] = []
        admins = roles["System Administrator"]
        for i in range(12):
            user = state.add_user({"Name": f"hr{i:03d}@{SUFFIX}", "Mail": f"hr{i:03d}@{SUFFIX}", "DisplayName": f"Worker {i}"})
            roles["Staff"]["Members"].append(user["Uuid"])
        admin = state.add_user({"Name": f"hr.admin@{SUFFIX}", "Mail": f"hr.admin@{SUFFIX}", "InSysAdminRole": True})
        admins["Members"] = [m for m in admins["Members"] if m in state.users] + [admin["Uuid"]]
        state.add_user({"Name": "stranger@outside.acme.com", "Mail": "stranger@outside.acme.com"})
        state.version += 1
    return state


def give_source_attribute(tenant):
    """An additional attribute, Source: Contractors for hr010, HR for hr011, unset for the others."""
    with tenant.lock:
        tenant.info["additional_attributes"] = [{"Name": "Source", "Title": "Source", "Type": "Text"}]
        for i in (10, 11):
            tenant.find_user(f"hr{i:03d}@{SUFFIX}")["ExtData"] = {"Source": "HR" if i == 11 else "Contractors"}
        tenant.version += 1


def users(sim):
    return {u["Name"].lower(): u for u in sim.tenant_state("ABC1234")["users"]}


def members(sim, role):
    state = sim.tenant_state("ABC1234")
    ids = next(r["Members"] for r in state["roles"] if r["Name"] == role)
    return {u["Name"].lower() for u in state["users"] if u["Uuid"] in ids}


def sync(run_playbook, sim, path, **extra):
    run = run_playbook("bulk_import.yml", extra_vars=play_vars(sim, import_path=path, **extra), env=SERVICE_ENV)
    assert "import" in run.result or "msg" in run.result, run.output[-3000:]
    return run


def export(run_playbook, sim, dest, **extra):
    run = run_playbook("user_export.yml", extra_vars=play_vars(sim, export_dest=dest, **extra), env=SERVICE_ENV)
    assert "dest" in run.result or "msg" in run.result, run.output[-3000:]
    return run


def test_disable_leavers_in_the_scope_only_then_nothing(sim, tenant, run_playbook, tmp_path):
    path = str(tmp_path / "hr.csv")
    write_csv(path, [hr(i) for i in range(10)], headers=HEADERS[:4])
    options = {"import_absent_users": "disable", "import_scope": {"suffixes": [SUFFIX]}, "import_max_removals": "2"}

    planned = sync(run_playbook, sim, path, import_check_mode=True, **options)
    removals = planned.result["import"]["removals"]
    assert [(r["login_name"], r["action"], r["outcome"]) for r in removals] == [
        (f"hr010@{SUFFIX}", "disable", "planned"), (f"hr011@{SUFFIX}", "disable", "planned")]
    assert planned.result["import"]["scope"] == {"users": 12, "max_removals": 2, "out_of_reach": []}  # the administrator is not in the scope
    assert planned.result["changed"] is True and sim.get("requests")["writes"] == 0

    applied = sync(run_playbook, sim, path, import_report_path=str(tmp_path / "sync.csv"), **options)
    assert applied.result.get("changed") is True, applied.result.get("msg")
    assert [r["outcome"] for r in applied.result["import"]["removals"]] == ["ok", "ok"]
    state = users(sim)
    assert state[f"hr010@{SUFFIX}"]["Enabled"] is False and state[f"hr011@{SUFFIX}"]["Enabled"] is False
    assert all(state[f"hr{i:03d}@{SUFFIX}"]["Enabled"] for i in range(10))
    assert state[f"hr.admin@{SUFFIX}"]["Enabled"] and state["stranger@outside.acme.com"]["Enabled"]
    assert state["ansible-svc@acme.com"]["Enabled"] and state["admin@acme.com"]["Enabled"]
    report = (tmp_path / "sync.csv").read_text(encoding="utf-8")
    assert f"hr010@{SUFFIX},disable,ok" in report

    sim.post("reset")
    again = sync(run_playbook, sim, path, **options)
    assert again.result["changed"] is False and again.result["import"]["removals"] == []
    assert sim.get("requests")["writes"] == 0


def test_a_file_of_no_records_removes_no_one(sim, tenant, run_playbook, tmp_path):
    """An empty feed more often means a broken export than everyone leaving (as the absent_users docs say)."""
    path = str(tmp_path / "empty.csv")
    write_csv(path, [], headers=HEADERS[:4])
    run = sync(run_playbook, sim, path, import_absent_users="delete", import_scope={"suffixes": [SUFFIX]}, import_max_removals="100%")
    assert run.result.get("changed") is False and "nothing to import" in run.output
    assert sim.get("requests")["writes"] == 0
    assert all(u["Enabled"] for name, u in users(sim).items() if name.endswith("@" + SUFFIX))


@pytest.mark.parametrize("cap, fails", [("1", True), ("10%", True), ("2", False), ("17%", False)],
                         ids=["one_over", "default_percentage_over", "exactly_at", "percentage_at"])
def test_the_removal_cap_fails_before_any_write(sim, tenant, run_playbook, tmp_path, cap, fails):
    path = str(tmp_path / "hr.csv")
    write_csv(path, [hr(i) for i in range(10)], headers=HEADERS[:4])
    run = sync(run_playbook, sim, path, import_absent_users="delete", import_scope={"suffixes": [SUFFIX]}, import_max_removals=cap)
    if fails:
        assert run.result.get("failed") is True and "nothing was changed" in run.result["msg"]
        assert len(run.result["import"]["removals"]) == 2  # every removal is listed for review
        assert sim.get("requests")["writes"] == 0 and f"hr010@{SUFFIX}" in users(sim)
    else:
        assert run.result.get("changed") is True, run.result.get("msg")
        assert f"hr010@{SUFFIX}" not in users(sim) and f"hr011@{SUFFIX}" not in users(sim)
        assert sim.get("requests")["by_path"]["/usermgmt/removeusers"] == 1  # one batch, not one call per user


def test_delete_by_role_scope_spares_the_connecting_user_and_admins_only_when_asked(sim, tenant, run_playbook, tmp_path):
    state = tenant
    with state.lock:
        sync_role = next(r for r in state.roles.values() if r["Name"] == "HR Sync")
        sync_role["Members"] = [state.find_user(n)["Uuid"] for n in
                                ("ansible-svc@acme.com", f"hr.admin@{SUFFIX}", f"hr011@{SUFFIX}", f"hr000@{SUFFIX}")]
    path = str(tmp_path / "hr.csv")
    write_csv(path, [hr(0)], headers=HEADERS[:4])
    scope = {"roles": ["HR Sync"]}
    kept_admins = sync(run_playbook, sim, path, import_absent_users="delete", import_scope=scope, import_max_removals="5",
                       import_check_mode=True)
    assert [r["login_name"] for r in kept_admins.result["import"]["removals"]] == [f"hr011@{SUFFIX}"]
    run = sync(run_playbook, sim, path, import_absent_users="delete", import_scope=dict(scope, include_admins=True),
               import_max_removals="5")
    assert run.result.get("changed") is True, run.result.get("msg")
    state_now = users(sim)
    assert f"hr011@{SUFFIX}" not in state_now and f"hr.admin@{SUFFIX}" not in state_now
    assert "ansible-svc@acme.com" in state_now and f"hr000@{SUFFIX}" in state_now and f"hr001@{SUFFIX}" in state_now
    sim.post("reset")
    again = sync(run_playbook, sim, path, import_absent_users="delete", import_scope=dict(scope, include_admins=True),
                 import_max_removals="5")
    assert again.result["changed"] is False and again.result["import"]["removals"] == [] and sim.get("requests")["writes"] == 0


def test_a_mover_is_renamed_and_exact_roles_are_taken(sim, tenant, run_playbook, tmp_path):
    with tenant.lock:
        managers = next(r for r in tenant.roles.values() if r["Name"] == "Managers")
        managers["Members"].append(tenant.find_user(f"hr001@{SUFFIX}")["Uuid"])
        old_id = tenant.find_user(f"hr002@{SUFFIX}")["Uuid"]
    records = [hr(i) for i in range(10)]
    records[1]["Roles"] = "Staff"  # hr001 loses Managers
    records[2] = hr(2, **{"Login Name": f"hr002.moved@{SUFFIX}", "Previous Login Name": f"hr002@{SUFFIX}", "Display Name": "Moved"})
    path = str(tmp_path / "movers.csv")
    write_csv(path, records, headers=HEADERS)
    run = sync(run_playbook, sim, path, import_roles_mode="exact")
    assert run.result.get("changed") is True, run.result.get("msg")
    items = {i["login_name"]: i for i in run.result["import"]["rows"]}
    assert items[f"hr002.moved@{SUFFIX}"]["action"] == "update" and "Name" in items[f"hr002.moved@{SUFFIX}"]["changes"]
    state = users(sim)
    assert f"hr002@{SUFFIX}" not in state and state[f"hr002.moved@{SUFFIX}"]["Uuid"] == old_id
    assert state[f"hr002.moved@{SUFFIX}"]["DisplayName"] == "Moved"
    assert members(sim, "Managers") == set() and f"hr001@{SUFFIX}" in members(sim, "Staff")
    assert "ansible-svc@acme.com" in members(sim, "System Administrator")
    sim.post("reset")
    again = sync(run_playbook, sim, path, import_roles_mode="exact")
    assert again.result["changed"] is False and sim.get("requests")["writes"] == 0


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_export_then_import_changes_nothing(sim, tenant, run_playbook, tmp_path, extension):
    with tenant.lock:
        boss = tenant.find_user(f"hr000@{SUFFIX}")
        tenant.find_user(f"hr001@{SUFFIX}")["ReportsTo"] = boss["Uuid"]
        tenant.find_user(f"hr001@{SUFFIX}")["MobileNumber"] = "4155550101"
        managers = next(r for r in tenant.roles.values() if r["Name"] == "Managers")
        managers["Members"].append(boss["Uuid"])
        tenant.version += 1
    dest = str(tmp_path / f"export.{extension}")
    planned = export(run_playbook, sim, dest, export_suffixes=[SUFFIX], export_check_mode=True)
    assert planned.result["changed"] is True and planned.result["users"] == 13 and not (tmp_path / f"export.{extension}").exists()

    sim.post("reset")
    written = export(run_playbook, sim, dest, export_suffixes=[SUFFIX])
    assert written.result["changed"] is True and written.result["users"] == 13, written.result.get("msg")
    assert sim.get("requests")["writes"] == 0 and sim.get("requests")["by_path"]["/redrock/query"] <= 3
    content = (tmp_path / f"export.{extension}").read_bytes()
    if extension == "csv":
        text = content.decode("utf-8")
        assert all(row["Password"] == "" for row in csv.DictReader(io.StringIO(text)))  # never a password
        assert text.startswith("Login Name,Email Address,Display Name")
        assert f'hr000@{SUFFIX},hr000@{SUFFIX},Worker 0,,,,,"Managers, Staff"' in text
        assert f",hr000@{SUFFIX}\r\n" in text  # hr001 reports to hr000, by login name

    sim.post("reset")
    imported = sync(run_playbook, sim, dest)
    assert imported.result["changed"] is False, imported.result["import"]["rows"][:3]
    assert imported.result["import"]["summary"]["unchanged"] == 13 and sim.get("requests")["writes"] == 0

    again = export(run_playbook, sim, dest, export_suffixes=[SUFFIX])
    assert again.result["changed"] is False


def test_export_reads_additional_attributes_one_request_per_user(sim, tenant, run_playbook, tmp_path):
    give_source_attribute(tenant)
    dest = tmp_path / "export.csv"
    sim.post("reset")
    run = export(run_playbook, sim, str(dest), export_suffixes=[SUFFIX], export_attributes=["Source"])
    assert run.result.get("changed") is True and run.result["users"] == 13, run.result.get("msg")
    assert sim.get("requests")["by_path"]["/extdata/getcolumns"] == 13 and sim.get("requests")["writes"] == 0
    rows = list(csv.DictReader(io.StringIO(dest.read_text(encoding="utf-8"))))
    assert list(rows[0])[-1] == "Source"
    assert {r["Login Name"]: r["Source"] for r in rows if r["Source"]} == {f"hr010@{SUFFIX}": "Contractors", f"hr011@{SUFFIX}": "HR"}


def test_sync_playbook_check_job_then_applying_job(sim, tenant, tmp_path):
    """playbooks/sync_users.yml as two AWX job templates run it: check mode (the plan), then the applying job."""
    path = str(tmp_path / "hr.csv")
    write_csv(path, [hr(i) for i in range(11)], headers=HEADERS[:4])
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CYBERARK_")}
    environment.update(SERVICE_ENV, CYBERARK_IDENTITY_TENANT_URL=sim.legacy["system_url"], CYBERARK_IDENTITY_CA_PATH=sim.ca_path,
                       ANSIBLE_LOCAL_TEMP=str(tmp_path / "ansible-tmp"), ANSIBLE_NOCOLOR="1", ANSIBLE_SHOW_CUSTOM_STATS="1")
    extra = ["-e", json.dumps({"sync_file": path, "sync_scope": {"suffixes": [SUFFIX]}, "sync_report_path": str(tmp_path / "sync.csv")})]
    command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", "localhost,", os.path.join(PLAYBOOKS, "sync_users.yml")]

    planned = subprocess.run(command + ["--check"] + extra, capture_output=True, text=True, env=environment, timeout=300, check=False)
    assert planned.returncode == 0, planned.stdout[-3000:]
    assert "1 users in the scope but not in the file to disable" in planned.stdout and "0 to create" in planned.stdout
    assert '"check_mode": true' in planned.stdout and f"hr011@{SUFFIX}" in planned.stdout  # the artifact lists the removal
    assert sim.get("requests")["writes"] == 0 and (tmp_path / "sync.plan.csv").exists()

    applied = subprocess.run(command + extra, capture_output=True, text=True, env=environment, timeout=300, check=False)
    assert applied.returncode == 0, applied.stdout[-3000:]
    assert "1 users in the scope but not in the file disabled" in applied.stdout and "0 created" in applied.stdout
    assert users(sim)[f"hr011@{SUFFIX}"]["Enabled"] is False and users(sim)[f"hr010@{SUFFIX}"]["Enabled"] is True
    assert f"hr011@{SUFFIX},disable,ok" in (tmp_path / "sync.csv").read_text(encoding="utf-8")


def test_sync_playbook_keeps_the_plan_as_a_job_artifact_when_the_cap_stops_it(sim, tenant, tmp_path):
    path = str(tmp_path / "hr.csv")
    write_csv(path, [hr(i) for i in range(5)], headers=HEADERS[:4])  # 7 of the 12 would go; the default cap allows 1
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CYBERARK_")}
    environment.update(SERVICE_ENV, CYBERARK_IDENTITY_TENANT_URL=sim.legacy["system_url"], CYBERARK_IDENTITY_CA_PATH=sim.ca_path,
                       ANSIBLE_LOCAL_TEMP=str(tmp_path / "ansible-tmp"), ANSIBLE_NOCOLOR="1", ANSIBLE_SHOW_CUSTOM_STATS="1")
    extra = ["-e", json.dumps({"sync_file": path, "sync_scope": {"suffixes": [SUFFIX]}, "sync_report_path": str(tmp_path / "sync.csv")})]
    command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", "localhost,", os.path.join(PLAYBOOKS, "sync_users.yml")]
    stopped = subprocess.run(command + extra, capture_output=True, text=True, env=environment, timeout=300, check=False)
    assert stopped.returncode != 0 and "nothing was changed" in stopped.stdout
    stats = stopped.stdout[stopped.stdout.index("CUSTOM STATS"):]
    assert '"failed": true' in stats and all(f"hr{i:03d}@{SUFFIX}" in stats for i in range(5, 12))  # the plan, for review
    assert sim.get("requests")["writes"] == 0


def test_sync_playbook_keeps_an_artifact_when_the_file_is_refused_whole(sim, tenant, tmp_path):
    path = tmp_path / "hr.csv"
    path.write_text("Login name,Email Address\r\nhr000@hr.acme.com,hr000@hr.acme.com\r\n", encoding="utf-8")  # a misspelt header
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CYBERARK_")}
    environment.update(SERVICE_ENV, CYBERARK_IDENTITY_TENANT_URL=sim.legacy["system_url"], CYBERARK_IDENTITY_CA_PATH=sim.ca_path,
                       ANSIBLE_LOCAL_TEMP=str(tmp_path / "ansible-tmp"), ANSIBLE_NOCOLOR="1", ANSIBLE_SHOW_CUSTOM_STATS="1")
    extra = ["-e", json.dumps({"sync_file": str(path), "sync_scope": {"suffixes": [SUFFIX]}, "sync_report_path": str(tmp_path / "sync.csv")})]
    command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", "localhost,", os.path.join(PLAYBOOKS, "sync_users.yml")]
    refused = subprocess.run(command + extra, capture_output=True, text=True, env=environment, timeout=300, check=False)
    assert refused.returncode != 0 and "Login Name" in refused.stdout
    stats = refused.stdout[refused.stdout.index("CUSTOM STATS"):]
    assert '"failed": true' in stats and "has no attribute" not in refused.stdout


def test_scope_by_attribute(sim, tenant, run_playbook, tmp_path):
    give_source_attribute(tenant)
    path = str(tmp_path / "hr.csv")
    write_csv(path, [hr(i) for i in range(10)], headers=HEADERS[:4])
    run = sync(run_playbook, sim, path, import_absent_users="disable", import_max_removals="1",
               import_scope={"suffixes": [SUFFIX], "attribute": {"name": "Source", "value": "HR"}})
    assert run.result.get("changed") is True, run.result.get("msg")
    assert [r["login_name"] for r in run.result["import"]["removals"]] == [f"hr011@{SUFFIX}"]
    assert users(sim)[f"hr010@{SUFFIX}"]["Enabled"] is True and users(sim)[f"hr011@{SUFFIX}"]["Enabled"] is False


@pytest.mark.parametrize("extra, words", [
    ({"import_absent_users": "delete"}, "needs scope"),
    ({"import_absent_users": "delete", "import_scope": {"include_admins": True}}, "needs scope"),
    ({"import_max_removals": "ten"}, "max_removals"),
    ({"import_max_removals": "150%"}, "max_removals"),
    ({"import_absent_users": "disable", "import_scope": {"roles": ["No Such Role"]}}, "scope.roles"),
    ({"import_absent_users": "disable", "import_scope": {"attribute": {"name": "NoSuchAttribute", "value": "HR"}}},
     "scope.attribute.name: the tenant defines no additional attribute named NoSuchAttribute"),
], ids=["no_scope", "empty_scope", "cap_word", "cap_over_100", "unknown_scope_role", "unknown_scope_attribute"])
def test_bad_sync_options_fail_clearly_before_any_write(sim, tenant, run_playbook, tmp_path, extra, words):
    path = str(tmp_path / "hr.csv")
    write_csv(path, [hr(i) for i in range(10)], headers=HEADERS[:4])
    run = sync(run_playbook, sim, path, **extra)
    assert run.result.get("failed") is True and words in run.result["msg"], run.result.get("msg")
    assert "Traceback" not in run.output and sim.get("requests")["writes"] == 0


@pytest.mark.parametrize("absent_users", ["delete", "disable"])
def test_a_sync_never_reaches_the_users_cyberark_provisions(sim, tenant, run_playbook, tmp_path, absent_users):
    # The Remote Access integration user: CyberArk provisions it; no import file can name it ($ is refused there)
    integration_user = f"alero-integration-user$@{SUFFIX}"
    with tenant.lock:
        tenant.add_user({"Name": integration_user, "Mail": f"integration@{SUFFIX}", "DisplayName": "Remote Access integration"})
        tenant.version += 1
    path = str(tmp_path / "hr.csv")
    write_csv(path, [hr(i) for i in range(10)], headers=HEADERS[:4])
    scope = {"suffixes": [SUFFIX], "include_admins": True}
    run = sync(run_playbook, sim, path, import_absent_users=absent_users, import_scope=scope, import_max_removals="5")
    assert run.result.get("changed") is True, run.result.get("msg")
    assert sorted(r["login_name"] for r in run.result["import"]["removals"]) == [f"hr.admin@{SUFFIX}", f"hr010@{SUFFIX}", f"hr011@{SUFFIX}"]
    assert run.result["import"]["scope"]["out_of_reach"] == [integration_user]
    assert "1 user in the scope is out of the sync's reach" in str(run.result.get("warnings"))
    state = users(sim)
    assert integration_user in state and state[integration_user]["Enabled"] is True


@pytest.mark.parametrize("report_format, suffix", [("markdown", ".md"), ("html", ".html")])
def test_the_report_of_a_run_the_cap_stopped_claims_nothing_the_tenant_does_not_show(
        sim, tenant, run_playbook, tmp_path, report_format, suffix):
    path = str(tmp_path / "hr.csv")
    write_csv(path, [hr(i) for i in range(5)] + [hr(100)], headers=HEADERS[:4])  # one joiner; 7 leavers, cap 1
    report = tmp_path / "sync.csv"
    run = sync(run_playbook, sim, path, import_absent_users="delete", import_scope={"suffixes": [SUFFIX]},
               import_report_path=str(report), import_report_format=report_format)
    assert run.result.get("failed") is True and f"hr100@{SUFFIX}" not in users(sim)
    text = (tmp_path / ("sync" + suffix)).read_text(encoding="utf-8")
    assert "created: 0" in text and "not applied: 1" in text, text
    assert "Every row was imported" not in text and "1 row was not applied: the run stopped before writing them" in text


def test_the_report_of_an_unchanged_run_says_nothing_changed(sim, tenant, run_playbook, tmp_path):
    path = str(tmp_path / "hr.csv")
    write_csv(path, [hr(i) for i in range(3)], headers=HEADERS[:4])
    run = sync(run_playbook, sim, path, import_report_path=str(tmp_path / "again.csv"))
    assert run.result.get("changed") is False, run.result.get("msg")
    text = (tmp_path / "again.md").read_text(encoding="utf-8")
    assert "Every row was imported" not in text and "Nothing changed: every row already matched the tenant." in text
