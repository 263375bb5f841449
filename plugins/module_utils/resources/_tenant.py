# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Tenant URL facts: what the tenant says about its URLs, suffixes and pod.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.

Endpoints (docs/api_sources.md): ``SysInfo/About``, ``TenantCnames/UiGet``,
``Core/GetCdsAliasesForTenant`` (authenticated) and ``Security/StartAuthentication``
(no credentials: it only names the tenant and redirects).
"""

from __future__ import annotations

import re
import typing as t

from ansible_collections.cyberark_community.identity.plugins.module_utils.client import _redrock
from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import AuthenticationError, IdentityError, RedirectError, TransportError
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._urls import (
    PLATFORM_ROOT_DOMAINS,
    classify_host,
    host_of,
    tenant_id_from_host,
    url_for_host,
)

if t.TYPE_CHECKING:
    from ansible_collections.cyberark_community.identity.plugins.module_utils.client._client import IdentityClient

_GENERATED_SUFFIX_RE = re.compile(r"^(cyberark|cyberarkgov)\.cloud\.\d+$")


def default_login_suffix(suffixes: list[str]) -> str | None:
    """The SDKs' rule: the generated ``cyberark.cloud.<digits>`` suffix, else one naming the platform domain, else the first."""
    for suffix in suffixes:
        if _GENERATED_SUFFIX_RE.match(suffix.lower()):
            return suffix
    for suffix in suffixes:
        if any(root in suffix.lower() for root in PLATFORM_ROOT_DOMAINS):
            return suffix
    return suffixes[0] if suffixes else None


NUMBERED_CNAME_TYPES = {1: "System"}  # Bruno's TenantCnames/Get example numbers the system URL 1; no source numbers the rest
UNKNOWN_CNAME_TYPE = "Unknown"
NAMED_CNAME_TYPES = {name.lower(): name for name in ("System", "Preferred", "Other")}


def cname_type(raw: t.Any) -> str:
    """``System``, ``Preferred`` or ``Other`` as UiGet names them; a number (docs/api_sources.md, reading
    ``cname_type``) as far as a source shows its meaning, else ``Unknown``."""
    if raw is None or raw == "":
        return "Other"
    text = str(raw).strip()
    if re.fullmatch(r"[+-]?[0-9]+", text):
        return NUMBERED_CNAME_TYPES.get(int(text), UNKNOWN_CNAME_TYPE)
    if text.lstrip("+-").isdigit():  # digits of another script: a number still, of no known meaning
        return UNKNOWN_CNAME_TYPE
    return NAMED_CNAME_TYPES.get(text.lower(), text)  # the names compare without case


def read_cnames(client: IdentityClient) -> list[dict[str, t.Any]]:
    """The tenant's URLs from ``TenantCnames/UiGet``: host, type (System, Preferred, Other), custom flag."""
    cnames = []
    for row in _redrock.rows(client.call("/TenantCnames/UiGet")):
        host = str(row.get("ID") or "").strip()
        if not host:
            continue
        kind = cname_type(row.get("CnameType"))
        cnames.append({
            "host": host.lower(),
            "url": url_for_host(host, client.given_url),
            "type": kind,
            "is_custom": kind != "System" if row.get("IsCustom") is None else _redrock.truth(row.get("IsCustom"), unknown=None),
            "read_only": _redrock.truth(row.get("ReadOnly"), unknown=None),
        })
    return cnames


def read_login_suffixes(client: IdentityClient) -> list[str]:
    """Cloud Directory login suffixes (``Core/GetCdsAliasesForTenant``)."""
    result = client.call("/Core/GetCdsAliasesForTenant")
    keys = _redrock.row_keys(result)
    return keys or [str(row["ID"]) for row in _redrock.rows(result) if row.get("ID")]


def read_about(client: IdentityClient) -> dict[str, t.Any]:
    """Pod, region, company and version (``SysInfo/About``)."""
    about = client.call("/SysInfo/About") or {}
    return {
        "pod_name": about.get("PodName"),
        "pod_fqdn": about.get("PodFqdn"),
        "region": about.get("PodRegion"),
        "company_name": about.get("CompanyName"),
        "version": about.get("Version"),
    }


