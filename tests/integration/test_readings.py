# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The paged reads stay whole under every reading the simulator offers of a disputed detail (tests/simulator/idsim/
readings.py), with more users than one page holds: the user list, the export, an import's plan and a sync's scope.
Each either ends correct or fails loudly; none returns a short list."""

from __future__ import annotations

import csv
import json

import pytest
from identity_it import SERVICE_ENV  # pylint: disable=import-error
from import_files import write_csv  # pylint: disable=import-error

SUFFIX = "many.acme.com"
MANY = 1200  # more than one page of 1,000


@pytest.fixture
def many_users(sim):
    state = sim.sim.world.tenants[0]
    with state.lock:
        if not any(s["name"] == SUFFIX for s in state.login_suffixes):
            state.login_suffixes.append({"name": SUFFIX, "cds": True})
        known = {u["Name"] for u in state.users.values()}
        for i in range(MANY):
            name = f"many{i:04d}@{SUFFIX}"
            if name not in known:
                state.add_user({"Name": name, "Mail": name, "DisplayName": f"Many {i}"})
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
