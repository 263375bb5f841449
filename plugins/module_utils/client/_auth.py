# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Ways to obtain a bearer token from CyberArk Identity.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.

- service user, OAuth2 client credentials: ``POST /oauth2/platformtoken`` (form);
- confidential OAuth2 app: ``POST /OAuth2/Token/{app_id}`` (form, HTTP Basic credentials);
- username and password: ``POST /Security/StartAuthentication`` then
  ``/Security/AdvanceAuthentication``; a ``PodFqdn`` answer restarts the flow at
  that host (the system URL redirects to the preferred URL);
- an access token given as is.
Wire details and their sources: docs/api_sources.md.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import re
import time
import typing as t
from urllib.parse import quote as url_quote

from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import (
    ApiError,
    AuthenticationError,
    ConfigurationError,
    RedirectError,
    RetryExhaustedError,
    TransportError,
)
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._urls import host_of, trusted_redirect

if t.TYPE_CHECKING:
    from ansible_collections.cyberark_community.identity.plugins.module_utils.client._transport import Transport

START_AUTH = "/Security/StartAuthentication"
ADVANCE_AUTH = "/Security/AdvanceAuthentication"
PLATFORM_TOKEN = "/oauth2/platformtoken"
OAUTH_APP_TOKEN = "/OAuth2/Token/{app_id}"
MAX_REDIRECTS = 3
DEFAULT_TOKEN_LIFETIME = 3600
RENEWAL_MARGIN = 30.0
LOST_ANSWER_RESTARTS = 2
SERVICE_USER_HINT = (
    "use a service user (an OAuth confidential client) with client_id and client_secret, "
    "which authenticates without MFA"
)


@dataclasses.dataclass
class Token:
    """A bearer token and what we know about it; ``value`` is a secret."""

    value: str
    source: str
    token_type: str = "Bearer"
    expires_at: float | None = None
    claims: dict[str, t.Any] = dataclasses.field(default_factory=dict)
    margin: float = RENEWAL_MARGIN

    @property
    def header(self) -> str:
        return f"{self.token_type or 'Bearer'} {self.value}"

    def expiring(self, clock: t.Callable[[], float] = time.time) -> bool:
        return self.expires_at is not None and clock() >= self.expires_at - self.margin


def renewal_margin(lifetime: float) -> float:
    """Renew this long before expiry: 30 s, or a tenth of a shorter lifetime (a 30 s token is used for 27 s, not once)."""
    return min(RENEWAL_MARGIN, max(0.5, lifetime / 10.0))


@dataclasses.dataclass
class StartResult:
    """Where ``StartAuthentication`` finally answered, and what it said."""

    base_url: str
    result: dict[str, t.Any]
    redirects: list[dict[str, str]]


# What a token and its type can hold to travel in an HTTP header: printable ASCII without spaces (RFC 6750's b64token
# is narrower). Anything else would be refused by the HTTP layer with the token quoted in its error.
_HEADER_SAFE_RE = re.compile(r"[\x21-\x7e]+")
_NOT_A_TOKEN = "spaces, control or non-ASCII characters, which no bearer token holds"


def decode_claims(token: str) -> dict[str, t.Any]:
    """The payload of a JWT-shaped token, unverified (used for information only); ``{}`` if not a JWT."""
    parts = token.split(".")
    if len(parts) != 3:
        return {}
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload.encode("ascii")))
    except (ValueError, UnicodeError):
        return {}
    return claims if isinstance(claims, dict) else {}


def _make_token(value: t.Any, source: str, token_type: t.Any, lifetime: t.Any, transport: Transport) -> Token:
    if not isinstance(value, str) or not value:
        raise AuthenticationError(f"the tenant answered the {source} login without a token")
    transport.secrets.add(value)
    token_type = str(token_type or "Bearer")
    if not _HEADER_SAFE_RE.fullmatch(value) or not _HEADER_SAFE_RE.fullmatch(token_type):
        raise AuthenticationError(f"the tenant answered the {source} login with a token that holds {_NOT_A_TOKEN}; it was not used")
    claims = decode_claims(value)
    now = time.time()
    expires_at = None
    if isinstance(claims.get("exp"), (int, float)):
        expires_at = float(claims["exp"])
    elif isinstance(lifetime, (int, float)) or (isinstance(lifetime, str) and lifetime.isdigit()):
        expires_at = now + float(lifetime)
    else:
        expires_at = now + DEFAULT_TOKEN_LIFETIME
    return Token(value=value, source=source, token_type=token_type, expires_at=expires_at, claims=claims,
                 margin=renewal_margin(expires_at - now))


