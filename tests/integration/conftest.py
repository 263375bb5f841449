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
import requests
from idsim.server import DEFAULT_FAULTS, Simulator  # pylint: disable=import-error
from idsim.state import World, load_seed  # pylint: disable=import-error

HERE = os.path.dirname(os.path.abspath(__file__))
PLAYBOOKS = os.path.join(HERE, "playbooks")
SECRETS = ("Adm1n-Passw0rd!", "Svc-S3cret-Value!", "Mfa-Passw0rd!", "Globex-S3cret!")


class SimHandle:
    """The running simulator as tests see it: its addresses and its ``/_sim/`` surface over HTTP."""

    def __init__(self, sim: Simulator, info: dict) -> None:
        self.sim = sim
        self.info = info
        self.ca_path = info["ca_path"]
        self.legacy = info["tenants"][0]
        self.platform = info["tenants"][1]
        self.base = info["sim_url"]

    def get(self, name: str) -> t.Any:
        response = requests.get(f"{self.base}/{name}", verify=self.ca_path, timeout=10)
        response.raise_for_status()
        return response.json()

    def post(self, name: str, body: dict | None = None) -> t.Any:
        response = requests.post(f"{self.base}/{name}", json=body or {}, verify=self.ca_path, timeout=10)
        response.raise_for_status()
        return response.json()

    def tenant_state(self, tenant_id: str) -> dict:
        return next(t for t in self.get("state")["tenants"] if t["tenant_id"] == tenant_id)


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
def sim(sim_session: SimHandle) -> SimHandle:
    """The session's simulator with counters, recorded fields and faults reset for this test."""
    sim_session.post("config", dict(DEFAULT_FAULTS, scripted=[]))
    sim_session.post("reset")
    return sim_session


class PlaybookRun:
    def __init__(self, completed: subprocess.CompletedProcess, result_file: str) -> None:
        self.rc = completed.returncode
        self.output = completed.stdout + completed.stderr
        self.result: dict = {}
        if os.path.exists(result_file):
            with open(result_file, encoding="utf-8") as handle:
                self.result = json.load(handle)


@pytest.fixture
def run_playbook(tmp_path) -> t.Callable[..., PlaybookRun]:
    """Run a playbook from tests/integration/playbooks with extra vars and environment; collect its saved result."""
    def runner(name: str, extra_vars: dict | None = None, env: dict | None = None, verbosity: int = 0, timeout: int = 180) -> PlaybookRun:
        result_file = str(tmp_path / "result.json")
        variables = dict(extra_vars or {}, output_file=result_file)
        command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", "localhost,", "-c", "local",
                   os.path.join(PLAYBOOKS, name), "-e", json.dumps(variables)]
        if verbosity:
            command.append("-" + "v" * verbosity)
        environment = {k: v for k, v in os.environ.items() if not k.startswith("CYBERARK_")}
        environment.update({"ANSIBLE_NOCOLOR": "1", "ANSIBLE_RETRY_FILES_ENABLED": "0", "ANSIBLE_LOCAL_TEMP": str(tmp_path / "ansible-tmp")})
        environment.update(env or {})
        completed = subprocess.run(command, capture_output=True, text=True, env=environment, timeout=timeout, check=False)
        return PlaybookRun(completed, result_file)
    return runner


def connection_env(sim: SimHandle, url: str | None = None, **credentials: str) -> dict:
    env = {"CYBERARK_IDENTITY_TENANT_URL": url or sim.legacy["system_url"], "CYBERARK_IDENTITY_CA_PATH": sim.ca_path}
    env.update({f"CYBERARK_IDENTITY_{k.upper()}": v for k, v in credentials.items()})
    return env
