# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""HTTP transport: pooled connections (``_http``), the response envelope, bounded retries.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.

Knows nothing of authentication or of AnsibleModule. Rules (docs/client.md):
- HTTP 200 with ``success: false`` is an error, like any status >= 400;
- 429, 502, 503, 504 and connection failures are retried with exponential
  backoff and full jitter, honouring ``Retry-After``; a 429 also pauses every
  other request sent through this transport (threads share one pause);
- a write that is not idempotent is retried only after a 429 (the tenant refused
  it before doing anything); any other failure of such a write raises
  :class:`AmbiguousWriteError`, and the caller decides after reading the state.
"""

from __future__ import annotations

import collections
import email.utils
import ipaddress
import os
import random
import threading
import time
import typing as t
import urllib.request
from urllib.parse import urlsplit

from ansible_collections.cyberark_community.identity.plugins.module_utils.client._http import (
    ConnectionFailure,
    HttpFailure,
    HttpSession,
    TlsFailure,
)

from ansible_collections.cyberark_community.identity.plugins.module_utils import _paths
from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import (
    AmbiguousWriteError,
    ApiError,
    ConfigurationError,
    RetryExhaustedError,
    TransportError,
)

if t.TYPE_CHECKING:
    from ansible_collections.cyberark_community.identity.plugins.module_utils.client._trace import TraceFile

# Failures where no answer came: the request may be sent again (when it is idempotent).
CONNECTION_ERRORS: tuple[type[BaseException], ...] = (ConnectionFailure,)

RETRY_STATUSES = frozenset((429, 502, 503, 504))
MAX_RETRY_AFTER = 60.0
USER_AGENT = "cyberark_community.identity/2.0.0 (Ansible collection)"


class _Pause:
    """A moment before which no request is sent, shared by every thread of one transport."""

    def __init__(self, clock: t.Callable[[], float], sleep: t.Callable[[float], None]) -> None:
        self._until = 0.0
        self._lock = threading.Lock()
        self._clock = clock
        self._sleep = sleep

    def extend(self, seconds: float) -> None:
        with self._lock:
            self._until = max(self._until, self._clock() + seconds)

    def wait(self) -> None:
        remaining = self._until - self._clock()
        if remaining > 0:
            self._sleep(remaining)

    def active(self) -> bool:
        return self._until > self._clock()


class Limiter:
    """How many requests may be in flight. Starts low, grows by one after a run of answers whose latency holds (at most
    twice the fastest seen), up to ``maximum``; halves on every 429 (AIMD). With one worker it changes nothing; with many
    it finds what the tenant and this controller sustain, and lets the tenant's throttling set the pace.
    """

    START = 4  # a safe first value: a tenant's throttling is unknown until it answers

    def __init__(self, maximum: int = 1) -> None:
        self.maximum = max(1, maximum)
        self.limit = self.maximum
        self.in_flight = 0
        self.waiting = 0  # requests waiting for a free place: the task is busy even when none is in flight
        self._successes = 0
        self._configured = False
        self._fastest: float | None = None
        self._cond = threading.Condition()
        self.samples = 0
        self.in_flight_total = 0
        self.in_flight_peak = 0

    def configure(self, maximum: int) -> None:
        """A new cap. The first starts the limit from a safe value below it; later ones (a settle round, the next
        phase) keep what answers taught, within the cap: a throttled task stays slowed, a fast one stays fast."""
        with self._cond:
            self.maximum = max(1, maximum)
            self.limit = min(self.limit if self._configured else self.START, self.maximum)
            self._configured = True
            # what counts as a fast answer is learnt again: the next phase's calls (writes after reads) differ
            self._fastest = None
            self._successes = 0

    def acquire(self) -> int:
        """Wait for a place; the number in flight with this request, for :meth:`give_back`."""
        with self._cond:
            self.waiting += 1
            while self.in_flight >= self.limit:
                self._cond.wait(timeout=1.0)
            self.waiting -= 1
            self.in_flight += 1
            self.samples += 1
            self.in_flight_total += self.in_flight
            self.in_flight_peak = max(self.in_flight_peak, self.in_flight)
            return self.in_flight

    def give_back(self, counted: int) -> None:
        """Return a place taken by :meth:`acquire` for a request that was not sent; it counts nowhere."""
        with self._cond:
            self.in_flight -= 1
            self.samples -= 1
            self.in_flight_total -= counted
            self._cond.notify_all()

    def release(self, throttled: bool, latency: float | None = None) -> None:
        with self._cond:
            self.in_flight -= 1
            if throttled:
                self.limit = max(1, self.limit // 2)
                self._successes = 0
            elif self.limit < self.maximum:
                if latency is not None:
                    self._fastest = latency if self._fastest is None else min(self._fastest, latency)
                holds = latency is None or self._fastest is None or latency <= 2 * self._fastest + 0.005
                self._successes = self._successes + 1 if holds else 0
                if self._successes >= self.limit:
                    self.limit += 1
                    self._successes = 0
            self._cond.notify_all()

    def report(self) -> dict[str, t.Any]:
        """Requests in flight as the task saw them: mean and maximum over every request sent."""
        with self._cond:
            mean = self.in_flight_total / self.samples if self.samples else 0.0
            return {"in_flight_mean": round(mean, 1), "in_flight_max": self.in_flight_peak}


class RateCap:
    """At most so many requests a second across every thread: each request takes the next free slot.

    Two caps: the user's (``max_requests_per_second``), so a quota the tenant shares with other applications is never
    exceeded even in a burst; and one learnt from the tenant's HTTP 429 answers. A limit lets a burst through and
    refuses the rest, so the rate a tenant sustains shows only over time, and only while the task sends as fast as it
    may. The first 429 after ENOUGH successful answers (FEW once the tenant asked for a pause) sets the learnt cap to the
    rate of those answers since the task became busy (requests in flight or waiting, or waiting for the cap or a pause;
    at most the last ten seconds, pauses included), a twentieth lower; a sequential stretch before it (a paged read)
    says nothing of the limit and is left out. With no ceiling known yet, the cap then climbs by half every second.

    A 429 that ends a clean run (half a second and ENOUGH answers without a 429 or a pause) shows a limit just crossed:
    the ceiling becomes what the tenant let through in the last half second (at most the pace in force), and the cap
    goes to 90% of it. The cap climbs back by a tenth a second to 93% of the ceiling and stays there; only after HOLD
    seconds without a 429 does it probe above, 2% a second, in case the limit or another application's share of it
    changed. 429s scattered among successes end no clean run: they come from a failing tenant, not a limit, and slowing
    down would not help. When the pauses 429s ask for (Retry-After) take 30% of the time since the cap was set and the
    task got through less than 80% of the pace, the cap was set too high: it is learnt again from the rate of the
    successful answers, pauses included, or at most a fifth lower once a ceiling is known.
    """

    WINDOW = 10.0  # seconds of answers that measure the rate the tenant sustains
    RAISE_EVERY = 1.0  # seconds without a 429 between two raises of the learnt cap
    ENOUGH = 20  # successful answers while busy before a 429 may set the learnt cap
    FEW = 5  # enough of them when the tenant already asked for a pause
    HOLD = 30.0  # seconds just under the ceiling before probing above it
    CLEAN_RUN = 0.5  # seconds without a 429 or a pause before a 429 that shows a limit crossed
    HELD = 0.3  # share of the time paused that shows the cap set too high
    CLIMB, RETURN, PROBE = 1.5, 1.10, 1.02  # raises per second: no ceiling yet, back under the ceiling, above it
    UNDER_CEILING = 0.93  # where the cap stays below the ceiling

    def __init__(self, per_second: float | None, clock: t.Callable[[], float], sleep: t.Callable[[float], None]) -> None:
        self.fixed = 1.0 / per_second if per_second else 0.0
        self.learnt = 0.0  # seconds between requests; 0 = no learnt cap
        self.ceiling = 0.0  # requests a second at which the learnt cap last met a 429; 0 = none yet
        self._next = 0.0
        self._raised = 0.0
        self._lowered = 0.0
        self._pace_from = 0.0  # when the learnt cap last changed, or the pause that came with it ended
        self._busy_since: float | None = None
        self._refused_at = 0.0
        self._pauses: collections.deque[tuple[float, float]] = collections.deque()
        self._answers: collections.deque[tuple[float, bool]] = collections.deque()
        self._lock = threading.Lock()
        self._clock = clock
        self._sleep = sleep

    def wait(self) -> None:
        with self._lock:
            interval = max(self.fixed, self.learnt)
            if not interval:
                return
            now = self._clock()
            slot = max(now, self._next)
            self._next = slot + interval
        if slot > now:
            self._sleep(slot - now)

    def paused(self, seconds: float) -> None:
        """The tenant asked every request to wait (a 429's Retry-After, or a backoff without one)."""
        if seconds > 0:
            with self._lock:
                now = self._clock()
                if self._pauses and self._pauses[-1][1] >= now:
                    self._pauses[-1] = (self._pauses[-1][0], max(self._pauses[-1][1], now + seconds))
                else:
                    self._pauses.append((now, now + seconds))
                if now - self._lowered < 0.5:  # the pause that came with the lowering: the new pace applies after it
                    self._pace_from = max(self._pace_from, now + seconds)

    def holding_back(self) -> bool:
        """Whether a request is waiting for its slot: the cap, not the task, sets the pace."""
        return self._next > self._clock()

    def answered(self, throttled: bool, busy: bool = True) -> None:
        """Record an answer (``busy``: other requests were in flight or waiting); a 429 may set the learnt cap from the
        rate of the successful answers of the busy stretch before it."""
        with self._lock:
            now = self._clock()
            if not busy:
                self._busy_since = None
            elif self._busy_since is None:
                self._busy_since = now
            self._answers.append((now, throttled))
            while self._answers and self._answers[0][0] < now - self.WINDOW:
                self._answers.popleft()
            while self._pauses and self._pauses[0][1] < now - self.WINDOW:
                self._pauses.popleft()
            if throttled and self._busy_since is not None:
                self._learn(now, max(self._busy_since, now - self.WINDOW))
            if throttled:
                self._refused_at = now
            elif self.learnt and now - self._raised >= self.RAISE_EVERY:
                self.learnt = 1.0 / self._raised_rate(now)
                self._raised = now

    def _raised_rate(self, now: float) -> float:
        rate = 1.0 / self.learnt
        if not self.ceiling:
            return rate * self.CLIMB
        plateau = self.UNDER_CEILING * self.ceiling
        if rate < plateau:
            return min(plateau, rate * self.RETURN)
        return rate * self.PROBE if now - self._lowered >= self.HOLD else rate

    def _answered_since(self, moment: float) -> int:
        return sum(1 for when, _throttled in self._answers if when >= moment)

    def _learn(self, now: float, start: float) -> None:
        answers = [was_throttled for when, was_throttled in self._answers if when >= start]
        refused = sum(answers)
        span = max(now - start, 0.05)
        # A limit shows after a burst the tenant let through; a 429 among the first answers says nothing yet, unless
        # the tenant already asked for a pause since the task became busy: then what got through is all there is.
        paused_before = any(start < until <= now for _since, until in self._pauses)
        if len(answers) - refused < (self.FEW if paused_before else self.ENOUGH):
            return
        pace = 1.0 / self.learnt if self.learnt else 0.0
        # Clean: a run long enough since the last 429 or pause to show a limit just crossed.
        run_start = max(self._refused_at, self._pauses[-1][1] if self._pauses else 0.0, start)
        clean = now - run_start >= self.CLEAN_RUN and self._answered_since(run_start) > self.ENOUGH
        # Held: since the cap was set, pauses took much of the time and the task got through well under the pace.
        set_at = max(start, self._pace_from)
        paused = sum(max(0.0, min(until, now) - max(since, set_at)) for since, until in self._pauses)
        held = (now - set_at >= 1.0 and paused >= self.HELD * (now - set_at)
                and self._answered_since(set_at) < 0.8 * pace * (now - set_at))
        if pace and not (clean or held):
            return  # scattered among successes: a failing tenant's 429
        sustained = 0.95 * (len(answers) - refused) / span
        if pace:
            ceiling_known = bool(self.ceiling)
            # What the tenant let through in the last half second (of the clean run): less than the pace when the task
            # could not keep it, or when the pace was raised just before the 429.
            since = max(run_start, now - self.CLEAN_RUN)
            let_through = sum(1 for when, was_throttled in self._answers if when >= since and not was_throttled)
            self.ceiling = min(pace, let_through / (now - since)) if clean else pace
            if clean or ceiling_known:  # otherwise learnt from a burst: the sustained rate says more than the pace
                sustained = min(max(sustained, (0.9 if clean else 0.8) * self.ceiling), self.UNDER_CEILING * self.ceiling)
        self.learnt = 1.0 / max(0.5, sustained)
        self._raised = self._lowered = self._pace_from = now


MIN_SECRET_LENGTH = 4


class Secrets:
    """Values that must never appear in a message; every error text passes through :meth:`scrub`."""

    def __init__(self) -> None:
        self._values: set[str] = set()

    def add(self, value: str | None) -> None:
        # Shorter values would mask ordinary text; the options refuse them (short_secret_errors in _module.py).
        if value and len(value) >= MIN_SECRET_LENGTH:
            self._values.add(value)

    def scrub(self, text: str | None) -> str | None:
        if not text:
            return text
        for value in sorted(self._values, key=len, reverse=True):
            text = text.replace(value, "********")
        return text


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta seconds or HTTP date), clamped to 0..60."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            moment = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if moment is None:
            return None
        seconds = moment.timestamp() - (time.time() if now is None else now)
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def check_transport_options(timeout: t.Any, retries: t.Any, ca_path: str | None, prefix: str = "") -> None:
    """Refuse values the transport cannot use, naming the option (``prefix`` is ``ra_`` for Remote Access)."""
    if not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or timeout <= 0:
        raise ConfigurationError(f"{prefix}timeout must be a positive number of seconds (got {timeout!r})")
    if not isinstance(retries, int) or isinstance(retries, bool) or retries < 0:
        raise ConfigurationError(f"{prefix}retries must be 0 or a positive whole number (got {retries!r})")
    if ca_path and not os.path.isfile(ca_path):
        raise ConfigurationError(f"{prefix}ca_path: no file at {_paths.shown(ca_path)}; give the path of a PEM bundle of certificate authorities")
    if ca_path and not os.access(ca_path, os.R_OK):
        raise ConfigurationError(f"{prefix}ca_path: {ca_path} cannot be read")


