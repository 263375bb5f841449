# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""identity_tenant_url through ansible-playbook under each reading of where SetPreferred and Unregister take their
argument: a custom URL registered and made preferred, after which, in the same play, a login started on the system URL
is redirected to it by name and tenant_url_facts reports it; removed again; refused on a Shared Services tenant before
any write. The tenant's URLs are read through /_sim/. The simulator names the URL <prefix>.my.idsim.test, which the
playbook's Python processes reach through tests/simulator/resolver."""

from __future__ import annotations

import copy
import os

import pytest
from identity_it import SERVICE_ENV, connection_env, defaults_play, save_task  # pylint: disable=import-error

PREFIX = "acme-it"
RESOLVER = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "simulator", "resolver")


@pytest.fixture
def tenant_hosts(sim):
    """The legacy tenant's URLs as they were, restored after the test (the session's simulator is shared)."""
    state = sim.sim.world.tenants[0]
    with state.lock:
        saved = copy.deepcopy(state.hosts)
    yield state
    with state.lock:
        state.hosts.clear()
        state.hosts.update(saved)


def resolving(sim, **env) -> dict:
    """The environment of a run that reaches the simulator's custom URL names and may be redirected to this one."""
    host = f"{PREFIX}.{sim.info['cname_domain']}"
    return dict(env, PYTHONPATH=RESOLVER, IDSIM_RESOLVE=sim.info["resolve"],
                CYBERARK_IDENTITY_ALLOWED_REDIRECT_HOSTS=f"{sim.allowed_hosts},{host}")


def named(sim) -> list[str]:
    return sim.tenant_state("ABC1234")["hosts"]["named"]


def preferred(sim) -> str:
    return sim.tenant_state("ABC1234")["hosts"]["preferred"]


def register_play(tmp_path, sim, check_mode: bool) -> str:
    admin = {"login_username": "admin@acme.com", "login_password": "Adm1n-Passw0rd!", "client_id": None, "client_secret": None}
    tasks = [
        {"name": "A preferred custom URL", "cyberark_community.identity.identity_tenant_url": {"prefix": PREFIX.upper(), "preferred": True},
         "check_mode": check_mode, "diff": True, "register": "custom"},
        {"name": "A login on the system URL", "cyberark_community.identity.tenant_url_facts": admin, "register": "facts",
         "when": "not ansible_check_mode"},
        save_task("custom", "facts"),
    ]
    return defaults_play(tmp_path / "tenant_url.yml", sim, "Custom URL", tasks)


@pytest.mark.parametrize("reading", ["query", "body", "either"])
def test_a_preferred_custom_url_redirects_the_next_login_and_goes_again(sim, tenant_hosts, run_playbook, tmp_path, reading):
    sim.post("config", {"readings": {"tenant_cnames_args": reading}})
    host = f"{PREFIX}.{sim.info['cname_domain']}"
    checked = run_playbook(register_play(tmp_path, sim, True), env=resolving(sim, **SERVICE_ENV))
    assert checked.rc == 0, checked.output[-3000:]
    assert checked.result["custom"]["actions"] == [f"register {PREFIX}", f"make {PREFIX} preferred"] and named(sim) == []
    applied = run_playbook(register_play(tmp_path, sim, False), env=resolving(sim, **SERVICE_ENV))
    assert applied.rc == 0, applied.output[-3000:]
    custom = applied.result["custom"]
    assert custom["changed"] is True and custom["custom_url"]["host"] == host and custom["custom_url"]["preferred"] is True
    assert custom["diff"]["before"] == {} and custom["diff"]["after"]["host"] == host
    assert named(sim) == [host] and preferred(sim) == host
    # The same play's login on the system URL went to the new preferred URL, by its name.
    facts = applied.result["facts"]["ansible_facts"]["cyberark_identity_tenant"]
    assert facts["redirect"]["observed"] is True and facts["redirect"]["to"].startswith(f"https://{host}:")
    assert facts["api_url"] == facts["redirect"]["to"] and facts["preferred_url"] == facts["redirect"]["to"]
    assert ("took the full host name in a JSON body" in applied.output) is (reading == "body")
    again = run_playbook(register_play(tmp_path, sim, False), env=resolving(sim, **SERVICE_ENV))
    assert again.rc == 0 and again.result["custom"]["changed"] is False
    writes = sim.get("requests")["writes"]
    # Removed with the connection in the environment only, as AWX injects it, and the options on the task.
    env = connection_env(sim, **{"client_id": SERVICE_ENV["CYBERARK_IDENTITY_CLIENT_ID"],
                                 "client_secret": SERVICE_ENV["CYBERARK_IDENTITY_CLIENT_SECRET"]})
    removed = run_playbook("tenant_url_absent.yml", {"prefix": PREFIX}, env=resolving(sim, **env))
    assert removed.rc == 0, removed.output[-3000:]
    assert removed.result["changed"] is True and named(sim) == [] and preferred(sim) is None
    assert sim.get("requests")["writes"] > writes
    gone = run_playbook("tenant_url_absent.yml", {"prefix": PREFIX}, env=resolving(sim, **env))
    assert gone.rc == 0 and gone.result["changed"] is False


def test_a_shared_services_tenant_is_refused_before_any_write(sim, run_playbook, tmp_path):
    env = connection_env(sim, url=sim.platform["system_url"], client_id="svc@globex.example", client_secret="Globex-S3cret!")
    run = run_playbook("tenant_url_absent.yml", {"prefix": PREFIX, "url_state": "present"}, env=env)
    assert run.rc != 0 and "not supported on Shared Services tenants" in run.output
    assert sim.get("requests")["writes"] == 0 and sim.tenant_state("XYZ9876")["hosts"]["named"] == []


def test_a_prefix_that_is_a_host_name_fails_naming_the_option(sim, run_playbook, tmp_path):
    env = connection_env(sim, client_id=SERVICE_ENV["CYBERARK_IDENTITY_CLIENT_ID"], client_secret=SERVICE_ENV["CYBERARK_IDENTITY_CLIENT_SECRET"])
    run = run_playbook("tenant_url_absent.yml", {"prefix": "acme.my.idaptive.app", "url_state": "present"}, env=env)
    assert run.rc != 0 and "prefix: 'acme.my.idaptive.app' is not a host name label" in run.output
    assert sim.get("requests")["writes"] == 0
