# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The shape trace (CYBERARK_IDENTITY_TRACE) of a playbook that runs every module and lookup of the collection, with
canaries in every place a value could leak from: the login's password and client secret, the tokens, login names,
the tenant's ID and hosts, user IDs, role and suffix names, the new users' passwords, the Remote Access tenant and
service account. The trace has one line per call with its fields, and none of the canaries."""

from __future__ import annotations

import json
import os
import re
import stat
import typing as t

from identity_it import connection_env  # pylint: disable=import-error
from import_files import write_csv  # pylint: disable=import-error

SUFFIX = "tracecanary.example"
USER = f"tracecanary.user@{SUFFIX}"
BULK_API = [f"tracecanary.api{i}@{SUFFIX}" for i in range(2)]
BULK_SERVICE = [f"tracecanary.svc{i}@{SUFFIX}" for i in range(2)]
ROLE_WORD = "Tracecanaryrole"  # a one-word name: it would pass for a field name if an answer were keyed by it
ROLE_SPACED = "Trace Canary Auditors"
USER_PASSWORD = "Tr4ce-Canary-Pw!"
BULK_PASSWORD = "Tr4ce-Bulk-Canary!"
INTEGRATION_PASSWORD = "Tr4ce-Integr8tion-Pw!"
SERVICE = {"client_id": "ansible-svc@acme.com", "client_secret": "Svc-S3cret-Value!"}
ADMIN = {"login_username": "admin@acme.com", "login_password": "Adm1n-Passw0rd!"}


def remote_access_env(sim) -> dict:
    remote = sim.info["remote_access"][0]
    return {"CYBERARK_REMOTE_ACCESS_SERVICE_ACCOUNT_FILE": remote["service_account_file"],
            "CYBERARK_REMOTE_ACCESS_TENANT_ID": remote["tenant_id"], "CYBERARK_REMOTE_ACCESS_API_URL": remote["api_url"],
            "CYBERARK_REMOTE_ACCESS_CA_PATH": sim.ca_path}


def task(title: str, module: str, **options) -> dict:
    return {"name": title, f"cyberark_community.identity.{module}": options}


def every_module_play(tmp_path, service_csv: str) -> str:
    absent = [task(f"Remove {name}", "identity_user", name=name, state="absent") for name in [USER] + BULK_API + BULK_SERVICE]
    tasks = [
        task("A login suffix", "identity_login_suffix", name=SUFFIX),
        task("The suffixes", "identity_login_suffix_info", name=[SUFFIX, "acme.com"]),
        task("A user with a password", "identity_user", name=USER, email=USER, display_name="Trace Canary", password=USER_PASSWORD),
        task("A role with that user", "identity_role", name=ROLE_WORD, description="Trace canary role", members=[USER]),
        task("Another role", "identity_role", name=ROLE_SPACED),
        dict(task("The roles", "identity_role_info", name=[ROLE_WORD, ROLE_SPACED], with_members=True), register="roles"),
        dict(task("The user with its roles, with a password login", "identity_user_info", name=[USER], with_roles=True, **ADMIN),
             environment={"CYBERARK_IDENTITY_CLIENT_ID": "", "CYBERARK_IDENTITY_CLIENT_SECRET": ""}),
        task("Inline users by the API", "identity_bulk_import", update_password="always", users=[
            {"login_name": name, "email_address": name, "password": BULK_PASSWORD, "roles": [ROLE_SPACED]} for name in BULK_API]),
        task("A file by the import service", "identity_bulk_import", path=service_csv, method="service",
             admin_email=f"admin@{SUFFIX}", wait_timeout=60),
        dict(task("Users by search", "identity_user_info", search="tracecanary"), register="found"),
        task("The suffix's users exported", "identity_user_export", dest=str(tmp_path / "export.csv"), suffixes=[SUFFIX]),
        task("Tenant URL facts", "tenant_url_facts"),
        task("A call of one's own", "identity_api", path="/CDirectoryService/GetUser",
             body={"ID": "{{ found.users[0].id }}"}, read_only=True),
        {"name": "The lookups", "ansible.builtin.debug": {"msg": (
            "{{ lookup('cyberark_community.identity.user', '" + USER + "', with_roles=true) | length }} "
            "{{ lookup('cyberark_community.identity.tenant_urls') | length }}")}},
        task("Remote Access", "remote_access_integration", integration_suffix="acme.com", integration_password=INTEGRATION_PASSWORD,
             update_password="always", on_manual_steps="report"),
        {"name": "Save the IDs, canaries too", "ansible.builtin.copy": {"dest": "{{ output_file }}", "mode": "0600", "content": (
            "{{ {'ids': found.users | map(attribute='id') | list + roles.roles | map(attribute='id') | list} | to_json }}")}},
        *absent,
        task("Remove the role", "identity_role", name=ROLE_WORD, state="absent"),
        task("Remove the other role", "identity_role", name=ROLE_SPACED, state="absent"),
        task("Remove the suffix", "identity_login_suffix", name=SUFFIX, state="absent"),
    ]
    path = tmp_path / "every_module.yml"
    path.write_text(json.dumps([{"name": "Every module, traced", "hosts": "localhost", "gather_facts": False,
                                 "vars": {"ansible_python_interpreter": "{{ ansible_playbook_python }}"}, "tasks": tasks}]),
                    encoding="utf-8")
    return str(path)


def canaries(sim, tmp_path, ids) -> set[str]:
    """Every value the trace must not hold, as the simulator and the playbook know them."""
    remote = sim.info["remote_access"][0]
    with open(remote["service_account_file"], encoding="utf-8") as handle:
        account = json.load(handle)
    state = sim.tenant_state("ABC1234")
    values = {SUFFIX, "tracecanary", USER, ROLE_WORD, ROLE_SPACED, USER_PASSWORD, BULK_PASSWORD, INTEGRATION_PASSWORD,
              *BULK_API, *BULK_SERVICE, *SERVICE.values(), *ADMIN.values(), "ABC1234", "Acme Corporation", "eyJ", "BEGIN",
              remote["tenant_id"], remote["client_id"], str(tmp_path), str(sim.info["port"])}
    values |= {str(value) for value in account.values() if isinstance(value, str) and len(value) >= 6}
    for tenant in sim.info["tenants"]:
        values |= set(tenant["urls"])
    values |= {host.split(":")[0] for host in sim.allowed_hosts.split(",")}
    values |= set(ids) | {user["Uuid"] for user in state["users"]} | {role["ID"] for role in state.get("roles", []) if role.get("ID")}
    values |= {tenant.get("tenant_uuid") for tenant in sim.sim.world.tenants if getattr(tenant, "tenant_uuid", None)}
    return {value for value in values if value}


def test_every_module_traces_its_calls_and_no_value(sim, run_playbook, tmp_path):
    trace = tmp_path / "trace.jsonl"
    service_csv = str(tmp_path / "service.csv")
    write_csv(service_csv, [{"Login Name": name, "Email Address": name, "Password": BULK_PASSWORD, "Roles": ROLE_WORD}
                            for name in BULK_SERVICE])
    env = dict(connection_env(sim, **SERVICE), **remote_access_env(sim), CYBERARK_IDENTITY_TRACE=str(trace))
    run = run_playbook(every_module_play(tmp_path, service_csv), env=env, timeout=300)
    assert run.rc == 0, run.output[-4000:]
    assert "CYBERARK_IDENTITY_TRACE" not in run.output  # no warning: every line was written

    assert stat.S_IMODE(os.stat(trace).st_mode) == 0o600
    with open(trace, encoding="utf-8") as handle:
        text = handle.read()
    records = [json.loads(line) for line in text.splitlines()]
    # One line per call the simulator answered (the Identity and Remote Access hosts alike).
    assert len(records) == sim.get("requests")["total"]
    for record in records:
        assert {"v", "client", "method", "path", "status", "answer"} <= set(record), record
        if record["client"] == "identity" and record["path"] not in ("/oauth2/platformtoken",):
            assert isinstance(record.get("success"), bool), record
    calls = {(record["client"], record["method"], record["path"]) for record in records}
    for expected in [("identity", "POST", "/Security/AdvanceAuthentication"), ("identity", "POST", "/oauth2/platformtoken"),
                     ("identity", "POST", "/CDirectoryService/CreateUser"), ("identity", "POST", "/CDirectoryService/GetUsersFromCsvFile"),
                     ("identity", "POST", "/Roles/StoreRole"), ("identity", "POST", "/Core/StoreAlias"),
                     ("identity", "POST", "/Core/DeleteAliases"), ("identity", "POST", "/SysInfo/About"),
                     ("remote_access", "POST", "/auth/realms/serviceaccounts/protocol/openid-connect/token"),
                     ("remote_access", "GET", "/v2-edge/sites")]:
        assert expected in calls, sorted(calls)
    upload = next(r for r in records if r["path"] == "/CDirectoryService/GetUsersFromCsvFile")
    assert set(upload["request"]["multipart"]) == {"FileName", "Icon"} and upload["query"]
    assert any(r.get("script", "").startswith("Select") or r.get("script", "").startswith("SELECT") for r in records)

    ids = run.result["ids"]
    assert len(ids) == 1 + len(BULK_API) + len(BULK_SERVICE) + 2  # the users and roles the playbook made
    found = sorted(canary for canary in canaries(sim, tmp_path, ids) if canary.lower() in text.lower())
    assert found == [], f"the trace holds {found}"
    # Beyond the canaries: no string of the trace is anything but a field name, a type, a placeholder or a length.
    unexpected = sorted({word for record in records for word in words(record) if not PLAIN.fullmatch(word)})
    assert unexpected == [], unexpected


PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*|<key>|<id>|<[a-z]+>|one of|[0-9]+\.\.[0-9]+|[,()=*?]")


def words(value) -> t.Iterator[str]:
    """Every string of a trace line: keys and values, its path by segment and its script by token."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            if key == "path":
                yield from (segment for segment in item.split("/") if segment)
            elif key == "script":
                yield from re.findall(r"[^\s,()=*?]+|[,()=*?]", item)
            else:
                yield from words(item)
    elif isinstance(value, list):
        for item in value:
            yield from words(item)
    elif isinstance(value, str):
        yield value


def test_a_trace_that_cannot_be_written_is_a_warning_not_a_failure(sim, run_playbook, tmp_path):
    trace = tmp_path / "no such folder" / "trace.jsonl"
    play = tmp_path / "facts.yml"
    play.write_text(json.dumps([{"name": "Facts", "hosts": "localhost", "gather_facts": False,
                                 "vars": {"ansible_python_interpreter": "{{ ansible_playbook_python }}"},
                                 "tasks": [task("Tenant URL facts", "tenant_url_facts")]}]), encoding="utf-8")
    run = run_playbook(str(play), env=dict(connection_env(sim, **SERVICE), CYBERARK_IDENTITY_TRACE=str(trace)))
    assert run.rc == 0, run.output[-3000:]
    assert f"CYBERARK_IDENTITY_TRACE: the trace cannot be written to {trace}" in " ".join(run.output.split())
    assert not trace.parent.exists()
