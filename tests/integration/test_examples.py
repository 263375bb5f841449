# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""identity_user's EXAMPLES, run as written against the simulator (connection through module_defaults), with the
additional attributes its example sets defined on the tenant."""

from __future__ import annotations

import os

import pytest
import yaml
from identity_it import PLAYBOOKS  # pylint: disable=import-error

from ansible_collections.cyberark_community.identity.plugins.modules import identity_user

EXAMPLE_VARS = {"vault_initial_password": "Example-Passw0rd-1", "vault_service_secret": "Svc-S3cret-Value!"}
ROLES_USED = ["Help Desk", "Auditors", "Automation"]
USERS_USED = ["jane.doe@acme.com", "john.roe@acme.com"]
# identity_user's attributes example names these: the tenant defines them for the run (the simulator's defines none)
ATTRIBUTES_USED = [{"Name": "CostCenter", "Title": "Cost center", "Type": "Text"}, {"Name": "Contractor", "Title": "Contractor", "Type": "Boolean"}]


# identity_user's EXAMPLES, its attributes example included (the tenant defines them here); test_docs_run.py runs every
# plugin's EXAMPLES, this one's but for the attributes task.
@pytest.mark.parametrize("module", [identity_user],
                         ids=lambda m: m.__name__.rsplit(".", 1)[1])
def test_examples_run_as_written(sim, run_playbook, module):
    tasks = yaml.safe_load(module.EXAMPLES)
    setup = [
        {"name": "Roles the examples use", "cyberark_community.identity.identity_role": {"name": "{{ item }}"}, "loop": ROLES_USED},
        {"name": "Users the examples use", "cyberark_community.identity.identity_user": {"name": "{{ item }}", "email": "{{ item }}"},
         "loop": USERS_USED},
    ]
    play = [{
        "name": "Examples", "hosts": "localhost", "gather_facts": False,
        "vars": dict(EXAMPLE_VARS, ansible_python_interpreter="{{ ansible_playbook_python }}"),
        "module_defaults": {"group/cyberark_community.identity.identity": {
            "tenant_url": sim.legacy["system_url"], "ca_path": sim.ca_path,
            "client_id": "ansible-svc@acme.com", "client_secret": "Svc-S3cret-Value!"}},
        "tasks": setup + tasks,
    }]
    # One file per module and process: two xdist workers share this folder and may give tmp_path the same name.
    path = os.path.join(PLAYBOOKS, f"_examples_{module.__name__.rsplit('.', 1)[1]}_{os.getpid()}.yml")
    with open(path, "w", encoding="utf-8") as handle:
        yaml.safe_dump(play, handle, sort_keys=False)
    tenant = sim.sim.world.tenants[0]
    with tenant.lock:
        saved = tenant.info.get("additional_attributes")
        tenant.info["additional_attributes"] = ATTRIBUTES_USED
    try:
        run = run_playbook(os.path.basename(path))
    finally:
        os.unlink(path)
        with tenant.lock:
            tenant.info["additional_attributes"] = saved or []
    assert run.rc == 0, run.output[-4000:]
    assert "failed=0" in run.output
