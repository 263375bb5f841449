# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The Identity REST client every module shares.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.

Plain options in, typed exceptions out (``_errors``). The token is fetched on
first use, reused for the whole run, refreshed once when the tenant answers 401
(never for a token the user gave) and never retried with refused credentials.
"""

from __future__ import annotations

import dataclasses
import threading
import typing as t

from ansible_collections.cyberark_community.identity.plugins.module_utils.client import _auth, _redrock
from ansible_collections.cyberark_community.identity.plugins.module_utils._connection_spec import connection_default
from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import (
    AmbiguousWriteError,
    ApiError,
    AuthenticationError,
    ConfigurationError,
)
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._session import TokenSession, make_transport
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._transport import Transport
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._urls import normalize_allowed_hosts, normalize_tenant_url

AUTH_METHODS = ("access_token", "oauth_app", "client_credentials", "password")
PAGES_AHEAD = 4  # Redrock pages in flight at once, after the first page has told the row count


@dataclasses.dataclass
class ConnectionOptions:
    """The flat connection options of every module (see the ``connection`` doc fragment); the defaults are the argument
    spec's (``_connection_spec``), for a client made without AnsibleModule."""

    tenant_url: str | None = None
    client_id: str | None = None
    client_secret: str | None = None
    login_username: str | None = None
    login_password: str | None = None
    oauth_app_id: str | None = None
    access_token: str | None = None
    validate_certs: bool = connection_default("validate_certs")
    ca_path: str | None = None
    timeout: int = connection_default("timeout")
    retries: int = connection_default("retries")
    allowed_redirect_hosts: list[str] = dataclasses.field(default_factory=list)
    max_requests_per_second: float | None = None

    @classmethod
    def from_params(cls, params: t.Mapping[str, t.Any]) -> ConnectionOptions:
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in params.items() if k in names and v is not None})

    def auth_method(self) -> str:
        """Which login the options select; precedence documented in the doc fragment.

        Raises ConfigurationError naming what is missing.
        """
        if self.access_token:
            return "access_token"
        if self.client_id or self.client_secret:
            if not (self.client_id and self.client_secret):
                missing = "client_secret" if self.client_id else "client_id"
                raise ConfigurationError(f"{missing} is required with {'client_id' if self.client_id else 'client_secret'}")
            return "oauth_app" if self.oauth_app_id else "client_credentials"
        if self.login_username or self.login_password:
            if not (self.login_username and self.login_password):
                missing = "login_password" if self.login_username else "login_username"
                raise ConfigurationError(f"{missing} is required with {'login_username' if self.login_username else 'login_password'}")
            return "password"
        raise ConfigurationError(
            "no credentials: give client_id and client_secret (a service user, recommended), "
            "login_username and login_password, or access_token (or the CYBERARK_IDENTITY_* environment variables)"
        )

    def has_credentials(self) -> bool:
        return any((self.access_token, self.client_id, self.client_secret, self.login_username, self.login_password))

    def login_name(self) -> str | None:
        """The login name the credentials belong to, when there is one."""
        if self.client_id and not self.oauth_app_id:
            return self.client_id
        return self.login_username


@dataclasses.dataclass(frozen=True)
class LoginResult:
    """What the login taught of the tenant besides a token, held by the client as ``login_result`` (tenant_url_facts
    reports it). Before any login: the given URL and nothing learnt.

    - ``base_url``: where every call goes; a username and password login moves it to the host ``StartAuthentication``
      redirected to (``PodFqdn``), the other logins leave the given URL;
    - ``redirects``: each redirect followed, ``{"from": url, "to": url}``, in order; from the password login, or from a
      first step without credentials (:meth:`IdentityClient.probe_start_authentication`) when no login redirected;
    - ``start_result``: the ``Result`` of the password login's ``StartAuthentication`` (``TenantId``...), else None.
    """

    base_url: str
    redirects: tuple[dict[str, str], ...] = ()
    start_result: dict[str, t.Any] | None = None


