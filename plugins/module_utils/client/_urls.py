# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Tenant URL parsing and classification.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.

Facts behind the rules (see docs/docsite/rst/tenant_urls.rst):
- a legacy tenant's system URL is ``<tenant id>.my.idaptive.app``; custom URLs
  are other prefixes of ``my.idaptive.app``; one of them may be preferred;
- a Shared Services (ISP) tenant's Identity URL is ``<tenant id>.id.cyberark.cloud``
  (``id.cyberarkgov.cloud`` in the government cloud) and custom domains are not
  supported there.
"""

from __future__ import annotations

import re
import typing as t
from urllib.parse import urlsplit, urlunsplit

from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import ConfigurationError, RedirectError

PLATFORM_IDENTITY_DOMAINS = ("id.cyberark.cloud", "id.cyberarkgov.cloud")
LEGACY_IDENTITY_DOMAIN = "my.idaptive.app"
PLATFORM_ROOT_DOMAINS = ("cyberark.cloud", "cyberarkgov.cloud")
PLATFORM_IDADMIN_PATH = "/api/idadmin"
# CyberArk's own service domains (idsec-sdk-golang pkg/models/common/idsec_env.go, ark-sdk-python
# common/env/ark_env_mapping.py): the only hosts a login is redirected to without the user's say-so.
SERVICE_DOMAINS = ("idaptive.app", "cyberark.cloud", "cyberarkgov.cloud")
ALLOWED_HOSTS_OPTION = "allowed_redirect_hosts"

_HOST_RE = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$")
_TENANT_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,62}$")


def normalize_tenant_url(url: str, option: str = "tenant_url") -> str:
    """Return ``scheme://host[:port][/path]`` for a tenant URL given with or without a scheme.

    Raises ConfigurationError naming ``option`` when the value is not a usable URL.
    """
    text = (url or "").strip()
    if not text:
        raise ConfigurationError(f"{option} is required: give the tenant URL, for example abc1234.id.cyberark.cloud")
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    if parts.scheme != "https":
        raise ConfigurationError(
            f"{option} must use https:// (got {parts.scheme}://): CyberArk's services answer over https only"
        )
    if parts.query or parts.fragment:
        raise ConfigurationError(f"{option} must not carry a query string or fragment: {url!r}")
    if parts.username or parts.password:
        raise ConfigurationError(f"{option} must not embed credentials; use the credential options instead")
    host = parts.hostname or ""
    if not _HOST_RE.match(host):
        raise ConfigurationError(f"{option} has no valid host name: {url!r}")
    try:
        port = parts.port
    except ValueError as exc:
        raise ConfigurationError(f"{option} has an invalid port: {url!r}") from exc
    netloc = host.lower() + (f":{port}" if port else "")
    path = parts.path.rstrip("/")
    return urlunsplit((parts.scheme, netloc, path, "", ""))


def host_of(url: str) -> str:
    """Lower-case host name of a normalised URL."""
    return (urlsplit(url).hostname or "").lower()


def url_for_host(host: str, like_url: str) -> str:
    """URL for a host named by the API (a ``PodFqdn`` or a tenant cname).

    The API names hosts without scheme or port. The result keeps the scheme, and
    the explicit port if any, of ``like_url`` (the URL the user gave), which
    changes nothing against a real tenant and lets a local test tenant work.
    A value that already carries a scheme is taken as is.
    """
    value = host.strip().rstrip("/")
    if "://" in value:
        return normalize_tenant_url(value, option="host")
    like = urlsplit(like_url)
    netloc = value.lower()
    if ":" not in netloc and like.port:
        netloc = f"{netloc}:{like.port}"
    return urlunsplit((like.scheme or "https", netloc, "", "", ""))


def normalize_allowed_hosts(values: t.Iterable[str] | None) -> tuple[str, ...]:
    """``allowed_redirect_hosts`` as lower-case host names; raises ConfigurationError on anything else."""
    hosts = []
    for value in values or ():
        host = str(value).strip().lower().rstrip(".")
        if not host:
            continue
        if not _HOST_RE.match(host):
            raise ConfigurationError(
                f"{ALLOWED_HOSTS_OPTION} takes host names without scheme, port or path (got {str(value)!r})"
            )
        hosts.append(host)
    return tuple(hosts)


def is_service_host(host: str) -> bool:
    """Whether ``host`` lies under one of CyberArk's service domains."""
    host = host.lower().rstrip(".")
    return any(host == domain or host.endswith("." + domain) for domain in SERVICE_DOMAINS)


