# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Users as modules and lookups return them: query rows completed with each user's details and, on request, roles.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.

``CDirectoryService/GetUser`` has no bulk form in any public source, so the details are read concurrently; roles are
read role by role when the tenant has fewer roles than users were found.
"""

from __future__ import annotations

import typing as t

from ansible_collections.cyberark_community.identity.plugins.module_utils.client import _pool
from ansible_collections.cyberark_community.identity.plugins.module_utils.resources import _roles, _users

if t.TYPE_CHECKING:
    from ansible_collections.cyberark_community.identity.plugins.module_utils.client._client import IdentityClient


def concurrently(client: IdentityClient, ids: list[str], read: t.Callable[[str], t.Any], concurrency: int) -> dict[str, t.Any]:
    """``read(id)`` for every ID, ``concurrency`` in flight (the transport's limiter adapts below it)."""
    if not ids:
        return {}
    client.authenticate()  # once, before the workers start
    client.set_concurrency(concurrency)
    return dict(zip(ids, _pool.run_concurrently(read, ids, concurrency)))


def roles_of(client: IdentityClient, ids: list[str], concurrency: int) -> dict[str, list[str]]:
    """Role names by user ID: every role's members once when the tenant has fewer roles than users were found,
    else each user's roles."""
    roles = {name: role for name, role in _roles.all_roles(client).items() if name != _roles.EVERYBODY}
    if len(roles) >= len(ids):
        return concurrently(client, ids, lambda uid: _users.role_names(client, uid), concurrency)
    wanted = set(ids)
    held: dict[str, list[str]] = {}
    for name in sorted(roles):
        for uid in _roles.holders(client, str(roles[name]["id"])) & wanted:
            held.setdefault(uid, []).append(name)
    return held


def describe(client: IdentityClient, rows: list[dict[str, t.Any]], with_roles: bool, concurrency: int,
             with_attributes: bool = False, with_locks: bool = False, with_state: bool = True) -> list[dict[str, t.Any]]:
    """The users of ``rows`` (CDUser rows), in their order, with their details and, when asked, their roles. A user
    deleted between the query and the read of its details is left out: nothing the tenant shows describes it.

    ``with_state=False`` reads no details: the account state and the OAuth flag, which only ``GetUser`` carries (one
    request per user), are None, never guessed."""
    if with_state:
        details = concurrently(client, [str(row["ID"]) for row in rows], lambda uid: _users.get_details(client, uid), concurrency)
        rows = [row for row in rows if details[str(row["ID"])] is not None]
    ids = [str(row["ID"]) for row in rows]
    users = [_users.to_ansible(row, details[uid] if with_state else None) for row, uid in zip(rows, ids)]
    if with_roles:
        roles = roles_of(client, ids, concurrency)
        for user, uid in zip(users, ids):
            user["roles"] = roles.get(uid, [])
    if with_attributes:
        values = concurrently(client, ids, lambda uid: _users.read_attributes(client, uid), concurrency)
        for user, uid in zip(users, ids):
            user["attributes"] = values[uid]
    if with_locks:
        locks = concurrently(client, ids, lambda uid: (_users.cloud_locked(client, uid), _users.locked_out_by_policy(client, uid)),
                             concurrency)
        for user, uid in zip(users, ids):
            user["cloud_locked"], user["locked_out_by_policy"] = locks[uid]
    return users