def empty_facts(given_url: str) -> dict[str, t.Any]:
    """Every fact key, unknown; the result always has this shape."""
    return {
        "given_url": given_url,
        "tenant_id": None,
        "url_kind": "unknown",
        "is_system_url": None,
        "is_custom_url": None,
        "is_platform_url": classify_host(host_of(given_url)) == "platform",
        "system_url": None,
        "preferred_url": None,
        "custom_urls": [],
        "cnames": [],
        "redirect": {"observed": False, "from": None, "to": None, "chain": []},
        "api_url": given_url,
        "tenant_kind": "unknown",
        "custom_domains_supported": None,
        "pod_name": None,
        "pod_fqdn": None,
        "region": None,
        "company_name": None,
        "version": None,
        "login_suffixes": [],
        "default_login_suffix": None,
        "authenticated": False,
        "unknown": {},
    }


def tenant_kind(given_url: str, cnames: list[dict[str, t.Any]], claims: dict[str, t.Any]) -> str:
    """``platform`` (Shared Services), ``legacy`` (my.idaptive.app) or ``unknown``: by the given and system host
    names, or by the platform claims a Shared Services token carries."""
    hosts = [host_of(given_url)] + [c["host"] for c in cnames if c["type"] == "System"]
    kinds = {classify_host(h) for h in hosts}
    if "platform" in kinds or claims.get("platform_domain") or claims.get("subdomain"):
        return "platform"
    if "legacy" in kinds:
        return "legacy"
    return "unknown"


def _classify_given_url(facts: dict[str, t.Any]) -> None:
    given_host = host_of(facts["given_url"])
    match = next((c for c in facts["cnames"] if c["host"] == given_host), None)
    if match is not None:
        facts["url_kind"] = "system" if match["type"] == "System" else "custom"
    elif facts["cnames"]:
        facts["unknown"]["url_kind"] = "the given URL is not one of the tenant's URLs (TenantCnames)"
    elif facts["is_platform_url"]:
        facts["url_kind"] = "system"  # Shared Services tenants have no custom URLs
    elif classify_host(given_host) == "legacy" and facts["tenant_id"]:
        facts["url_kind"] = "system" if tenant_id_from_host(given_host) == str(facts["tenant_id"]).upper() else "custom"
    else:
        facts["unknown"]["url_kind"] = "needs credentials (the tenant's URL list) or a known URL pattern"
    if facts["url_kind"] != "unknown":
        facts["is_system_url"] = facts["url_kind"] == "system"
        facts["is_custom_url"] = facts["url_kind"] == "custom"


def _tenant_id_reasons(unknown: dict[str, str], authenticate: bool) -> list[str]:
    """Why no source named the tenant ID: what each source did, not what the options lacked when they did not."""
    reasons = [f"the login's first step: {unknown['redirect']}" if "redirect" in unknown
               else "the login's first step named none"]
    if not authenticate:
        reasons.append("the tenant's URL list needs credentials")
    elif "cnames" in unknown:
        reasons.append(f"the tenant's URL list could not be read: {unknown['cnames']}")
    else:
        reasons.append("the tenant's URL list names no host with a tenant ID")
    return reasons


