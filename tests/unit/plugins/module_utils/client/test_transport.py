# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Transport: envelope, retries with Retry-After, writes that must not apply twice, secret scrubbing."""

from __future__ import annotations

import pytest
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._connections import ConnectionFailure, TlsFailure
from identity_fakes import FakeResponse, FakeSession, envelope  # pylint: disable=import-error

from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import (
    AmbiguousWriteError,
    ApiError,
    RetryExhaustedError,
    TransportError,
)
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._envelope import parse_retry_after
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._environment import environ_proxies
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._flow import TUNING, RateCap
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._transport import Transport

URL = "https://t.example/X"


def answer_for(cap, now, seconds, per_second):
    """Successful answers at an even rate, as the clock moves on."""
    for _i in range(int(seconds * per_second)):
        now[0] += 1.0 / per_second
        cap.answered(False)


def send(transport, idempotent=True):
    response = transport.send("POST", URL, path="/X", idempotent=idempotent)
    return transport.unwrap(response, "POST", "/X")


class TestEnvelope:
    def test_result_is_unwrapped(self, make_transport):
        transport = make_transport({"/X": FakeResponse(200, envelope({"a": 1}))}).transport
        assert send(transport) == {"a": 1}

    def test_http_200_with_success_false_is_an_error_with_api_details(self, make_transport):
        body = envelope(None, success=False, Message="Role not found", ErrorCode="E42", ErrorID="abc123", MessageID="_I18N_X")
        transport = make_transport({"/X": FakeResponse(200, body)}).transport
        with pytest.raises(ApiError) as info:
            send(transport)
        error = info.value
        assert (error.status, error.api_message, error.error_code, error.error_id, error.message_id) == (200, "Role not found", "E42", "abc123", "_I18N_X")
        assert error.method == "POST" and error.path == "/X"
        assert "POST /X failed: HTTP 200: Role not found" in error.message
        assert error.to_fail_kwargs()["error"]["error_id"] == "abc123"

    def test_bare_oauth_body_is_returned_whole(self, make_transport):
        transport = make_transport({"/X": FakeResponse(200, {"access_token": "abc", "expires_in": 10})}).transport
        assert send(transport)["expires_in"] == 10

    def test_http_error_carries_oauth_error_fields(self, make_transport):
        transport = make_transport({"/X": FakeResponse(400, {"error": "invalid_client", "error_description": "bad client"})}).transport
        with pytest.raises(ApiError) as info:
            send(transport)
        assert info.value.status == 400 and info.value.api_message == "bad client" and info.value.error_code == "invalid_client"

    def test_non_json_success_is_an_error(self, make_transport):
        transport = make_transport({"/X": FakeResponse(200, None, text="<html>login</html>")}).transport
        with pytest.raises(ApiError, match="not JSON"):
            send(transport)

    def test_secrets_are_scrubbed_from_api_messages(self, make_transport):
        body = envelope(None, success=False, Message="Password Hunter2-Secret does not meet policy")
        transport = make_transport({"/X": FakeResponse(200, body)}).transport
        transport.secrets.add("Hunter2-Secret")
        with pytest.raises(ApiError) as info:
            send(transport)
        assert "Hunter2-Secret" not in info.value.message and "Hunter2-Secret" not in str(info.value.details)
        assert "********" in info.value.message


