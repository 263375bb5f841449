# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""tenant_url_facts through real ansible-playbook runs against the simulator over verified HTTPS.

Expected values come from the simulator's own state (``/_sim/``), never from the module under test.
"""

from __future__ import annotations

import re

import pytest
import requests
from identity_it import connection_env  # pylint: disable=import-error
from connect_proxy import ConnectProxy  # pylint: disable=import-error

SERVICE_USER = {"client_id": "ansible-svc@acme.com", "client_secret": "Svc-S3cret-Value!"}
ADMIN = {"login_username": "admin@acme.com", "login_password": "Adm1n-Passw0rd!"}
JWT_RE = re.compile(r"eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}")


def facts_of(run):
    assert not run.result.get("failed"), run.result.get("msg") or run.output[-3000:]
    return run.result["ansible_facts"]["cyberark_identity_tenant"]


def expected_urls(sim, tenant_id):
    state = sim.tenant_state(tenant_id)
    port = sim.info["port"]
    hosts = state["hosts"]
    return {
        "system": f"https://{hosts['system']}:{port}",
        "preferred": f"https://{hosts.get('preferred') or hosts['system']}:{port}",
        "custom": [f"https://{h}:{port}" for h in hosts.get("custom", [])],
        "suffixes": [s["name"] for s in state["login_suffixes"] if s["cds"]],
        "state": state,
    }


def assert_no_unknown_fields(sim):
    assert sim.get("unknown_fields") == {}


@pytest.mark.parametrize("credentials", [SERVICE_USER, dict(SERVICE_USER, oauth_app_id="ansible_app"), ADMIN], ids=["service_user", "oauth_app", "password"])
def test_each_login_flow_reports_the_tenant_as_the_simulator_holds_it(sim, run_playbook, credentials):
    run = run_playbook("tenant_facts.yml", env=connection_env(sim, **credentials))
    facts = facts_of(run)
    expected = expected_urls(sim, "ABC1234")
    assert facts["authenticated"] is True
    assert facts["system_url"] == expected["system"]
    assert facts["preferred_url"] == expected["preferred"]
    assert sorted(facts["custom_urls"]) == sorted(expected["custom"])
    assert facts["login_suffixes"] == expected["suffixes"]
    assert facts["company_name"] == expected["state"]["company_name"]
    assert facts["pod_name"] == expected["state"]["pod_name"] and facts["region"] == expected["state"]["region"]
    assert facts["url_kind"] == "system" and facts["is_system_url"] is True
    token_path = {"client_id": "/oauth2/platformtoken", "oauth_app_id": "/oauth2/token/ansible_app", "login_username": "/security/advanceauthentication"}
    used = [p for key, p in token_path.items() if key in credentials][-1]
    counts = sim.get("requests")
    assert counts["by_path"].get(used) == 1, counts
    assert counts["writes"] == 0
    assert_no_unknown_fields(sim)


def test_password_login_follows_the_system_to_preferred_redirect(sim, run_playbook):
    facts = facts_of(run_playbook("tenant_facts.yml", env=connection_env(sim, **ADMIN)))
    expected = expected_urls(sim, "ABC1234")
    assert facts["redirect"] == {"observed": True, "from": expected["system"], "to": expected["preferred"], "chain": [expected["preferred"]]}
    assert facts["api_url"] == expected["preferred"]
    assert facts["tenant_id"] == "ABC1234"
    log = sim.get("log")
    starts = [(e["host"], e["path"]) for e in log if e["path"].startswith("/security/")]
    hosts = expected["state"]["hosts"]
    assert starts == [(hosts["system"], "/security/startauthentication"), (hosts["preferred"], "/security/startauthentication"),
                      (hosts["preferred"], "/security/advanceauthentication")]
    assert {e["host"] for e in log if not e["path"].startswith("/security/")} == {hosts["preferred"]}


def test_custom_url_is_reported_as_custom(sim, run_playbook):
    expected = expected_urls(sim, "ABC1234")
    other = [u for u in expected["custom"] if u != expected["preferred"]][0]
    facts = facts_of(run_playbook("tenant_facts.yml", env=connection_env(sim, url=other, **SERVICE_USER)))
    assert facts["url_kind"] == "custom" and facts["is_custom_url"] is True and facts["is_system_url"] is False
    assert facts["redirect"]["observed"] is False  # only the system URL redirects


def test_platform_tenant_has_no_custom_domains(sim, run_playbook):
    env = connection_env(sim, url=sim.platform["system_url"], client_id="svc@globex.example", client_secret="Globex-S3cret!")
    facts = facts_of(run_playbook("tenant_facts.yml", env=env))
    assert facts["tenant_kind"] == "platform" and facts["custom_domains_supported"] is False
    assert facts["tenant_id"] == "XYZ9876"
    assert facts["default_login_suffix"] == "cyberark.cloud.4242"
    assert facts["custom_urls"] == []


def test_without_credentials_only_public_facts_are_learned(sim, run_playbook):
    env = {"CYBERARK_IDENTITY_CA_PATH": sim.ca_path}
    run = run_playbook("tenant_facts.yml", extra_vars={"facts_tenant_url": sim.legacy["system_url"], "facts_login_name": "jane@acme.com"}, env=env)
    facts = facts_of(run)
    expected = expected_urls(sim, "ABC1234")
    assert facts["authenticated"] is False
    assert facts["tenant_id"] == "ABC1234"
    assert facts["redirect"]["to"] == expected["preferred"] and facts["preferred_url"] == expected["preferred"]
    assert facts["login_suffixes"] == [] and "login_suffixes" in facts["unknown"]
    counts = sim.get("requests")
    assert set(counts["by_path"]) == {"/security/startauthentication"}


def test_module_defaults_group_sets_the_connection_once(sim, run_playbook):
    variables = {"identity_tenant_url": sim.legacy["system_url"], "identity_client_id": SERVICE_USER["client_id"],
                 "identity_client_secret": SERVICE_USER["client_secret"], "identity_ca_path": sim.ca_path, "expected_tenant_id": "ABC1234"}
    run = run_playbook("tenant_facts_module_defaults.yml", extra_vars=variables)
    assert run.rc == 0, run.output[-3000:]


def test_platform_prefix_path_works(sim, run_playbook):
    url = sim.legacy["urls"][1] + "/api/idadmin"
    facts = facts_of(run_playbook("tenant_facts.yml", env=connection_env(sim, url=url, **SERVICE_USER)))
    assert facts["company_name"] == "Acme Corporation"
    assert set(sim.get("requests")["by_path"]) >= {"/oauth2/platformtoken", "/sysinfo/about"}


def test_throttling_storm_still_succeeds(sim, run_playbook):
    sim.post("config", {"rate_limit_rps": 2, "rate_limit_burst": 1, "retry_after": 1})
    facts = facts_of(run_playbook("tenant_facts.yml", env=connection_env(sim, **SERVICE_USER)))
    assert facts["company_name"] == "Acme Corporation"
    assert sim.get("requests")["throttled"] >= 2


def test_injected_errors_and_dropped_connections_are_retried(sim, run_playbook):
    scripted = [{"path": "/sysinfo/about", "status": 503, "count": 2}, {"path": "/tenantcnames/uiget", "status": "drop", "count": 1},
                {"path": "/core/getcdsaliasesfortenant", "status": 429, "count": 2, "retry_after": 0}]
    sim.post("config", {"scripted": scripted})
    facts = facts_of(run_playbook("tenant_facts.yml", env=connection_env(sim, **SERVICE_USER)))
    assert facts["company_name"] and facts["cnames"] and facts["login_suffixes"]
    assert set(facts["unknown"]) <= {"custom_domains_supported", "tenant_kind"}
    counts = sim.get("requests")
    assert counts["errors_injected"] == 2 and counts["dropped"] == 1 and counts["throttled"] == 2


def test_expired_token_is_refreshed_once(sim, run_playbook):
    # The run (about 5 requests of 0.7 s) outlives its 2 s token, which ends on a whole second (1 to 2 s left).
    sim.post("token_lifetime", {"seconds": 2})
    sim.post("config", {"latency_ms": 700})
    try:
        run = run_playbook("tenant_facts.yml", env=connection_env(sim, **SERVICE_USER))
    finally:
        sim.post("token_lifetime", {"seconds": 3600})
        sim.post("config", {"latency_ms": 0})
    facts_of(run)
    assert sim.get("requests")["by_path"]["/oauth2/platformtoken"] >= 2


@pytest.mark.parametrize("credentials, message", [
    ({"client_id": "ansible-svc@acme.com", "client_secret": "wrong-secret-value"}, "refused the client_credentials credentials"),
    ({"login_username": "admin@acme.com", "login_password": "wrong-password-value"}, "refused the username or password"),
    ({"login_username": "mfa.admin@acme.com", "login_password": "Mfa-Passw0rd!"}, "multi-factor authentication"),
    ({"access_token": "not-a-valid-token"}, "refused the access_token"),
], ids=["bad_client_secret", "bad_password", "mfa", "bad_token"])
def test_refused_logins_fail_clearly_and_once(sim, run_playbook, credentials, message):
    run = run_playbook("tenant_facts.yml", env=connection_env(sim, **credentials))
    assert run.result.get("failed") is True
    assert message in run.result["msg"]
    for secret in list(credentials.values()):
        if "@" not in secret:
            assert secret not in run.output
    counts = sim.get("requests")["by_path"]
    assert counts.get("/oauth2/platformtoken", 0) <= 1 and counts.get("/security/advanceauthentication", 0) <= 1


def test_mfa_error_names_the_mechanism(sim, run_playbook):
    run = run_playbook("tenant_facts.yml", env=connection_env(sim, login_username="mfa.admin@acme.com", login_password="Mfa-Passw0rd!"))
    assert "EMAIL" in run.result["msg"] and "service user" in run.result["msg"]
    assert "/security/advanceauthentication" not in sim.get("requests")["by_path"]


def test_access_token_flow(sim, run_playbook):
    token = requests.post(sim.legacy["system_url"] + "/oauth2/platformtoken", verify=sim.ca_path, timeout=10,
                          data={"grant_type": "client_credentials", **SERVICE_USER}).json()["access_token"]
    sim.post("reset")
    facts = facts_of(run_playbook("tenant_facts.yml", env=connection_env(sim, access_token=token), verbosity=4))
    assert facts["login_suffixes"] == expected_urls(sim, "ABC1234")["suffixes"]
    assert "/oauth2/platformtoken" not in sim.get("requests")["by_path"]


def test_tls_is_verified_by_default(sim, run_playbook):
    env = connection_env(sim, **SERVICE_USER)
    del env["CYBERARK_IDENTITY_CA_PATH"]
    run = run_playbook("tenant_facts.yml", env=env)
    assert run.result.get("failed") is True and "TLS verification failed" in run.result["msg"] and "ca_path" in run.result["msg"]


def test_validate_certs_false_warns_and_works(sim, run_playbook):
    env = connection_env(sim, **SERVICE_USER)
    del env["CYBERARK_IDENTITY_CA_PATH"]
    env["CYBERARK_IDENTITY_VALIDATE_CERTS"] = "false"
    run = run_playbook("tenant_facts.yml", env=env)
    assert facts_of(run)["authenticated"] is True
    assert any("validate_certs is false" in str(w) for w in run.result.get("warnings", []))


def test_neither_url_nor_tenant_id_is_a_clear_error(sim, run_playbook):
    run = run_playbook("tenant_facts.yml", env={"CYBERARK_IDENTITY_CLIENT_ID": "x", "CYBERARK_IDENTITY_CLIENT_SECRET": "Some-Secret-1"})
    assert run.result.get("failed") is True and "one of tenant_url or tenant_id is required" in run.result["msg"]


@pytest.mark.parametrize("credentials", [SERVICE_USER, ADMIN], ids=["service_user", "password"])
def test_verbose_output_holds_no_secret(sim, run_playbook, credentials):
    run = run_playbook("tenant_facts.yml", env=connection_env(sim, **credentials), verbosity=4)
    facts_of(run)
    for secret in credentials.values():
        if "@" not in secret:
            assert secret not in run.output
    assert not JWT_RE.search(run.output), "a bearer token appeared in the output"
    assert "cyberark_identity_tenant" in run.output  # the verbose run did print the module's result
    bad = run_playbook("tenant_facts.yml", env=connection_env(sim, login_username="admin@acme.com", login_password="Wrong-But-Secret-1"), verbosity=4)
    assert bad.result.get("failed") is True and "Wrong-But-Secret-1" not in bad.output


def test_https_proxy_from_the_environment_is_used(sim, run_playbook):
    with ConnectProxy() as proxy:
        env = connection_env(sim, **SERVICE_USER)
        env.update({"HTTPS_PROXY": proxy.url, "https_proxy": proxy.url, "NO_PROXY": "", "no_proxy": ""})
        facts = facts_of(run_playbook("tenant_facts.yml", env=env))
    assert facts["company_name"] == "Acme Corporation"
    host = sim.legacy["system_url"].split("://", 1)[1]
    assert host in proxy.tunnels


def test_a_tenant_that_cannot_be_reached_fails_the_task(sim, run_playbook):
    closed = sim.legacy["system_url"].rsplit(":", 1)[0] + ":1"  # nothing listens on port 1
    run = run_playbook("tenant_facts.yml", extra_vars={"facts_tenant_url": closed, "facts_login_name": "jane@acme.com"},
                       env={"CYBERARK_IDENTITY_CA_PATH": sim.ca_path, "CYBERARK_IDENTITY_RETRIES": "0"})
    assert run.result.get("failed") is True and "no answer" in run.result["msg"], run.result


def test_an_unknown_tenant_id_says_why_when_a_login_name_and_credentials_were_given(sim, run_playbook):
    # without the simulator's hosts in allowed_redirect_hosts, the login's first step is redirected to a host it may
    # not follow: that, not a missing login name or credentials, is why the tenant ID stays unknown
    env = dict(connection_env(sim, **SERVICE_USER), CYBERARK_IDENTITY_ALLOWED_REDIRECT_HOSTS="")
    facts = facts_of(run_playbook("tenant_facts.yml", env=env))
    assert facts["tenant_id"] is None and facts["authenticated"] is True
    reason = facts["unknown"]["tenant_id"]
    assert "needs a login name or credentials" not in reason and "allowed_redirect_hosts" in reason, reason
