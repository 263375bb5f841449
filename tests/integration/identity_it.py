# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Helpers for the integration tests: the simulator as tests see it, playbook runs, connection variables."""

from __future__ import annotations

import json
import os
import typing as t
from urllib.parse import urlsplit

import requests

HERE = os.path.dirname(os.path.abspath(__file__))
PLAYBOOKS = os.path.join(HERE, "playbooks")


class SimHandle:
    """The running simulator as tests see it: its addresses and its ``/_sim/`` surface over HTTP (with its token)."""

    def __init__(self, sim: t.Any, info: dict) -> None:
        self.sim = sim
        self.info = info
        self.token = sim.token
        self.headers = {"X-Idsim-Token": sim.token}  # what every /_sim/ call carries
        self.ca_path = info["ca_path"]
        self.legacy = info["tenants"][0]
        self.platform = info["tenants"][1]
        self.base = info["sim_url"]
        self.allowed_hosts = ",".join(sim_hosts(info))

    def get(self, name: str) -> t.Any:
        response = requests.get(f"{self.base}/{name}", headers=self.headers, verify=self.ca_path, timeout=10)
        response.raise_for_status()
        return response.json()

    def post(self, name: str, body: dict | None = None) -> t.Any:
        response = requests.post(f"{self.base}/{name}", json=body or {}, headers=self.headers, verify=self.ca_path, timeout=10)
        response.raise_for_status()
        return response.json()

    def tenant_state(self, tenant_id: str) -> dict:
        return next(t for t in self.get("state")["tenants"] if t["tenant_id"] == tenant_id)


def sim_hosts(info: dict) -> list[str]:
    """Every host the simulator serves: what ``allowed_redirect_hosts`` must list for logins against it to follow its redirects."""
    urls = [u for tenant in info["tenants"] for u in tenant["urls"]]
    urls += [ra[key] for ra in info.get("remote_access", []) for key in ("auth_url", "api_url")]
    return sorted({urlsplit(u).hostname for u in urls if urlsplit(u).hostname})


class PlaybookRun:
    def __init__(self, completed: t.Any, result_file: str) -> None:
        self.rc = completed.returncode
        self.output = completed.stdout + completed.stderr
        self.result: dict = {}
        if os.path.exists(result_file):
            with open(result_file, encoding="utf-8") as handle:
                self.result = json.load(handle)


# The built-in service user's login, as an AWX credential injects it: in the environment (a -vvvv run prints the
# ansible-playbook command line, extra vars included).
SERVICE_ENV = {"CYBERARK_IDENTITY_CLIENT_ID": "ansible-svc@acme.com", "CYBERARK_IDENTITY_CLIENT_SECRET": "Svc-S3cret-Value!"}


def play_vars(sim: SimHandle, **extra: t.Any) -> dict:
    """The extra vars of the tests' playbooks: the tenant's URL and CA, which they set through module_defaults."""
    return dict(identity_tenant_url=sim.legacy["system_url"], identity_ca_path=sim.ca_path, **extra)


def connection_env(sim: SimHandle, url: str | None = None, **credentials: str) -> dict:
    env = {"CYBERARK_IDENTITY_TENANT_URL": url or sim.legacy["system_url"], "CYBERARK_IDENTITY_CA_PATH": sim.ca_path,
           "CYBERARK_IDENTITY_ALLOWED_REDIRECT_HOSTS": sim.allowed_hosts}
    env.update({f"CYBERARK_IDENTITY_{k.upper()}": v for k, v in credentials.items()})
    return env


def has_traceback(result: dict, output: str = "") -> bool:
    """Whether a task failed with a Python traceback (ansible-core 2.19 marks every failure at -vvv with a
    placeholder ``exception`` of ``(traceback unavailable)``, which is not one)."""
    exception = str(result.get("exception") or "")
    return ("Traceback (most recent call last)" in output or "Traceback (most recent call last)" in exception
            or "module_stderr" in result or "MODULE FAILURE" in str(result.get("msg", "")))


def seed_users(state: t.Any, suffix: str, names: t.Iterable[str], **fields: t.Any) -> None:
    """Users straight into the simulator's tenant ``state`` (no request: fast), under a Cloud Directory ``suffix`` made
    if missing; a name the tenant holds already is left as it is. Call with ``state.lock`` held."""
    if not any(s["name"] == suffix for s in state.login_suffixes):
        state.login_suffixes.append({"name": suffix, "cds": True})
    known = {u["Name"] for u in state.users.values()}
    for name in names:
        if name not in known:
            state.add_user(dict({"Name": name, "Mail": name}, **{k: v(name) if callable(v) else v for k, v in fields.items()}))


def defaults_play(path: t.Any, sim: SimHandle, name: str, tasks: list[dict]) -> str:
    """A playbook of ``tasks`` written to ``path``, the tenant's URL and CA in module_defaults (the credentials come from
    the environment, as AWX injects them), the results saved by a last task to ``output_file``."""
    defaults = {"group/cyberark_community.identity.identity": {"tenant_url": sim.legacy["system_url"], "ca_path": sim.ca_path}}
    with open(path, "w", encoding="utf-8") as handle:
        json.dump([{"name": name, "hosts": "localhost", "gather_facts": False, "module_defaults": defaults,
                    "vars": {"ansible_python_interpreter": "{{ ansible_playbook_python }}"}, "tasks": tasks}], handle)
    return str(path)


def save_task(*registered: str) -> dict:
    """The task that saves the registered results as one JSON object for the test (``run.result``)."""
    content = "{{ {" + ", ".join(f"'{name}': {name}" for name in registered) + "} | to_json }}"
    return {"name": "Save", "ansible.builtin.copy": {"content": content, "dest": "{{ output_file }}", "mode": "0600"}}


def drop_user(state: t.Any, name: str) -> None:
    """Remove the user named ``name`` from a tenant's state, if it is there (a test's set-up and clean-up)."""
    with state.lock:
        user = state.find_user(name)
        if user:
            state.remove_user(user["Uuid"])
