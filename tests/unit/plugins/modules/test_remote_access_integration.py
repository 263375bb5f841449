# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""remote_access_integration: every problem of the options at once, before any request (the integration password
was once missed only after the tenant's URLs, suffixes and user had been read); through main() over a fake Identity
tenant and Remote Access API: what is observed, the portal steps, the password reset (not in check mode), refusals."""

from __future__ import annotations

import yaml
from identity_fakes import CONNECTION, FakeResponse, directory, run_module, serve, success, table  # pylint: disable=import-error

from ansible_collections.cyberark_community.identity.plugins.modules import remote_access_integration


def test_every_bad_option_is_named_at_once():
    errors = remote_access_integration.input_errors({"reauthentication_interval_days": 0, "update_password": "always",
                                                     "integration_password": ""})
    assert len(errors) == 2 and "reauthentication_interval_days" in errors[0] and "integration_password" in errors[1]


def test_good_options_have_no_problem():
    assert remote_access_integration.input_errors({"reauthentication_interval_days": 30, "update_password": "on_create",
                                                   "integration_password": None}) == []


SYSTEM = {"ID": "abc1234.id.cyberark.cloud", "CnameType": "System", "IsCustom": None, "ReadOnly": None}
USER = {"ID": "u9", "Name": "alero-integration-user$@acme.com", "DisplayName": "Alero", "InEverybodyRole": False, "State": "None"}
SITE = {"id": "s1", "displayName": "Privilege Cloud", "type": "IDENTITY"}
APP = {"id": "a1", "name": "CyberArk Identity", "authenticationMethod": "SAML", "externalUri": "https://abc1234.id.cyberark.cloud/"}
SYNC = {"activityType": "IdaptiveVendorSync", "activityData": {"id": "e1", "time": 1764324900000}}
RA_CONNECTION = {"ra_client_id": "ra-client", "ra_client_secret": "Ra-S3cret-value"}
PASSWORD = "Integr4tion-Passw0rd"


def tenant(user=None, sites=(SITE,), apps=(APP,), activities=(SYNC,), cnames=(SYSTEM,), no_user=False):
    user = None if no_user else (user or USER)
    answers = directory([user] if user else [])
    answers.update({
        "/TenantCnames/UiGet": success(table(list(cnames), entity_type="TenantCname")),
        "/Core/GetAliasesForTenant": success(table([{"ID": "acme.com", "CdsAlias": True, "ReplaceDomain": None}], entity_type="Alias")),
        "/UserMgmt/ResetUserPassword": success(None),
        ("auth.alero.io", "/auth/realms/serviceaccounts/protocol/openid-connect/token"):
            FakeResponse(200, {"access_token": "ra-token-value", "token_type": "Bearer", "expires_in": 300}),
        ("api.alero.io", "/v2-edge/sites"): FakeResponse(200, {"sites": list(sites), "totalCount": len(sites)}),
        ("api.alero.io", "/v2-edge/sites/s1/applications"): FakeResponse(200, {"applications": list(apps), "totalCount": len(apps)}),
        ("api.alero.io", "/v2-edge/activities"): FakeResponse(200, {"activities": list(activities), "totalCount": len(activities)}),
    })
    return answers


def run(monkeypatch, capsys, answers, **args):
    session = serve(monkeypatch, answers)
    result = run_module(remote_access_integration.main, dict(CONNECTION, **RA_CONNECTION, **dict({"integration_suffix": "acme.com"}, **args)),
                        capsys)
    return result, session


def remote_access_calls(session):
    return [c for c in session.calls if c["host"].endswith("alero.io")]


def resets(session):
    return [c["json"] for c in session.calls if c["path"] == "/UserMgmt/ResetUserPassword"]


class TestObserved:
    def test_an_integration_in_place_is_reported_with_no_step_and_no_change(self, monkeypatch, capsys):
        result, session = run(monkeypatch, capsys, tenant())
        assert result["changed"] is False and result["integrated"] is True and result["manual_steps"] == [] and result["actions"] == []
        assert result["identity"] == {"identity_url": "https://abc1234.id.cyberark.cloud", "integration_user": {
            "name": "alero-integration-user$@acme.com", "id": "u9", "service_user": True, "account_state": "enabled"}}
        facts = result["remote_access"]
        assert facts["site"] == SITE and facts["applications"] == ["CyberArk Identity"] and facts["data_center"] == "us"
        assert facts["last_sync_time"] == "2025-11-28T10:15:00+00:00" and facts["sync_state"] == "synchronized"
        assert facts["tenant_url"] == "https://abc1234.id.cyberark.cloud" and "tenant_url" not in result["unknown"]
        assert result["unverified_settings"] == {"login_via_identity_only": False, "reauthentication_interval_days": 30,
                                                 "vendor_web_apps_access": False, "built_in_role": None}
        activities = [c for c in session.calls if c["path"] == "/v2-edge/activities"][0]
        assert activities["params"]["activityTypes"] == "IdaptiveVendorSync,IdaptiveRoleSync"
        assert activities["headers"]["Authorization"] == "Bearer ra-token-value"
        assert resets(session) == []

    def test_without_the_site_the_task_fails_with_the_portal_steps_and_the_facts(self, monkeypatch, capsys):
        result, _session = run(monkeypatch, capsys, tenant(sites=(), activities=()), login_via_identity_only=True, built_in_role="Vendor")
        assert result["failed"] is True and "do the manual_steps" in result["msg"]
        assert result["integrated"] is False and result["remote_access"]["site"] is None
        assert "CyberArk Identity URL: https://abc1234.id.cyberark.cloud" in result["manual_steps"]
        assert "Identity username suffix: alero-integration-user$@acme.com" in result["manual_steps"]
        assert "Login only via CyberArk Identity SSO: on" in result["manual_steps"] and "Built-in role: Vendor" in result["manual_steps"]
        assert result["remote_access"]["sync_state"] == "unknown" and "sync_state" in result["unknown"]

    def test_on_manual_steps_report_returns_them_without_failing(self, monkeypatch, capsys):
        result, _session = run(monkeypatch, capsys, tenant(apps=()), on_manual_steps="report")
        assert not result.get("failed") and result["integrated"] is False and len(result["manual_steps"]) == 11

    def test_an_application_elsewhere_leaves_the_tenant_url_unknown(self, monkeypatch, capsys):
        result, _session = run(monkeypatch, capsys, tenant(apps=(dict(APP, externalUri="https://other.example"),)))
        assert result["remote_access"]["tenant_url"] == "unknown" and "tenant_url" in result["unknown"]

    def test_a_user_that_is_not_a_service_user_or_not_enabled_is_warned_about(self, monkeypatch, capsys):
        result, _session = run(monkeypatch, capsys, tenant(user=dict(USER, InEverybodyRole=True, State="Disabled")))
        warnings = str(result["warnings"])
        assert "is not a service user" in warnings and "is disabled: Remote Access cannot sign in" in warnings


class TestPassword:
    def test_update_password_always_resets_it_by_id_and_reports_the_change(self, monkeypatch, capsys):
        result, session = run(monkeypatch, capsys, tenant(), update_password="always", integration_password=PASSWORD, _ansible_diff=True)
        assert result["changed"] is True and result["actions"][0].startswith("reset the integration user's password")
        assert resets(session) == [{"ID": "u9", "newPassword": PASSWORD}]
        assert PASSWORD not in str(result) and result["diff"]["before"] == result["diff"]["after"]

    def test_check_mode_resets_nothing_but_reports_the_change(self, monkeypatch, capsys):
        result, session = run(monkeypatch, capsys, tenant(), update_password="always", integration_password=PASSWORD, _ansible_check_mode=True)
        assert result["changed"] is True and resets(session) == []

    def test_update_password_never_sends_no_write(self, monkeypatch, capsys):
        result, session = run(monkeypatch, capsys, tenant(), integration_password=PASSWORD)
        assert result["changed"] is False and resets(session) == []


class TestRefused:
    def test_a_suffix_that_does_not_exist_is_named_with_the_tenants_and_nothing_reaches_remote_access(self, monkeypatch, capsys):
        result, session = run(monkeypatch, capsys, tenant(), integration_suffix="other.com")
        assert result["failed"] is True and result["msg"] == "integration_suffix: 'other.com' does not exist on the tenant; its suffixes are acme.com"
        assert remote_access_calls(session) == []

    def test_a_missing_integration_user_is_not_created(self, monkeypatch, capsys):
        result, session = run(monkeypatch, capsys, tenant(no_user=True), update_password="always", integration_password=PASSWORD)
        assert result["failed"] is True and "alero-integration-user$@acme.com does not exist: CyberArk provisions" in result["msg"]
        assert resets(session) == [] and "/CDirectoryService/CreateUser" not in session.paths()

    def test_a_custom_identity_url_is_refused_with_the_tenant_id_url(self, monkeypatch, capsys):
        result, session = run(monkeypatch, capsys, tenant(), identity_url="https://login.acme.com")
        assert result["failed"] is True and result["msg"].startswith("identity_url: https://login.acme.com is not the tenant-ID URL")
        assert result["msg"].endswith("enter https://abc1234.id.cyberark.cloud") and remote_access_calls(session) == []

    def test_the_tenant_id_url_given_in_another_form_is_accepted(self, monkeypatch, capsys):
        result, _session = run(monkeypatch, capsys, tenant(), identity_url="ABC1234.id.cyberark.cloud")
        assert result["integrated"] is True

    def test_a_tenant_that_names_no_system_url_fails(self, monkeypatch, capsys):
        result, _session = run(monkeypatch, capsys, tenant(cnames=()))
        assert result["failed"] is True and "did not name its system URL" in result["msg"]

    def test_missing_remote_access_credentials_fail_before_any_request(self, monkeypatch, capsys):
        session = serve(monkeypatch, tenant())
        result = run_module(remote_access_integration.main, dict(CONNECTION, integration_suffix="acme.com"), capsys)
        assert result["failed"] is True and "no Remote Access credentials" in result["msg"] and session.calls == []


def test_the_documented_samples_have_the_shapes_the_module_returns(monkeypatch, capsys):
    doc = yaml.safe_load(remote_access_integration.RETURN)
    result, _session = run(monkeypatch, capsys, tenant())
    facts, documented = result["remote_access"], doc["remote_access"]["contains"]
    assert set(documented) == set(facts)
    assert set(documented["site"]["sample"]) <= set(facts["site"]) and "displayName" in documented["site"]["sample"]
    assert all(isinstance(name, str) for name in documented["applications"]["sample"])
    assert documented["sync_state"]["sample"] in ("synchronized", "unknown") and documented["company_name"]["sample"] == "unknown"
    assert set(doc["identity"]["contains"]["integration_user"]["sample"]) == set(result["identity"]["integration_user"])
