# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Remote Access side: service-account token endpoint, ``/v2-edge`` reads, and the portal's Identity SSO step.

The integration settings have no public endpoint (REMOTE_ACCESS_API.md §5.2); the portal step lives only under
``/_sim/ra/`` so that nothing can mistake it for a real CyberArk path.
"""

from __future__ import annotations

import base64
import json
import time
import uuid

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from . import passwords
from .wire import Reply

REALM = "/auth/realms/serviceaccounts"
TOKEN_PATH = REALM + "/protocol/openid-connect/token"
SYNC_TYPES = ("IdaptiveVendorSync", "IdaptiveRoleSync")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def problem(status: int, title: str, detail: str) -> Reply:
    return Reply({"type": "about:blank", "title": title, "status": status, "detail": detail, "instance": None}, status=status)


class RemoteAccessTenant:
    """One Remote Access tenant with one service account (a key pair made at start) and its sites."""

    def __init__(self, seed: dict) -> None:
        self.tenant_id = seed.get("tenant_id", "0f1e2d3c4b5a69788796a5b4c3d2e1f0")
        self.hosts = seed.get("hosts", {"auth": "127.0.0.20", "api": "127.0.0.21"})
        self.identity_tenant_id = seed.get("identity_tenant_id", "ABC1234")
        self.service_account_id = seed.get("service_account_id", "9c1b7a51-0000-4000-8000-00000000a1e0")
        self.client_id = seed.get("client_id", f"{self.tenant_id}.client01")
        self.client_secret = seed.get("client_secret", "Ra-Client-S3cret!")
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.sites: list[dict] = []
        self.applications: dict[str, list[dict]] = {}
        self.activities: list[dict] = []
        self.integration: dict = {}

    def private_key_pem(self) -> str:
        return self.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()).decode("ascii")

    def service_account_file(self, auth_url: str) -> dict:
        return {"serviceAccountId": self.service_account_id, "privateKey": self.private_key_pem(),
                "discoveryURI": f"{auth_url}{REALM}/.well-known/openid-configuration"}

    def record(self, activity_type: str, **data) -> None:
        now = int(time.time() * 1000)
        self.activities.append({"activityType": activity_type, "activityData": dict(data, id=uuid.uuid4().hex, time=now)})

    def dump(self) -> dict:
        return {"tenant_id": self.tenant_id, "sites": self.sites, "applications": self.applications, "activities": self.activities,
                "integration": {k: v for k, v in self.integration.items() if k != "password"}}


def _verify_assertion(sim, ra: RemoteAccessTenant, assertion: str, audience: str) -> str | None:
    """None when the RS256 assertion is valid for this tenant's service account, else the reason."""
    try:
        header, payload, signature = assertion.split(".")
        claims = json.loads(_unb64(payload))
        ra.key.public_key().verify(_unb64(signature), f"{header}.{payload}".encode(), padding.PKCS1v15(), hashes.SHA256())
    except (ValueError, InvalidSignature):
        return "invalid client assertion"
    expected = f"{ra.tenant_id}.{ra.service_account_id}.ExternalServiceAccount"
    if claims.get("iss") != expected or claims.get("sub") != expected:
        return "unknown service account"
    if claims.get("aud") != audience:
        return "wrong audience"
    if not claims.get("exp") or claims["exp"] < time.time() or not claims.get("jti"):
        return "expired assertion"
    return None


def token(sim, ctx, ra: RemoteAccessTenant) -> Reply:
    form = ctx.form({"grant_type", "client_assertion_type", "client_assertion", "client_id", "client_secret"})
    if form.get("grant_type") != "client_credentials":
        return Reply({"error": "unsupported_grant_type", "error_description": "client_credentials only"}, status=400)
    if form.get("client_assertion"):
        reason = _verify_assertion(sim, ra, form["client_assertion"], sim.url(ra.hosts["auth"]) + REALM)
    elif form.get("client_id") == ra.client_id and form.get("client_secret") == ra.client_secret:
        reason = None
    else:
        reason = "invalid client credentials"
    if reason:
        return Reply({"error": "unauthorized_client", "error_description": reason}, status=401)
    access = sim.issuer.issue({"ra_tenant": ra.tenant_id, "azp": "serviceaccounts"}, 300)
    return Reply({"access_token": access, "expires_in": 300, "token_type": "Bearer", "scope": "profile"})


