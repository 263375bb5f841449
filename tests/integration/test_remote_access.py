# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""remote_access_integration: prepare, manual steps reported, portal step simulated, verified."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from identity_it import play_vars  # pylint: disable=import-error

PLAYBOOKS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "playbooks")

INTEGRATION_USER = "alero-integration-user$@acme.com"
PASSWORD = "Integr8tion-Passw0rd"


def ra_env(sim):
    remote = sim.info["remote_access"][0]
    return {
        "CYBERARK_IDENTITY_CLIENT_ID": "ansible-svc@acme.com", "CYBERARK_IDENTITY_CLIENT_SECRET": "Svc-S3cret-Value!",
        "CYBERARK_REMOTE_ACCESS_SERVICE_ACCOUNT_FILE": remote["service_account_file"],
        "CYBERARK_REMOTE_ACCESS_TENANT_ID": remote["tenant_id"],
        "CYBERARK_REMOTE_ACCESS_API_URL": remote["api_url"], "CYBERARK_REMOTE_ACCESS_CA_PATH": sim.ca_path,
    }


@pytest.fixture
def clean(sim):
    """The integration user as CyberArk provisions it, and no integration yet."""
    identity = sim.sim.world.tenants[0]
    found = identity.find_user(INTEGRATION_USER)
    if found:
        identity.remove_user(found["Uuid"])
    identity.provision_integration_user()
    ra = sim.sim.world.ra_tenants[0]
    ra.sites.clear()
    ra.applications.clear()
    ra.activities.clear()
    ra.integration = {}
    return identity


def stored_user(sim):
    return next((u for u in sim.tenant_state("ABC1234")["users"] if u["Name"] == INTEGRATION_USER), None)


def test_whole_flow_prepare_manual_steps_portal_then_verified(sim, clean, run_playbook):
    env = ra_env(sim)
    provisioned = stored_user(sim)
    planned = run_playbook("remote_access_integration.yml",
                           extra_vars=play_vars(sim, ra_password=PASSWORD, ra_update_password="always", ra_check_mode=True), env=env)
    assert planned.result.get("failed") is True and planned.result["actions"] == [
        "reset the integration user's password (update_password is always; a password cannot be read back)"]
    assert stored_user(sim) == provisioned and sim.get("requests")["writes"] == 0

    first = run_playbook("remote_access_integration.yml", extra_vars=play_vars(sim, ra_password=PASSWORD, ra_update_password="always"),
                         env=env)
    result = first.result
    assert result.get("failed") is True and "manual_steps" in result["msg"]
    assert result["integrated"] is False and result["changed"] is True
    user = stored_user(sim)
    assert user["Uuid"] == provisioned["Uuid"] and user["PasswordFingerprint"] != provisioned["PasswordFingerprint"]
    assert result["identity"]["integration_user"] == {"name": INTEGRATION_USER, "id": user["Uuid"], "service_user": True,
                                                      "account_state": "enabled"}
    assert sim.get("requests")["by_path"].get("/cdirectoryservice/createuser") is None  # never created by the module
    assert "/security/advanceauthentication" not in sim.get("requests")["by_path"]  # never signed in as it
    steps = result["manual_steps"]
    assert f"CyberArk Identity URL: {sim.legacy['system_url']}" in steps
    assert f"Identity username suffix: {INTEGRATION_USER}" in steps
    assert "Re-authentication interval: 14 days" in steps and "Login only via CyberArk Identity SSO: on" in steps
    assert PASSWORD not in first.output and PASSWORD not in str(result)
    assert result["remote_access"]["site"] is None and result["remote_access"]["company_name"] == "unknown"
    assert "company_name" in result["unknown"]

    portal = sim.post("ra/portal_integrate", {"identity_url": sim.legacy["system_url"], "username": INTEGRATION_USER, "password": PASSWORD,
                                              "login_via_identity_only": True, "reauthentication_interval_days": 14})
    assert portal == {"integrated": True}

    sim.post("reset")
    verified = run_playbook("remote_access_integration.yml", extra_vars=play_vars(sim, ra_password=PASSWORD), env=env, verbosity=4)
    result = verified.result
    assert result.get("failed") is not True, result.get("msg")
    assert result["integrated"] is True and result["changed"] is False and result["manual_steps"] == []
    assert result["remote_access"]["site"]["displayName"] == "Privilege Cloud"
    assert result["remote_access"]["sync_state"] == "synchronized" and result["remote_access"]["last_sync_time"]
    assert result["remote_access"]["tenant_url"] == sim.legacy["system_url"]
    assert result["unverified_settings"]["reauthentication_interval_days"] == 14
    assert sim.get("requests")["writes"] == 0
    assert PASSWORD not in verified.output and "Svc-S3cret-Value!" not in verified.output
    assert "BEGIN PRIVATE KEY" not in verified.output


