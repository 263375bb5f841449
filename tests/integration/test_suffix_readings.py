# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""identity_login_suffix deletes a suffix correctly whichever State the tenant answers a successful
Core/DeleteAliases with (readings.py: delete_aliases_state), judging by the suffix list read back."""

from __future__ import annotations

import json

import pytest
from identity_it import SERVICE_ENV  # pylint: disable=import-error

SUFFIX = "gone.acme.com"


@pytest.mark.parametrize("state", ["0", "1"])
def test_a_deleted_suffix_is_judged_by_the_list_read_back(sim, run_playbook, tmp_path, state):
    sim.post("config", {"readings": {"delete_aliases_state": state}})
    tenant = sim.sim.world.tenants[0]
    with tenant.lock:
        if not any(s["name"] == SUFFIX for s in tenant.login_suffixes):
            tenant.login_suffixes.append({"name": SUFFIX, "cds": True})
        tenant.version += 1
    connection = {"tenant_url": sim.legacy["system_url"], "ca_path": sim.ca_path}
    task = {"name": "Delete the suffix", "cyberark_community.identity.identity_login_suffix": dict(connection, name=SUFFIX, state="absent"),
            "register": "deleted"}
    save = {"name": "Save", "ansible.builtin.copy": {"content": "{{ deleted | to_json }}", "dest": "{{ output_file }}", "mode": "0600"}}
    path = tmp_path / "delete_suffix.yml"
    path.write_text(json.dumps([{"name": "Suffix", "hosts": "localhost", "gather_facts": False,
                                 "vars": {"ansible_python_interpreter": "{{ ansible_playbook_python }}"}, "tasks": [task, save]}]),
                    encoding="utf-8")
    run = run_playbook(str(path), env=SERVICE_ENV)
    assert run.rc == 0, run.output[-3000:]
    assert run.result["changed"] is True
    assert SUFFIX not in {s["name"] for s in sim.tenant_state("ABC1234")["login_suffixes"]}
