# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Login names with non-ASCII capitals through every module: found in any case, never created twice, no crash.

The service compares login names case-insensitively (CyberArk's SDKs look users up by the lower-cased name);
'Élise' and 'élise' are one user. State is read from the simulator, not from the modules.
"""

from __future__ import annotations

import os

import yaml
from identity_it import PLAYBOOKS  # pylint: disable=import-error

SERVICE = {"client_id": "ansible-svc@acme.com", "client_secret": "Svc-S3cret-Value!"}
USER = "cyberark_community.identity.identity_user"
ELISE = "Élise.Martin@acme.com"
ZOE = "Zoë.Ünal@acme.com"
ASA = "Åsa.Import@acme.com"

STEPS = [
    ("create", USER, {"name": ELISE, "email": "elise@acme.com", "roles": ["Help Desk"]}, True),
    ("again", USER, {"name": ELISE, "email": "elise@acme.com", "roles": ["Help Desk"]}, False),
    ("other_case", USER, {"name": ELISE.lower(), "email": "elise@acme.com"}, False),
    ("info", "cyberark_community.identity.identity_user_info", {"name": [ELISE.upper()], "with_roles": True}, False),
    ("manager", USER, {"name": ZOE, "email": "zoe@acme.com", "reports_to": ELISE.lower()}, True),
    ("manager_again", USER, {"name": ZOE.upper(), "email": "zoe@acme.com", "reports_to": ELISE}, False),
    ("role", "cyberark_community.identity.identity_role", {"name": "Équipe", "members": [ELISE.upper(), ZOE]}, True),
    ("role_again", "cyberark_community.identity.identity_role", {"name": "Équipe", "members": [ELISE.lower(), ZOE.lower()]}, False),
    ("import", "cyberark_community.identity.identity_bulk_import",
     {"users": [{"login_name": ASA, "email_address": "asa@acme.com", "roles": ["Help Desk"], "reports_to": ZOE.lower()}]}, True),
    ("import_again", "cyberark_community.identity.identity_bulk_import",
     {"users": [{"login_name": ASA.lower(), "email_address": "asa@acme.com", "roles": ["Help Desk"], "reports_to": ZOE}]}, False),
]


def test_non_ascii_login_names_in_every_module(sim, run_playbook, tmp_path):
    defaults = {"tenant_url": sim.legacy["system_url"], "ca_path": sim.ca_path, **SERVICE}
    tasks = [{"name": "Role the users join", "cyberark_community.identity.identity_role": {"name": "Help Desk"}}]
    tasks += [{"name": step, module: args, "register": step, "ignore_errors": True} for step, module, args, _changed in STEPS]
    saved = "{{ {" + ", ".join(f"'{step}': {step}" for step, *_rest in STEPS) + "} | to_json }}"
    tasks.append({"name": "Save", "ansible.builtin.copy": {"content": saved, "dest": "{{ output_file }}", "mode": "0600"}})
    play = [{"name": "Non-ASCII names", "hosts": "localhost", "gather_facts": False,
             "vars": {"ansible_python_interpreter": "{{ ansible_playbook_python }}"},
             "module_defaults": {"group/cyberark_community.identity.identity": defaults}, "tasks": tasks}]
    path = os.path.join(PLAYBOOKS, f"_non_ascii_{tmp_path.name}.yml")
    with open(path, "w", encoding="utf-8") as handle:
        yaml.safe_dump(play, handle, sort_keys=False, allow_unicode=True)
    try:
        run = run_playbook(os.path.basename(path))
    finally:
        os.unlink(path)
    assert run.rc == 0, run.output[-3000:]
    for step, _module, _args, changed in STEPS:
        result = run.result[step]
        assert result.get("failed") is not True, (step, result.get("msg"))
        assert result["changed"] is changed, (step, result)
    info = run.result["info"]
    assert [u["name"] for u in info["users"]] == [ELISE] and info["missing"] == [] and info["users"][0]["roles"] == ["Help Desk"]

    users = sim.tenant_state("ABC1234")["users"]
    by_name = {}
    for record in users:
        by_name.setdefault(record["Name"].lower(), []).append(record)
    for name in (ELISE, ZOE, ASA):
        assert len(by_name[name.lower()]) == 1, f"{name} exists {len(by_name.get(name.lower(), []))} times"
    elise, zoe, asa = (by_name[n.lower()][0] for n in (ELISE, ZOE, ASA))
    assert zoe["ReportsTo"] == elise["Uuid"] and asa["ReportsTo"] == zoe["Uuid"]
    roles = {r["Name"]: r["Members"] for r in sim.tenant_state("ABC1234")["roles"]}
    assert set(roles["Équipe"]) == {elise["Uuid"], zoe["Uuid"]}
    assert {elise["Uuid"], asa["Uuid"]} <= set(roles["Help Desk"])
