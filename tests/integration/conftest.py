# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A simulator over HTTPS for the whole session, and a helper that runs real ``ansible-playbook``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import typing as t

import pytest
from idsim.server import DEFAULT_FAULTS, Simulator  # pylint: disable=import-error
from idsim.state import World, load_seed  # pylint: disable=import-error
from identity_it import PLAYBOOKS, PlaybookRun, SimHandle  # pylint: disable=import-error

HERE = os.path.dirname(os.path.abspath(__file__))


@pytest.fixture(scope="session")
def sim_session(tmp_path_factory) -> t.Iterator[SimHandle]:
    seed = load_seed(os.path.join(HERE, "seed.json"))
    sim = Simulator(World(seed), scheme="https", cert_dir=str(tmp_path_factory.mktemp("tls")), seed=7)
    info = sim.start()
    try:
        yield SimHandle(sim, info)
    finally:
        sim.stop()


@pytest.fixture
def sim(sim_session: SimHandle) -> t.Iterator[SimHandle]:
    """The session's simulator with counters, recorded fields and faults reset for this test."""
    sim_session.post("config", dict(DEFAULT_FAULTS, scripted=[]))
    sim_session.post("reset")
    yield sim_session
    # Whatever a test asserts, the simulator must have known every endpoint and field it was sent.
    unknown = {"endpoints": sim_session.get("unknown_endpoints"), "fields": sim_session.get("unknown_fields")}
    assert unknown == {"endpoints": {}, "fields": {}}, f"the simulator was sent what it does not know: {unknown}"


@pytest.fixture
def run_playbook(tmp_path, sim_session) -> t.Callable[..., PlaybookRun]:
    """Run a playbook from tests/integration/playbooks with extra vars and environment; collect its saved result.

    Logins may follow the simulator's redirects (its hosts are loopback addresses, outside CyberArk's domains):
    ``CYBERARK_IDENTITY_ALLOWED_REDIRECT_HOSTS`` lists them unless a test's ``env`` says otherwise.
    """
    def runner(name: str, extra_vars: dict | None = None, env: dict | None = None, verbosity: int = 0, timeout: int = 180) -> PlaybookRun:
        result_file = str(tmp_path / "result.json")
        variables = dict(extra_vars or {}, output_file=result_file)
        # Extra vars go through a file: ansible-playbook -vvvv echoes its command line.
        vars_file = tmp_path / "extra_vars.json"
        vars_file.write_text(json.dumps(variables), encoding="utf-8")
        command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", "localhost,", "-c", "local",
                   os.path.join(PLAYBOOKS, name), "-e", f"@{vars_file}"]
        if verbosity:
            command.append("-" + "v" * verbosity)
        environment = {k: v for k, v in os.environ.items() if not k.startswith("CYBERARK_")}
        environment["CYBERARK_IDENTITY_ALLOWED_REDIRECT_HOSTS"] = sim_session.allowed_hosts
        environment.update({"ANSIBLE_NOCOLOR": "1", "ANSIBLE_RETRY_FILES_ENABLED": "0", "ANSIBLE_LOCAL_TEMP": str(tmp_path / "ansible-tmp")})
        environment.update(env or {})
        completed = subprocess.run(command, capture_output=True, text=True, env=environment, timeout=timeout, check=False)
        return PlaybookRun(completed, result_file)
    return runner
