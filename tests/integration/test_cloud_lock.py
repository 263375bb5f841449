# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""identity_user's cloud lock and identity_user_info's with_locks through ansible-playbook (connection through
module_defaults and the environment), the tenant's state read through /_sim/: a locked-out user is reported, a cloud
lock is cleared once, and a lockout by policy is reported, never claimed cleared."""

from __future__ import annotations

import pytest
from identity_it import SERVICE_ENV, defaults_play, drop_user, save_task  # pylint: disable=import-error

USER = "lock.jane@acme.com"
PASSWORD = "Lock-Passw0rd-1"


@pytest.fixture
def locked_user(sim):
    state = sim.sim.world.tenants[0]
    with state.lock:
        drop_user(state, USER)
        state.add_user({"Name": USER, "Mail": USER, "Password": PASSWORD, "CloudLocked": True, "LockedOutByPolicy": True})
    yield state
    with state.lock:
        drop_user(state, USER)


def play(tmp_path, sim, check_mode: bool) -> str:
    tasks = [
        {"name": "Before", "cyberark_community.identity.identity_user_info": {"name": [USER], "with_locks": True}, "register": "before"},
        {"name": "Clear the cloud lock", "cyberark_community.identity.identity_user": {"name": USER, "cloud_lock": False},
         "check_mode": check_mode, "register": "cleared"},
        save_task("before", "cleared"),
    ]
    return defaults_play(tmp_path / "cloud_lock.yml", sim, "Cloud lock", tasks)


def stored(sim) -> dict:
    return next(u for u in sim.tenant_state("ABC1234")["users"] if u["Name"].lower() == USER)


def test_a_cloud_lock_is_reported_cleared_once_and_a_policy_lockout_only_reported(sim, locked_user, run_playbook, tmp_path):
    checked = run_playbook(play(tmp_path, sim, True), env=SERVICE_ENV)
    assert checked.rc == 0, checked.output[-3000:]
    listed = checked.result["before"]["users"][0]
    assert listed["cloud_locked"] is True and listed["locked_out_by_policy"] is True
    assert checked.result["cleared"]["actions"] == ["clear cloud lock"] and stored(sim)["CloudLocked"] is True  # check mode
    applied = run_playbook(play(tmp_path, sim, False), env=SERVICE_ENV)
    assert applied.rc == 0, applied.output[-3000:]
    assert applied.result["cleared"]["changed"] is True and stored(sim)["CloudLocked"] is False
    user = applied.result["cleared"]["user"]
    assert user["cloud_locked"] is False and user["locked_out_by_policy"] is True  # no public endpoint clears it
    again = run_playbook(play(tmp_path, sim, False), env=SERVICE_ENV)
    assert again.rc == 0 and again.result["cleared"]["changed"] is False
