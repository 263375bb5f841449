# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What every authenticated client shares: the TLS settings of its transport, one token for all threads, and a single
fresh login when the service answers 401.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.

``IdentityClient`` and ``RemoteAccessClient`` differ only in how they log in (``_login``) and where they send calls.
"""

from __future__ import annotations

import os
import threading
import typing as t

from ansible_collections.cyberark_community.identity.plugins.module_utils import _paths
from ansible_collections.cyberark_community.identity.plugins.module_utils.client import _auth, _pool, _trace
from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import AuthenticationError, ConfigurationError
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._secrets import Secrets
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._transport import Transport


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


def make_transport(timeout: int, retries: int, validate_certs: bool, ca_path: str | None, warn: t.Callable[[str], None] | None,
                   unverified_warning: str, prefix: str = "", **transport_kwargs: t.Any) -> Transport:
    """A transport for these TLS and retry options, checked first (``prefix`` names the options: ``ra_`` for Remote Access)."""
    check_transport_options(timeout, retries, ca_path, prefix=prefix)
    verify: bool | str = ca_path or True
    if not validate_certs:
        verify = False
        if warn:
            warn(unverified_warning)
        _silence_insecure_warning()
    # The Remote Access options carry the ra_ prefix: its calls are traced as that client's.
    trace = _trace.from_environment("remote_access" if prefix else "identity", warn)
    return Transport(timeout=timeout, retries=retries, verify=verify, secrets=Secrets(), option_prefix=prefix, trace=trace,
                     **transport_kwargs)


_Self = t.TypeVar("_Self", bound="TokenSession")
_Item = t.TypeVar("_Item")
_Result = t.TypeVar("_Result")


class TokenSession:
    """A bearer token obtained on first use, shared by every thread, renewed before it expires, and replaced once when the
    service refuses it (HTTP 401). Subclasses say how to log in (``_login``)."""

    service = "the tenant"  # who refused a token, in messages

    def __init__(self, transport: Transport) -> None:
        self.transport = transport
        self.token: _auth.Token | None = None
        self._auth_lock = threading.Lock()

    def __enter__(self: _Self) -> _Self:
        return self

    def __exit__(self, *exc_info: t.Any) -> None:
        self.close()

    def close(self) -> None:
        self.transport.close()

    def _login(self, force: bool) -> _auth.Token:
        raise NotImplementedError

    # -- what modules and resources use of the transport -----------------
    def protect(self, secret: str | None) -> None:
        """Keep ``secret`` out of every message from now on (a password from the task's data, echoed by a tenant's error
        answer, is masked). Values shorter than ``_secrets.MIN_SECRET_LENGTH`` are ignored: they would mask ordinary text."""
        self.transport.secrets.add(secret)

    def stats(self) -> dict[str, t.Any]:
        """A copy of what was sent so far: ``requests`` (every attempt), ``retries``, ``throttled`` (answers HTTP 429),
        and the requests in flight as the task saw them, ``in_flight_mean`` and ``in_flight_max``."""
        return {**self.transport.counts(), **self.transport.limiter.report()}

    def run_concurrently(self, function: t.Callable[[_Item], _Result], items: t.Iterable[_Item], workers: int) -> list[_Result]:
        """``function(item)`` for every item on up to ``workers`` threads, the results in the order of ``items`` (the
        first failure in that order is raised once the calls already started have ended; the others are not started).
        Logs in first, so the workers share one login; how many requests are in flight at once is the limiter's, up to
        ``set_concurrency`` where the client has it."""
        items = list(items)
        if not items:
            return []
        self.authenticate()
        return _pool.run_concurrently(function, items, workers)

    def url_for(self, path: str) -> str:
        """Where a call to ``path`` goes (read after the login: a login may move the client to another URL)."""
        raise NotImplementedError

    def authenticate(self, force: bool = False) -> _auth.Token:
        """The bearer token; concurrent workers share one login and one renewal."""
        token = self.token
        if token is not None and not force and not token.expiring():
            return token
        with self._auth_lock:
            if self.token is not None and self.token is not token and not self.token.expiring():
                return self.token  # another worker renewed it meanwhile
            self.token = self._login(force)
            return self.token

    def send_authorized(self, method: str, path: str, idempotent: bool = True, **kwargs: t.Any) -> t.Any:
        """Send with the bearer token; on 401 log in again once (``force``: a token the user gave cannot be renewed)."""
        refreshed = False
        headers = dict(kwargs.pop("headers", None) or {})
        while True:
            token = self.authenticate()
            response = self.transport.send(method, self.url_for(path), path=path, idempotent=idempotent,
                                           headers=dict(headers, Authorization=token.header), **kwargs)
            if response.status_code != 401:
                return response
            if refreshed:
                raise AuthenticationError(f"{method} {path}: {self.service} refused a fresh token (HTTP 401)", method=method, path=path,
                                          status=401)
            refreshed = True
            self.token = None
            self.authenticate(force=True)


def _silence_insecure_warning() -> None:
    # The module already warns through Ansible; urllib3 would repeat it on every request.
    try:
        import urllib3
        urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
    except ImportError:  # pragma: no cover
        pass
