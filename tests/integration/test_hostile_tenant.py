# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Credentials go only to the tenant: real playbook runs against a hostile tenant that redirects logins elsewhere.

The hostile tenant records every request on every host it serves; the assertions read that record, never the module.
"""

from __future__ import annotations

import pytest
from identity_it import has_traceback  # pylint: disable=import-error
from hostile_tenant import ALLOWED, CHAIN, FOREIGN, PLAIN, TENANT, TOKEN, HostileTenant  # pylint: disable=import-error

PASSWORD = "Hostile-Canary-Passw0rd-7f3a"


@pytest.fixture(scope="module")
def hostile_session(tmp_path_factory):
    tenant = HostileTenant(str(tmp_path_factory.mktemp("hostile-tls")))
    tenant.start()
    try:
        yield tenant
    finally:
        tenant.stop()


@pytest.fixture
def hostile(hostile_session):
    hostile_session.redirects = {}
    hostile_session.token = TOKEN
    hostile_session.requests = []
    return hostile_session


def login(run_playbook, hostile, allowed=""):
    env = {"CYBERARK_IDENTITY_TENANT_URL": hostile.url(TENANT), "CYBERARK_IDENTITY_CA_PATH": hostile.ca_path,
           "CYBERARK_IDENTITY_LOGIN_USERNAME": "admin@acme.com", "CYBERARK_IDENTITY_LOGIN_PASSWORD": PASSWORD,
           "CYBERARK_IDENTITY_ALLOWED_REDIRECT_HOSTS": allowed}
    return run_playbook("hostile_login.yml", env=env, verbosity=4)


def assert_refused(run, hostile, *words):
    assert run.result.get("failed") is True, run.output[-3000:]
    for word in words:
        assert word in run.result["msg"], run.result["msg"]
    assert not has_traceback(run.result, run.output)
    assert hostile.hosts_that_saw(PASSWORD) == set(), "the password reached a host"
    assert hostile.hosts_that_saw(TOKEN) == set()
    assert PASSWORD not in run.output
    assert all(r["path"].lower() != "/security/advanceauthentication" for r in hostile.requests)


def test_redirect_to_a_foreign_host_is_refused(run_playbook, hostile):
    hostile.redirects = {TENANT: FOREIGN}
    run = login(run_playbook, hostile, allowed=ALLOWED)
    assert_refused(run, hostile, FOREIGN, "allowed_redirect_hosts")
    assert not [r for r in hostile.requests if r["host"] == FOREIGN]


def test_redirect_to_plain_http_is_refused_even_for_an_allowed_host(run_playbook, hostile):
    hostile.redirects = {TENANT: f"http://{PLAIN}:{hostile.plain_port}"}
    run = login(run_playbook, hostile, allowed=PLAIN)
    assert_refused(run, hostile, "http://", "https")
    assert not [r for r in hostile.requests if r["host"] == PLAIN]


def test_redirect_to_another_port_is_refused(run_playbook, hostile):
    hostile.redirects = {TENANT: f"{ALLOWED}:{hostile.plain_port}"}
    run = login(run_playbook, hostile, allowed=ALLOWED)
    assert_refused(run, hostile, ALLOWED, f"port {hostile.plain_port}")
    assert [r["host"] for r in hostile.requests] == [TENANT]


def test_redirect_loop_is_refused(run_playbook, hostile):
    hostile.redirects = {TENANT: ALLOWED, ALLOWED: TENANT}
    run = login(run_playbook, hostile, allowed=ALLOWED)
    assert_refused(run, hostile, "loop")
    assert len(hostile.requests) == 2


def test_long_redirect_chain_is_refused(run_playbook, hostile):
    hops = [TENANT] + CHAIN
    hostile.redirects = {hops[i]: hops[i + 1] for i in range(len(hops) - 1)}
    run = login(run_playbook, hostile, allowed=",".join(CHAIN))
    assert_refused(run, hostile, "more than 3 times")
    assert len(hostile.requests) == 4


def test_allow_listed_redirect_completes_and_only_that_host_gets_the_secrets(run_playbook, hostile):
    hostile.redirects = {TENANT: ALLOWED}
    run = login(run_playbook, hostile, allowed=ALLOWED.upper() + ", unrelated.example")
    assert run.result.get("failed") is not True, run.result.get("msg") or run.output[-3000:]
    port = hostile.port
    assert hostile.hosts_that_saw(PASSWORD) == {f"{ALLOWED}:{port}"}
    assert hostile.hosts_that_saw(TOKEN) == {f"{ALLOWED}:{port}"}
    assert [r["path"] for r in hostile.requests if r["host"] == TENANT] == ["/Security/StartAuthentication"]
    assert PASSWORD not in run.output and TOKEN not in run.output


def test_a_token_with_a_line_break_is_refused_without_a_traceback_or_the_token(run_playbook, hostile):
    # Such a token cannot go in a header: the HTTP layer refused it with a traceback that quoted it.
    hostile.token = TOKEN + "\r\nX-Injected: 1"
    run = login(run_playbook, hostile)
    assert run.result.get("failed") is True, run.output[-3000:]
    assert "spaces, control or non-ASCII characters" in run.result["msg"], run.result["msg"]
    assert not has_traceback(run.result, run.output)
    assert TOKEN not in run.output and PASSWORD not in run.output
    assert hostile.hosts_that_saw(TOKEN) == set()  # never sent back