def environ_proxies(scheme: str, netloc: str) -> dict[str, str]:
    """The proxy for ``scheme`` the environment names (HTTPS_PROXY, https_proxy, ALL_PROXY), unless NO_PROXY covers the
    host; ``{}`` for a direct connection."""
    proxies = urllib.request.getproxies_environment()
    proxy = proxies.get(scheme) or proxies.get("all")
    if not proxy or urllib.request.proxy_bypass_environment(netloc, proxies) or _in_no_proxy_network(netloc, proxies.get("no", "")):
        return {}
    return {scheme: proxy}


def _in_no_proxy_network(netloc: str, no_proxy: str) -> bool:
    """NO_PROXY entries in CIDR form (10.0.0.0/8), which requests honours and the standard library does not."""
    host = urlsplit("//" + netloc).hostname or ""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    for entry in no_proxy.split(","):
        entry = entry.strip()
        if "/" in entry:
            try:
                if address in ipaddress.ip_network(entry, strict=False):
                    return True
            except ValueError:
                continue
    return False


def _json_or_none(response: t.Any) -> t.Any:
    try:
        return response.json()
    except ValueError:
        return None


class Transport:
    """Sends requests and unwraps answers; see the module docstring for the rules."""

    def __init__(
        self,
        timeout: float = 30,
        retries: int = 5,
        verify: bool | str = True,
        backoff_base: float = 0.5,
        backoff_max: float = 30.0,
        pool_size: int = 64,
        sleep: t.Callable[[float], None] = time.sleep,
        clock: t.Callable[[], float] = time.monotonic,
        session: t.Any = None,
        secrets: Secrets | None = None,
        max_requests_per_second: float | None = None,
        option_prefix: str = "",
        trace: TraceFile | None = None,
    ) -> None:
        self.timeout = timeout
        self.trace = trace  # a _trace.TraceFile when CYBERARK_IDENTITY_TRACE asks for one
        self.option_prefix = option_prefix  # how messages name the TLS options: ra_ for Remote Access
        self.retries = max(0, int(retries))
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.sleep = sleep
        self.secrets = secrets or Secrets()
        self.pause = _Pause(clock, sleep)
        self.rate_cap = RateCap(max_requests_per_second, clock, sleep)
        self.limiter = Limiter(1)
        self.stats = {"requests": 0, "retries": 0, "throttled": 0}
        self._stats_lock = threading.Lock()
        self._random = random.Random()
        if session is None:
            session = HttpSession(pool_size=pool_size)
        # The environment is read once here and once per host, not on every request (proxies, CA bundle).
        self.verify = verify
        # verify=True means the CA bundle the environment names (REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE), as requests chooses it.
        self._verify = (os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True) if verify is True else verify
        self._proxies: dict[str, dict[str, str]] = {}
        session.headers.update({"User-Agent": USER_AGENT, "X-IDAP-NATIVE-CLIENT": "true", "Accept": "application/json"})
        self.session = session

    def close(self) -> None:
        self.session.close()

    def reset_session(self) -> None:
        """Forget cookies, as a restart of authentication on another host requires."""
        self.session.cookies.clear()

    def proxies_for(self, url: str) -> dict[str, str]:
        """The proxies the environment names for ``url``'s host (HTTPS_PROXY, NO_PROXY), read once per host."""
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}"
        if key not in self._proxies:
            self._proxies[key] = environ_proxies(parts.scheme, parts.netloc)
        return self._proxies[key]

    def _count(self, key: str) -> None:
        with self._stats_lock:
            self.stats[key] += 1

    def _backoff(self, attempt: int) -> float:
        ceiling = min(self.backoff_max, self.backoff_base * (2 ** attempt))
        return self._random.uniform(ceiling / 2, ceiling)

    def send(
        self,
        method: str,
        url: str,
        path: str,
        idempotent: bool = True,
        **kwargs: t.Any,
    ) -> t.Any:
        """Send one request with retries; return the response of the last attempt.

        ``path`` names the call in errors (never the query string or body).
        Raises TransportError, AmbiguousWriteError or RetryExhaustedError.
        """
        kwargs.setdefault("timeout", self.timeout)
        kwargs.setdefault("verify", self._verify)
        kwargs.setdefault("proxies", self.proxies_for(url))
        # An HTTP redirect would carry the body (a password or client secret) or the token to another host.
        kwargs["allow_redirects"] = False
        attempt = 0
        while True:
            response = self._attempt(method, url, path, idempotent, attempt, kwargs)
            if response is not None:
                if response.status_code not in RETRY_STATUSES:
                    return response
                self._after_retryable_status(response, method, path, idempotent, attempt)
            attempt += 1
            self._count("retries")

    def _attempt(self, method: str, url: str, path: str, idempotent: bool, attempt: int, kwargs: dict[str, t.Any]) -> t.Any:
        """One request; None when the connection failed and the request may be sent again (after a backoff)."""
        while True:
            self.pause.wait()
            self.rate_cap.wait()
            counted = self.limiter.acquire()
            if not self.pause.active():
                break
            # A pause began while this request waited for its slot or its place: wait for its end and a new slot.
            self.limiter.give_back(counted)
        self._count("requests")
        throttled = False
        latency = None
        started = time.monotonic()
        try:
            response = self._request(method, url, path, kwargs)
            throttled = response.status_code == 429
            latency = time.monotonic() - started
            return response
        except TlsFailure as exc:
            raise TransportError(
                f"{method} {path}: TLS verification failed ({self._reason(exc)}); "
                f"give the CA bundle with {self.option_prefix}ca_path, or set {self.option_prefix}validate_certs to false for a "
                "test tenant",
                method=method, path=path,
            ) from None
        except CONNECTION_ERRORS as exc:
            if not idempotent:
                raise AmbiguousWriteError(
                    f"{method} {path}: no answer ({self._reason(exc)}); the write may or may not have been applied",
                    method=method, path=path,
                ) from None
            if attempt >= self.retries:
                raise TransportError(
                    f"{method} {path}: no answer after {attempt + 1} attempts ({self._reason(exc)})", method=method, path=path,
                ) from None
        except HttpFailure as exc:
            raise TransportError(f"{method} {path}: {self._reason(exc)}", method=method, path=path) from None
        finally:
            self.limiter.release(throttled, latency)
            # Busy: the rate of these answers is what the tenant lets through, not what one thread asked for.
            busy = self.limiter.in_flight > 0 or self.limiter.waiting > 0 or self.rate_cap.holding_back() or self.pause.active()
            self.rate_cap.answered(throttled, busy)
        self.sleep(self._backoff(attempt))
        return None

    def _request(self, method: str, url: str, path: str, kwargs: dict[str, t.Any]) -> t.Any:
        """One HTTP exchange, and its line in the shape trace when there is one."""
        if self.trace is None:
            return self.session.request(method, url, **kwargs)
        try:
            response = self.session.request(method, url, **kwargs)
        except HttpFailure as exc:  # TLS, no answer, unreadable answer: traced as such, then handled by _attempt
            self.trace.failed(method, path, kwargs, exc)
            raise
        self.trace.answered(method, path, kwargs, response)
        return response

    def _after_retryable_status(self, response: t.Any, method: str, path: str, idempotent: bool, attempt: int) -> None:
        """Wait before the next attempt after a 429 / 502 / 503 / 504, or raise when no attempt may follow."""
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        if response.status_code == 429:
            self._count("throttled")
            wait = retry_after if retry_after is not None else self._backoff(attempt)
            self.pause.extend(wait)
            self.rate_cap.paused(wait)
        elif not idempotent:
            raise AmbiguousWriteError(
                f"{method} {path}: HTTP {response.status_code}; the write may or may not have been applied",
                method=method, path=path, status=response.status_code,
            )
        if attempt >= self.retries:
            raise RetryExhaustedError(
                f"{method} {path}: HTTP {response.status_code} after {attempt + 1} attempts; "
                "the tenant is throttling or unavailable, try again later or raise retries",
                method=method, path=path, status=response.status_code,
            )
        if response.status_code != 429:
            self.sleep(retry_after if retry_after is not None else self._backoff(attempt))

    def _reason(self, exc: BaseException) -> str:
        text = str(exc)  # the HTTP layer's failures name their cause
        return self.secrets.scrub(text) or text

    def unwrap(self, response: t.Any, method: str, path: str) -> t.Any:
        """The ``Result`` of an enveloped answer, or the whole JSON body of a bare (OAuth) answer.

        Raises ApiError on status >= 400 or ``success: false``.
        """
        body = _json_or_none(response)
        status = response.status_code
        if 300 <= status < 400:
            location = urlsplit(str(response.headers.get("Location") or ""))
            target = location.hostname or "an unnamed location"
            raise ApiError(
                f"{method} {path}: the server answered with an HTTP redirect (HTTP {status}) to {target}, which is "
                "not followed: a redirect could carry credentials to another host; check the URL options",
                method=method, path=path, status=status,
            )
        if status >= 400 or (isinstance(body, dict) and body.get("success") is False):
            error = self.api_error(method, path, status, body, response)
            error.refused = isinstance(body, dict) and body.get("success") is False
            raise error
        if body is None:
            if not response.content:
                return None
            raise ApiError(
                f"{method} {path}: HTTP {status} with an answer that is not JSON", method=method, path=path, status=status
            )
        if isinstance(body, dict) and "success" in body:
            return body.get("Result")
        return body

    def api_error(self, method: str, path: str, status: int, body: t.Any, response: t.Any = None) -> ApiError:
        """An ApiError from an error answer, scrubbed of secrets."""
        api_message = error_code = error_id = message_id = None
        if isinstance(body, dict):
            api_message = (body.get("Message") or body.get("error_description") or body.get("message")
                           or body.get("detail") or body.get("title"))  # RFC 7807 problem JSON (Remote Access)
            error_code = body.get("ErrorCode") or body.get("error")
            error_id = body.get("ErrorID")
            message_id = body.get("MessageID")
        elif response is not None and response.text and len(response.text) < 300:
            api_message = response.text.strip()
        api_message = self.secrets.scrub(str(api_message)) if api_message else None
        text = f"{method} {path} failed: HTTP {status}"
        if api_message:
            text += f": {api_message}"
        if error_code:
            text += f" (ErrorCode {error_code})"
        if error_id:
            text += f" (ErrorID {error_id})"
        return ApiError(
            text, method=method, path=path, status=status, api_message=api_message,
            error_code=str(error_code) if error_code else None, error_id=error_id, message_id=message_id,
        )