def test_custom_domain_identity_url_is_refused_with_the_right_url(sim, clean, run_playbook):
    custom = sim.legacy["preferred_url"]
    run = run_playbook("remote_access_integration.yml", extra_vars=play_vars(sim, ra_password=PASSWORD, ra_identity_url=custom), env=ra_env(sim))
    assert run.result.get("failed") is True
    assert "custom domains are not supported" in run.result["msg"] and sim.legacy["system_url"] in run.result["msg"]
    assert sim.get("requests")["writes"] == 0


def test_a_missing_integration_user_is_not_created_and_the_message_says_whom_to_ask(sim, clean, run_playbook):
    identity = sim.sim.world.tenants[0]
    identity.remove_user(identity.find_user(INTEGRATION_USER)["Uuid"])
    run = run_playbook("remote_access_integration.yml", extra_vars=play_vars(sim, ra_password=PASSWORD, ra_update_password="always"),
                       env=ra_env(sim))
    assert run.result.get("failed") is True
    assert f"{INTEGRATION_USER} does not exist" in run.result["msg"] and "ask CyberArk" in run.result["msg"]
    assert stored_user(sim) is None and sim.get("requests")["writes"] == 0


def test_password_is_left_alone_unless_asked(sim, clean, run_playbook):
    before = stored_user(sim)["PasswordFingerprint"]
    run = run_playbook("remote_access_integration.yml", extra_vars=play_vars(sim, ra_password=PASSWORD, ra_on_manual_steps="report"),
                       env=ra_env(sim))
    assert run.result["changed"] is False and run.result.get("failed") is not True, run.result.get("msg")
    assert stored_user(sim)["PasswordFingerprint"] == before and sim.get("requests")["writes"] == 0


def test_unknown_suffix_and_bad_service_account_fail_clearly(sim, clean, run_playbook):
    run = run_playbook("remote_access_integration.yml", extra_vars=play_vars(sim, ra_password=PASSWORD, ra_suffix="nope.example"), env=ra_env(sim))
    assert run.result.get("failed") is True and run.result["msg"].startswith("integration_suffix: 'nope.example' does not exist")
    env = dict(ra_env(sim), CYBERARK_REMOTE_ACCESS_TENANT_ID="ffffffffffffffffffffffffffffffff")
    run = run_playbook("remote_access_integration.yml", extra_vars=play_vars(sim, ra_password=PASSWORD, ra_on_manual_steps="report"), env=env)
    assert run.result.get("failed") is True and "refused the service account" in run.result["msg"]


def test_the_role_takes_its_boolean_from_the_command_line(sim, clean, tmp_path):
    # -e key=false arrives as the string "false": the role reads it as a boolean (ansible-core 2.19 refuses a string
    # as a condition)
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("CYBERARK_", "ANSIBLE_"))}
    environment.update(ra_env(sim), CYBERARK_IDENTITY_TENANT_URL=sim.legacy["system_url"], CYBERARK_IDENTITY_CA_PATH=sim.ca_path,
                       CYBERARK_IDENTITY_ALLOWED_REDIRECT_HOSTS=sim.allowed_hosts, ANSIBLE_NOCOLOR="1",
                       ANSIBLE_LOCAL_TEMP=str(tmp_path / "ansible-tmp"), ANSIBLE_COLLECTIONS_PATH=os.environ["ANSIBLE_COLLECTIONS_PATH"])
    command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", "localhost,", os.path.join(PLAYBOOKS, "integrate_remote_access.yml"),
               "-e", "integration_suffix=acme.com", "-e", "remote_access_onboarding_fail_on_manual_steps=false"]
    run = subprocess.run(command, capture_output=True, text=True, env=environment, timeout=300, check=False)
    assert run.returncode == 0, run.stdout[-3000:]
    assert "Do these steps in the Remote Access portal" in run.stdout