class TestRetries:
    def test_429_honours_retry_after_then_succeeds(self, make_transport):
        answers = [FakeResponse(429, None, {"Retry-After": "7"}), FakeResponse(200, envelope("done"))]
        rig = make_transport({"/X": answers})
        transport, session, slept = rig.transport, rig.session, rig.slept
        assert send(transport) == "done"
        assert slept == [7.0] and len(session.calls) == 2
        assert transport.stats["throttled"] == 1

    def test_retry_after_is_clamped(self):
        assert parse_retry_after("3600") == 60.0
        assert parse_retry_after("-5") == 0.0
        assert parse_retry_after("soon") is None
        assert parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412480.0) == 10.0

    def test_503_on_a_read_is_retried_with_backoff(self, make_transport):
        answers = [FakeResponse(503, None), FakeResponse(502, None), FakeResponse(200, envelope(1))]
        rig = make_transport({"/X": answers})
        transport, session, slept = rig.transport, rig.session, rig.slept
        assert send(transport) == 1
        assert len(session.calls) == 3 and len(slept) == 2
        assert 0.25 <= slept[0] <= 0.5 and 0.5 <= slept[1] <= 1.0  # exponential, jittered

    def test_retries_are_bounded(self, make_transport):
        rig = make_transport({"/X": FakeResponse(503, None)}, retries=2)
        transport, session = rig.transport, rig.session
        with pytest.raises(RetryExhaustedError, match="HTTP 503 after 3 attempts"):
            send(transport)
        assert len(session.calls) == 3

    def test_connection_errors_on_reads_are_retried(self, make_transport):
        answers = [ConnectionFailure("reset"), FakeResponse(200, envelope("ok"))]
        rig = make_transport({"/X": answers})
        transport, session = rig.transport, rig.session
        assert send(transport) == "ok" and len(session.calls) == 2

    def test_persistent_connection_failure_is_a_transport_error(self, make_transport):
        rig = make_transport({"/X": ConnectionFailure("refused")}, retries=1)
        transport, session = rig.transport, rig.session
        with pytest.raises(TransportError, match="no answer after 2 attempts"):
            send(transport)
        assert len(session.calls) == 2

    def test_write_is_not_resent_after_an_ambiguous_failure(self, make_transport):
        rig = make_transport({"/X": [FakeResponse(502, None), FakeResponse(200, envelope("x"))]})
        transport, session = rig.transport, rig.session
        with pytest.raises(AmbiguousWriteError, match="may or may not have been applied"):
            send(transport, idempotent=False)
        assert len(session.calls) == 1
        rig = make_transport({"/X": ConnectionFailure("dropped")})
        transport, session = rig.transport, rig.session
        with pytest.raises(AmbiguousWriteError):
            send(transport, idempotent=False)
        assert len(session.calls) == 1

    def test_write_is_resent_after_429_because_nothing_was_applied(self, make_transport):
        answers = [FakeResponse(429, None, {"Retry-After": "1"}), FakeResponse(200, envelope("created"))]
        rig = make_transport({"/X": answers})
        transport, session = rig.transport, rig.session
        assert send(transport, idempotent=False) == "created" and len(session.calls) == 2

    def test_tls_failure_names_the_fix(self, make_transport):
        transport = make_transport({"/X": TlsFailure("certificate verify failed")}).transport
        with pytest.raises(TransportError, match="ca_path"):
            send(transport)