def given_token(value: str, transport: Transport) -> Token:
    """Wrap an access token the user obtained elsewhere, without the white space around it (a file's last line break)."""
    transport.secrets.add(value)
    value = value.strip()
    if not value:
        raise ConfigurationError("access_token holds only white space; give the token")
    if not _HEADER_SAFE_RE.fullmatch(value):
        raise ConfigurationError(f"access_token holds {_NOT_A_TOKEN}; give the token alone")
    token = _make_token(value, "access_token", "Bearer", None, transport)
    if not token.claims.get("exp"):
        token.expires_at = None  # unknown: used until the tenant refuses it
    return token


def form_token(transport: Transport, url: str, path: str, form: dict[str, str], source: str, refused: str,
               auth: t.Any = None) -> Token:
    """An OAuth2 token from a form POST (client credentials, JWT-bearer assertion). ``refused`` starts the message when
    the credentials are refused (HTTP 400, 401, 403); the rest of it says what to check."""
    response = transport.send(
        "POST", url, path=path.split("?")[0], data=form, auth=auth,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
    )
    try:
        body = transport.unwrap(response, "POST", path)
    except ApiError as exc:
        if exc.status in (400, 401, 403):
            prefix, _sep, hint = refused.partition("; ")
            raise AuthenticationError(
                f"{prefix} (HTTP {exc.status}" + (f": {exc.api_message}" if exc.api_message else "") + f"); {hint}",
                method="POST", path=exc.path, status=exc.status, api_message=exc.api_message, error_code=exc.error_code,
            ) from None
        raise
    if not isinstance(body, dict):
        raise AuthenticationError(f"the {source} login was answered with an unexpected body")
    return _make_token(body.get("access_token"), source, body.get("token_type"), body.get("expires_in"), transport)


def _oauth(transport: Transport, base_url: str, path: str, form: dict[str, str], source: str, auth: t.Any = None) -> Token:
    return form_token(transport, base_url + path, path, form, source,
                      f"the tenant refused the {source} credentials; check client_id (the service user's login name with its "
                      "suffix) and client_secret", auth=auth)


def client_credentials_token(transport: Transport, base_url: str, client_id: str, client_secret: str) -> Token:
    """OAuth2 client credentials for a service user at ``/oauth2/platformtoken``."""
    form = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": client_secret}
    return _oauth(transport, base_url, PLATFORM_TOKEN, form, "client_credentials")


def oauth_app_token(transport: Transport, base_url: str, app_id: str, client_id: str, client_secret: str) -> Token:
    """OAuth2 client credentials against a confidential OAuth2 app at ``/OAuth2/Token/{app_id}``."""
    path = OAUTH_APP_TOKEN.format(app_id=url_quote(app_id, safe=""))
    return _oauth(transport, base_url, path, {"grant_type": "client_credentials"}, "oauth_app", auth=(client_id, client_secret))


def _post_json(transport: Transport, base_url: str, path: str, body: dict[str, t.Any], idempotent: bool = True) -> t.Any:
    response = transport.send(
        "POST", base_url + path, path=path, json=body, headers={"OobIdPAuth": "true"}, idempotent=idempotent,
    )
    return transport.unwrap(response, "POST", path)


def start_authentication(transport: Transport, base_url: str, login: str, allowed_hosts: t.Iterable[str] = (),
                         max_redirects: int = MAX_REDIRECTS) -> StartResult:
    """``StartAuthentication`` for ``login``, following ``PodFqdn`` redirects (bounded, loops detected).

    A redirect is followed only to a trusted host (``_urls.trusted_redirect``); the host the user gave is one.
    Each restart uses a fresh cookie jar, as the API asks.
    """
    redirects: list[dict[str, str]] = []
    visited = [host_of(base_url)]
    allowed_hosts = tuple(allowed_hosts) + (visited[0],)
    # the body both SDKs send (ark_identity.py, idsec_identity.go), MfaRequestor included
    body = {"User": login, "Version": "1.0", "PlatformTokenResponse": True, "MfaRequestor": "DeviceAgent"}
    while True:
        result = _post_json(transport, base_url, START_AUTH, body)
        if not isinstance(result, dict):
            raise AuthenticationError("StartAuthentication answered with an unexpected result")
        pod = result.get("PodFqdn")
        if not pod or result.get("Challenges") or result.get("IdpRedirectUrl"):
            return StartResult(base_url=base_url, result=result, redirects=redirects)
        target = trusted_redirect(str(pod), base_url, allowed_hosts)
        if host_of(target) in visited:
            chain = " -> ".join(visited + [host_of(target)])
            raise RedirectError(f"authentication redirects loop: {chain}", redirects=redirects)
        if len(redirects) >= max_redirects:
            chain = " -> ".join(visited + [host_of(target)])
            raise RedirectError(f"authentication redirected more than {max_redirects} times: {chain}", redirects=redirects)
        redirects.append({"from": base_url, "to": target})
        visited.append(host_of(target))
        transport.reset_session()
        base_url = target


