# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""identity_user invite_again through ansible-playbook (connection through module_defaults and the environment): an
invitation is sent on each run that asks and none in check mode, as the tenant's outbox (/_sim/state) shows."""

from __future__ import annotations

import pytest
from identity_it import SERVICE_ENV, defaults_play, drop_user, save_task  # pylint: disable=import-error

USER = "invite.jane@acme.com"


@pytest.fixture
def invitee(sim):
    state = sim.sim.world.tenants[0]
    with state.lock:
        drop_user(state, USER)
        state.add_user({"Name": USER, "Mail": USER, "MobileNumber": "+14155550199"})
        state.outbox.clear()
    yield state
    with state.lock:
        drop_user(state, USER)
        state.outbox.clear()


def play(tmp_path, sim) -> str:
    invite = {"name": USER, "invite_again": True, "send_email_invite": True, "send_sms_invite": True}
    tasks = [
        {"name": "In check mode", "cyberark_community.identity.identity_user": invite, "check_mode": True, "register": "checked"},
        {"name": "For real", "cyberark_community.identity.identity_user": invite, "register": "sent"},
        save_task("checked", "sent"),
    ]
    return defaults_play(tmp_path / "invite.yml", sim, "Invite", tasks)


def test_each_run_that_asks_sends_one_invitation_by_each_channel_and_check_mode_none(sim, invitee, run_playbook, tmp_path):
    run = run_playbook(play(tmp_path, sim), env=SERVICE_ENV)
    assert run.rc == 0, run.output[-3000:]
    assert run.result["checked"]["changed"] is True and run.result["sent"]["changed"] is True
    outbox = [(m["kind"], m["user"]) for m in sim.tenant_state("ABC1234")["outbox"]]
    assert outbox == [("email_invite", USER), ("sms_invite", USER)]  # the check-mode task sent none
