# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Helpers for the integration tests: the simulator as tests see it, playbook runs, connection variables."""

from __future__ import annotations

import json
import os
import typing as t

import requests

HERE = os.path.dirname(os.path.abspath(__file__))
PLAYBOOKS = os.path.join(HERE, "playbooks")


class SimHandle:
    """The running simulator as tests see it: its addresses and its ``/_sim/`` surface over HTTP."""

    def __init__(self, sim: t.Any, info: dict) -> None:
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


class PlaybookRun:
    def __init__(self, completed: t.Any, result_file: str) -> None:
        self.rc = completed.returncode
        self.output = completed.stdout + completed.stderr
        self.result: dict = {}
        if os.path.exists(result_file):
            with open(result_file, encoding="utf-8") as handle:
                self.result = json.load(handle)


def connection_env(sim: SimHandle, url: str | None = None, **credentials: str) -> dict:
    env = {"CYBERARK_IDENTITY_TENANT_URL": url or sim.legacy["system_url"], "CYBERARK_IDENTITY_CA_PATH": sim.ca_path}
    env.update({f"CYBERARK_IDENTITY_{k.upper()}": v for k, v in credentials.items()})
    return env
