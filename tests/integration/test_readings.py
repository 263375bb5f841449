# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The collection under every reading the simulator offers of a disputed detail (tests/simulator/idsim/readings.py):
each scenario ends correct or fails loudly, never silently wrong.

- redrock_limit: the paged reads stay whole with more users than one page holds (the user list, the export, an
  import's plan, a sync's scope); none returns a short list.
- delete_aliases_state: a deleted suffix is judged by the suffix list read back.
- account_exp_form: an account expiry lands whether the tenant takes only the reference's date-time form or any.
"""

from __future__ import annotations

import csv
import json

import pytest
from identity_it import SERVICE_ENV, seed_users  # pylint: disable=import-error
from import_files import write_csv  # pylint: disable=import-error

SUFFIX = "many.acme.com"
MANY = 1200  # more than one page of 1,000


@pytest.fixture
def many_users(sim):
    state = sim.sim.world.tenants[0]
    with state.lock:
        seed_users(state, SUFFIX, [f"many{i:04d}@{SUFFIX}" for i in range(MANY)], DisplayName=lambda name: f"Many {int(name[4:8])}")
        state.version += 1
    return [f"many{i:04d}@{SUFFIX}" for i in range(MANY)]


def play(tmp_path, sim, import_file):
    connection = {"tenant_url": sim.legacy["system_url"], "ca_path": sim.ca_path}
    tasks = [
        {"name": "Every user", "cyberark_community.identity.identity_user_info": {}, "register": "listed"},
        {"name": "Every user of the suffix, exported", "cyberark_community.identity.identity_user_export": {
            "dest": str(tmp_path / "export.csv"), "suffixes": [SUFFIX]}, "register": "exported"},
        {"name": "The same users imported again, as a sync of their suffix",
         "cyberark_community.identity.identity_bulk_import": {
             "path": import_file, "absent_users": "disable", "scope": {"suffixes": [SUFFIX]}, "max_removals": "0"},
         "register": "imported"},
        {"name": "Save", "ansible.builtin.copy": {"dest": "{{ output_file }}", "mode": "0600", "content": (
            "{{ {'listed': listed.users | map(attribute='name') | list, 'exported': exported.users, "
            "'summary': imported.import.summary, 'removals': imported.import.removals, 'changed': imported.changed} | to_json }}")}},
    ]
    path = tmp_path / "readings.yml"
    path.write_text(json.dumps([{"name": "Paged reads", "hosts": "localhost", "gather_facts": False,
                                 "vars": {"ansible_python_interpreter": "{{ ansible_playbook_python }}"},
                                 "module_defaults": {"group/cyberark_community.identity.identity": connection},
                                 "tasks": tasks}]), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("reading", ["ignored", "total_before_paging", "page_cap"])
def test_paged_reads_are_whole_under_every_reading_of_the_redrock_limit(sim, many_users, run_playbook, tmp_path, reading):
    sim.post("config", {"readings": {"redrock_limit": reading}})
    import_file = str(tmp_path / "again.csv")
    write_csv(import_file, [{"Login Name": n, "Email Address": n, "Display Name": f"Many {int(n[4:8])}"} for n in many_users])
    run = run_playbook(play(tmp_path, sim, import_file), env=SERVICE_ENV)
    assert run.rc == 0, run.output[-3000:]
    stored = {u["Name"] for u in sim.tenant_state("ABC1234")["users"]}
    assert set(run.result["listed"]) == stored
    assert run.result["exported"] == MANY
    with open(tmp_path / "export.csv", encoding="utf-8-sig") as handle:
        assert {row["Login Name"] for row in csv.DictReader(handle)} == set(many_users)
    assert run.result["summary"]["unchanged"] == MANY and run.result["summary"]["create"] == 0
    assert run.result["removals"] == [] and run.result["changed"] is False
    assert sim.get("requests")["writes"] == 0


GONE_SUFFIX = "gone.acme.com"


def one_task_play(tmp_path, sim, module: str, **options) -> str:
    """A playbook of one task of ``module`` against the simulator's tenant, its result saved for the test."""
    task = {"name": "The task", module: dict(options, tenant_url=sim.legacy["system_url"], ca_path=sim.ca_path), "register": "outcome"}
    save = {"name": "Save", "ansible.builtin.copy": {"content": "{{ outcome | to_json }}", "dest": "{{ output_file }}", "mode": "0600"}}
    path = tmp_path / "one_task.yml"
    path.write_text(json.dumps([{"name": "One task", "hosts": "localhost", "gather_facts": False,
                                 "vars": {"ansible_python_interpreter": "{{ ansible_playbook_python }}"}, "tasks": [task, save]}]),
                    encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("state", ["0", "1"])
def test_a_deleted_suffix_is_judged_by_the_list_read_back(sim, run_playbook, tmp_path, state):
    sim.post("config", {"readings": {"delete_aliases_state": state}})
    tenant = sim.sim.world.tenants[0]
    with tenant.lock:
        if not any(s["name"] == GONE_SUFFIX for s in tenant.login_suffixes):
            tenant.login_suffixes.append({"name": GONE_SUFFIX, "cds": True})
        tenant.version += 1
    run = run_playbook(one_task_play(tmp_path, sim, "cyberark_community.identity.identity_login_suffix", name=GONE_SUFFIX, state="absent"),
                       env=SERVICE_ENV)
    assert run.rc == 0, run.output[-3000:]
    assert run.result["changed"] is True
    assert GONE_SUFFIX not in {s["name"] for s in sim.tenant_state("ABC1234")["login_suffixes"]}


@pytest.mark.parametrize("form", ["date_time_z", "any_iso"])
def test_an_account_expiry_lands_under_every_form_the_tenant_may_take(sim, run_playbook, tmp_path, form):
    sim.post("config", {"readings": {"account_exp_form": form}})
    name = f"expiry.{form.replace('_', '')}@acme.com"
    run = run_playbook(one_task_play(tmp_path, sim, "cyberark_community.identity.identity_user", name=name, email=name,
                                     account_expiry="2031-12-31"), env=SERVICE_ENV)
    assert run.rc == 0, run.output[-3000:]
    stored = next(u for u in sim.tenant_state("ABC1234")["users"] if u["Name"] == name)
    assert stored["AccountExp"] == "2031-12-31T00:00:00Z"


def test_a_refused_account_expiry_leaves_no_user_without_it(sim, run_playbook, tmp_path):
    """The expiry cannot be read back, so a user created without it would stay so on every later run: the create is
    undone, said, and the next run creates the user whole."""
    name = "expiry.refused@acme.com"
    sim.post("config", {"scripted": [{"path": "/cdirectoryservice/changeuser", "status": 400, "count": 1}]})
    playbook = one_task_play(tmp_path, sim, "cyberark_community.identity.identity_user", name=name, email=name,
                             account_expiry="2031-12-31")
    run = run_playbook(playbook, env=SERVICE_ENV)
    assert run.rc != 0
    assert "AccountExp" in run.output and "deleted again" in run.output, run.output[-3000:]
    assert name not in {u["Name"] for u in sim.tenant_state("ABC1234")["users"]}
    run = run_playbook(playbook, env=SERVICE_ENV)
    assert run.rc == 0, run.output[-3000:]
    stored = next(u for u in sim.tenant_state("ABC1234")["users"] if u["Name"] == name)
    assert stored["AccountExp"] == "2031-12-31T00:00:00Z"