def trusted_redirect(value: str, current_url: str, allowed_hosts: t.Iterable[str] = ()) -> str:
    """The URL a tenant's redirect (``PodFqdn``) names, when credentials may follow it there.

    Rules (docs/client.md): https only; no credentials or port other than the
    current URL's in the value; the host lies under CyberArk's service domains
    or is listed in ``allowed_redirect_hosts``. Raises RedirectError naming the
    host and the option before anything is sent there.
    """
    text = str(value).strip().rstrip("/")
    shown = text[:200]
    if "://" in text:
        parts = urlsplit(text)
        if parts.scheme.lower() != "https":
            raise RedirectError(
                f"the tenant redirected the login to {shown!r} over {parts.scheme or 'no scheme'}://; "
                "credentials are only sent over https, so the login stopped there"
            )
    else:
        parts = urlsplit("https://" + text)
    if parts.username or parts.password or parts.query or parts.fragment or parts.path not in ("", "/"):
        raise RedirectError(f"the tenant redirected the login to {shown!r}, which is not a host name; the login stopped there")
    host = (parts.hostname or "").lower()
    if not _HOST_RE.match(host):
        raise RedirectError(f"the tenant redirected the login to {shown!r}, which is not a host name; the login stopped there")
    try:
        port = parts.port
    except ValueError:
        port = -1
    current = urlsplit(current_url)
    if port is not None and port != (current.port or 443):
        raise RedirectError(
            f"the tenant redirected the login to {host} on port {port if port >= 0 else '(invalid)'}; "
            "a redirect keeps the tenant URL's port, so the login stopped there"
        )
    allowed = normalize_allowed_hosts(allowed_hosts)
    if not (is_service_host(host) or host in allowed):
        raise RedirectError(
            f"the tenant redirected the login to {host}, which is neither under CyberArk's service domains "
            f"({', '.join(SERVICE_DOMAINS)}) nor listed in {ALLOWED_HOSTS_OPTION}; no credentials were sent there. "
            f"If {host} is your tenant's host, add it to {ALLOWED_HOSTS_OPTION} "
            f"(or CYBERARK_IDENTITY_{ALLOWED_HOSTS_OPTION.upper()})"
        )
    netloc = host + (f":{current.port}" if current.port else "")
    return urlunsplit(("https", netloc, "", "", ""))


def classify_host(host: str) -> str:
    """``platform`` for a Shared Services Identity host, ``legacy`` for my.idaptive.app, else ``other``."""
    host = host.lower()
    if any(host.endswith("." + domain) for domain in PLATFORM_IDENTITY_DOMAINS):
        return "platform"
    if host.endswith("." + LEGACY_IDENTITY_DOMAIN):
        return "legacy"
    return "other"


def tenant_id_from_host(host: str) -> str | None:
    """The tenant ID a system or platform host name carries as its first label, when the pattern is known."""
    if classify_host(host) in ("platform", "legacy"):
        return host.split(".", 1)[0].upper()
    return None


def system_url_for_tenant_id(tenant_id: str, identity_domain: str = PLATFORM_IDENTITY_DOMAINS[0]) -> str:
    """The Identity URL built from a tenant ID (``<id>.id.cyberark.cloud`` by default)."""
    value = (tenant_id or "").strip()
    if not _TENANT_ID_RE.match(value):
        raise ConfigurationError(f"tenant_id must be letters, digits and dashes, for example ABC1234 (got {tenant_id!r})")
    return f"https://{value.lower()}.{identity_domain}"


def same_host(first: str, second: str) -> bool:
    """Whether two host names (or URLs) name the same host, case-insensitively."""
    def bare(value: str) -> str:
        value = value.strip().lower()
        if "://" in value:
            return host_of(value)
        return value.split(":", 1)[0].rstrip(".")
    return bare(first) == bare(second)
