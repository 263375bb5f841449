# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""tenant_url_facts: argument handling through main(), and the fact logic over a spec'd client."""

from __future__ import annotations

import json
from unittest import mock

import pytest
from identity_fakes import run_module  # pylint: disable=import-error

from ansible_collections.cyberark_community.identity.plugins.module_utils.resources import _tenant
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._auth import StartResult, Token
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._client import ConnectionOptions, IdentityClient, LoginResult
from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import ApiError, AuthenticationError
from ansible_collections.cyberark_community.identity.plugins.modules import tenant_url_facts


@pytest.fixture
def gathered(monkeypatch):
    """Replace the network part; record the client each run got."""
    seen = []

    def fake_gather(client, authenticate, probe_login):
        seen.append({"client": client, "authenticate": authenticate, "probe_login": probe_login})
        return _tenant.empty_facts(client.given_url)
    monkeypatch.setattr(_tenant, "gather", fake_gather)
    for name in list(__import__("os").environ):
        if name.startswith("CYBERARK_IDENTITY_"):
            monkeypatch.delenv(name)
    return seen


class TestMain:
    def test_needs_a_url_or_a_tenant_id(self, gathered, capsys):
        result = run_module(tenant_url_facts.main, {}, capsys)
        assert result["failed"] and "one of tenant_url or tenant_id is required" in result["msg"]
        assert not gathered

    def test_tenant_id_builds_the_url(self, gathered, capsys):
        result = run_module(tenant_url_facts.main, {"tenant_id": "ABC1234", "identity_domain": "my.idaptive.app"}, capsys)
        assert result["ansible_facts"]["cyberark_identity_tenant"]["given_url"] == "https://abc1234.my.idaptive.app"
        assert result["changed"] is False
        assert gathered[0]["authenticate"] is False and gathered[0]["probe_login"] is None

    def test_environment_fallbacks_fill_the_connection(self, gathered, capsys, monkeypatch):
        monkeypatch.setenv("CYBERARK_IDENTITY_TENANT_URL", "acme.my.idaptive.app")
        monkeypatch.setenv("CYBERARK_IDENTITY_CLIENT_ID", "svc@acme.com")
        monkeypatch.setenv("CYBERARK_IDENTITY_CLIENT_SECRET", "Env-S3cret")
        monkeypatch.setenv("CYBERARK_IDENTITY_TIMEOUT", "7")
        monkeypatch.setenv("CYBERARK_IDENTITY_VALIDATE_CERTS", "false")
        result = run_module(tenant_url_facts.main, {"_ansible_check_mode": True}, capsys)
        client = gathered[0]["client"]
        assert client.options.timeout == 7 and client.options.validate_certs is False and client.options.retries == 5
        assert gathered[0]["authenticate"] is True and gathered[0]["probe_login"] == "svc@acme.com"
        assert "validate_certs is false" in json.dumps(result["warnings"])
        assert "Env-S3cret" not in str(result)

    def test_empty_environment_variables_count_as_unset(self, gathered, capsys, monkeypatch):
        # An AWX credential injects a field left empty as "": the option keeps its default instead of failing.
        monkeypatch.setenv("CYBERARK_IDENTITY_TENANT_URL", "acme.my.idaptive.app")
        for name in ("TIMEOUT", "RETRIES", "VALIDATE_CERTS", "MAX_REQUESTS_PER_SECOND", "ACCESS_TOKEN", "CA_PATH", "ALLOWED_REDIRECT_HOSTS"):
            monkeypatch.setenv("CYBERARK_IDENTITY_" + name, "")
        result = run_module(tenant_url_facts.main, {}, capsys)
        assert not result.get("failed"), result.get("msg")
        options = gathered[0]["client"].options
        assert (options.timeout, options.retries, options.validate_certs, options.access_token) == (30, 5, True, None)
        assert gathered[0]["client"].transport.verify is True

    def test_defaults_verify_tls(self, gathered, capsys):
        run_module(tenant_url_facts.main, {"tenant_url": "acme.my.idaptive.app"}, capsys)
        assert gathered[0]["client"].transport.verify is True

    def test_identity_errors_become_a_clean_failure(self, gathered, capsys, monkeypatch):
        def boom(client, authenticate, probe_login):
            raise AuthenticationError("the tenant refused it", method="POST", path="/oauth2/platformtoken", status=401)
        monkeypatch.setattr(_tenant, "gather", boom)
        result = run_module(tenant_url_facts.main, {"tenant_url": "a.my.idaptive.app", "client_id": "c@a", "client_secret": "Sec-Ret-1"}, capsys)
        assert result["failed"] and result["msg"] == "the tenant refused it"
        assert result["error"] == {"method": "POST", "path": "/oauth2/platformtoken", "status": 401}


