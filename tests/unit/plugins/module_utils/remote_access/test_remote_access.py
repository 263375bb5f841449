# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Remote Access client: service-account files, hosts, the signed assertion, the client-secret form, paging."""

from __future__ import annotations

import base64
import json

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from identity_fakes import FakeResponse, FakeSession  # pylint: disable=import-error

from ansible_collections.cyberark_community.identity.plugins.module_utils.remote_access import _remote_access, _remote_access_options
from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import AuthenticationError, ConfigurationError
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._secrets import Secrets
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._transport import Transport

KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
PEM = KEY.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
TENANT = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"


def unb64(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def client(answers, **options):
    session = FakeSession(answers)
    transport = Transport(retries=1, session=session, sleep=lambda s: None, secrets=Secrets())
    return _remote_access.RemoteAccessClient(_remote_access.RemoteAccessOptions(**options), transport), session


def test_service_account_file_fills_the_options(tmp_path):
    path = tmp_path / "sa.json"
    path.write_text(json.dumps({"serviceAccountId": "sa1", "privateKey": PEM,
                                "discoveryURI": "https://auth.alero.eu/auth/realms/serviceaccounts/.well-known/openid-configuration"}))
    options = _remote_access.RemoteAccessOptions(service_account_file=str(path), tenant_id=TENANT)
    options.load_file()
    assert options.service_account_id == "sa1" and options.method() == "private_key"
    assert options.urls() == ("https://auth.alero.eu", "https://api.alero.eu")


def test_an_explicit_data_center_wins_over_the_files_host(tmp_path):
    # the docs: explicit options win over the service account file
    path = tmp_path / "sa.json"
    path.write_text(json.dumps({"serviceAccountId": "sa1", "privateKey": PEM,
                                "discoveryURI": "https://auth.alero.eu/auth/realms/serviceaccounts/.well-known/openid-configuration"}))
    options = _remote_access_options.remote_access_options({"ra_service_account_file": str(path), "ra_tenant_id": TENANT, "ra_data_center": "uk"})
    options.load_file()
    assert options.urls() == ("https://auth.uk.alero.io", "https://api.uk.alero.io") and options.data_center_used() == "uk"
    unset = _remote_access_options.remote_access_options({"ra_service_account_file": str(path), "ra_tenant_id": TENANT})
    unset.load_file()
    assert unset.urls() == ("https://auth.alero.eu", "https://api.alero.eu")  # the file's host when none is given
    assert unset.data_center_used() == "eu"
    assert _remote_access_options.remote_access_options({}).urls() == ("https://auth.alero.io", "https://api.alero.io")  # then us


def test_a_tls_failure_names_the_remote_access_options():
    from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import TransportError  # pylint: disable=import-outside-toplevel
    from ansible_collections.cyberark_community.identity.plugins.module_utils.client._connections import TlsFailure  # pylint: disable=import-outside-toplevel
    ra, _session = client({"/api/x": TlsFailure("certificate verify failed")}, client_id="c", client_secret="s")
    ra.transport.option_prefix = "ra_"
    with pytest.raises(TransportError, match="ra_ca_path, or set ra_validate_certs"):
        ra.transport.send("GET", "https://api.alero.io/api/x", path="/api/x")


@pytest.mark.parametrize("data_center, auth, api", [("us", "https://auth.alero.io", "https://api.alero.io"),
                                                    ("uk", "https://auth.uk.alero.io", "https://api.uk.alero.io")])
def test_data_center_hosts(data_center, auth, api):
    assert _remote_access.RemoteAccessOptions(data_center=data_center).urls() == (auth, api)


def test_missing_credentials_name_the_options():
    with pytest.raises(ConfigurationError, match="ra_service_account_file"):
        _remote_access.RemoteAccessOptions().method()
    with pytest.raises(ConfigurationError, match="ra_tenant_id is required"):
        _remote_access.RemoteAccessOptions(service_account_id="sa1", private_key=PEM).method()


def test_assertion_is_rs256_with_the_documented_claims():
    token = _remote_access.signed_assertion(PEM, f"{TENANT}.sa1.ExternalServiceAccount", "https://auth.alero.io/auth/realms/serviceaccounts", now=1000)
    header, payload, signature = token.split(".")
    KEY.public_key().verify(unb64(signature), f"{header}.{payload}".encode(), padding.PKCS1v15(), hashes.SHA256())
    claims = json.loads(unb64(payload))
    assert json.loads(unb64(header))["alg"] == "RS256"
    assert claims["iss"] == claims["sub"] == f"{TENANT}.sa1.ExternalServiceAccount"
    assert claims["aud"] == "https://auth.alero.io/auth/realms/serviceaccounts"
    assert claims["exp"] - claims["iat"] == 300 and claims["jti"]


def test_login_with_a_private_key_then_bearer_calls():
    answers = {_remote_access.TOKEN_PATH: FakeResponse(200, {"access_token": "ra-token", "expires_in": 300}),
               "/v2-edge/sites": FakeResponse(200, {"sites": [{"id": "s1"}], "totalCount": 1})}
    ra, session = client(answers, tenant_id=TENANT, service_account_id="sa1", private_key=PEM)
    assert ra.list("/sites", "sites") == [{"id": "s1"}]
    form = session.calls[0]["data"]
    assert form["grant_type"] == "client_credentials" and form["client_assertion_type"] == _remote_access.ASSERTION_TYPE
    assert session.calls[1]["headers"]["Authorization"] == "Bearer ra-token"
    assert session.calls[1]["params"] == {"offset": 0, "limit": 100}


def test_client_secret_form():
    answers = {_remote_access.TOKEN_PATH: FakeResponse(200, {"access_token": "t", "expires_in": 300}),
               "/v2-edge/sites": FakeResponse(200, {"sites": [], "totalCount": 0})}
    ra, session = client(answers, client_id=f"{TENANT}.c1", client_secret="Ra-Secret-1")
    ra.list("/sites", "sites")
    assert session.calls[0]["data"] == {"grant_type": "client_credentials", "client_id": f"{TENANT}.c1", "client_secret": "Ra-Secret-1"}


def test_refused_login_is_clear_and_secret_free():
    answers = {_remote_access.TOKEN_PATH: FakeResponse(401, {"error": "unauthorized_client", "error_description": "bad Ra-Secret-1"})}
    ra, _session = client(answers, client_id="c", client_secret="Ra-Secret-1")
    with pytest.raises(AuthenticationError) as info:
        ra.get("/sites")
    assert "refused the service account" in info.value.message and "Ra-Secret-1" not in info.value.message


def test_paging_stops_when_a_page_repeats():
    answers = {_remote_access.TOKEN_PATH: FakeResponse(200, {"access_token": "t", "expires_in": 300}),
               "/v2-edge/sites": FakeResponse(200, {"sites": [{"id": "same"}], "totalCount": 5000})}
    ra, session = client(answers, client_id="c", client_secret="s")
    assert ra.list("/sites", "sites") == [{"id": "same"}]
    assert len([c for c in session.calls if c["path"] == "/v2-edge/sites"]) == 2


def test_the_connection_timeout_and_retries_reach_the_remote_access_client():
    # One pair of options for both services: a task's timeout and retries must not stop at Identity.
    options = _remote_access_options.remote_access_options({"ra_tenant_id": "t1", "timeout": 7, "retries": 1})
    assert (options.timeout, options.retries) == (7, 1)
    defaults = _remote_access_options.remote_access_options({"ra_tenant_id": "t1"})
    assert (defaults.timeout, defaults.retries) == (30, 5)


def test_the_integration_reads_ask_for_its_site_applications_and_sync_activities():
    from ansible_collections.cyberark_community.identity.plugins.module_utils.remote_access import _integration
    calls = []

    class Ra:
        def list(self, path, collection, params=None):
            calls.append((path, collection, params))
            return [{"id": "s2", "displayName": "Other"}, {"id": "s1", "displayName": "Privilege Cloud"}] if path == "/sites" else []
    ra = Ra()
    assert _integration.integration_site(ra)["id"] == "s1"
    assert _integration.site_applications(ra, "s1") == [] and _integration.sync_activities(ra, 1000) == []
    assert calls[1:] == [("/sites/s1/applications", "applications", None),
                         ("/activities", "activities", {"activityTypes": "IdaptiveVendorSync,IdaptiveRoleSync", "fromTime": 1000})]
