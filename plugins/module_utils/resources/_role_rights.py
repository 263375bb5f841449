# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Administrative rights of roles: the tenant's list of rights, a role's rights, assigning and unassigning them.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.

The API names a right by its path (``/lib/rights/dsman.json``); the portal by a name (``User Management``). The
tenant's own list pairs them (Redrock's stored script ``@/lib/get_superrights.js``), so no table of names lives here.
A role's rights are read as CyberArk's Go SDK reads them: ``UserMgmt/DirectoryServiceQuery`` rows of the ``roles``
block carry ``AdministrativeRights[{Path, ServiceName}]`` (docs/api_sources.md, "Administrative rights").
"""

from __future__ import annotations

import json
import typing as t

from ansible_collections.cyberark_community.identity.plugins.module_utils.client import _redrock
from ansible_collections.cyberark_community.identity.plugins.module_utils.resources import _roles
from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import ConfigurationError, RightsUnreadable, is_refusal

if t.TYPE_CHECKING:
    from ansible_collections.cyberark_community.identity.plugins.module_utils.client._client import IdentityClient

CATALOG_SCRIPT = "@/lib/get_superrights.js(excludeRight:'')"
CLOUD_DIRECTORY = "CDS"
# idsec-sdk-golang reads every role in one DirectoryServiceQuery with these caps and never pages further.
DIRECTORY_QUERY_ROWS = _roles.DIRECTORY_QUERY_ROWS


def unreadable(exc: BaseException) -> bool:
    """Whether a failed read of rights means the rights cannot be read (refused, or answered without them), so that a
    task that does not manage rights may go on without them; transport and server failures are not."""
    return isinstance(exc, RightsUnreadable) or is_refusal(exc)


def is_path(entry: str) -> bool:
    """Whether an ``administrative_rights`` entry is a right's path (``/lib/rights/dsman.json``,
    ``ServiceRight/dpaShowTile``): the API names rights by paths, the portal's names hold no ``/``."""
    return "/" in entry


def catalog(client: IdentityClient) -> list[dict[str, str]]:
    """The tenant's administrative rights, ``[{"name", "path"}]`` sorted by name (one Redrock read)."""
    found = [{"name": str(row["Description"]), "path": str(row["Path"])}
             for row in client.query(CATALOG_SCRIPT) if row.get("Description") and row.get("Path")]
    return sorted(found, key=lambda right: right["name"].lower())


def resolve(known: list[dict[str, str]], wanted: t.Iterable[str]) -> tuple[list[dict[str, t.Any]], list[str], list[str]]:
    """``(rights, unknown, ambiguous)``: each wanted entry matched to a right of ``known`` by its path (exactly) or its
    portal name (without case). A path the list lacks is taken as given (``name: None``): a role may hold rights the
    list does not name. Names that match none are ``unknown``; a name that two rights of the list share is refused in
    ``ambiguous`` (``"<name> (<path>, <path>)"``), since which one is meant cannot be told."""
    by_name: dict[str, list[dict[str, str]]] = {}
    for right in known:
        by_name.setdefault(right["name"].lower(), []).append(right)
    by_path = {right["path"]: right for right in known}
    rights: list[dict[str, t.Any]] = []
    unknown, ambiguous = [], []
    for entry in wanted:
        named_as = by_name.get(entry.strip().lower()) or []
        right = by_path.get(entry)
        if right is None and len({r["path"] for r in named_as}) > 1:
            ambiguous.append(f"{entry} ({', '.join(sorted(r['path'] for r in named_as))})")
            continue
        right = right or (named_as[0] if named_as else None)
        if right is None and is_path(entry.strip()):
            right = {"name": None, "path": entry.strip()}
        if right is None:
            unknown.append(entry)
        elif right["path"] not in {r["path"] for r in rights}:
            rights.append(right)
    return rights, unknown, ambiguous


def named(known: list[dict[str, str]], paths: t.Iterable[str]) -> list[dict[str, t.Any]]:
    """``[{"name", "path"}]`` for paths a role holds, sorted by name; a path the tenant's list lacks keeps ``name: None``."""
    by_path = {right["path"]: right["name"] for right in known}
    return sorted(({"name": by_path.get(path), "path": path} for path in set(paths)),
                  key=lambda right: ((right["name"] or right["path"]).lower(), right["path"]))