def fake_client(url, cnames=None, about=None, suffixes=None, claims=None, start=None, method="client_credentials"):
    options = ConnectionOptions(tenant_url=url, client_id="svc@a", client_secret="s") if method else ConnectionOptions(tenant_url=url)
    client = mock.Mock(spec=IdentityClient)
    client.options = options
    client.given_url = client.base_url = url
    client.login_result = LoginResult(url)
    client.authenticate.return_value = Token(value="t", source="client_credentials", claims=claims or {})
    client.probe_start_authentication.return_value = StartResult(base_url=url, result=start or {}, redirects=[])

    def call(path, *args, **kwargs):
        table = {
            "/TenantCnames/UiGet": {"Results": [{"Row": r} for r in (cnames or [])]},
            "/Core/GetCdsAliasesForTenant": {"Results": [{"Entities": [{"Key": s}], "Row": {"ID": s}} for s in (suffixes or [])]},
            "/SysInfo/About": about or {},
        }
        if path in table:
            return table[path]
        raise ApiError("nope", method="POST", path=path, status=404)
    client.call.side_effect = call
    return client


class TestGather:
    def test_legacy_tenant_with_preferred_custom_url(self):
        cnames = [{"ID": "abc1234.my.idaptive.app", "CnameType": "System"}, {"ID": "acme.my.idaptive.app", "CnameType": "Preferred", "IsCustom": True}]
        client = fake_client("https://acme.my.idaptive.app", cnames=cnames, suffixes=["acme.com"], about={"PodName": "pod1", "PodRegion": "Us East"})
        facts = _tenant.gather(client, authenticate=True, probe_login=None)
        assert facts["tenant_id"] == "ABC1234"  # from the system host name
        assert facts["url_kind"] == "custom" and facts["preferred_url"] == "https://acme.my.idaptive.app"
        assert facts["system_url"] == "https://abc1234.my.idaptive.app"
        assert facts["tenant_kind"] == "legacy" and facts["custom_domains_supported"] is True
        assert facts["pod_name"] == "pod1" and facts["region"] == "Us East"
        assert facts["default_login_suffix"] == "acme.com"

    def test_platform_tenant_from_token_claims(self):
        client = fake_client("https://127.0.0.5:8443", cnames=[{"ID": "127.0.0.5", "CnameType": "System"}], claims={"platform_domain": "cyberark.cloud"})
        facts = _tenant.gather(client, authenticate=True, probe_login=None)
        assert facts["tenant_kind"] == "platform" and facts["custom_domains_supported"] is False
        assert facts["url_kind"] == "system"

    def test_platform_url_without_credentials(self):
        client = fake_client("https://abc1234.id.cyberark.cloud", method=None)
        facts = _tenant.gather(client, authenticate=False, probe_login=None)
        assert facts["tenant_id"] == "ABC1234" and facts["is_platform_url"] is True and facts["url_kind"] == "system"
        assert facts["system_url"] == "https://abc1234.id.cyberark.cloud" and facts["custom_domains_supported"] is False
        assert set(facts["unknown"]) >= {"cnames", "login_suffixes", "redirect"}
        client.authenticate.assert_not_called()

    def test_a_read_that_fails_is_reported_unknown_not_fatal(self):
        client = fake_client("https://abc1234.my.idaptive.app", cnames=[{"ID": "abc1234.my.idaptive.app", "CnameType": "System"}])

        def refuse(path, *args, **kwargs):
            raise ApiError(f"POST {path} failed", method="POST", path=path)
        client.call.side_effect = refuse
        facts = _tenant.gather(client, authenticate=True, probe_login=None)
        assert "about" in facts["unknown"] and facts["pod_name"] is None

    def test_probe_failure_is_reported_unknown(self):
        client = fake_client("https://abc1234.my.idaptive.app", method=None)
        client.probe_start_authentication.side_effect = AuthenticationError("no challenges")
        facts = _tenant.gather(client, authenticate=False, probe_login="jane@acme.com")
        assert "StartAuthentication for jane@acme.com failed" in facts["unknown"]["redirect"]
        # abc1234.my.idaptive.app may be a custom prefix: its first label is not taken for the tenant ID
        assert facts["tenant_id"] is None and "tenant_id" in facts["unknown"] and facts["url_kind"] == "unknown"

    @pytest.mark.parametrize("suffixes, default", [
        (["acme.com", "cyberark.cloud.3558"], "cyberark.cloud.3558"),
        (["acme.com", "x.cyberark.cloud"], "x.cyberark.cloud"),
        (["acme.com", "b.com"], "acme.com"),
        ([], None),
    ])
    def test_default_login_suffix(self, suffixes, default):
        assert _tenant.default_login_suffix(suffixes) == default
