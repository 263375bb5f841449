# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""identity_user_export of a tenant that holds the Remote Access integration user CyberArk provisions, through
ansible-playbook (tenant URL and CA in module_defaults, credentials from the environment): the user is not exported, is
listed in out_of_reach, and no run warns about it."""

from __future__ import annotations

import csv

from identity_it import SERVICE_ENV, defaults_play, save_task  # pylint: disable=import-error


def test_the_integration_user_is_out_of_the_exports_reach_without_a_warning(sim, run_playbook, tmp_path):
    state = sim.sim.world.tenants[0]
    provisioned = state.provision_integration_user()["Name"]
    dest = tmp_path / "everyone.csv"
    tasks = [{"name": "Export every user", "cyberark_community.identity.identity_user_export": {"dest": str(dest)}, "register": "exported"},
             save_task("exported")]
    run = run_playbook(defaults_play(tmp_path / "export.yml", sim, "Export", tasks), env=SERVICE_ENV)
    assert run.rc == 0, run.output[-3000:]
    exported = run.result["exported"]
    assert exported["out_of_reach"] == [provisioned] and provisioned not in [u["login_name"] for u in exported["left_out"]]
    assert "alero-integration-user" not in str(exported.get("warnings")) and "alero-integration-user$@acme.com is not" not in run.output
    with open(dest, encoding="utf-8-sig", newline="") as handle:
        names = [row["Login Name"] for row in csv.DictReader(handle)]
    assert provisioned not in names and exported["users"] == len(names) > 0