def api(sim, ctx, ra: RemoteAccessTenant, path: str) -> Reply:
    header = ctx.headers.get("Authorization", "")
    claims = sim.issuer.verify(header[7:]) if header.startswith("Bearer ") else None
    if not claims or claims.get("ra_tenant") != ra.tenant_id:
        return problem(401, "Unauthorized", "A valid bearer token is required.")
    if ctx.method != "GET":
        return problem(405, "Method Not Allowed", f"Request method '{ctx.method}' is not supported")
    offset, limit = int(ctx.query.get("offset") or 0), int(ctx.query.get("limit") or 100)
    parts = path.strip("/").split("/")
    if parts == ["v2-edge", "sites"]:
        ctx.note_unknown(set(ctx.query) - {"offset", "limit"}, prefix="?")
        return Reply({"sites": ra.sites[offset:offset + limit], "totalCount": len(ra.sites)})
    if len(parts) == 4 and parts[:2] == ["v2-edge", "sites"] and parts[3] == "applications":
        ctx.note_unknown(set(ctx.query) - {"offset", "limit"}, prefix="?")
        apps = ra.applications.get(parts[2])
        if apps is None:
            return problem(404, "Not Found", "Site not found")
        return Reply({"applications": apps[offset:offset + limit], "totalCount": len(apps)})
    if parts == ["v2-edge", "activities"]:
        ctx.note_unknown(set(ctx.query) - {"offset", "limit", "activityTypes", "fromTime", "toTime"}, prefix="?")
        if not ctx.query.get("activityTypes"):
            return problem(400, "Bad Request", "Required parameter 'activityTypes' is not present.")
        types = set(ctx.query["activityTypes"].split(","))
        since = int(ctx.query.get("fromTime") or 0)
        found = [a for a in ra.activities if a["activityType"] in types and a["activityData"]["time"] >= since]
        return Reply({"activities": found[offset:offset + limit], "totalCount": len(found)})
    return problem(404, "Not Found", f"No endpoint GET {path}.")


def portal_integrate(sim, ra: RemoteAccessTenant, body: dict) -> Reply:
    """What the portal does on Apply, Proceed and Authenticate to Identity (seed steps 4-8)."""
    identity = next((t for t in sim.world.tenants if t.info["tenant_id"] == ra.identity_tenant_id), None)
    if identity is None:
        return Reply({"error": "no Identity tenant linked"}, status=400)
    if body.get("identity_url") != sim.url(identity.hosts["system"]):
        return Reply({"error": "The CyberArk Identity URL must be the tenant ID URL; custom domains are not supported."}, status=400)
    user = identity.find_user(str(body.get("username") or ""))
    if user is None or not passwords.matches(user.get("password"), body.get("password")) or not user.get("ServiceUser"):
        return Reply({"error": "Authentication to CyberArk Identity failed for the integration user."}, status=400)
    settings = ("identity_url", "username", "login_via_identity_only", "reauthentication_interval_days", "vendor_web_apps_access", "built_in_role")
    ra.integration = {k: body.get(k) for k in settings}
    if not any(s["displayName"] == "Privilege Cloud" for s in ra.sites):
        site_id = uuid.uuid4().hex
        now = int(time.time() * 1000)
        ra.sites.append({"id": site_id, "displayName": "Privilege Cloud", "description": "Created by the Identity integration",
                         "type": "Identity", "createdByUserId": "system", "creationTime": now, "updatedByUserId": "system", "updateTime": now})
        ra.applications[site_id] = [{"id": uuid.uuid4().hex, "name": "Privilege Cloud", "authenticationMethod": "SAML",
                                     "internalUri": None, "externalUri": body.get("identity_url"), "enabled": True,
                                     "createdByUserId": "system", "creationTime": now}]
        ra.record("SiteCreated", siteId=site_id, siteName="Privilege Cloud")
    ra.record("SettingsUpdated")
    for kind in SYNC_TYPES:
        ra.record(kind)
    return Reply({"integrated": True})
