# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The login never mixes with the user a module manages, however a playbook passes the login.

With the administrator's login in ``module_defaults`` (the README's pattern), ``identity_user`` once read the
login password as the new user's password; with the login in the environment (as AWX injects it), the user's
``password`` hid the login's. Each way a user passes the login (task, ``module_defaults``, environment) creates a
user without a password and one with its own; the tenant shows who can sign in with what.
"""

from __future__ import annotations

import json

import pytest
import requests

ADMIN = ("admin@acme.com", "Adm1n-Passw0rd!")
USER_PASSWORD = "Own-Passw0rd-42"
LOGIN = {"login_username": ADMIN[0], "login_password": ADMIN[1]}


def signs_in(sim, name: str, password: str) -> bool:
    """Whether the tenant accepts this password for this user (the wire's password login, not the collection's)."""
    base = sim.legacy["preferred_url"]
    start = requests.post(f"{base}/Security/StartAuthentication", json={"User": name, "Version": "1.0"},
                          verify=sim.ca_path, timeout=10).json()["Result"]
    mechanism = start["Challenges"][0]["Mechanisms"][0]["MechanismId"]
    answer = requests.post(f"{base}/Security/AdvanceAuthentication", verify=sim.ca_path, timeout=10, json={
        "SessionId": start["SessionId"], "MechanismId": mechanism, "Action": "Answer", "Answer": password}).json()
    return bool(answer.get("success")) and answer["Result"].get("Summary") == "LoginSuccess"


def playbook(tmp_path, sim, way: str) -> str:
    connection = {"tenant_url": sim.legacy["system_url"], "ca_path": sim.ca_path}
    task_login = dict(LOGIN) if way == "task" else {}
    if way == "module_defaults":
        connection.update(LOGIN)
    users = [{"name": "seam.nopass@acme.com", **task_login},
             {"name": "seam.ownpass@acme.com", "password": USER_PASSWORD, **task_login}]
    play = [{
        "name": f"Users with the login passed through {way}", "hosts": "localhost", "gather_facts": False,
        "vars": {"ansible_python_interpreter": "{{ ansible_playbook_python }}"},
        "module_defaults": {"group/cyberark_community.identity.identity": connection},
        "tasks": [{"name": f"Create {user['name']}", "cyberark_community.identity.identity_user": user} for user in users],
    }]
    path = tmp_path / f"seam_{way}.yml"
    path.write_text(json.dumps(play), encoding="utf-8")  # JSON is YAML
    return str(path)


@pytest.mark.parametrize("way", ["task", "module_defaults", "environment"])
def test_the_login_and_the_new_users_password_stay_apart(sim, run_playbook, tmp_path, way):
    env = {"CYBERARK_IDENTITY_LOGIN_USERNAME": ADMIN[0], "CYBERARK_IDENTITY_LOGIN_PASSWORD": ADMIN[1]} if way == "environment" else {}
    run = run_playbook(playbook(tmp_path, sim, way), env=env)
    assert run.rc == 0, run.output[-3000:]
    names = {u["Name"] for u in sim.tenant_state("ABC1234")["users"]}
    assert {"seam.nopass@acme.com", "seam.ownpass@acme.com"} <= names
    assert not signs_in(sim, "seam.nopass@acme.com", ADMIN[1]), "a user created without a password got the login's"
    assert signs_in(sim, "seam.ownpass@acme.com", USER_PASSWORD)
    assert signs_in(sim, ADMIN[0], ADMIN[1])  # the login itself was never sent the user's password


def test_a_credential_type_made_for_1x_gets_a_warning_that_names_the_new_variables(sim, run_playbook, tmp_path):
    # an AWX credential type of 1.x injects CYBERARK_IDENTITY_USERNAME / _PASSWORD, no longer read
    env = {"CYBERARK_IDENTITY_USERNAME": ADMIN[0], "CYBERARK_IDENTITY_PASSWORD": ADMIN[1]}
    run = run_playbook(playbook(tmp_path, sim, "environment"), env=env, verbosity=3)
    shown = " ".join(run.output.split())  # ansible-core 2.16 wraps warnings over lines
    assert run.rc != 0 and "no credentials" in shown
    assert "CYBERARK_IDENTITY_USERNAME is set but no longer read since 2.0.0: set CYBERARK_IDENTITY_LOGIN_USERNAME" in shown
    assert ADMIN[1] not in run.output
    assert sim.get("requests")["writes"] == 0