class TestEnvironmentAndRate:
    def test_the_environment_is_read_once_per_host_and_proxies_are_honoured(self, make_transport, monkeypatch):
        monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
        monkeypatch.setenv("NO_PROXY", "direct.example")
        rig = make_transport({"/X": FakeResponse(200, envelope(1))})
        send(rig.transport)
        monkeypatch.delenv("HTTPS_PROXY")  # read once per host: later requests keep what the first one found
        for _i in range(2):
            send(rig.transport)
        rig.transport.send("POST", "https://direct.example/X", path="/X")
        assert [c["proxies"].get("https") for c in rig.session.calls] == ["http://proxy.example:3128"] * 3 + [None]
        assert rig.transport.verify is True

    @pytest.mark.parametrize("no_proxy, host, proxied", [
        ("10.0.0.0/8", "10.1.2.3", False), ("10.0.0.0/8", "11.1.2.3", True), (".example", "t.example", False),
        ("other.example", "t.example", True), ("*", "t.example", False), ("", "t.example", True),
    ])
    def test_no_proxy_names_hosts_domains_and_networks(self, monkeypatch, no_proxy, host, proxied):
        monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
        monkeypatch.setenv("NO_PROXY", no_proxy)
        monkeypatch.delenv("no_proxy", raising=False)
        monkeypatch.delenv("https_proxy", raising=False)
        assert bool(environ_proxies("https", f"{host}:443")) is proxied

    def test_verify_true_takes_the_ca_bundle_the_environment_names(self, make_transport, monkeypatch, tmp_path):
        bundle = tmp_path / "ca.pem"
        bundle.write_text("x")
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(bundle))
        rig = make_transport({"/X": FakeResponse(200, envelope(1))})
        send(rig.transport)
        assert rig.session.calls[0]["verify"] == str(bundle)

    def test_the_rate_cap_spaces_requests_across_threads(self):
        slept = []
        cap = RateCap(5, clock=lambda: sum(slept), sleep=slept.append)
        for _i in range(11):
            cap.wait()
        assert sum(slept) == pytest.approx(2.0)  # 11 requests at 5 a second: the last leaves 2 s after the first

    def test_a_pause_that_began_while_a_request_waited_for_its_slot_holds_it_too(self):
        slept, sent_at = [], []

        def sleep(seconds):
            if seconds == pytest.approx(1.0) and not slept:  # waiting for the next slot: another thread meets a 429
                transport.pause.extend(5.0)
            slept.append(seconds)

        def answer(method, url, kwargs):
            sent_at.append(sum(slept))
            return FakeResponse(200, envelope(1))

        transport = Transport(session=FakeSession({"/X": answer}), sleep=sleep, clock=lambda: sum(slept), max_requests_per_second=1)
        send(transport)
        send(transport)
        assert sent_at == [0.0, 5.0]  # not at 1.0, inside the pause the tenant asked for

    def test_no_cap_never_waits(self):
        slept = []
        cap = RateCap(None, clock=lambda: 0.0, sleep=slept.append)
        for _i in range(100):
            cap.wait()
        assert slept == []

    def test_a_429_after_a_burst_sets_a_cap_just_under_the_rate_the_tenant_sustained(self):
        now = [0.0]
        cap = RateCap(None, clock=lambda: now[0], sleep=lambda s: None)
        for _second in range(10):  # a burst of 100 answers, then nothing, each second: 100 a second sustained
            for _i in range(100):
                now[0] += 0.001
                cap.answered(False)
            now[0] += 0.9
        cap.answered(True)
        assert 1 / cap.learnt == pytest.approx(95, rel=0.03)  # a twentieth under the sustained rate, not the burst's
        for _i in range(105):  # a second without a 429, no ceiling known yet: the cap climbs by half
            now[0] += 0.01
            cap.answered(False)
        assert 1 / cap.learnt == pytest.approx(95 * 1.5, rel=0.03)

    def test_a_limit_crossed_after_a_clean_run_sets_a_ceiling_just_above_the_new_cap(self):
        now = [0.0]
        cap = RateCap(None, clock=lambda: now[0], sleep=lambda s: None)
        answer_for(cap, now, seconds=2, per_second=40)
        cap.answered(True)  # the first estimate: 38 a second
        answer_for(cap, now, seconds=3.05, per_second=40)  # three raises without a ceiling: 57, 85.5, 128
        assert 1 / cap.learnt == pytest.approx(38 * 1.5 ** 3, rel=0.03)
        answer_for(cap, now, seconds=0.6, per_second=60)  # the tenant lets 60 a second through, then refuses
        cap.answered(True)
        assert cap.ceiling == pytest.approx(60, rel=0.05)  # what was let through, not the pace of 128
        assert 1 / cap.learnt == pytest.approx(0.9 * cap.ceiling, rel=0.03)

    def test_the_cap_returns_under_the_ceiling_holds_there_then_probes_above(self):
        now = [0.0]
        cap = RateCap(None, clock=lambda: now[0], sleep=lambda s: None)
        answer_for(cap, now, seconds=2, per_second=100)
        cap.answered(True)
        answer_for(cap, now, seconds=1, per_second=100)
        cap.answered(True)  # a clean second at the learnt pace, then a 429: a ceiling
        ceiling = cap.ceiling
        rates = []
        for _second in range(int(TUNING.hold) + 5):
            answer_for(cap, now, seconds=1, per_second=50)
            rates.append(1 / cap.learnt)
        plateau = TUNING.under_ceiling * ceiling
        assert rates[2] == pytest.approx(plateau)  # back just under the ceiling within two seconds (a tenth a second)
        assert rates[int(TUNING.hold) - 2] == pytest.approx(plateau)  # and held there, no 429 provoked
        assert rates[-1] > plateau * 1.02 ** 3  # after HOLD seconds without a 429, probing above it

    def test_a_pace_that_keeps_meeting_429s_right_after_each_pause_is_learnt_again(self):
        now = [0.0]
        cap = RateCap(None, clock=lambda: now[0], sleep=lambda s: None)
        answer_for(cap, now, seconds=0.1, per_second=3000)  # a burst the bucket let through: 300 answers in 0.1 s
        cap.answered(True)
        first = 1 / cap.learnt
        for _round in range(4):  # then the pace meets a 429 0.2 s after each 1 s pause: 50 let through a second
            cap.paused(1.0)
            now[0] += 1.0
            answer_for(cap, now, seconds=0.2, per_second=50)
            cap.answered(True)
        assert first > 1000 and 1 / cap.learnt < first / 10  # learnt from what the tenant let through, pauses included

    def test_a_sequential_stretch_before_the_burst_is_left_out_of_the_rate(self):
        now = [0.0]
        cap = RateCap(None, clock=lambda: now[0], sleep=lambda s: None)
        for _i in range(40):  # a paged read: one request at a time, 5 a second
            now[0] += 0.2
            cap.answered(False, busy=False)
        for _i in range(100):  # then concurrent writes: 50 a second let through
            now[0] += 0.02
            cap.answered(False, busy=True)
        cap.answered(True, busy=True)
        assert 1 / cap.learnt == pytest.approx(0.95 * 50, rel=0.03)  # over the last 10 s it would be 0.95 * 14

    def test_a_cap_learnt_from_a_burst_is_learnt_again_when_pauses_hold_the_task_below_it(self):
        now = [0.0]
        cap = RateCap(None, clock=lambda: now[0], sleep=lambda s: None)
        for _i in range(60):  # a burst the tenant's bucket let through: 300 a second for 0.2 s
            now[0] += 1 / 300
            cap.answered(False)
        cap.answered(True)
        first = 1 / cap.learnt
        for _round in range(3):  # then 1 s pauses (Retry-After: 1) and 50 answers a second between them
            cap.paused(1.0)
            now[0] += 1.0
            for _i in range(50):
                now[0] += 0.02
                cap.answered(False)
            cap.answered(True)
        # Between what the tenant let through overall (25 a second, pauses included) and between pauses (50).
        assert first > 250 and 25 < 1 / cap.learnt < 50

    def test_after_a_pause_a_few_answers_are_enough_to_learn_from(self):
        now = [0.0]
        cap = RateCap(None, clock=lambda: now[0], sleep=lambda s: None)
        answer_for(cap, now, seconds=0.01, per_second=800)  # a small bucket: 8 answers, then a 429 and a pause
        cap.answered(True)
        assert cap.learnt == 0.0
        cap.paused(1.0)
        now[0] += 1.0
        answer_for(cap, now, seconds=0.01, per_second=500)  # 5 more, then refused again
        cap.answered(True)
        assert 1 / cap.learnt == pytest.approx(0.95 * 13 / 1.02, rel=0.05)  # what got through, the pause included

    def test_a_429_among_the_first_answers_teaches_nothing(self):
        now = [0.0]
        cap = RateCap(None, clock=lambda: now[0], sleep=lambda s: None)
        for i in range(5):
            now[0] += 0.01
            cap.answered(i == 4)
        assert cap.learnt == 0.0

    def test_429s_with_pauses_whatever_the_rate_do_not_drive_the_rate_to_its_floor(self):
        now = [0.0]
        cap = RateCap(None, clock=lambda: now[0], sleep=lambda s: None)
        done = []
        for i in range(2000):  # three answers in ten a 429 asking for a 1 s pause, however slowly the task sends
            now[0] += max(cap.learnt, 0.01)
            throttled = i % 10 in (2, 5, 8)
            cap.answered(throttled)
            if throttled:
                cap.paused(1.0)
                now[0] += 1.0
            done.append(now[0])
        last_minute = sum(1 for when in done if when > now[0] - 60)
        assert last_minute > 60 * 2  # as fast as the pauses allow (1 s for three answers in ten), not ~1 a second

    def test_a_bucket_limit_with_pauses_is_still_learnt_and_kept(self):
        # A token bucket of 10 a second with a stored burst of 100, Retry-After 1 s, a task that could send 50 a second:
        # the burst and the pauses after it must not read as 429s that ignore the rate.
        now = [0.0]
        cap = RateCap(None, clock=lambda: now[0], sleep=lambda s: now.__setitem__(0, now[0] + s))
        tokens, last, refused_last_minute = 100.0, 0.0, 0
        while now[0] < 120:
            cap.wait()
            now[0] += 1 / 50
            tokens, last = min(100.0, tokens + (now[0] - last) * 10), now[0]
            throttled = tokens < 1
            tokens -= 0 if throttled else 1
            cap.answered(throttled)
            if throttled:
                refused_last_minute += now[0] > 60
                cap.paused(1.0)
                now[0] += 1.0
        assert not cap.blind(now[0]) and 8 < 1 / cap.learnt < 10.5 and refused_last_minute <= 5

    def test_a_limit_still_lowers_the_cap_after_429s_were_seen_not_to_follow_the_rate(self):
        now = [0.0]
        cap = RateCap(None, clock=lambda: now[0], sleep=lambda s: None)
        for i in range(300):  # a storm that does not follow the rate, long enough to be seen as one
            now[0] += max(cap.learnt, 0.01)
            cap.answered(i % 10 in (2, 5, 8))
            if i % 10 in (2, 5, 8):
                cap.paused(1.0)
                now[0] += 1.0
        assert cap.blind(now[0]) and cap.learnt == 0.0  # back to no cap: the uncapped stretch got the most done
        answer_for(cap, now, seconds=0.2, per_second=100)  # 20 answers, then a 429 that ends no clean run: ignored now
        cap.answered(True)
        assert cap.learnt == 0.0
        cap.paused(1.0)
        now[0] += 1.0
        answer_for(cap, now, seconds=1.0, per_second=100)  # a clean run, then a limit crossed: learnt even so
        cap.answered(True)
        assert cap.learnt > 0.0

    def test_429s_that_keep_their_share_whatever_the_rate_do_not_slow_the_task_further(self):
        now = [0.0]
        cap = RateCap(None, clock=lambda: now[0], sleep=lambda s: None)
        rates = []
        for i in range(3000):  # every third answer a 429 for 30 s: a failing tenant, not a limit
            now[0] += 0.01
            cap.answered(i % 3 == 2)
            if cap.learnt:
                rates.append(1 / cap.learnt)
        assert rates and min(rates) == rates[0]  # set once, then only raised: never spiralling down
        assert rates[-1] > rates[0]
