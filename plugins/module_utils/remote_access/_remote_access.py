# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The Remote Access (formerly Alero) client: service-account login and ``/v2-edge`` reads.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.

Login (docs/api_sources.md, Remote Access rows): ``POST https://auth.<dc>/auth/realms/serviceaccounts/protocol/openid-connect/token``,
form ``grant_type=client_credentials`` with either a JWT-bearer assertion signed RS256 by the service
account's private key (``iss`` = ``sub`` = ``<tenant id>.<service account id>.ExternalServiceAccount``,
``aud`` = the realm URL, 300 s lifetime) or ``client_id`` / ``client_secret``. Calls go to
``https://api.<dc>/v2-edge/...`` with the bearer token. Retries, errors and secrets as in the Identity client.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import time
import traceback
import typing as t
import uuid

from ansible_collections.cyberark_community.identity.plugins.module_utils.client import _auth
from ansible_collections.cyberark_community.identity.plugins.module_utils._connection_spec import connection_default, remote_access_default
from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import ConfigurationError
from ansible_collections.cyberark_community.identity.plugins.module_utils import _paths
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._session import TokenSession, make_transport
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._transport import Transport
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._urls import host_of, normalize_allowed_hosts, normalize_tenant_url

CRYPTOGRAPHY_IMPORT_ERROR: str | None
try:
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding
except ImportError:  # pragma: no cover - reported when a private key is used
    CRYPTOGRAPHY_IMPORT_ERROR = traceback.format_exc()
else:
    CRYPTOGRAPHY_IMPORT_ERROR = None

DATA_CENTERS = {
    "us": "alero.io", "eu": "alero.eu", "ca": "ca.alero.io", "au": "au.alero.io",
    "uk": "uk.alero.io", "in": "in.alero.io", "sg": "sg.alero.io",
}
REALM_PATH = "/auth/realms/serviceaccounts"
TOKEN_PATH = REALM_PATH + "/protocol/openid-connect/token"
API_PREFIX = "/v2-edge"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
PAGE_LIMIT = 100
MAX_PAGES = 1000


@dataclasses.dataclass
class RemoteAccessOptions:
    """The flat Remote Access connection options (see the ``remote_access`` doc fragment)."""

    tenant_id: str | None = None
    service_account_id: str | None = None
    private_key: str | None = None
    client_id: str | None = None
    client_secret: str | None = None
    service_account_file: str | None = None
    data_center: str | None = None  # None: the service account file's host, else us
    api_url: str | None = None
    auth_url: str | None = None
    validate_certs: bool = remote_access_default("validate_certs")  # ra_validate_certs
    ca_path: str | None = None
    timeout: int = connection_default("timeout")  # the connection's timeout and retries, for both services
    retries: int = connection_default("retries")
    allowed_hosts: tuple[str, ...] = ()
    file_auth_url: str | None = None

    def load_file(self) -> None:
        """Fill unset options from the service-account file the portal downloads (either of its two forms)."""
        if not self.service_account_file:
            return
        try:
            with open(self.service_account_file, encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError) as exc:
            raise ConfigurationError(f"ra_service_account_file: cannot read {_paths.shown(self.service_account_file)}: "
                                     f"{exc.__class__.__name__}") from None
        self.service_account_id = self.service_account_id or data.get("serviceAccountId")
        self.private_key = self.private_key or data.get("privateKey")
        self.client_id = self.client_id or data.get("ClientID") or data.get("clientId")
        self.client_secret = self.client_secret or data.get("ClientSecret") or data.get("clientSecret")
        discovery = data.get("discoveryURI") or data.get("discoveryUri") or ""
        if discovery and not self.auth_url:
            # https://auth.<dc>/auth/realms/serviceaccounts/... -> the token host (docs/api_sources.md)
            self.file_auth_url = str(discovery).split(REALM_PATH, 1)[0].rstrip("/")

    def urls(self) -> tuple[str, str]:
        """(token host URL, API host URL) from the data center, or the explicit URLs (a private or test deployment).

        URLs the user gives must be https; the token URL read from the service account file must also lie under
        a Remote Access data center's domain or be listed in ``allowed_redirect_hosts``: the secret goes there.
        """
        domain = DATA_CENTERS.get((self.data_center or "us").lower())
        # Explicit options win: ra_auth_url, then ra_data_center, then the file's host, then the us data center.
        file_url = None if self.data_center else self.file_auth_url
        if domain is None and not (self.api_url and (self.auth_url or file_url)):
            raise ConfigurationError(f"ra_data_center must be one of {', '.join(sorted(DATA_CENTERS))} (got {self.data_center!r})")
        if self.auth_url:
            auth = normalize_tenant_url(self.auth_url, option="ra_auth_url")
        elif file_url:
            auth = _trusted_file_url(file_url, self.allowed_hosts)
        else:
            auth = f"https://auth.{domain}"
        derived = self.auth_url or file_url
        api = (normalize_tenant_url(self.api_url, option="ra_api_url") if self.api_url
               else auth.replace("://auth.", "://api.", 1) if derived else f"https://api.{domain}")
        return auth, api

    def data_center_used(self) -> str | None:
        """The data center whose hosts the module reaches, or None for a private deployment's URLs."""
        host = self.urls()[0].split("://", 1)[-1].split(":")[0].split("/")[0].lower()
        return next((name for name, domain in DATA_CENTERS.items() if host == "auth." + domain), None)

    def method(self) -> str:
        if self.private_key and self.service_account_id:
            if not self.tenant_id:
                raise ConfigurationError("ra_tenant_id is required with a private key: it names the service account in the assertion")
            return "private_key"
        if self.client_id and self.client_secret:
            return "client_secret"
        raise ConfigurationError(
            "no Remote Access credentials: give ra_service_account_file (the JSON file the portal downloads), "
            "or ra_service_account_id with ra_private_key and ra_tenant_id, or ra_client_id with ra_client_secret "
            "(or the CYBERARK_REMOTE_ACCESS_* environment variables)"
        )