def _directory_services(client: IdentityClient) -> list[str]:
    """The Cloud Directory's UUID, which DirectoryServiceQuery needs (``GET Core/GetDirectoryServices``, as both SDKs ask)."""
    found = [s["uuid"] for s in _roles.directory_services(client) if s["service"] == CLOUD_DIRECTORY]
    if not found:
        raise RightsUnreadable("Core/GetDirectoryServices lists no Cloud Directory (Service CDS): a role's rights cannot be read")
    return found


def _role_rows(client: IdentityClient, roles_filter: dict[str, t.Any], limit: int) -> list[dict[str, t.Any]]:
    body = {"directoryServices": _directory_services(client), "roles": json.dumps(roles_filter),
            "Args": {"PageNumber": 1, "PageSize": limit, "Limit": limit}}
    result = client.call("/UserMgmt/DirectoryServiceQuery", body) or {}
    block = result.get("roles") if isinstance(result, dict) else None
    if block is None:
        raise RightsUnreadable("UserMgmt/DirectoryServiceQuery answered without a roles block: a role's rights cannot be read")
    rows = _redrock.rows(block)
    full = block.get("FullCount")
    if isinstance(full, int) and full > len(rows):
        raise RightsUnreadable(f"UserMgmt/DirectoryServiceQuery announced {full} roles but answered {len(rows)}; "
                               "the rights of the others cannot be read")
    return rows


def _paths(row: dict[str, t.Any]) -> list[str]:
    return sorted({str(r["Path"]) for r in row.get("AdministrativeRights") or [] if isinstance(r, dict) and r.get("Path")})


def role_rights(client: IdentityClient, role_id: str) -> list[str]:
    """The paths of the rights a role holds (two requests: the directory services, then the role's row)."""
    # idsec-sdk-golang's filter: the role by name or by ID; the row whose _ID is the role's is the one.
    rows = _role_rows(client, {"_or": [{"Name": {"_eq": role_id}}, {"_ID": {"_eq": role_id}}]}, 1)
    row = next((r for r in rows if str(r.get("_ID")) == role_id), None)
    if row is None:
        raise RightsUnreadable(f"UserMgmt/DirectoryServiceQuery does not show the role {role_id}: its rights cannot be read")
    return _paths(row)


def all_role_rights(client: IdentityClient) -> dict[str, list[str]]:
    """The paths of every role's rights by role ID (two requests whatever the number of roles)."""
    return {str(row["_ID"]): _paths(row) for row in _role_rows(client, {}, DIRECTORY_QUERY_ROWS) if row.get("_ID")}


def _send(client: IdentityClient, path: str, role_id: str, rights: list[str]) -> None:
    if rights:
        client.call(path, [{"Role": role_id, "Path": right} for right in rights])


def assign(client: IdentityClient, role_id: str, paths: list[str]) -> None:
    """``SaasManage/AssignSuperRights``: a bare array of ``{"Role": <role ID>, "Path": <path>}``."""
    _send(client, "/SaasManage/AssignSuperRights", role_id, paths)


def unassign(client: IdentityClient, role_id: str, paths: list[str]) -> None:
    """``SaasManage/UnAssignSuperRights`` (idsec-sdk-golang RemoveAdminRights): the same array."""
    _send(client, "/SaasManage/UnAssignSuperRights", role_id, paths)


def unknown_error(option: str, unknown: list[str], known: list[dict[str, str]], ambiguous: list[str] = ()) -> ConfigurationError:
    problems = []
    if unknown:
        problems.append(f"{option}: the tenant has no administrative right named {', '.join(unknown)}; "
                        f"its rights are: {', '.join(r['name'] for r in known) or 'none listed'}")
    if ambiguous:
        problems.append(f"{option}: the tenant lists more than one right named {'; '.join(ambiguous)}: give the path of the one meant")
    return ConfigurationError("; ".join(problems))