def gather(client: IdentityClient, authenticate: bool, probe_login: str | None) -> dict[str, t.Any]:
    """All tenant URL facts the options allow; what could not be learned is listed in ``unknown`` with the reason."""
    facts = empty_facts(client.given_url)
    unknown = facts["unknown"]
    claims: dict[str, t.Any] = {}
    if probe_login and not (authenticate and client.options.auth_method() == "password"):
        try:
            started = client.probe_start_authentication(probe_login)
            facts["tenant_id"] = started.result.get("TenantId") or None
        except TransportError as exc:
            if not authenticate:
                raise  # no answer and no login to come: the tenant cannot be reached, which no fact can say
            unknown["redirect"] = f"StartAuthentication for {probe_login} failed: {exc.message}"
        except IdentityError as exc:
            hint = " (list the host in allowed_redirect_hosts if it is the tenant's)" if isinstance(exc, RedirectError) else ""
            unknown["redirect"] = f"StartAuthentication for {probe_login} failed: {exc.message}{hint}"
    elif not probe_login:
        unknown["redirect"] = "needs a login name (login_name, login_username or client_id) to start an authentication"
    if authenticate:
        token = client.authenticate()
        facts["authenticated"] = True
        claims = token.claims
        start_result = client.login_result.start_result
        if start_result:
            facts["tenant_id"] = start_result.get("TenantId") or facts["tenant_id"]
        for name, reader in (("cnames", read_cnames), ("login_suffixes", read_login_suffixes), ("about", read_about)):
            try:
                value = reader(client)
            except AuthenticationError:
                raise
            except IdentityError as exc:
                unknown[name] = exc.message
                continue
            if name == "about":
                facts.update(value)
            else:
                facts[name] = value
    else:
        for name in ("cnames", "login_suffixes", "pod_name", "region", "company_name", "version"):
            unknown[name] = "needs credentials"
    login = client.login_result  # what the login, or its first step alone, showed
    if login.redirects:
        facts["redirect"] = {
            "observed": True,
            "from": login.redirects[0]["from"],
            "to": login.redirects[-1]["to"],
            "chain": [r["to"] for r in login.redirects],
        }
    facts["api_url"] = login.base_url
    system = next((c for c in facts["cnames"] if c["type"] == "System"), None)
    preferred = next((c for c in facts["cnames"] if c["type"] == "Preferred"), None)
    facts["custom_urls"] = [c["url"] for c in facts["cnames"] if c["is_custom"]]
    if system:
        facts["system_url"] = system["url"]
        facts["tenant_id"] = facts["tenant_id"] or tenant_id_from_host(system["host"])
    numbered = [c for c in facts["cnames"] if c["type"] == UNKNOWN_CNAME_TYPE]
    if numbered and not preferred:
        unknown["preferred_url"] = (f"TenantCnames/UiGet numbered the type of {len(numbered)} URL(s) ({UNKNOWN_CNAME_TYPE} in "
                                    "cnames): only 1, the system URL, is shown by a source; please report it with "
                                    "playbooks/verify_tenant.yml's trace")
    elif preferred or system:
        facts["preferred_url"] = (preferred or system)["url"]
    elif facts["redirect"]["observed"]:
        facts["preferred_url"] = facts["redirect"]["to"]
    if not facts["tenant_id"] and facts["is_platform_url"]:
        # Shared Services tenants have no custom URLs, so the host's first label is the tenant ID; on
        # my.idaptive.app it could be a custom prefix.
        facts["tenant_id"] = tenant_id_from_host(host_of(client.given_url))
    if facts["tenant_id"] is None:
        unknown["tenant_id"] = "not named by the URL; " + "; ".join(_tenant_id_reasons(unknown, authenticate))
    _classify_given_url(facts)
    if facts["is_platform_url"] and not facts["system_url"]:
        facts["system_url"] = facts["given_url"]
    facts["tenant_kind"] = tenant_kind(facts["given_url"], facts["cnames"], claims)
    if facts["tenant_kind"] == "unknown":
        unknown["tenant_kind"] = ("the tenant's host names are under neither id.cyberark.cloud nor my.idaptive.app "
                                  "(a simulator, or a proxy in front of the tenant) and no token named its platform domain")
    facts["custom_domains_supported"] = {"platform": False, "legacy": True}.get(facts["tenant_kind"])
    if facts["custom_domains_supported"] is None:
        unknown["custom_domains_supported"] = "the tenant kind (Shared Services or legacy) could not be told"
    facts["default_login_suffix"] = default_login_suffix(facts["login_suffixes"])
    return facts