def _trusted_file_url(url: str, allowed_hosts: t.Iterable[str]) -> str:
    """The token URL a service account file names, when the service account's secret may go there."""
    text = str(url).strip()
    if not text.lower().startswith("https://"):
        raise ConfigurationError(
            "ra_service_account_file: its discoveryURI does not use https://; the service account's secret is sent "
            "only over https (set ra_auth_url to override)"
        )
    auth = normalize_tenant_url(text, option="ra_service_account_file discoveryURI")
    host = host_of(auth)
    allowed = normalize_allowed_hosts(allowed_hosts)
    if not (any(host == d or host.endswith("." + d) for d in set(DATA_CENTERS.values())) or host in allowed):
        raise ConfigurationError(
            f"ra_service_account_file: its discoveryURI names {host}, which is not under a Remote Access data center's "
            f"domain ({', '.join(sorted(set(DATA_CENTERS.values())))}) nor listed in allowed_redirect_hosts; "
            "no secret was sent there"
        )
    return auth


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def signed_assertion(private_key_pem: str, subject: str, audience: str, now: float | None = None) -> str:
    """An RS256 JWT for the jwt-bearer client assertion."""
    if CRYPTOGRAPHY_IMPORT_ERROR is not None:
        raise ConfigurationError("signing the Remote Access login needs the Python library cryptography on the controller")
    try:
        key = serialization.load_pem_private_key(private_key_pem.encode("utf-8"), password=None)
    except (ValueError, TypeError):
        raise ConfigurationError("ra_private_key is not an unencrypted PEM private key") from None
    issued = int(now if now is not None else time.time())
    header = _b64(json.dumps({"alg": "RS256", "typ": "JWT"}).encode())
    claims = {"iss": subject, "sub": subject, "aud": audience, "iat": issued, "exp": issued + 300, "jti": uuid.uuid4().hex}
    payload = _b64(json.dumps(claims, separators=(",", ":")).encode())
    signature = key.sign(f"{header}.{payload}".encode(), padding.PKCS1v15(), hashes.SHA256())  # type: ignore[union-attr,call-arg]
    return f"{header}.{payload}.{_b64(signature)}"


class RemoteAccessClient(TokenSession):
    """Reads from one Remote Access tenant. No network I/O until the first call."""

    service = "Remote Access"

    def __init__(self, options: RemoteAccessOptions, transport: Transport) -> None:
        super().__init__(transport)
        self.options = options
        self.auth_url, self.api_url = options.urls()
        for secret in (options.private_key, options.client_secret):
            self.protect(secret)

    @classmethod
    def from_options(cls, options: RemoteAccessOptions, warn: t.Callable[[str], None] | None = None) -> RemoteAccessClient:
        options.load_file()
        options.method()
        transport = make_transport(options.timeout, options.retries, options.validate_certs, options.ca_path, warn,
                                   "ra_validate_certs is false: the Remote Access TLS certificates are not verified", prefix="ra_")
        return cls(options, transport)

    def url_for(self, path: str) -> str:
        return self.api_url + path

    def _login(self, force: bool) -> _auth.Token:
        options = self.options
        form = {"grant_type": "client_credentials"}
        if options.method() == "private_key":
            subject = f"{options.tenant_id}.{options.service_account_id}.ExternalServiceAccount"
            form.update(client_assertion_type=ASSERTION_TYPE,
                        client_assertion=signed_assertion(options.private_key or "", subject, self.auth_url + REALM_PATH))
        else:
            form.update(client_id=options.client_id or "", client_secret=options.client_secret or "")
        return _auth.form_token(self.transport, self.auth_url + TOKEN_PATH, TOKEN_PATH, form, "remote_access",
                                "Remote Access refused the service account; check the service account file, its tenant ID "
                                "and the data center")

    def get(self, path: str, params: dict[str, t.Any] | None = None) -> t.Any:
        """GET ``/v2-edge<path>``; one fresh login on 401."""
        response = self.send_authorized("GET", API_PREFIX + path, params=params)
        return self.transport.unwrap(response, "GET", API_PREFIX + path)

    def list(self, path: str, collection: str, params: dict[str, t.Any] | None = None) -> list[dict[str, t.Any]]:
        """Every item of a paged list (``offset``/``limit`` until ``totalCount``); stops if a page repeats."""
        items: list[dict[str, t.Any]] = []
        first_ids: set[str] = set()
        for page in range(MAX_PAGES):
            body = self.get(path, dict(params or {}, offset=page * PAGE_LIMIT, limit=PAGE_LIMIT)) or {}
            chunk = list(body.get(collection) or [])
            marker = json.dumps(chunk[0], sort_keys=True) if chunk else ""
            if not chunk or marker in first_ids:
                break
            first_ids.add(marker)
            items.extend(chunk)
            if len(items) >= int(body.get("totalCount") or 0):
                break
        return items
