# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""identity_user_info listing every user of a tenant of more than one page through ansible-playbook (tenant URL and CA in
module_defaults, credentials from the environment): with_state=false reads the pages alone, at most 0.01 requests a
user, and claims no account state; the default reads one GetUser a user. Counted by the simulator."""

from __future__ import annotations

import pytest
from identity_it import SERVICE_ENV, defaults_play, save_task, seed_users  # pylint: disable=import-error

SUFFIX = "pages.example"
MANY = 1200


@pytest.fixture
def big_tenant(sim):
    state = sim.sim.world.tenants[0]
    with state.lock:
        seed_users(state, SUFFIX, [f"p{i:04d}@{SUFFIX}" for i in range(MANY)])
        state.version += 1
    yield state
    with state.lock:
        for user in [u for u in state.users.values() if u["Name"].endswith("@" + SUFFIX)]:
            state.remove_user(user["Uuid"])
        state.login_suffixes = [s for s in state.login_suffixes if s["name"] != SUFFIX]
        state.version += 1


def listed(sim, run_playbook, tmp_path, **options) -> tuple[list[dict], dict]:
    sim.post("reset")
    tasks = [{"name": "Every user", "cyberark_community.identity.identity_user_info": options, "register": "found"}, save_task("found")]
    run = run_playbook(defaults_play(tmp_path / "list.yml", sim, "List", tasks), env=SERVICE_ENV)
    assert run.rc == 0, run.output[-3000:]
    return run.result["found"]["users"], sim.get("requests")


def test_with_state_false_reads_pages_only(sim, big_tenant, run_playbook, tmp_path):
    users, counts = listed(sim, run_playbook, tmp_path, with_state=False)
    assert len(users) >= MANY and counts["by_path"].get("/cdirectoryservice/getuser", 0) == 0
    assert counts["reads"] <= 0.01 * len(users)
    assert {u["account_state"] for u in users} == {None} and {u["oauth_client"] for u in users} == {None}
    full, counts = listed(sim, run_playbook, tmp_path)
    assert counts["by_path"]["/cdirectoryservice/getuser"] == len(full) == len(users)
    assert {u["account_state"] for u in full} >= {"enabled"}
    by_name = {u["name"]: u for u in full}
    assert all({k: v for k, v in u.items() if k not in ("account_state", "oauth_client")}
               == {k: v for k, v in by_name[u["name"]].items() if k not in ("account_state", "oauth_client")} for u in users)