def _mechanism_names(challenge: dict[str, t.Any]) -> list[str]:
    return [str(m.get("Name")) for m in challenge.get("Mechanisms") or [] if m.get("Name")]


def password_login(transport: Transport, base_url: str, username: str, password: str,
                   allowed_hosts: t.Iterable[str] = ()) -> tuple[Token, StartResult]:
    """Username and password login; fails clearly on anything but a single password challenge.

    The answer to the password is sent once per session (a retry would find the session spent and look like a
    wrong password); when that answer is lost, the login starts again with a new session, a bounded number of times.
    """
    for attempt in range(LOST_ANSWER_RESTARTS + 1):
        started = start_authentication(transport, base_url, username, allowed_hosts)
        try:
            return _answer_password(transport, started, username, password), started
        except TransportError as exc:
            if attempt == LOST_ANSWER_RESTARTS:
                raise AuthenticationError(
                    f"no answer to the password for {username} after {attempt + 1} logins ({exc.message}); the password "
                    "was not refused: the network or the tenant failed, try again later",
                    method="POST", path=ADVANCE_AUTH,
                ) from None
    raise AssertionError("unreachable")  # pragma: no cover


def _answer_password(transport: Transport, started: StartResult, username: str, password: str) -> Token:
    result = started.result
    if result.get("IdpRedirectUrl"):
        raise AuthenticationError(
            f"{username} signs in through an external identity provider, which needs a browser; " + SERVICE_USER_HINT
        )
    challenges = result.get("Challenges") or []
    if not challenges:
        raise AuthenticationError(
            "StartAuthentication returned neither challenges nor a redirect: "
            "check that the user exists on this tenant and that tenant_url is right"
        )
    first = _mechanism_names(challenges[0])
    if "UP" not in first:
        raise AuthenticationError(
            f"the tenant asks {username} for {', '.join(first) or 'an unknown mechanism'} instead of a password; "
            + SERVICE_USER_HINT
        )
    if len(challenges) > 1:
        raise AuthenticationError(
            f"the tenant requires multi-factor authentication for {username} "
            f"(second challenge: {', '.join(_mechanism_names(challenges[1])) or 'unknown'}), which a playbook cannot answer; "
            + SERVICE_USER_HINT
        )
    mechanism = next(m for m in challenges[0]["Mechanisms"] if m.get("Name") == "UP")
    body = {
        "SessionId": result.get("SessionId"),
        "MechanismId": mechanism.get("MechanismId"),
        "Action": "Answer",
        "Answer": password,
    }
    try:
        advanced = _post_json(transport, started.base_url, ADVANCE_AUTH, body, idempotent=False)
    except RetryExhaustedError:
        raise  # throttled or unavailable: says so itself, and is no verdict on the password
    except ApiError as exc:
        raise AuthenticationError(
            f"the tenant refused the username or password for {username}"
            + (f": {exc.api_message}" if exc.api_message else ""),
            method="POST", path=ADVANCE_AUTH, status=exc.status, api_message=exc.api_message, error_id=exc.error_id,
        ) from None
    summary = (advanced or {}).get("Summary")
    if summary in ("LoginSuccess", "NoncommitalSuccess"):
        value = advanced.get("Token") or advanced.get("Auth")
        return _make_token(value, "password", "Bearer", advanced.get("TokenLifetime"), transport)
    if summary in ("StartNextChallenge", "OobPending", "NewPackage"):
        raise AuthenticationError(
            f"the tenant asks {username} for another authentication step ({summary}) after the password; " + SERVICE_USER_HINT
        )
    raise AuthenticationError(f"the tenant refused the username or password for {username} ({summary or 'no summary'})")
