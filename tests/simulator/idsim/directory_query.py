# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""``Core/GetDirectoryServices`` and ``UserMgmt/DirectoryServiceQuery``: how CyberArk's SDKs resolve names to IDs.

Shapes as the official SDKs send and parse them (ark-sdk-python ``models/common/identity/ark_identity_directory_schemas``,
idsec-sdk-golang ``pkg/services/identity/directories``): filters arrive as strings holding JSON or, from ark-sdk-python,
a Python literal with single quotes; results come back in ``User``, ``Group`` and lower-case ``roles`` blocks.
"""

from __future__ import annotations

import ast
import json

from . import directory_api, wire
from .redrock import CDS_UUID
from .wire import fail, ok

QUERY_FIELDS = {"directoryServices", "user", "group", "roles", "Args", "args"}
ARGS = {"PageNumber", "PageSize", "Limit", "SortBy", "Caching", "Direction", "Ascending"}
SERVICES = [{"Service": "CDS", "directoryServiceUuid": CDS_UUID, "DisplayName": "CyberArk Cloud Directory", "Status": "Active",
             "Config": None}]
# The Active Directory (through a connector) the seeded directory groups come from: the Cloud Directory has no groups of
# its own, so a tenant whose seed lists groups shows this directory service too (Service AdProxy, the SDKs' name for it).
AD_UUID = "6B2A9D3E-41C7-4F0B-9E2A-1D5C7B8E0F34"
AD_SERVICE = {"Service": "AdProxy", "directoryServiceUuid": AD_UUID, "DisplayName": "corp.acme.local", "Status": "Active",
              "Config": None}


def services_of(tenant) -> list[dict]:
    return SERVICES + ([AD_SERVICE] if tenant.info.get("groups") else [])


def get_directory_services(sim, ctx):
    ctx.json(set())
    return ok(wire.table(services_of(ctx.tenant), entity_type="DirectoryService", key="directoryServiceUuid"))


def _filter(text, name: str):
    """A filter string as a dict; None when it cannot be read (a 400-style failure)."""
    if text in (None, ""):
        return {}
    if isinstance(text, dict):
        return text
    for parse in (json.loads, ast.literal_eval):
        try:
            value = parse(text)
        except (ValueError, SyntaxError):
            continue
        if isinstance(value, dict):
            return value
    raise ValueError(f"{name} is not a filter")


def _condition(value, operand) -> bool:
    text = "" if value is None else str(value)
    if isinstance(operand, dict) and set(operand) - {"_eq", "_like", "_end", "_ne"}:
        raise ValueError(f"unknown operator in {operand}")
    if not isinstance(operand, dict):
        return text.lower() == str(operand).lower()
    for operator, wanted in operand.items():
        ignore_case = True
        if isinstance(wanted, dict):
            ignore_case = bool(wanted.get("ignoreCase", True))
            wanted = wanted.get("value")
        left, right = (text.lower(), str(wanted).lower()) if ignore_case else (text, str(wanted))
        if operator == "_eq" and left != right:
            return False
        if operator == "_ne" and left == right:
            return False
        if operator == "_like" and not left.startswith(right):
            return False
        if operator == "_end" and not left.endswith(right):
            return False
    return True


def _matches(row: dict, condition: dict) -> bool:
    for field, operand in condition.items():
        if field == "_or":
            if not any(_matches(row, part) for part in operand):
                return False
        elif field == "_and":
            if not all(_matches(row, part) for part in operand):
                return False
        elif not _condition(row.get(field), operand):
            return False
    return True


def _block(rows: list[dict], condition: dict, args: dict) -> dict:
    matched = [r for r in rows if _matches(r, condition)]
    limit = int(args.get("Limit") or 0) or None
    size = int(args.get("PageSize") or 0) or None
    page = max(int(args.get("PageNumber") or 1), 1)
    if limit:
        matched = matched[:limit]
    shown = matched[(page - 1) * size:page * size] if size else matched
    return {"Results": [{"Row": r, "Entities": []} for r in shown], "FullCount": len(matched), "Count": len(shown)}


def directory_service_query(sim, ctx):
    body = ctx.json(QUERY_FIELDS)
    args = body.get("Args") or body.get("args") or {}
    ctx.note_unknown({k for k in args if k not in ARGS}, prefix="Args.")
    services = body.get("directoryServices")
    if not isinstance(services, list) or not services:
        return fail("directoryServices is required.")
    tenant = ctx.tenant
    cds = CDS_UUID in services
    ad = AD_UUID in services
    try:
        filters = {name: _filter(body.get(name), name) for name in ("user", "group", "roles") if name in body}
    except ValueError as exc:
        return fail(str(exc))
    with tenant.lock:
        users = [{"DisplayName": u["DisplayName"], "ServiceInstanceLocalized": "CyberArk Cloud Directory",
                  "DistinguishedName": u["Name"], "SystemName": u["Name"], "ServiceType": "CDS", "EMail": u["Mail"],
                  "InternalName": u["Uuid"], "Description": u["Description"]} for u in tenant.users.values()] if cds else []
        # GroupRow as both SDKs read it (DisplayName, SystemName, ServiceType, ServiceInstanceLocalized, InternalName)
        groups = [{"DisplayName": g["Name"], "SystemName": g["Name"], "ServiceType": "AdProxy",
                   "ServiceInstanceLocalized": AD_SERVICE["DisplayName"], "InternalName": g["Guid"], "DirectoryServiceUuid": AD_UUID}
                  for g in tenant.info.get("groups") or []] if ad else []
        roles = [{"Name": r["Name"], "_ID": r["ID"], "AdministrativeRights": directory_api.rights_rows(r), "IsHidden": False,
                  "Description": r["Description"], "RoleType": "PrincipalList"} for r in tenant.roles.values()]
    result = {}
    try:
        if "user" in filters:
            result["User"] = _block(users, filters["user"], args)
        if "group" in filters:
            result["Group"] = _block(groups, filters["group"], args)  # only a directory asked for answers its groups
        if "roles" in filters:
            result["roles"] = _block(roles, filters["roles"], args)
    except ValueError as exc:
        return fail(str(exc))
    except TypeError:
        return fail("PageNumber, PageSize and Limit must be numbers.")
    return ok(result)


ROUTES = {
    "/core/getdirectoryservices": ("read", True, get_directory_services),
    "/usermgmt/directoryservicequery": ("read", True, directory_service_query),
}
