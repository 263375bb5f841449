#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: identity_role
short_description: Manage a CyberArk Identity role and its user members
version_added: 0.1.0
description:
  - Makes sure a role exists with a description, or is absent, and manages which users are its members.
  - Roles should exist before users are imported (CyberArk recommends creating roles, and assigning their web
    applications, before a bulk import), so this module is part of the onboarding flow.
author:
  - CyberArk Community Identity maintainers (@cyberark-community)
options:
  name:
    description: The role's name. Role names are case-sensitive.
    type: str
    required: true
  description:
    description: The role's description.
    type: str
  state:
    description: Whether the role exists.
    type: str
    choices: [present, absent]
    default: present
  members:
    description: Login names of users who should be members; every user must exist.
    type: list
    elements: str
  purge_members:
    description: Whether user members not listed in O(members) are removed. With V(false), O(members) are only added.
    type: bool
    default: false
extends_documentation_fragment:
  - cyberark_community.identity.connection
  - cyberark_community.identity.connection.modules
  - cyberark_community.identity.attributes
  - cyberark_community.identity.attributes.WRITER
notes:
  - Only user members are managed; groups and roles nested in the role are left alone.
"""

EXAMPLES = r"""
- name: Roles before the users
  cyberark_community.identity.identity_role:
    name: "{{ item }}"
    description: Created by Ansible
  loop: [Help Desk, Auditors]

- name: Exactly these members
  cyberark_community.identity.identity_role:
    name: Auditors
    members: [jane.doe@acme.com, john.roe@acme.com]
    purge_members: true

- name: Remove a role
  cyberark_community.identity.identity_role:
    name: Old Team
    state: absent
"""

RETURN = r"""
role:
  description: The role as the module leaves it (predicted in check mode); empty after deletion.
  returned: always
  type: dict
  contains:
    id:
      description: The role's ID (V(null) in check mode before creation).
      type: str
      sample: "6d4bf2a1-0c0e-4d33-9d7c-2f0b1a2c3d4e"
    name:
      description: The role's name.
      type: str
      sample: "Help Desk"
    description:
      description: The role's description.
      type: str
      sample: "First-line support"
    members:
      description: Login names of its user members.
      type: list
      sample: ["jane.doe@acme.com"]
      elements: str
actions:
  description: What the module did, or would do in check mode.
  returned: always
  type: list
  sample: ["create role", "add members: jane.doe@acme.com"]
  elements: str
"""

import typing as t

from ansible_collections.cyberark_community.identity.plugins.module_utils.resources import _compare, _plans, _roles, _users, _validate
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._client import IdentityClient
from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import ConfigurationError
from ansible_collections.cyberark_community.identity.plugins.module_utils._module import IdentityModule


def current_role(client: IdentityClient, name: str) -> dict[str, t.Any] | None:
    role = _roles.find_role(client, name)
    if role is None:
        return None
    users = [m["name"] for m in _roles.members(client, role["id"]) if m["type"] in ("User", None)]
    return {"id": role["id"], "name": role["name"], "description": role["description"], "members": sorted(users, key=str.lower)}


def input_errors(params: dict[str, t.Any]) -> list[str]:
    """Every problem with the options, each naming its option; checked before any request."""
    errors = []
    problem = _validate.role_name_error(params["name"])
    if problem:
        errors.append(f"name {problem}")
    if params.get("description") is not None and _validate.control_error(params["description"].replace("\n", " ")):
        errors.append(f"description {_validate.control_error(params['description'].replace(chr(10), ' '))}")
    for member in params.get("members") or []:
        problem = _validate.login_name_error(member)
        if problem:
            errors.append(f"members: {problem}")
    return errors


def run(module: IdentityModule, client: IdentityClient) -> dict[str, t.Any]:
    params = module.params
    current = current_role(client, params["name"])
    if params["state"] == "absent":
        if current is None:
            return {"changed": False, "role": {}, "actions": [], "diff": {"before": {}, "after": {}}}
        plan, after = _plans.RolePlan(name=current["name"], role_id=current["id"], delete=True), {}
    else:
        if params.get("members"):
            existing = _users.ids_by_name(client, params["members"])
            missing = [m for m in params["members"] if m.lower() not in existing]
            if missing:
                raise ConfigurationError(f"members: no user named {', '.join(missing)} exists")
        plan, after = plan_role(params, current)
    actions = plan.actions()
    if actions and not module.check_mode:
        role_id = plan.apply(client)
        if after:
            after["id"] = role_id
    return {"changed": bool(actions), "role": after, "actions": actions, "diff": {"before": current or {}, "after": after}}


def plan_role(params: dict[str, t.Any], current: dict[str, t.Any] | None) -> tuple[_plans.RolePlan, dict[str, t.Any]]:
    """The role's plan and how the role looks after it."""
    after = dict(current or {"id": None, "name": params["name"], "description": params.get("description"), "members": []})
    description = params.get("description")
    if current is not None and (description is None or (current["description"] or "") == description):
        description = None  # nothing to update
    mode = "exact" if params["purge_members"] else "append"
    to_add, to_remove = _compare.list_changes(after["members"], params.get("members"), mode, key=str.lower)
    plan = _plans.RolePlan(name=params["name"], role_id=after["id"], create=current is None, description=description,
                           add=to_add, remove=to_remove)
    if description is not None:
        after["description"] = description
    after["members"] = sorted(set(after["members"]) - set(to_remove) | set(to_add), key=str.lower)
    return plan, after


def main() -> None:
    module = IdentityModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            description=dict(type="str"),
            state=dict(type="str", default="present", choices=["present", "absent"]),
            members=dict(type="list", elements="str"),
            purge_members=dict(type="bool", default=False),
        ),
        supports_check_mode=True,
    )
    module.execute(run, checks=input_errors)


if __name__ == "__main__":
    main()
