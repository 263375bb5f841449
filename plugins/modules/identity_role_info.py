#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: identity_role_info
short_description: Read CyberArk Identity roles, their administrative rights and their members
version_added: 1.0.0
description:
  - Lists the tenant's roles, or the roles named, with their descriptions, their administrative rights and, when asked,
    their members (users, directory groups and roles).
  - Reads only.
author:
  - CyberArk Community Identity maintainers (@cyberark-community)
options:
  name:
    description: Role names to read (exact, case-sensitive, as the tenant compares them). Names that do not exist are
      listed in RV(missing). Without it, every role is read.
    type: list
    elements: str
  with_members:
    description:
      - Whether each role's members are read too (users, groups and roles that hold it directly), one request per role
        (C(Roles/GetRoleMembers)).
    type: bool
    default: false
  with_rights:
    description:
      - Whether each role's administrative rights are read too (two requests for every role together, one more to
        name them).
      - With V(false) only the role table is read, so listing roles does not need the rights readable.
    type: bool
    default: true
    version_added: 2.0.0
extends_documentation_fragment:
  - cyberark_community.identity.connection
  - cyberark_community.identity.connection.modules
  - cyberark_community.identity.attributes
  - cyberark_community.identity.attributes.INFO
notes:
  - "Requests: one paged read of the role table (C(id), C(name), C(description)); with O(with_rights), two for every
    role's administrative rights together (C(Core/GetDirectoryServices), then one C(UserMgmt/DirectoryServiceQuery))
    and one for the tenant's list of rights, which names them, when any role holds a right; and with O(with_members)
    one request per role returned (C(Roles/GetRoleMembers)): C(members) is the only field that costs a request per role."
  - "A refused list of rights does not fail the task: the rights keep their paths with C(name) V(null), and a warning
    says why. Rights the tenant refuses to show fail the task; O(with_rights=false) lists the roles without them."
"""

EXAMPLES = r"""
- name: Every role of the tenant
  cyberark_community.identity.identity_role_info:
  register: tenant_roles

- name: Who holds Help Desk (its rights are not read)
  cyberark_community.identity.identity_role_info:
    name: Help Desk
    with_members: true
    with_rights: false
  register: help_desk

- name: Roles that grant User Management
  ansible.builtin.debug:
    msg: "{{ tenant_roles.roles | selectattr('administrative_rights', 'contains', {'name': 'User Management', 'path': '/lib/rights/dsman.json'})
      | map(attribute='name') | list }}"

- name: Show the members' login names
  ansible.builtin.debug:
    msg: "{{ help_desk.roles[0].members | selectattr('type', 'equalto', 'User') | map(attribute='name') | list }}"
"""

RETURN = r"""
roles:
  description: The roles found, sorted by name; C(members) only with O(with_members).
  returned: always
  type: list
  elements: dict
  sample:
    - {"id": "a3f1c2d4_5e6f_4a7b_8c9d_0e1f2a3b4c5d", "name": "Help Desk", "description": "First-line support",
       "administrative_rights": [{"name": "User Management", "path": "/lib/rights/dsman.json"}],
       "members": [{"id": "c2b5e7a0-1f7d-4c1e-9a55-0e8f4b6d2a11", "name": "jane.doe@acme.com", "type": "User"}]}
  contains:
    id:
      description: The role's ID.
      type: str
      sample: "a3f1c2d4_5e6f_4a7b_8c9d_0e1f2a3b4c5d"
    name:
      description: The role's name.
      type: str
      sample: "Help Desk"
    description:
      description: The role's description, V(null) when it has none.
      type: str
      sample: "First-line support"
    administrative_rights:
      description: The administrative rights the role grants, sorted by name, each with C(name) (as the Identity
        Administration portal shows it; V(null) when the tenant's list of rights does not name it) and C(path) (as the
        API names it).
      type: list
      elements: dict
      returned: when O(with_rights=true)
      sample: [{"name": "User Management", "path": "/lib/rights/dsman.json"}]
    members:
      description: Who holds the role directly - C(id), C(name) (a login name for a user) and C(type) (V(User), V(Group)
        or V(Role)).
      type: list
      elements: dict
      returned: when O(with_members=true)
      sample: [{"id": "c2b5e7a0-1f7d-4c1e-9a55-0e8f4b6d2a11", "name": "jane.doe@acme.com", "type": "User"}]
missing:
  description: Role names asked for that do not exist.
  returned: always
  type: list
  elements: str
  sample: ["Ghost Role"]
"""

import typing as t

from ansible_collections.cyberark_community.identity.plugins.module_utils.resources import _role_rights, _roles, _validate
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._client import IdentityClient
from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import ConfigurationError, IdentityError
from ansible_collections.cyberark_community.identity.plugins.module_utils._module import IdentityModule


def run(module: IdentityModule, client: IdentityClient) -> dict[str, t.Any]:
    names = module.params.get("name")
    problems = [f"name: {n[:40]!r} {_validate.control_error(n)}" for n in names or [] if _validate.control_error(n)]
    if problems:
        raise ConfigurationError("; ".join(problems))
    known = _roles.all_roles(client)
    wanted = sorted(known if names is None else {n for n in names if n in known})
    with_rights = module.params["with_rights"] and bool(wanted)
    rights, catalog = {}, []
    if with_rights:
        try:
            rights = _role_rights.all_role_rights(client)
        except IdentityError as exc:
            raise IdentityError(f"{exc.message}; with_rights=false lists the roles without them", **exc.details) from exc
    if any(rights.get(str(known[n]["id"])) for n in wanted):
        try:
            catalog = _role_rights.catalog(client)
        except IdentityError as exc:
            if not _role_rights.unreadable(exc):
                raise
            module.warn(f"the tenant's list of administrative rights cannot be read ({exc.message}); the rights are shown "
                        "by their paths, with name null")
    roles = []
    for name in wanted:
        role = dict(known[name])
        if module.params["with_rights"]:
            role["administrative_rights"] = _role_rights.named(catalog, rights.get(str(role["id"]), []))
        if module.params["with_members"]:
            role["members"] = _roles.members(client, str(role["id"]))
        roles.append(role)
    return {"changed": False, "roles": roles, "missing": [n for n in dict.fromkeys(names or []) if n not in known]}


def main() -> None:
    module = IdentityModule(
        argument_spec=dict(
            name=dict(type="list", elements="str"),
            with_members=dict(type="bool", default=False),
            with_rights=dict(type="bool", default=True),
        ),
        supports_check_mode=True,
    )
    module.execute(run)


if __name__ == "__main__":
    main()
