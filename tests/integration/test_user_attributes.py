# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""identity_user's additional attributes and identity_user_info's with_attributes through ansible-playbook, the
connection given the ways users give it (module_defaults, the environment), the tenant's state read through /_sim/."""

from __future__ import annotations

import pytest
from identity_it import SERVICE_ENV, defaults_play, drop_user, save_task  # pylint: disable=import-error

USER = "attr.jane@acme.com"
SCHEMA = [{"Name": "CostCenter", "Title": "Cost center", "Type": "Text"}, {"Name": "Contractor", "Title": "Contractor", "Type": "Boolean"},
          {"Name": "Started", "Title": "Started", "Type": "Date"}]


@pytest.fixture
def attribute_tenant(sim):
    state = sim.sim.world.tenants[0]
    with state.lock:
        saved = state.info.get("additional_attributes")
        state.info["additional_attributes"] = SCHEMA
        drop_user(state, USER)
        state.version += 1
    yield state
    with state.lock:
        drop_user(state, USER)
        state.info["additional_attributes"] = saved or []
        state.version += 1


def play(tmp_path, sim, check_mode: bool, **attributes) -> str:
    """Create or update the user with ``attributes`` (connection: module_defaults for the URL and CA, the environment for
    the credentials, as AWX injects them), then list it with its attributes; both results saved."""
    tasks = [
        {"name": "The user", "cyberark_community.identity.identity_user": {"name": USER, "email": USER, "attributes": attributes},
         "check_mode": check_mode, "diff": True, "register": "user"},
        {"name": "Listed", "cyberark_community.identity.identity_user_info": {"name": [USER], "with_attributes": True}, "register": "info"},
        save_task("user", "info"),
    ]
    return defaults_play(tmp_path / "attributes.yml", sim, "Attributes", tasks)


def held(sim) -> dict:
    users = sim.tenant_state("ABC1234")["users"]
    return next((u.get("ExtData") for u in users if u["Name"].lower() == USER), None)


def test_attributes_by_column_type_check_mode_apply_then_no_change(sim, attribute_tenant, run_playbook, tmp_path):
    wanted = {"CostCenter": "4711", "Contractor": "false", "Started": "2027-01-31"}
    checked = run_playbook(play(tmp_path, sim, True, **wanted), env=SERVICE_ENV)
    assert checked.rc == 0, checked.output[-3000:]
    assert checked.result["user"]["changed"] is True and held(sim) is None  # check mode created nothing
    applied = run_playbook(play(tmp_path, sim, False, **wanted), env=SERVICE_ENV)
    assert applied.rc == 0, applied.output[-3000:]
    assert applied.result["user"]["actions"] == ["create user", "set additional attributes: Contractor, CostCenter, Started"]
    stored = held(sim)
    assert stored["CostCenter"] == "4711" and stored["Contractor"] is False and str(stored["Started"]).startswith("/Date(")
    listed = applied.result["info"]["users"][0]["attributes"]
    assert listed["CostCenter"] == "4711" and listed["Contractor"] is False
    again = run_playbook(play(tmp_path, sim, False, **wanted), env=SERVICE_ENV)
    assert again.rc == 0 and again.result["user"]["changed"] is False and again.result["user"]["actions"] == []


def test_an_undefined_attribute_fails_before_any_write(sim, attribute_tenant, run_playbook, tmp_path):
    run = run_playbook(play(tmp_path, sim, False, Costcentre="1"), env=SERVICE_ENV)
    assert run.rc != 0 and "the tenant defines no additional attribute named Costcentre" in run.output
    assert held(sim) is None  # the user was not created either
