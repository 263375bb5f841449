#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: identity_user_info
short_description: Find CyberArk Cloud Directory users
version_added: 0.1.0
description:
  - Finds Cloud Directory users by login name, by ID, or by a search text, reading every page of results.
  - Reads only.
author:
  - CyberArk Community Identity maintainers (@cyberark-community)
options:
  name:
    description: Login names to find (case-insensitive). Names that do not exist are listed in RV(missing).
    type: list
    elements: str
  id:
    description: User IDs to find.
    type: list
    elements: str
  search:
    description:
      - Text that the login name, display name or email address contains.
      - A backslash is refused (how the tenant's query language reads it is not documented), and C(%) and C(_) are
        dropped (they would be wildcards).
    type: str
  with_state:
    description:
      - Whether each user's C(account_state) and C(oauth_client) are read. Only C(CDirectoryService/GetUser) carries
        them, one request per user found (no public source shows a bulk read), O(concurrency) at a time.
      - V(false) reads the pages of the user query only (one request per O(page_size) users, the cheapest listing of a
        big tenant); C(account_state) and C(oauth_client) are then V(null), never guessed. Every other field comes from
        the pages.
    type: bool
    default: true
    version_added: 2.0.0
  with_roles:
    description:
      - Whether each user's roles are read too.
      - Read in bulk when that is cheaper - every role's members once (one request per role of the tenant) - else one
        request per user found.
    type: bool
    default: false
  with_attributes:
    description:
      - Whether each user's additional attributes (C(ExtData)) are read too, as C(attributes) in each of RV(users).
      - One C(ExtData/GetColumns) request per user found (no public source shows a bulk read), O(concurrency) at a time.
    type: bool
    default: false
    version_added: 2.0.0
  with_locks:
    description:
      - Whether each user's cloud lock and lockout by the tenant's policy are read too, as C(cloud_locked) and
        C(locked_out_by_policy) in each of RV(users) (see
        O(cyberark_community.identity.identity_user#module:cloud_lock)).
      - Two requests per user found (C(IsUserCloudLocked), C(IsUserLockedOutByPolicy)), O(concurrency) at a time.
    type: bool
    default: false
    version_added: 2.0.0
  concurrency:
    description:
      - How many per-user reads are in flight at once, from 1 to 64. With O(with_state), each user found costs one
        C(CDirectoryService/GetUser) (its account state and OAuth flag), which has no bulk form in any public source.
    type: int
    default: 16
  page_size:
    description: Rows asked for in each page.
    type: int
    default: 1000
extends_documentation_fragment:
  - cyberark_community.identity.connection
  - cyberark_community.identity.connection.modules
  - cyberark_community.identity.attributes
  - cyberark_community.identity.attributes.INFO
notes:
  - Users that match any of O(name), O(id) and O(search) are returned; without them, every Cloud Directory user is.
  - "Requests for N users: N divided by O(page_size) pages of the user query (up to 4 at once after the first), with
    O(with_state) (the default) N C(GetUser) reads sent O(concurrency) at a time, with O(with_roles) the smaller of one request per role of the tenant and one
    per user, with O(with_attributes) one more per user, and with O(with_locks) two more per user."
"""

EXAMPLES = r"""
- name: Find two users
  cyberark_community.identity.identity_user_info:
    name:
      - jane.doe@acme.com
      - john.roe@acme.com
  register: found

- name: Every user of a big tenant, from the pages of the user query alone (no account state)
  cyberark_community.identity.identity_user_info:
    with_state: false
  register: everyone

- name: Every user whose name or email holds "contractor"
  cyberark_community.identity.identity_user_info:
    search: contractor
    with_roles: true
  register: contractors
"""

RETURN = r"""
users:
  description:
    - The users found, in the shape M(cyberark_community.identity.identity_user) returns, sorted by login name.
    - C(roles) with O(with_roles), C(attributes) (every additional attribute the user holds) with O(with_attributes),
      C(cloud_locked) and C(locked_out_by_policy) with O(with_locks).
    - C(account_state) and C(oauth_client) are V(null) with O(with_state=false).
  returned: always
  type: list
  sample:
    - {"id": "c2b5e7a0-1f7d-4c1e-9a55-0e8f4b6d2a11", "name": "jane.doe@acme.com", "email": "jane.doe@acme.com",
       "display_name": "Jane Doe", "account_state": "enabled", "roles": ["Help Desk"]}
  elements: dict
missing:
  description: Names and IDs asked for that do not exist.
  returned: always
  type: list
  sample: ["ghost@acme.com"]
  elements: str
"""

import typing as t

from ansible_collections.cyberark_community.identity.plugins.module_utils.resources import _user_details, _users, _validate
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._client import IdentityClient
from ansible_collections.cyberark_community.identity.plugins.module_utils._module import IdentityModule


def matching_rows(client: IdentityClient, params: dict[str, t.Any]) -> list[dict[str, t.Any]]:
    """CDUser rows for the names, IDs and search text given (every user when none is given), sorted by login name."""
    page_size = params["page_size"]
    if not (params.get("name") or params.get("id") or params.get("search")):
        return _users.all_rows(client, page_size)
    rows: dict[str, dict[str, t.Any]] = {}
    if params.get("name"):
        rows.update({str(r["ID"]): r for r in _users.rows_by_name(client, params["name"]).values()})
    if params.get("id"):
        rows.update(_users.rows_by_id(client, params["id"]))
    if params.get("search"):
        rows.update({str(r["ID"]): r for r in _users.search_rows(client, params["search"], page_size)})
    return sorted(rows.values(), key=lambda r: str(r.get("Name") or "").lower())


MAX_PAGE_SIZE = 10_000
MAX_CONCURRENCY = 64


def input_errors(params: dict[str, t.Any]) -> list[str]:
    """Every problem with the options, each naming its option; checked before any request."""
    errors = []
    if not 1 <= params["concurrency"] <= MAX_CONCURRENCY:
        errors.append(f"concurrency must be between 1 and {MAX_CONCURRENCY} (got {params['concurrency']})")
    if not 1 <= params["page_size"] <= MAX_PAGE_SIZE:
        errors.append(f"page_size must be between 1 and {MAX_PAGE_SIZE:,} (got {params['page_size']})")
    for option in ("name", "id"):
        for value in params.get(option) or []:
            problem = _validate.control_error(value) or (
                f"is {len(value)} characters long; the most is {_validate.MAX_LOGIN_NAME}" if len(value) > _validate.MAX_LOGIN_NAME else None)
            if problem:
                errors.append(f"{option}: {value[:40]!r} {problem}")
    if params.get("search") is not None and _validate.control_error(params["search"]):
        errors.append(f"search {_validate.control_error(params['search'])}")
    return errors


def run(module: IdentityModule, client: IdentityClient) -> dict[str, t.Any]:
    params = module.params
    client.set_concurrency(params["concurrency"])  # the pages of the user query too: a few at once
    users = _user_details.describe(client, matching_rows(client, params), params["with_roles"], params["concurrency"],
                                   with_attributes=params["with_attributes"], with_locks=params["with_locks"],
                                   with_state=params["with_state"])
    found = {u["name"].lower() for u in users} | {str(u["id"]) for u in users}
    missing = [n for n in params.get("name") or [] if n.lower() not in found] + [i for i in params.get("id") or [] if i not in found]
    return {"changed": False, "users": users, "missing": missing}


def main() -> None:
    module = IdentityModule(
        argument_spec=dict(
            name=dict(type="list", elements="str"),
            id=dict(type="list", elements="str"),
            search=dict(type="str"),
            with_state=dict(type="bool", default=True),
            with_roles=dict(type="bool", default=False),
            with_attributes=dict(type="bool", default=False),
            with_locks=dict(type="bool", default=False),
            page_size=dict(type="int", default=1000),
            concurrency=dict(type="int", default=16),
        ),
        mutually_exclusive=[("name", "id")],
        supports_check_mode=True,
    )
    module.execute(run, checks=input_errors)


if __name__ == "__main__":
    main()
