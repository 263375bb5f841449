# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Custom tenant URLs: register one, make it the preferred URL, unregister it (``TenantCnames``).

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.

Only community sources show these calls, and they disagree on where ``SetPreferred`` and ``Unregister`` read their
argument (docs/api_sources.md, reading ``tenant_cnames_args``): the query string with the bare prefix, or a JSON body
with the full host name. A refusal of one form, which changes nothing, is followed by the other.
"""

from __future__ import annotations

import ipaddress
import re
import typing as t

from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import ApiError, is_refusal
from ansible_collections.cyberark_community.identity.plugins.module_utils.resources import _tenant

if t.TYPE_CHECKING:
    from ansible_collections.cyberark_community.identity.plugins.module_utils.client._client import IdentityClient

_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
READING = "tenant_cnames_args"
FORMS = {
    "query": "the bare prefix in the query string (?customCname=<prefix>, the API collection's form)",
    "body": 'the full host name in a JSON body ({"customCname": "<host>"}, the PowerShell module\'s form)',
}


def prefix_error(prefix: str) -> str | None:
    """Why ``prefix`` cannot be a custom URL's prefix (one DNS label), or None."""
    if not _LABEL.match(prefix):
        return (f"{prefix!r} is not a host name label: 1 to 63 letters, digits and hyphens, neither first nor last a "
                "hyphen, without dots (give the prefix, not the whole host name)")
    return None


def prefix_of(host: str | None) -> str | None:
    """A host name's first label (an address has none)."""
    if not host:
        return None
    try:
        ipaddress.ip_address(host)
        return None
    except ValueError:
        return host.split(".", 1)[0].lower()


def _domain(cname: dict[str, t.Any]) -> str | None:
    """The host name's domain (without its first label); None for an address."""
    host = cname["host"]
    return host.split(".", 1)[1] if prefix_of(host) and "." in host else None


def system_domain(cnames: list[dict[str, t.Any]]) -> str | None:
    """The domain of the system URL (``my.idaptive.app``); None when it is an address (a test tenant)."""
    return next((_domain(c) for c in cnames if c["type"] == "System"), None)


def domain_of(cnames: list[dict[str, t.Any]]) -> str | None:
    """The domain custom URLs are prefixes on: the system URL's, else that of a custom URL registered already; None
    when every URL is an address (a test tenant)."""
    return system_domain(cnames) or next((d for d in (_domain(c) for c in cnames if c["is_custom"]) if d), None)


def find(cnames: list[dict[str, t.Any]], prefix: str) -> dict[str, t.Any] | None:
    """The tenant's custom URL with this prefix: ``<prefix>.<the system URL's domain>``, so that a custom domain with
    the same first label (``login.acme-corp.com``) is never taken for it. A URL predicted in check mode is found by the
    prefix it was given."""
    domain = system_domain(cnames)
    for cname in cnames:
        if not cname["is_custom"]:
            continue
        if cname.get("prefix") == prefix or (prefix_of(cname["host"]) == prefix and (domain is None or cname["host"] == f"{prefix}.{domain}")):
            return cname
    return None


def shared_services(client: IdentityClient, cnames: list[dict[str, t.Any]]) -> bool:
    """Whether the tenant is a Shared Services one, where custom URLs are not supported."""
    return _tenant.tenant_kind(client.given_url, cnames, client.authenticate().claims) == "platform"


def register(client: IdentityClient, prefix: str) -> None:
    """``TenantCnames/Register?cnamePrefix=``: both community sources send the prefix in the query string."""
    client.call("/TenantCnames/Register", params={"cnamePrefix": prefix})


def set_preferred(client: IdentityClient, cname: dict[str, t.Any]) -> None:
    _send(client, "/TenantCnames/SetPreferred", cname)


def unregister(client: IdentityClient, cname: dict[str, t.Any]) -> None:
    _send(client, "/TenantCnames/Unregister", cname)


def _send(client: IdentityClient, path: str, cname: dict[str, t.Any]) -> None:
    """The form this tenant showed it reads, else the query string, then the JSON body when the first is refused."""
    order = ["body", "query"] if client.readings.get(READING) == "body" else ["query", "body"]
    refusals: list[ApiError] = []
    for form in order:
        try:
            if form == "query":
                client.call(path, params={"customCname": prefix_of(cname["host"])})
            else:
                client.call(path, {"customCname": cname["host"]})
        except ApiError as exc:
            if not is_refusal(exc):
                raise
            refusals.append(exc)
            continue
        if form != order[0]:
            client.met_reading(READING, form, f"POST {path} refused {FORMS[order[0]]} and took {FORMS[form]}; it goes "
                                              "that way from now on")
        return
    first_error = refusals[0]
    raise ApiError(f"{first_error.message}; public sources disagree on this call's argument, and the tenant refused both "
                   f"{FORMS['query']} and {FORMS['body']}", method="POST", path=path, status=first_error.status,
                   api_message=first_error.api_message, message_id=first_error.message_id, error_id=first_error.error_id)
