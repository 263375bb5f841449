# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""identity_user, identity_role, identity_login_suffix and identity_user_info through real playbooks.

The playbooks check every outcome in the simulator's state through ``/_sim/``; these tests add the checks
that need the whole run (output, failures) and a state comparison before and after bad input.
"""

from __future__ import annotations

import pytest

# The connection secret travels in the environment, as an AWX credential injects it: a -vvvv run prints
# the ansible-playbook command line, extra vars included.
SERVICE_ENV = {"CYBERARK_IDENTITY_CLIENT_ID": "ansible-svc@acme.com", "CYBERARK_IDENTITY_CLIENT_SECRET": "Svc-S3cret-Value!"}


def play_vars(sim, **extra):
    return dict(identity_tenant_url=sim.legacy["system_url"], identity_ca_path=sim.ca_path, sim_url=sim.base, **extra)


def test_user_lifecycle(sim, run_playbook):
    run = run_playbook("identity_user.yml", extra_vars=play_vars(sim), env=SERVICE_ENV, verbosity=4)
    assert run.rc == 0, run.output[-6000:]
    for secret in ("Init-Passw0rd-1", "Another-Passw0rd-2", "Svc-Passw0rd-99", "Svc-S3cret-Value!"):
        assert secret not in run.output
    assert sim.get("unknown_fields") == {}
