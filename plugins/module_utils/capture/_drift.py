# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Drift: kept variables (and users file) against a fresh capture, per kind.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.

Words are from the tenant's side: ``added`` is in the tenant but not in the kept variables, ``removed`` is in the kept
variables but not in the tenant, ``changed`` is in both with different values. Names compare as the service compares
them: suffixes and login names without case, roles exactly; rights and groups without case.
"""

from __future__ import annotations

import typing as t

KINDS = ("login_suffixes", "roles", "users")
ROLE_LISTS = ("administrative_rights", "member_groups", "member_roles")
USER_TEXT = ("email", "display_name", "description", "office_number", "mobile_number", "home_number")
# import header -> the inline option it matches
HEADER_OPTIONS = {"Email Address": "email", "Display Name": "display_name", "Description": "description",
                  "Office Number": "office_number", "Mobile number": "mobile_number", "Home number": "home_number",
                  "Reports to": "reports_to", "Roles": "roles"}
FILE_ONLY_HEADERS = ("Login Name", "Expiration Date", "Password", "Require Password Change", "Password Never Expires", "Previous Login Name")


def _role(entry: dict[str, t.Any]) -> dict[str, t.Any]:
    found: dict[str, t.Any] = {"description": str(entry.get("description") or "")}
    for key in ROLE_LISTS:
        values = entry.get(key) or []
        found[key] = sorted(str(v) if key == "member_roles" else str(v).lower() for v in values)
    return found


def _user(entry: dict[str, t.Any]) -> dict[str, t.Any]:
    found: dict[str, t.Any] = {key: str(entry.get(key) or "") for key in USER_TEXT}
    found["reports_to"] = str(entry.get("reports_to") or "").lower()
    found["roles"] = sorted(str(r) for r in entry.get("roles") or [])
    found["service_user"] = bool(entry.get("service_user"))
    found["oauth_client"] = bool(entry.get("oauth_client"))
    found["attributes"] = {str(k): str(v) for k, v in (entry.get("attributes") or {}).items() if v not in (None, "")}
    return found


def user_of_record(record: dict[str, str]) -> dict[str, t.Any]:
    """An import record as an inline user (the form both sides are compared in)."""
    user: dict[str, t.Any] = {"name": record.get("Login Name", "")}
    for header, option in HEADER_OPTIONS.items():
        user[option] = record.get(header, "")
    user["roles"] = [r.strip() for r in str(user["roles"]).split(",") if r.strip()]
    user["attributes"] = {k: v for k, v in record.items() if k not in HEADER_OPTIONS and k not in FILE_ONLY_HEADERS and v}
    return user


def state_of(variables: dict[str, t.Any], records: list[dict[str, str]]) -> dict[str, dict[str, t.Any]]:
    """``{kind: {key: comparable value}}`` of variables in identity_onboarding's form and import records."""
    users = list(variables.get("identity_onboarding_users") or []) + [user_of_record(r) for r in records]
    return {
        "login_suffixes": {str(s).lower(): None for s in variables.get("identity_onboarding_login_suffixes") or []},
        "roles": {str(r["name"]): _role(r) for r in variables.get("identity_onboarding_roles") or [] if isinstance(r, dict) and r.get("name")},
        "users": {str(u["name"]).lower(): _user(u) for u in users if isinstance(u, dict) and u.get("name")
                  and str(u.get("state") or "present") == "present"},
    }


def compare(kept: dict[str, dict[str, t.Any]], tenant: dict[str, dict[str, t.Any]], kinds: t.Iterable[str] = KINDS
            ) -> dict[str, dict[str, list[str]]]:
    """Per kind, ``added`` / ``removed`` / ``changed`` names (sorted); only the kinds asked for."""
    drift = {}
    for kind in kinds:
        if kind not in KINDS:
            continue
        old, new = kept.get(kind, {}), tenant.get(kind, {})
        drift[kind] = {"added": sorted(set(new) - set(old), key=str.lower), "removed": sorted(set(old) - set(new), key=str.lower),
                       "changed": sorted((k for k in set(old) & set(new) if old[k] != new[k]), key=str.lower)}
    return drift


def drifted(drift: dict[str, dict[str, list[str]]]) -> bool:
    return any(names for kind in drift.values() for names in kind.values())
