# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Identity endpoints. Each handler takes the simulator and the request context and returns a Reply.

Routes map a normalised path (lower case, no trailing slash, no ``/api/idadmin``
prefix) to ``(kind, needs_token, handler)``; kind is ``read``, ``write`` or ``auth``.
"""

from __future__ import annotations

import base64
import re
import sqlite3
import time
import uuid

from . import directory_api, directory_query, import_api, passwords, redrock_dialect, wire
from .state import CNAME_DOMAIN
from .wire import fail, ok, oauth_error

LOGIN_FAILED = "Authentication (login or challenge) has failed. Please try again or contact your system administrator."
START_AUTH_FIELDS = {"User", "Version", "TenantId", "PlatformTokenResponse", "MfaRequestor", "AssociatedEntityType"}
ADVANCE_AUTH_FIELDS = {"SessionId", "MechanismId", "Action", "Answer", "TenantId", "PersistentLogin"}
OAUTH_FIELDS = {"grant_type", "client_id", "client_secret", "scope"}
PAGE_ARGS = {"PageNumber", "PageSize", "Limit", "Caching", "SortBy", "Direction", "Ascending", "FilterBy", "FilterValue", "FilterQuery"}
_PROMPTS = {"UP": "Password", "EMAIL": "Email", "SMS": "Text message", "OATH": "OATH OTP", "OTP": "Mobile authenticator", "SQ": "Security question"}


def _claims(sim, ctx, user: dict) -> dict:
    tenant = ctx.tenant
    claims = {
        "iss": sim.url(tenant.preferred_host()),
        "sub": user["Uuid"],
        "unique_name": user["Name"],
        "tenant_id": tenant.info["tenant_uuid"],
        "aud": "__idaptive_cybr_user_oidc",
        "auth_time": int(time.time()),
    }
    if tenant.info.get("kind") == "platform":
        claims.update(subdomain=tenant.info["subdomain"], platform_domain=tenant.info["platform_domain"])
    return claims


def _mechanism(name: str) -> dict:
    return {
        "Name": name,
        "AnswerType": "Text" if name in ("UP", "OATH", "SQ") else "StartOob",
        "PromptMechChosen": _PROMPTS.get(name, name),
        "PromptSelectMech": _PROMPTS.get(name, name),
        "MechanismId": uuid.uuid4().hex,
        "Enrolled": True,
    }


def start_authentication(sim, ctx):
    body = ctx.json(START_AUTH_FIELDS)
    login = body.get("User")
    if not isinstance(login, str) or not login:
        return fail("User is required.")
    tenant = ctx.tenant
    preferred = tenant.preferred_host()
    if ctx.host == tenant.hosts["system"] and preferred != ctx.host:
        # The system URL redirects to the preferred URL during authentication.
        return ok({"PodFqdn": preferred})
    user = tenant.find_user(login)
    factors = (user or {}).get("Mfa") or ["UP"]
    challenges = [{"Mechanisms": [_mechanism(name)]} for name in factors]
    session_id = uuid.uuid4().hex
    sim.sessions[session_id] = {"tenant": tenant, "user": user["Uuid"] if user else None, "challenges": challenges, "step": 0}
    return ok({
        "Version": "1.0", "SessionId": session_id, "AllowLoginMfaCache": False, "Challenges": challenges,
        "Summary": "NewPackage", "TenantId": tenant.info["tenant_id"],
    })


def advance_authentication(sim, ctx):
    body = ctx.json(ADVANCE_AUTH_FIELDS)
    session = sim.sessions.get(str(body.get("SessionId")))
    if session is None or session["tenant"] is not ctx.tenant:
        return fail("Session is invalid or expired.")
    step = session["step"]
    mechanisms = session["challenges"][step]["Mechanisms"]
    mechanism = next((m for m in mechanisms if m["MechanismId"] == body.get("MechanismId")), None)
    user = ctx.tenant.users.get(session["user"]) if session["user"] else None
    if mechanism is None or body.get("Action") != "Answer" or mechanism["Name"] != "UP":
        sim.sessions.pop(body.get("SessionId"), None)
        return fail(LOGIN_FAILED)
    locked = user is not None and (not user["Enabled"] or user["CloudLocked"] or user.get("LockedOutByPolicy") or user["State"] != "None")
    if user is None or not passwords.matches(user.get("password"), body.get("Answer")) or locked:
        sim.sessions.pop(body.get("SessionId"), None)
        return fail(LOGIN_FAILED)
    if step + 1 < len(session["challenges"]):
        session["step"] = step + 1
        return ok({"Summary": "StartNextChallenge"})
    sim.sessions.pop(body.get("SessionId"), None)
    ctx.tenant.record_login(user["Uuid"])
    lifetime = int(ctx.tenant.info["token_lifetime"])
    token = sim.issuer.issue(_claims(sim, ctx, user), lifetime)
    return ok({
        "Summary": "LoginSuccess", "Token": token, "Auth": uuid.uuid4().hex.upper(), "RefreshToken": uuid.uuid4().hex,
        "TokenLifetime": lifetime, "DisplayName": user.get("DisplayName"), "CustomerID": ctx.tenant.info["tenant_id"],
        "UserId": user["Uuid"], "PodFqdn": ctx.host, "User": user["Name"], "EmailAddress": user.get("Mail"),
    })


def _client_token(sim, ctx, client_id: str | None, client_secret: str | None, extra: dict | None = None):
    user = ctx.tenant.find_user(client_id or "")
    if user is None or not user.get("OauthClient") or not passwords.matches(user.get("password"), client_secret) or not user["Enabled"]:
        return oauth_error(401, "invalid_client", "Client authentication failed.")
    ctx.tenant.record_login(user["Uuid"])
    lifetime = int(ctx.tenant.info["token_lifetime"])
    body = {"access_token": sim.issuer.issue(_claims(sim, ctx, user), lifetime), "token_type": "Bearer", "expires_in": lifetime}
    body.update(extra or {})
    return wire.Reply(body)


def platform_token(sim, ctx):
    form = ctx.form(OAUTH_FIELDS)
    if form.get("grant_type") != "client_credentials":
        return oauth_error(400, "unsupported_grant_type", "grant_type must be client_credentials.")
    return _client_token(sim, ctx, form.get("client_id"), form.get("client_secret"))


def oauth_app_token(sim, ctx, app_id: str):
    form = ctx.form(OAUTH_FIELDS)
    if app_id.lower() not in ctx.tenant.oauth_apps:
        return oauth_error(400, "invalid_request", "Unknown application.")
    if form.get("grant_type") != "client_credentials":
        return oauth_error(400, "unsupported_grant_type", "grant_type must be client_credentials.")
    client_id, client_secret = form.get("client_id"), form.get("client_secret")
    header = ctx.headers.get("Authorization", "")
    if header.lower().startswith("basic "):
        try:
            client_id, _sep, client_secret = base64.b64decode(header[6:]).decode("utf-8").partition(":")
        except (ValueError, UnicodeError):
            return oauth_error(400, "invalid_request", "Malformed Basic credentials.")
    return _client_token(sim, ctx, client_id, client_secret, {"scope": form.get("scope") or "api"})


def about(sim, ctx):
    ctx.json(set())
    info = ctx.tenant.info
    return ok({"Version": info["version"], "PodRegion": info["region"], "PodFqdn": info["pod_fqdn"],
               "PodName": info["pod_name"], "CompanyName": info["company_name"]})


CNAME_CODES = {"System": 1, "Preferred": 2, "Other": 0}  # Bruno's Get example shows 1 for System; the rest INFERRED


def cnames_ui_get(sim, ctx):
    ctx.json(set())
    return _cname_table(sim, ctx)


def _cname_table(sim, ctx):
    numbers = sim.faults["readings"]["cname_type"] == "number"  # readings.py: cname_type
    rows = [{"ID": c["host"], "CnameType": CNAME_CODES[c["type"]] if numbers else c["type"],
             "IsCustom": True if c["custom"] else None, "ReadOnly": None}
            for c in ctx.tenant.cnames()]
    return ok(wire.table(rows, entity_type="TenantCname"))


CNAME_PREFIX = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")  # one DNS label (UNVERIFIED: no source shows the rule)
INVALID_OPERATION = "Operation is not valid due to the current state of the object."


def _cname_not_owned(value: str):
    # Bruno's SetPreferred error echoes the value it was sent.
    return fail(f"Tenant CNAME {value} belongs to a different tenant.", message_id="_I18N_TenantCnames.TenantCnameNotOwned",
                exception="TenantCnameNotOwnedException")


def cnames_register(sim, ctx):
    ctx.json(set(), known_query={"cnamePrefix"})
    prefix = str(ctx.query.get("cnamePrefix") or "").strip()
    tenant = ctx.tenant
    if tenant.info.get("kind") == "platform":
        # Bruno's only Register error, from a request to a Shared Services host: custom URLs are not supported there.
        return fail(INVALID_OPERATION, message_id="_I18N_System.InvalidOperationException", exception="System.InvalidOperationException")
    if not CNAME_PREFIX.match(prefix.lower()):
        return fail(f"{prefix!r} is not a valid tenant URL prefix.")
    host = f"{prefix.lower()}.{CNAME_DOMAIN}"
    owner = sim.world.tenant_for(host)
    if owner is not None and owner is not tenant:
        return _cname_not_owned(prefix)
    tenant.register_cname(host)
    return ok({})


def _custom_cname(sim, ctx) -> tuple[str, str | None]:
    """The value sent and the custom URL it names, read where the ``tenant_cnames_args`` reading says: the bare prefix
    in the query string (Bruno) or the full host name in a JSON body (IdentityCommand)."""
    body = ctx.json({"customCname"}, known_query={"customCname"})
    where = sim.faults["readings"]["tenant_cnames_args"]  # readings.py
    if where in ("query", "either") and "customCname" in ctx.query:
        value = str(ctx.query["customCname"]).strip()
        host = f"{value.lower()}.{CNAME_DOMAIN}" if value else ""
    elif where in ("body", "either"):
        value = str(body.get("customCname") or "").strip()
        host = value.lower()
    else:
        value, host = "", ""
    return value, host if host in ctx.tenant.custom_hosts() else None


def cnames_set_preferred(sim, ctx):
    value, host = _custom_cname(sim, ctx)
    if host is None:
        return _cname_not_owned(value)
    ctx.tenant.set_preferred(host)
    return _cname_table(sim, ctx)  # Bruno's example answers the URL table


def cnames_unregister(sim, ctx):
    value, host = _custom_cname(sim, ctx)
    if host is None:
        return _cname_not_owned(value)
    if host not in ctx.tenant.hosts["named"]:  # a simulator limit, said as one: a seeded custom URL is a listening address
        return fail(f"idsim: {host} is a seeded custom URL (a loopback address the simulator listens on); only custom URLs "
                    "registered through TenantCnames/Register can be removed")
    ctx.tenant.unregister_cname(host)
    return ok(None)


def cnames_get(sim, ctx):
    ctx.json(set())
    return ok([{"Cname": c["host"], "CnameType": CNAME_CODES[c["type"]]} for c in ctx.tenant.cnames()])


def _aliases(ctx, cds_only: bool):
    ctx.json(set())
    rows = [{"ID": s["name"], "CdsAlias": bool(s["cds"]), "ReplaceDomain": None}
            for s in ctx.tenant.login_suffixes if s["cds"] or not cds_only]
    return ok(wire.table(rows, entity_type="Alias"))


def cds_aliases(sim, ctx):
    return _aliases(ctx, cds_only=True)


def all_aliases(sim, ctx):
    return _aliases(ctx, cds_only=False)


# The tenant's administrative rights, portal name (Description) and Path: IdentityCommand Get-IDPermission and Centrify's
# Terraform provider run this stored script through Redrock (COMMUNITY, docs/api_sources.md).
SUPERRIGHTS_SCRIPT = re.compile(r"^\s*@/lib/get_superrights\.js\(excludeRight:'([^']*)'\)\s*$")


def _superrights(ctx, excluded: str, args: dict):
    rows = [{"Description": r["Description"], "Path": r["Path"]} for r in ctx.tenant.info.get("administrative_rights") or []
            if r["Path"] != excluded]
    try:
        size = int(args.get("PageSize") or 0) or None
        page = max(int(args.get("PageNumber") or 1), 1)
    except (TypeError, ValueError):
        return fail("PageSize and PageNumber must be numbers.")
    shown = rows[(page - 1) * size:page * size] if size else rows
    return ok(wire.table(shown, entity_type="SuperRight", key="Path", full_count=len(rows)))


def redrock_query(sim, ctx):
    body = ctx.json({"Script", "args", "Args"})
    args = body.get("args") or body.get("Args") or {}
    ctx.note_unknown({k for k in args if k not in PAGE_ARGS}, prefix="args.")
    script = body.get("Script")
    if not isinstance(script, str) or not script.strip():
        return fail("Script is required.")
    superrights = SUPERRIGHTS_SCRIPT.match(script)
    if superrights:
        return _superrights(ctx, superrights.group(1), args)
    try:
        page = int(args.get("PageNumber") or 1)
        size = int(args.get("PageSize") or 0) or None
        limit = int(args.get("Limit") or 0) or None
        if sim.faults["readings"]["redrock_or"] == "refused" and redrock_dialect.joins_with_or(script):
            redrock_dialect.check(script)  # a construct nobody shows is still recorded
            return fail("Query failed: SQL logic error near \"OR\": syntax error", exception="System.Data.SQLite.SQLiteException")
        reading = sim.faults["readings"]["redrock_limit"]
        return ok(sim.redrock(ctx.tenant).query(script, page, size, limit=limit, limit_reading=reading))
    except redrock_dialect.DialectError as exc:
        sim.record_unknown("/redrock/query", f"<script construct: {exc}>")  # the suite requires this record empty
        return fail(f"Query failed: {exc}", exception="System.Data.SQLite.SQLiteException")
    except (sqlite3.Error, ValueError) as exc:
        return fail(f"Query failed: {exc}", exception="System.Data.SQLite.SQLiteException")


def _user_result(tenant, user: dict) -> dict:
    return {
        "Uuid": user["Uuid"], "State": user["State"], "Name": user["Name"], "DisplayName": user["DisplayName"],
        "Mail": user["Mail"], "MobileNumber": user["MobileNumber"], "ReportsTo": user["ReportsTo"] or "Unassigned",
        "Alias": (user["Name"] or "").rpartition("@")[2], "InEverybodyRole": user["InEverybodyRole"],
        "OauthClient": bool(user["OauthClient"]), "Version": user["Version"], "CreateDate": wire.date(user["CreateDate"]),
        "LastModifiedDate": wire.date(user["LastModifiedDate"]),
    }


def get_user(sim, ctx):
    body = ctx.json({"ID"})
    user = ctx.tenant.users.get(str(body.get("ID")))
    return ok(_user_result(ctx.tenant, user)) if user else fail("User not found.", message_id="_I18N_UserNotFound")


def get_user_by_name(sim, ctx):
    body = ctx.json({"username"})
    name = body.get("username") or ctx.claims.get("unique_name")
    user = ctx.tenant.find_user(name)
    return ok(_user_result(ctx.tenant, user)) if user else fail("User not found.", message_id="_I18N_UserNotFound")


def logout(sim, ctx):
    ctx.json({"redirectUrl", "allowIWA"})
    return ok(None)


ROUTES = {
    "/security/startauthentication": ("auth", False, start_authentication),
    "/security/advanceauthentication": ("auth", False, advance_authentication),
    "/oauth2/platformtoken": ("auth", False, platform_token),
    "/security/logout": ("auth", True, logout),
    "/sysinfo/about": ("read", True, about),
    "/tenantcnames/uiget": ("read", True, cnames_ui_get),
    "/tenantcnames/get": ("read", True, cnames_get),
    "/tenantcnames/register": ("write", True, cnames_register),
    "/tenantcnames/setpreferred": ("write", True, cnames_set_preferred),
    "/tenantcnames/unregister": ("write", True, cnames_unregister),
    "/core/getcdsaliasesfortenant": ("read", True, cds_aliases),
    "/core/getaliasesfortenant": ("read", True, all_aliases),
    "/redrock/query": ("read", True, redrock_query),
    "/cdirectoryservice/getuser": ("read", True, get_user),
    "/cdirectoryservice/getuserbyname": ("read", True, get_user_by_name),
}
ROUTES.update(directory_api.ROUTES)
ROUTES.update(directory_query.ROUTES)
ROUTES.update(import_api.ROUTES)
PREFIX_ROUTES = {
    "/oauth2/token/": ("auth", False, oauth_app_token),
}
