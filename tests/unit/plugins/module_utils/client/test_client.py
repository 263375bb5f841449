# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Client: each login flow, redirects and loops, MFA, token reuse and refresh, option checks, paging."""

from __future__ import annotations

import base64
import json
import threading
import time

import pytest
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._connections import ConnectionFailure
from identity_fakes import FakeResponse, FakeSession, envelope  # pylint: disable=import-error

from ansible_collections.cyberark_community.identity.plugins.module_utils.client._client import ConnectionOptions, IdentityClient, LoginResult
from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import (
    AmbiguousWriteError,
    AuthenticationError,
    ConfigurationError,
    IdentityError,
    RedirectError,
)
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._secrets import Secrets
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._transport import Transport

SYSTEM = "abc1234.my.idaptive.app"
PREFERRED = "acme.my.idaptive.app"
PASSWORD = "S3cret-Passw0rd"
CLIENT_SECRET = "Client-S3cret-Value"


def jwt(claims: dict) -> str:
    def b64(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    return f"{b64({'alg': 'HS256'})}.{b64(claims)}.c2ln"


def ok(result=None):
    return FakeResponse(200, envelope(result))


def challenge(*names):
    return {"Mechanisms": [{"Name": n, "MechanismId": f"m-{n}", "AnswerType": "Text"} for n in names]}


def start_ok(*challenges):
    return ok({"SessionId": "s1", "TenantId": "ABC1234", "Challenges": list(challenges) or [challenge("UP")], "Summary": "NewPackage"})


LOGIN_OK = ok({"Summary": "LoginSuccess", "Token": jwt({"exp": time.time() + 3600, "tenant_id": "g"}), "TokenLifetime": 3600})


def client_for(answers, **options):
    session = FakeSession(answers)
    slept = []
    transport = Transport(retries=2, session=session, sleep=slept.append, clock=lambda: sum(slept), secrets=Secrets())
    opts = ConnectionOptions(tenant_url=options.pop("tenant_url", SYSTEM), **options)
    return IdentityClient(opts, transport), session


class TestOptions:
    @pytest.mark.parametrize("options, method", [
        ({"access_token": "t", "client_id": "c", "client_secret": "s", "login_username": "u", "login_password": "p"}, "access_token"),
        ({"client_id": "c", "client_secret": "s", "login_username": "u", "login_password": "p"}, "client_credentials"),
        ({"client_id": "c", "client_secret": "s", "oauth_app_id": "app"}, "oauth_app"),
        ({"login_username": "u", "login_password": "p"}, "password"),
    ])
    def test_precedence(self, options, method):
        assert ConnectionOptions(tenant_url=SYSTEM, **options).auth_method() == method

    @pytest.mark.parametrize("options, missing", [
        ({"client_id": "c"}, "client_secret is required"),
        ({"client_secret": "s"}, "client_id is required"),
        ({"login_username": "u"}, "login_password is required"),
        ({}, "no credentials"),
    ])
    def test_incomplete_credentials_name_the_missing_option(self, options, missing):
        with pytest.raises(ConfigurationError, match=missing):
            IdentityClient.from_options(ConnectionOptions(tenant_url=SYSTEM, **options))

    def test_tenant_url_is_required(self):
        with pytest.raises(ConfigurationError, match="tenant_url is required"):
            IdentityClient.from_options(ConnectionOptions(client_id="c", client_secret="s"))

    def test_validate_certs_false_warns_and_disables_verification(self):
        warnings = []
        client = IdentityClient.from_options(ConnectionOptions(tenant_url=SYSTEM, access_token="t", validate_certs=False), warn=warnings.append)
        assert client.transport.verify is False and "validate_certs is false" in warnings[0]

    def test_ca_path_is_the_verify_value(self, tmp_path):
        bundle = tmp_path / "ca.pem"
        bundle.write_text("-----BEGIN CERTIFICATE-----\n", encoding="ascii")
        client = IdentityClient.from_options(ConnectionOptions(tenant_url=SYSTEM, access_token="t", ca_path=str(bundle)))
        assert client.transport.verify == str(bundle)

    @pytest.mark.parametrize("override, words", [
        ({"timeout": 0}, "timeout must be a positive"),
        ({"timeout": -5}, "timeout must be a positive"),
        ({"retries": -1}, "retries must be 0 or"),
        ({"ca_path": "/nonexistent/ca.pem"}, "ca_path: no file at /nonexistent/ca.pem"),
        ({"tenant_url": "http://abc1234.id.cyberark.cloud"}, "tenant_url must use https://"),
        ({"allowed_redirect_hosts": ["https://x.example"]}, "allowed_redirect_hosts takes host names"),
    ])
    def test_unusable_options_name_the_option(self, override, words):
        options = dict(tenant_url=SYSTEM, access_token="t")
        options.update(override)
        with pytest.raises(ConfigurationError, match=words):
            IdentityClient.from_options(ConnectionOptions(**options))


class TestClientCredentials:
    def test_platform_token_then_bearer_reused(self):
        answers = {
            "/oauth2/platformtoken": FakeResponse(200, {"access_token": "tok-1", "token_type": "Bearer", "expires_in": 3600}),
            "/SysInfo/About": ok({"PodName": "pod1"}),
        }
        client, session = client_for(answers, client_id="svc@acme.com", client_secret=CLIENT_SECRET)
        assert client.call("/SysInfo/About") == {"PodName": "pod1"}
        assert client.call("/SysInfo/About") == {"PodName": "pod1"}
        token_call = session.calls[0]
        assert token_call["data"] == {"grant_type": "client_credentials", "client_id": "svc@acme.com", "client_secret": CLIENT_SECRET}
        assert session.paths().count("/oauth2/platformtoken") == 1
        assert session.calls[1]["headers"]["Authorization"] == "Bearer tok-1"

    @pytest.mark.parametrize("answer", [
        {"access_token": "tok-1\r\nX-Evil: 1", "token_type": "Bearer"},
        {"access_token": "tok 1", "token_type": "Bearer"},
        {"access_token": "tok-1", "token_type": "Bearer\r\nX-Evil: 1"},
    ])
    def test_a_token_no_header_can_carry_is_refused_before_any_use(self, answer):
        answers = {"/oauth2/platformtoken": FakeResponse(200, answer), "/SysInfo/About": ok({"PodName": "pod1"})}
        client, session = client_for(answers, client_id="svc@acme.com", client_secret=CLIENT_SECRET)
        with pytest.raises(AuthenticationError, match="spaces, control or non-ASCII characters") as raised:
            client.call("/SysInfo/About")
        assert answer["access_token"] not in str(raised.value) and "Evil" not in str(raised.value)
        assert session.paths() == ["/oauth2/platformtoken"]

    @pytest.mark.parametrize("lifetime", [5, 20, 30])
    def test_short_lived_tokens_are_reused_until_close_to_expiry(self, lifetime):
        answers = {
            "/oauth2/platformtoken": FakeResponse(200, {"access_token": "tok-s", "token_type": "Bearer", "expires_in": lifetime}),
            "/X": ok(1),
        }
        client, session = client_for(answers, client_id="svc@acme.com", client_secret=CLIENT_SECRET)
        for _call in range(200):
            client.call("/X")
        assert session.paths().count("/oauth2/platformtoken") == 1

    def test_refused_credentials_fail_once_without_retry(self):
        answers = {"/oauth2/platformtoken": FakeResponse(401, {"error": "invalid_client", "error_description": "Client authentication failed."})}
        client, session = client_for(answers, client_id="svc@acme.com", client_secret=CLIENT_SECRET)
        with pytest.raises(AuthenticationError) as info:
            client.call("/SysInfo/About")
        assert "refused the client_credentials credentials" in info.value.message
        assert CLIENT_SECRET not in info.value.message and CLIENT_SECRET not in str(info.value.details)
        assert len(session.calls) == 1

    def test_oauth_app_uses_basic_auth_at_its_path(self):
        answers = {"/OAuth2/Token/my%20app": FakeResponse(200, {"access_token": "tok-2", "expires_in": 60}), "/X": ok(1)}
        client, session = client_for(answers, client_id="svc@acme.com", client_secret=CLIENT_SECRET, oauth_app_id="my app")
        assert client.call("/X") == 1
        assert session.calls[0]["auth"] == ("svc@acme.com", CLIENT_SECRET)
        assert session.calls[0]["data"] == {"grant_type": "client_credentials"}

    def test_401_refreshes_the_token_once(self):
        answers = {
            "/oauth2/platformtoken": [FakeResponse(200, {"access_token": "old", "expires_in": 3600}),
                                      FakeResponse(200, {"access_token": "new", "expires_in": 3600})],
            "/X": [FakeResponse(401, None), ok("fine")],
        }
        client, session = client_for(answers, client_id="svc@acme.com", client_secret=CLIENT_SECRET)
        assert client.call("/X") == "fine"
        assert [c["headers"]["Authorization"] for c in session.calls if c["path"] == "/X"] == ["Bearer old", "Bearer new"]

    def test_a_second_401_fails_instead_of_looping(self):
        answers = {"/oauth2/platformtoken": FakeResponse(200, {"access_token": "t", "expires_in": 3600}), "/X": FakeResponse(401, None)}
        client, session = client_for(answers, client_id="svc@acme.com", client_secret=CLIENT_SECRET)
        with pytest.raises(AuthenticationError, match="refused a fresh token"):
            client.call("/X")
        assert session.paths().count("/X") == 2 and session.paths().count("/oauth2/platformtoken") == 2

    def test_expiring_token_is_renewed_before_use(self):
        answers = {
            "/oauth2/platformtoken": [FakeResponse(200, {"access_token": "short", "expires_in": 40}),
                                      FakeResponse(200, {"access_token": "long", "expires_in": 3600})],
            "/X": ok(1),
        }
        client, session = client_for(answers, client_id="svc@acme.com", client_secret=CLIENT_SECRET)
        client.call("/X")
        client.token.expires_at = time.time() + 2  # within the renewal margin of a 40 s token (4 s)
        client.call("/X")
        assert [c["headers"]["Authorization"] for c in session.calls if c["path"] == "/X"] == ["Bearer short", "Bearer long"]


class TestAccessToken:
    def test_given_token_is_used_and_never_refreshed(self):
        client, session = client_for({"/X": FakeResponse(401, None)}, access_token="given-token")
        with pytest.raises(AuthenticationError, match="refused the access_token"):
            client.call("/X")
        assert session.paths() == ["/X"]
        assert session.calls[0]["headers"]["Authorization"] == "Bearer given-token"

    def test_a_given_token_loses_surrounding_white_space_and_must_fit_a_header(self):
        client, session = client_for({"/X": ok("fine")}, access_token=" given-token\n")
        assert client.call("/X") == "fine"
        assert session.calls[0]["headers"]["Authorization"] == "Bearer given-token"
        client, session = client_for({"/X": ok("fine")}, access_token="given\ntoken")
        with pytest.raises(ConfigurationError, match="access_token holds spaces, control or non-ASCII characters") as raised:
            client.call("/X")
        assert "given" not in str(raised.value) and session.paths() == []
        client, session = client_for({"/X": ok("fine")}, access_token=" \n")
        with pytest.raises(ConfigurationError, match="access_token holds only white space"):
            client.call("/X")
        assert session.paths() == []


class TestPasswordLogin:
    def test_redirect_to_the_preferred_url_then_all_calls_go_there(self):
        answers = {
            (SYSTEM, "/Security/StartAuthentication"): ok({"PodFqdn": PREFERRED}),
            (PREFERRED, "/Security/StartAuthentication"): start_ok(),
            (PREFERRED, "/Security/AdvanceAuthentication"): LOGIN_OK,
            (PREFERRED, "/X"): ok("from preferred"),
        }
        client, session = client_for(answers, login_username="admin@acme.com", login_password=PASSWORD)
        assert client.call("/X") == "from preferred"
        assert client.login_result.redirects == ({"from": f"https://{SYSTEM}", "to": f"https://{PREFERRED}"},)
        assert client.login_result.start_result["TenantId"] == "ABC1234"
        assert client.base_url == client.login_result.base_url == f"https://{PREFERRED}"
        advance = session.calls[2]
        assert advance["json"] == {"SessionId": "s1", "MechanismId": "m-UP", "Action": "Answer", "Answer": PASSWORD}
        assert session.calls[0]["json"]["User"] == "admin@acme.com" and "Answer" not in session.calls[0]["json"]
        # as ark-sdk-python (auth/identity/ark_identity.py) and idsec-sdk-golang (pkg/auth/identity/idsec_identity.go) send it
        assert session.calls[0]["json"] == {"User": "admin@acme.com", "Version": "1.0", "PlatformTokenResponse": True,
                                            "MfaRequestor": "DeviceAgent"}

    def test_redirect_to_an_allowed_host_keeps_the_given_port(self):
        answers = {
            ("127.0.0.2:8443", "/Security/StartAuthentication"): ok({"PodFqdn": "127.0.0.3"}),
            ("127.0.0.3:8443", "/Security/StartAuthentication"): start_ok(),
            ("127.0.0.3:8443", "/Security/AdvanceAuthentication"): LOGIN_OK,
        }
        client = client_for(answers, tenant_url="https://127.0.0.2:8443", login_username="u@a", login_password=PASSWORD,
                            allowed_redirect_hosts=["127.0.0.3"])[0]
        client.authenticate()
        assert client.base_url == "https://127.0.0.3:8443"

    @pytest.mark.parametrize("pod, words", [
        ("evil.example", "evil.example, which is neither under CyberArk's service domains"),
        ("http://b.my.idaptive.app", "over http://"),
        ("b.my.idaptive.app:8080", "on port 8080"),
        ("https://user:pw@b.my.idaptive.app", "not a host name"),
        ("b.my.idaptive.app.evil.example", "neither under CyberArk's service domains"),
        ("evilidaptive.app", "neither under CyberArk's service domains"),
    ])
    def test_untrusted_redirect_stops_before_the_password_is_sent(self, pod, words):
        answers = {("a.my.idaptive.app", "/Security/StartAuthentication"): ok({"PodFqdn": pod})}
        client, session = client_for(answers, tenant_url="a.my.idaptive.app", login_username="u@a", login_password=PASSWORD)
        with pytest.raises(RedirectError, match=words) as info:
            client.authenticate()
        assert len(session.calls) == 1 and PASSWORD not in json.dumps(session.calls, default=str)
        assert "allowed_redirect_hosts" in info.value.message or "http" in words or "port" in words or "host name" in words

    def test_http_redirects_are_not_followed(self):
        moved = FakeResponse(307, None, headers={"Location": "https://evil.example/oauth2/platformtoken"})
        client, session = client_for({"/oauth2/platformtoken": moved}, client_id="svc@a", client_secret=PASSWORD)
        with pytest.raises(IdentityError, match="HTTP redirect .* to evil.example"):
            client.authenticate()
        assert all(call.get("allow_redirects") is False for call in session.calls)

    def test_redirect_loop_is_detected(self):
        answers = {
            ("a.my.idaptive.app", "/Security/StartAuthentication"): ok({"PodFqdn": "b.my.idaptive.app"}),
            ("b.my.idaptive.app", "/Security/StartAuthentication"): ok({"PodFqdn": "a.my.idaptive.app"}),
        }
        client, session = client_for(answers, tenant_url="a.my.idaptive.app", login_username="u@a", login_password=PASSWORD)
        with pytest.raises(RedirectError, match="loop: a.my.idaptive.app -> b.my.idaptive.app -> a.my.idaptive.app"):
            client.authenticate()
        assert len(session.calls) == 2

    def test_redirect_chain_is_bounded(self):
        answers = {(f"h{i}.my.idaptive.app", "/Security/StartAuthentication"): ok({"PodFqdn": f"h{i + 1}.my.idaptive.app"})
                   for i in range(10)}
        client, session = client_for(answers, tenant_url="h0.my.idaptive.app", login_username="u@a", login_password=PASSWORD)
        with pytest.raises(RedirectError, match="more than 3 times"):
            client.authenticate()
        assert len(session.calls) == 4

    def test_mfa_second_challenge_fails_before_the_password_is_sent(self):
        answers = {"/Security/StartAuthentication": start_ok(challenge("UP"), challenge("EMAIL", "SMS"))}
        client, session = client_for(answers, login_username="admin@acme.com", login_password=PASSWORD)
        with pytest.raises(AuthenticationError) as info:
            client.authenticate()
        assert "multi-factor authentication" in info.value.message and "EMAIL, SMS" in info.value.message
        assert "service user" in info.value.message
        assert "/Security/AdvanceAuthentication" not in session.paths()

    def test_first_challenge_without_password_names_the_mechanism(self):
        client = client_for({"/Security/StartAuthentication": start_ok(challenge("OTP"))}, login_username="u@a", login_password=PASSWORD)[0]
        with pytest.raises(AuthenticationError, match="asks u@a for OTP instead of a password"):
            client.authenticate()

    def test_next_challenge_after_password_is_reported(self):
        answers = {"/Security/StartAuthentication": start_ok(), "/Security/AdvanceAuthentication": ok({"Summary": "StartNextChallenge"})}
        client = client_for(answers, login_username="u@a", login_password=PASSWORD)[0]
        with pytest.raises(AuthenticationError, match="another authentication step"):
            client.authenticate()

    def test_federated_user_is_refused_clearly(self):
        answers = {"/Security/StartAuthentication": ok({"IdpRedirectUrl": "https://idp", "SessionId": "s"})}
        client = client_for(answers, login_username="u@a", login_password=PASSWORD)[0]
        with pytest.raises(AuthenticationError, match="external identity provider"):
            client.authenticate()

    def test_no_challenges_explains_the_likely_cause(self):
        client = client_for({"/Security/StartAuthentication": ok({"SessionId": "s"})}, login_username="u@a", login_password=PASSWORD)[0]
        with pytest.raises(AuthenticationError, match="neither challenges nor a redirect"):
            client.authenticate()

    def test_a_lost_answer_to_the_password_restarts_the_login_instead_of_blaming_the_password(self):
        answers = {
            "/Security/StartAuthentication": start_ok(),
            "/Security/AdvanceAuthentication": [ConnectionFailure("connection reset"), LOGIN_OK],
        }
        client, session = client_for(answers, login_username="u@a", login_password=PASSWORD)
        client.authenticate()
        assert session.paths() == ["/Security/StartAuthentication", "/Security/AdvanceAuthentication"] * 2

    def test_answers_to_the_password_lost_every_time_are_reported_as_lost(self):
        answers = {
            "/Security/StartAuthentication": start_ok(),
            "/Security/AdvanceAuthentication": [ConnectionFailure("connection reset")],
        }
        client, session = client_for(answers, login_username="u@a", login_password=PASSWORD)
        with pytest.raises(AuthenticationError) as info:
            client.authenticate()
        assert "refused the username or password" not in info.value.message and "no answer" in info.value.message
        assert "not refused" in info.value.message
        assert session.paths().count("/Security/AdvanceAuthentication") == 3

    def test_wrong_password_is_an_authentication_error_without_the_password(self):
        failure = FakeResponse(200, envelope(None, success=False, Message=f"Authentication failed for answer {PASSWORD}"))
        answers = {"/Security/StartAuthentication": start_ok(), "/Security/AdvanceAuthentication": failure}
        client, session = client_for(answers, login_username="u@a", login_password=PASSWORD)
        with pytest.raises(AuthenticationError) as info:
            client.call("/X")
        assert "refused the username or password" in info.value.message
        assert PASSWORD not in info.value.message and PASSWORD not in str(info.value.to_fail_kwargs())
        assert session.paths().count("/Security/AdvanceAuthentication") == 1


class TestQuery:
    def test_pages_until_full_count(self):
        def page(method, url, kwargs):
            number = kwargs["json"]["args"]["PageNumber"]
            size = kwargs["json"]["args"]["PageSize"]
            rows = [{"Row": {"n": i}} for i in range((number - 1) * size, min(number * size, 5))]
            return ok({"FullCount": 5, "Results": rows})
        client, session = client_for({"/Redrock/query": page}, access_token="t")
        assert [r["n"] for r in client.query("Select n from User", page_size=2)] == [0, 1, 2, 3, 4]
        assert [c["json"]["args"]["PageNumber"] for c in session.calls] == [1, 2, 3]
        assert session.calls[0]["json"]["Script"] == "Select n from User"


class TestWritesThatMustNotApplyTwice:
    def test_lost_answer_is_checked_by_a_read_before_resending(self):
        answers = {"/Create": [FakeResponse(502, None), ok("uuid-1")]}
        client, session = client_for(answers, access_token="t")
        checks = []

        def landed():
            checks.append(len(session.calls))
            return None  # the read shows it did not land

        assert client.call("/Create", {"Name": "x"}, idempotent=False, landed=landed) == "uuid-1"
        assert checks == [1] and session.paths() == ["/Create", "/Create"]

    def test_a_write_that_landed_is_not_sent_again(self):
        client, session = client_for({"/Create": FakeResponse(504, None)}, access_token="t")
        assert client.call("/Create", {"Name": "x"}, idempotent=False, landed=lambda: "found-uuid") == "found-uuid"
        assert session.paths() == ["/Create"]

    def test_without_a_check_the_ambiguity_is_raised(self):
        client, session = client_for({"/Create": FakeResponse(502, None)}, access_token="t")
        with pytest.raises(AmbiguousWriteError):
            client.call("/Create", {"Name": "x"}, idempotent=False)
        assert session.paths() == ["/Create"]

    def test_resends_are_bounded(self):
        client, session = client_for({"/Create": FakeResponse(502, None)}, access_token="t")
        with pytest.raises(AmbiguousWriteError):
            client.call("/Create", {"Name": "x"}, idempotent=False, landed=lambda: None)
        assert session.paths().count("/Create") == 3  # retries=2 in client_for


class TestWhatModulesUseOfTheTransport:
    def test_stats_is_a_copy_of_the_counts_and_the_requests_in_flight(self):
        client, _session = client_for({"/X": [FakeResponse(429, None, headers={"Retry-After": "1"}), ok("x")]},
                                      access_token="tok-en-value")
        assert client.stats() == {"requests": 0, "retries": 0, "throttled": 0, "in_flight_mean": 0.0, "in_flight_max": 0}
        client.call("/X")
        stats = client.stats()
        assert stats == {"requests": 2, "retries": 1, "throttled": 1, "in_flight_mean": 1.0, "in_flight_max": 1}
        stats["requests"] = 99
        assert client.stats()["requests"] == 2

    def test_a_protected_secret_is_masked_in_messages(self):
        client, _session = client_for({"/X": FakeResponse(200, envelope(None, success=False, Message="bad Row-Passw0rd"))},
                                      access_token="tok-en-value")
        client.protect("Row-Passw0rd")
        client.protect(None)
        with pytest.raises(IdentityError) as failure:
            client.call("/X")
        assert "Row-Passw0rd" not in failure.value.message and "********" in failure.value.message

    def test_run_concurrently_logs_in_once_and_keeps_the_order(self):
        client, session = client_for({"/oauth2/platformtoken": FakeResponse(200, {"access_token": "a.b.c", "expires_in": 3600}),
                                      "/X": ok("x")}, client_id="svc@acme.com", client_secret="Sec-ret-1")
        assert client.run_concurrently(lambda n: (n, client.call("/X")), range(20), 4) == [(n, "x") for n in range(20)]
        assert session.paths().count("/oauth2/platformtoken") == 1
        assert client.run_concurrently(lambda n: n, [], 4) == []

    def test_run_concurrently_raises_the_first_failure_in_the_order_of_the_items(self):
        client, _session = client_for({}, access_token="tok-en-value")
        released = threading.Event()

        def work(n):
            if n == 0:
                released.wait(5)  # fails last, yet first in order
                raise ConfigurationError("failed 0")
            if n == 1:
                released.set()
                raise ConfigurationError("failed 1")
            return n
        with pytest.raises(ConfigurationError, match="failed 0"):
            client.run_concurrently(work, range(4), 2)

    def test_the_login_result_starts_with_the_given_url_and_nothing_learnt(self):
        client, _session = client_for({}, access_token="tok-en-value")
        assert client.login_result == LoginResult(f"https://{SYSTEM}")
        assert client.base_url == f"https://{SYSTEM}"
