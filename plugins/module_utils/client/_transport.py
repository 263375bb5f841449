# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""HTTP transport: sends a request through its session with bounded retries, under the flow control.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.

Knows nothing of authentication or of AnsibleModule. Rules (docs/client.md):
- 429, 502, 503, 504 and connection failures are retried with exponential
  backoff and full jitter, honouring ``Retry-After``; a 429 also pauses every
  other request sent through this transport (threads share one pause);
- a write that is not idempotent is retried only after a 429 (the tenant refused
  it before doing anything); any other failure of such a write raises
  :class:`AmbiguousWriteError`, and the caller decides after reading the state.

Its parts, one concern a file: ``_flow`` (the pause, the in-flight limiter, the requests-a-second cap), ``_envelope``
(the answer's envelope and ``Retry-After``), ``_secrets`` (scrubbing), ``_environment`` (proxies, CA bundle), ``_wire``
(what the transport asks of its HTTP session), ``_http`` (that session).
"""

from __future__ import annotations

import random
import threading
import time
import typing as t
from urllib.parse import urlsplit

from ansible_collections.cyberark_community.identity.plugins.module_utils.client import _envelope
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._envelope import parse_retry_after
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._connections import (
    ConnectionFailure,
    HttpFailure,
    TlsFailure,
)
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._environment import environ_proxies, environ_verify
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._flow import Limiter, Pause, RateCap
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._http import HttpSession
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._secrets import Secrets
from ansible_collections.cyberark_community.identity.plugins.module_utils._connection_spec import connection_default
from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import (
    AmbiguousWriteError,
    ApiError,
    RetryExhaustedError,
    TransportError,
)

if t.TYPE_CHECKING:
    from ansible_collections.cyberark_community.identity.plugins.module_utils.client._trace import TraceFile
    from ansible_collections.cyberark_community.identity.plugins.module_utils.client._wire import Answer, Session

# Failures where no answer came: the request may be sent again (when it is idempotent).
CONNECTION_ERRORS: tuple[type[BaseException], ...] = (ConnectionFailure,)

RETRY_STATUSES = frozenset((429, 502, 503, 504))
USER_AGENT = "cyberark_community.identity/2.0.0 (Ansible collection)"


class Transport:
    """Sends requests and unwraps answers; see the module docstring for the rules."""

    def __init__(
        self,
        timeout: float = connection_default("timeout"),
        retries: int = connection_default("retries"),
        verify: bool | str = True,
        backoff_base: float = 0.5,
        backoff_max: float = 30.0,
        pool_size: int = 64,
        sleep: t.Callable[[float], None] = time.sleep,
        clock: t.Callable[[], float] = time.monotonic,
        session: Session | None = None,
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
        self.pause = Pause(clock, sleep)
        self.rate_cap = RateCap(max_requests_per_second, clock, sleep)
        self.limiter = Limiter(1)
        self.stats = {"requests": 0, "retries": 0, "throttled": 0}
        self._stats_lock = threading.Lock()
        self._random = random.Random()
        if session is None:
            session = HttpSession(pool_size=pool_size)
        # The environment is read once here and once per host, not on every request (proxies, CA bundle).
        self.verify = verify
        self._verify = environ_verify(verify)
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

    def counts(self) -> dict[str, int]:
        """A copy of the counts so far: requests sent, retries, answers HTTP 429."""
        with self._stats_lock:
            return dict(self.stats)

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
    ) -> Answer:
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

    def _attempt(self, method: str, url: str, path: str, idempotent: bool, attempt: int, kwargs: dict[str, t.Any]) -> Answer | None:
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

    def _request(self, method: str, url: str, path: str, kwargs: dict[str, t.Any]) -> Answer:
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

    def _after_retryable_status(self, response: Answer, method: str, path: str, idempotent: bool, attempt: int) -> None:
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

    def unwrap(self, response: Answer, method: str, path: str) -> t.Any:
        """The ``Result`` of an enveloped answer, or the whole JSON body of a bare (OAuth) answer (``_envelope.unwrap``).

        Raises ApiError on status >= 400, a redirect, or ``success: false``.
        """
        return _envelope.unwrap(response, method, path, self.secrets)

    def api_error(self, method: str, path: str, status: int, body: t.Any, response: Answer | None = None) -> ApiError:
        """An ApiError from an error answer, scrubbed of secrets (``_envelope.api_error``)."""
        return _envelope.api_error(method, path, status, body, self.secrets, response)