class IdentityClient(TokenSession):
    """Calls to one Identity tenant. Create with :meth:`from_options`; use as a context manager."""

    def __init__(self, options: ConnectionOptions, transport: Transport, warn: t.Callable[[str], None] | None = None) -> None:
        super().__init__(transport)
        self.options = options
        self.warn = warn or (lambda message: None)
        self.given_url = normalize_tenant_url(options.tenant_url or "")
        self.login_result = LoginResult(self.given_url)
        self.allowed_hosts = normalize_allowed_hosts(options.allowed_redirect_hosts)
        # Disputed readings (docs/api_sources.md) this tenant showed, such as {"redrock_or": "refused"}: later calls go
        # the way that worked, and each is warned about once, whatever thread met it.
        self.readings: dict[str, str] = {}
        self._readings_lock = threading.Lock()
        for secret in (options.client_secret, options.login_password, options.access_token):
            self.protect(secret)

    @property
    def base_url(self) -> str:
        """Where calls go: the given URL, or where the login was redirected (``login_result.base_url``)."""
        return self.login_result.base_url

    @classmethod
    def from_options(
        cls,
        options: ConnectionOptions,
        warn: t.Callable[[str], None] | None = None,
        require_credentials: bool = True,
        **transport_kwargs: t.Any,
    ) -> IdentityClient:
        """Build the client and its transport; checks options without touching the network."""
        if require_credentials or options.has_credentials():
            options.auth_method()
        if options.max_requests_per_second is not None and not options.max_requests_per_second > 0:
            raise ConfigurationError(f"max_requests_per_second must be a positive number (got {options.max_requests_per_second!r})")
        transport_kwargs.setdefault("max_requests_per_second", options.max_requests_per_second)
        transport = make_transport(options.timeout, options.retries, options.validate_certs, options.ca_path, warn,
                                   "validate_certs is false: the tenant's TLS certificate is not verified; use this only against a test tenant",
                                   **transport_kwargs)
        return cls(options, transport, warn)

    def url_for(self, path: str) -> str:
        return self.base_url + path

    # -- authentication -------------------------------------------------
    def _login(self, force: bool) -> _auth.Token:
        options = self.options
        method = options.auth_method()
        if method == "access_token":
            if force:
                raise AuthenticationError("the tenant refused the access_token (expired or revoked); obtain a new one")
            return _auth.given_token(options.access_token or "", self.transport)
        if method == "client_credentials":
            return _auth.client_credentials_token(self.transport, self.base_url, options.client_id or "", options.client_secret or "")
        if method == "oauth_app":
            return _auth.oauth_app_token(
                self.transport, self.base_url, options.oauth_app_id or "", options.client_id or "", options.client_secret or ""
            )
        token, started = _auth.password_login(self.transport, self.base_url, options.login_username or "", options.login_password or "",
                                              self.allowed_hosts)
        self.login_result = LoginResult(started.base_url, tuple(started.redirects), started.result)
        return token

    def probe_start_authentication(self, login: str) -> _auth.StartResult:
        """``StartAuthentication`` without answering it: learns redirects and the tenant ID with no secret sent (its
        redirects go to ``login_result`` when no login redirected)."""
        started = _auth.start_authentication(self.transport, self.given_url, login, self.allowed_hosts)
        if not self.login_result.redirects:
            self.login_result = dataclasses.replace(self.login_result, redirects=tuple(started.redirects))
        return started

    def met_reading(self, name: str, value: str, warning: str | None = None) -> None:
        """Record that the tenant reads a disputed detail as ``value``; ``warning`` (a reading to report) is given once."""
        with self._readings_lock:
            if self.readings.get(name) == value:
                return
            self.readings[name] = value
        if warning:
            self.warn(warning + "; please report it with playbooks/verify_tenant.yml's trace")

    def set_concurrency(self, requests_in_flight: int) -> None:
        """The most requests in flight at once; the transport starts below it, grows while answers stay fast, and
        halves on HTTP 429."""
        self.transport.limiter.configure(requests_in_flight)

    # -- calls ------------------------------------------------------------
    def call(
        self,
        path: str,
        body: t.Any = None,
        params: t.Mapping[str, t.Any] | None = None,
        method: str = "POST",
        idempotent: bool = True,
        landed: t.Callable[[], t.Any] | None = None,
        data: t.Mapping[str, t.Any] | None = None,
        files: t.Mapping[str, t.Any] | None = None,
    ) -> t.Any:
        """Call an authenticated endpoint and return its ``Result``.

        ``idempotent=False`` marks a write that must not be sent twice blindly;
        when its answer is lost, ``landed()`` is asked whether it was applied:
        a value other than None is returned as the result, None sends it again
        (once per retry). Without ``landed`` the ambiguity is raised.
        """
        attempts = 0
        while True:
            try:
                return self.request(path, body, params, method, idempotent, data=data, files=files)[1]
            except AmbiguousWriteError:
                if landed is None or attempts >= self.transport.retries:
                    raise
                attempts += 1
                outcome = landed()
                if outcome is not None:
                    return outcome

    def request(self, path: str, body: t.Any = None, params: t.Mapping[str, t.Any] | None = None, method: str = "POST",
                idempotent: bool = True, data: t.Mapping[str, t.Any] | None = None,
                files: t.Mapping[str, t.Any] | None = None) -> tuple[int, t.Any]:
        """One authenticated request: the HTTP status and the ``Result`` (see :meth:`call`, which settles lost writes)."""
        kwargs: dict[str, t.Any] = {}
        if body is not None:
            kwargs["json"] = body
        if params:
            kwargs["params"] = dict(params)
        if data is not None:
            kwargs["data"] = dict(data)
        if files is not None:
            kwargs["files"] = dict(files)
        response = self.send_authorized(method, path, idempotent=idempotent, **kwargs)
        return response.status_code, self.transport.unwrap(response, method, path)

    def query(self, script: str, page_size: int = _redrock.DEFAULT_PAGE_SIZE) -> t.Iterator[dict[str, t.Any]]:
        """Every row of a Redrock query, page by page (``POST /Redrock/query``)."""
        def fetch(page: int, size: int) -> t.Any:
            return self.call("/Redrock/query", {"Script": script, "args": _redrock.page_args(page, size)})
        # A task allowed several requests in flight reads a few pages at once; others page one at a time.
        return _redrock.iterate_pages(fetch, page_size, ahead=min(PAGES_AHEAD, self.transport.limiter.maximum))

    def delete(self, path: str, body: t.Any, gone_message_id: str) -> None:
        """Call a delete endpoint; an answer that the target is gone (``gone_message_id``) means the delete is done.

        A retried delete whose first attempt was applied gets exactly that answer.
        """
        try:
            self.call(path, body)
        except ApiError as exc:
            if exc.message_id != gone_message_id:
                raise
