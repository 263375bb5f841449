#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: identity_role
short_description: Manage a CyberArk Identity role, its administrative rights and its members
version_added: 0.1.0
description:
  - Makes sure a role exists with a description, or is absent; manages which administrative rights it grants and
    which users, directory groups and roles are its members.
  - Roles should exist before users are imported (CyberArk recommends creating roles, and assigning their web
    applications, before a bulk import), so this module is part of the onboarding flow.
  - A role with administrative rights is how users get a more limited set of rights than the System Administrator
    role (for example V(User Management) alone).
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
    description:
      - Whether the role exists.
      - With V(absent), O(administrative_rights), O(member_groups) and O(member_roles) are refused (a deleted role holds
        none).
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
  member_groups:
    description:
      - Names of directory groups (from Active Directory or LDAP; the Cloud Directory has no groups of its own) that
        should be members. Compared without case.
      - A group the role does not hold by that name is looked up first, as CyberArk's SDKs look directory entities up
        (C(UserMgmt/DirectoryServiceQuery) in the tenant's AdProxy, CDS and FDS directories); a group no directory shows
        by that name (its C(SystemName) or C(DisplayName)) fails the task before any write, in check mode too. A group
        the role holds under its other name is the same group, neither added again nor purged.
    type: list
    elements: str
  purge_member_groups:
    description: Whether groups not listed in O(member_groups) are removed. With V(false), O(member_groups) are only
      added.
    type: bool
    default: false
  member_roles:
    description: Names of roles (exact, case-sensitive) that should be members of this role; every role must exist.
    type: list
    elements: str
  purge_member_roles:
    description: Whether roles not listed in O(member_roles) are removed. With V(false), O(member_roles) are only added.
    type: bool
    default: false
  administrative_rights:
    description:
      - Administrative rights the role grants, by the names the Identity Administration portal shows (for example
        V(User Management), V(Application Management); compared without case) or by their paths (for example
        V(/lib/rights/dsman.json), V(ServiceRight/dpaShowTile)).
      - The names are read from the tenant's own list of rights, so every right the tenant offers can be named; a
        name the tenant does not list fails the task before any write, and the message lists the tenant's rights. A
        name two rights of the list share fails too, naming their paths.
      - An entry holding a V(/) is a path, taken as given even when the tenant's list does not name it (a role may
        hold such rights; list them to keep them under O(purge_administrative_rights)). Whether the tenant takes a path
        it does not list is its answer to give.
    type: list
    elements: str
  purge_administrative_rights:
    description: Whether rights not listed in O(administrative_rights) are taken from the role. With V(false),
      O(administrative_rights) are only added.
    type: bool
    default: false
extends_documentation_fragment:
  - cyberark_community.identity.connection
  - cyberark_community.identity.connection.modules
  - cyberark_community.identity.attributes
  - cyberark_community.identity.attributes.WRITER
notes:
  - "Requests on every run: the role table, the role's members, and its rights (two requests); the tenant's list of
    rights (one more) when the role holds rights or O(administrative_rights) is set; with O(member_groups), one
    C(Core/GetDirectoryServices) and one C(UserMgmt/DirectoryServiceQuery) for each group the role does not hold by that
    name. With
    O(state=absent) the rights are read only in diff mode. After a change the role is read again, and the task fails
    naming the option whose change the tenant does not show."
  - "When O(administrative_rights) is not set, rights the tenant refuses to show (or answers without) do not fail the
    task: RV(role.administrative_rights) is V(null), or a right the refused list of rights cannot name is shown by
    its path, and a warning says why. Deleting a role never needs its rights."
  - A failure after any write the tenant answered reports C(changed) and says which steps were done; the role is
    created first, then groups are added, then the description, the rights and the other members change.
  - Administrative rights are assigned with C(SaasManage/AssignSuperRights) and taken with
    C(SaasManage/UnAssignSuperRights); members are added and removed one kind (users, groups, roles) a request, as
    CyberArk's SDKs send them.
seealso:
  - module: cyberark_community.identity.identity_role_info
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

- name: A role with a limited set of administrative rights
  cyberark_community.identity.identity_role:
    name: User Administrators
    description: Manage users, nothing else
    administrative_rights: [Admin Portal Login, User Management]
    purge_administrative_rights: true

- name: Help Desk holds the Auditors role, and a directory group holds Help Desk
  cyberark_community.identity.identity_role:
    name: Help Desk
    member_roles: [Auditors]
    member_groups: [Helpdesk Staff]

- name: Remove a role
  cyberark_community.identity.identity_role:
    name: Old Team
    state: absent
"""

RETURN = r"""
role:
  description: The role as the tenant shows it after the run (predicted in check mode); empty after deletion.
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
    member_groups:
      description: Names of the directory groups that are members.
      type: list
      sample: ["Helpdesk Staff"]
      elements: str
    member_roles:
      description: Names of the roles that are members.
      type: list
      sample: ["Auditors"]
      elements: str
    administrative_rights:
      description: The administrative rights the role grants, by the names the tenant lists (a path when the tenant's
        list does not name it, or cannot be read), sorted; V(null) when the task does not set O(administrative_rights)
        and the role's rights cannot be read (a warning says why).
      type: list
      sample: ["Admin Portal Login", "User Management"]
      elements: str
actions:
  description: What the module did, or would do in check mode.
  returned: always
  type: list
  sample: ["create role", "assign administrative rights: Admin Portal Login, User Management", "add members: jane.doe@acme.com"]
  elements: str
"""

import typing as t

from ansible_collections.cyberark_community.identity.plugins.module_utils.resources import (
    _compare, _plans, _role_rights, _roles, _users, _validate,
)
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._client import IdentityClient
from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import ConfigurationError, IdentityError, TaskFailed
from ansible_collections.cyberark_community.identity.plugins.module_utils._module import IdentityModule

# option -> (the role's result key, the kind of member or None for rights, the purge option, how entries compare)
MANAGED = {
    "members": ("members", "User", "purge_members", str.lower),
    "member_groups": ("member_groups", "Group", "purge_member_groups", str.lower),
    "member_roles": ("member_roles", "Role", "purge_member_roles", str),
}
ABSENT_REFUSED = ("administrative_rights", "member_groups", "member_roles")


def current_role(client: IdentityClient, name: str, known: list[dict[str, str]] | None = None,
                 warn: t.Callable[[str], None] | None = None, rights: str = "needed") -> dict[str, t.Any] | None:
    """The role as the tenant shows it, or None. ``known`` is the tenant's list of rights, read here when the role holds
    rights and it was not read yet; the rights as ``{"name", "path"}`` are kept under ``_rights`` (not a result key).

    ``rights``: ``needed`` (the task sets them: a failed read fails), ``shown`` (a read refused, or answered without
    them, leaves ``administrative_rights`` null and warns; a refused list of rights leaves their names null and warns),
    ``skipped`` (not read: null)."""
    role = _roles.find_role(client, name)
    if role is None:
        return None
    kinds = _roles.members_by_kind(_roles.members(client, role["id"]))
    paths: list[str] | None = None
    if rights != "skipped":
        try:
            paths = _role_rights.role_rights(client, str(role["id"]))
        except IdentityError as exc:
            if rights == "needed" or not _role_rights.unreadable(exc):
                raise
            (warn or _ignore)(f"the administrative rights of role {name} cannot be read ({exc.message}); "
                              "administrative_rights is null in the result")
    if paths and known is None:
        try:
            known = _role_rights.catalog(client)
        except IdentityError as exc:
            if rights == "needed" or not _role_rights.unreadable(exc):
                raise
            (warn or _ignore)(f"the tenant's list of administrative rights cannot be read ({exc.message}); "
                              f"the rights of role {name} are shown by their paths")
            known = []
    held = None if paths is None else _role_rights.named(known or [], paths)
    return {"id": role["id"], "name": role["name"], "description": role["description"], "members": kinds["User"],
            "member_groups": kinds["Group"], "member_roles": kinds["Role"],
            "administrative_rights": None if held is None else [r["name"] or r["path"] for r in held], "_rights": held}


def _ignore(_message: str) -> None:
    return None


def once(warn: t.Callable[[str], None]) -> t.Callable[[str], None]:
    """``warn`` that says each message once (the role is read again after a change)."""
    said: set[str] = set()

    def say(message: str) -> None:
        if message not in said:
            said.add(message)
            warn(message)
    return say


def shown(role: dict[str, t.Any] | None) -> dict[str, t.Any]:
    """The role as results and diffs show it."""
    return {k: v for k, v in (role or {}).items() if not k.startswith("_")}


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
    for role in params.get("member_roles") or []:
        problem = _validate.role_name_error(role)
        if problem:
            errors.append(f"member_roles: {role[:40]!r} {problem}")
        elif role == params["name"]:
            errors.append(f"member_roles: {role!r} is the role itself; a role cannot be its own member")
    for option in ("member_groups", "administrative_rights"):
        for entry in params.get(option) or []:
            problem = "must not be empty" if not entry.strip() else _validate.control_error(entry)
            if problem:
                errors.append(f"{option}: {entry[:40]!r} {problem}")
    if params.get("state") == "absent":
        errors.extend(f"{option} has no meaning with state=absent (a deleted role holds nothing)"
                      for option in ABSENT_REFUSED if params.get(option) is not None)
    return errors


def wanted_rights(client: IdentityClient, params: dict[str, t.Any],
                  warn: t.Callable[[str], None]) -> tuple[list[dict[str, str]] | None, list[dict[str, t.Any]] | None]:
    """``(the tenant's list of rights, the rights asked for)``; neither is read when the task sets no rights. When every
    entry is a path, a refused list only costs the rights their names (a warning says so)."""
    if params.get("administrative_rights") is None:
        return None, None
    try:
        known = _role_rights.catalog(client)
    except IdentityError as exc:
        if not _role_rights.unreadable(exc) or not all(_role_rights.is_path(e.strip()) for e in params["administrative_rights"]):
            raise
        warn(f"the tenant's list of administrative rights cannot be read ({exc.message}); the rights are shown by their paths")
        known = []
    rights, unknown, ambiguous = _role_rights.resolve(known, params["administrative_rights"])
    if unknown or ambiguous:
        raise _role_rights.unknown_error("administrative_rights", unknown, known, ambiguous)
    return known, rights


def tenant_errors(client: IdentityClient, params: dict[str, t.Any]) -> None:
    """What only the tenant can refuse, checked before any write: users and roles named as members must exist."""
    if params.get("members"):
        existing = _users.ids_by_name(client, params["members"])
        missing = [m for m in params["members"] if m.lower() not in existing]
        if missing:
            raise ConfigurationError(f"members: no user named {', '.join(missing)} exists")
    if params.get("member_roles"):
        found = _roles.find_roles(client, params["member_roles"])
        missing = [r for r in params["member_roles"] if r not in found]
        if missing:
            raise ConfigurationError(f"member_roles: no role named {', '.join(missing)} exists")


def held_groups(client: IdentityClient, params: dict[str, t.Any], current: dict[str, t.Any] | None) -> dict[str, t.Any]:
    """``params`` with each group of ``member_groups`` as the role holds it: a group the role does not hold by that name
    is looked up before any write, as CyberArk's SDKs list directory entities, and one the directory shows under
    another name (``SystemName`` or ``DisplayName``) that the role holds is that held group, neither added again nor
    purged. A name no directory shows fails naming the option."""
    wanted = params.get("member_groups")
    if not wanted:
        return params
    held = {g.lower(): g for g in (current or {}).get("member_groups") or []}
    found = _roles.find_groups(client, [g for g in wanted if g.lower() not in held])
    missing = [g for g in wanted if g.lower() not in held and g.lower() not in found]
    if missing:
        raise ConfigurationError(f"member_groups: no directory group named {', '.join(missing)} is shown by the tenant's directories "
                                 "(UserMgmt/DirectoryServiceQuery in its AdProxy, CDS and FDS directories)")
    as_held = []
    for group in wanted:
        aliases = found.get(group.lower(), set())
        as_held.append(held.get(group.lower()) or next((held[a] for a in sorted(aliases) if a in held), group))
    return dict(params, member_groups=as_held)


def run(module: IdentityModule, client: IdentityClient) -> dict[str, t.Any]:
    params = module.params
    warn = once(module.warn)
    known = None
    if params["state"] == "absent":
        # Deleting needs no rights: they are read only for the diff, and a read that cannot show them only warns.
        current = current_role(client, params["name"], warn=warn, rights="shown" if module._diff else "skipped")
        if current is None:
            return {"changed": False, "role": {}, "actions": [], "diff": {"before": {}, "after": {}}}
        plan, after = _plans.RolePlan(name=current["name"], role_id=current["id"], delete=True), {}
    else:
        known, rights = wanted_rights(client, params, warn)
        tenant_errors(client, params)
        current = current_role(client, params["name"], known, warn, "needed" if rights is not None else "shown")
        params = held_groups(client, params, current)
        plan, after = plan_role(params, current, rights)
    actions = plan.actions()
    if actions and not module.check_mode:
        try:
            role_id = plan.apply(client)
        except IdentityError as exc:
            if not plan.done:
                raise
            raise TaskFailed(f"{exc.message}; done before the failure: {', '.join(plan.done)}", changed=True, actions=list(plan.done),
                             **({"error": exc.details} if exc.details else {})) from exc
        if after:
            after = settled(client, params, plan, str(role_id), known, warn)
    return {"changed": bool(actions), "role": shown(after), "actions": actions, "diff": {"before": shown(current), "after": shown(after)}}


def plan_role(params: dict[str, t.Any], current: dict[str, t.Any] | None,
              rights: list[dict[str, str]] | None = None) -> tuple[_plans.RolePlan, dict[str, t.Any]]:
    """The role's plan and how the role looks after it."""
    empty = {"id": None, "name": params["name"], "description": params.get("description"), "members": [], "member_groups": [],
             "member_roles": [], "administrative_rights": [], "_rights": []}
    after = dict(current or empty)
    description = params.get("description")
    if current is not None and (description is None or (current["description"] or "") == description):
        description = None  # nothing to update
    plan = _plans.RolePlan(name=params["name"], role_id=after["id"], create=current is None, description=description)
    if description is not None:
        after["description"] = description
    for option, (key, kind, purge, same) in MANAGED.items():
        mode = "exact" if params[purge] else "append"
        to_add, to_remove = _compare.list_changes(after[key], params.get(option), mode, key=same)
        removed = {same(v) for v in to_remove}
        after[key] = sorted([v for v in after[key] if same(v) not in removed] + to_add, key=str.lower)
        if kind == "User":
            plan.add, plan.remove = to_add, to_remove
        else:
            plan.members_add[kind], plan.members_remove[kind] = to_add, to_remove
    if after["_rights"] is None:  # not readable, and the task sets none
        return plan, after
    mode = "exact" if params["purge_administrative_rights"] else "append"
    plan.rights_add, plan.rights_remove = _compare.list_changes(after["_rights"], rights, mode, key=lambda r: r["path"])
    gone = {r["path"] for r in plan.rights_remove}
    held = {r["path"]: r for r in (current or empty)["_rights"] + plan.rights_add if r["path"] not in gone}
    after["_rights"] = sorted(held.values(), key=lambda r: ((r["name"] or r["path"]).lower(), r["path"]))
    after["administrative_rights"] = [r["name"] or r["path"] for r in after["_rights"]]
    return plan, after


def settled(client: IdentityClient, params: dict[str, t.Any], plan: _plans.RolePlan, role_id: str,
            known: list[dict[str, str]] | None, warn: t.Callable[[str], None]) -> dict[str, t.Any]:
    """The role read back after the writes; fails naming the option whose change the tenant does not show. Every
    failure here comes after writes the tenant answered: it reports ``changed``."""
    actions = plan.actions()
    try:
        role = current_role(client, params["name"], known, warn, "needed" if plan.rights_add or plan.rights_remove else "shown")
    except IdentityError as exc:
        raise TaskFailed(f"{exc.message}; the writes were answered ({', '.join(plan.done)}) but the role could not be read back",
                         changed=True, actions=actions, **({"error": exc.details} if exc.details else {})) from exc
    if role is None or str(role["id"]) != role_id:
        raise TaskFailed(f"name: the writes were answered, but the tenant does not show the role {params['name']}", changed=True,
                         actions=actions, role={})
    problems = []
    for option, (key, kind, _purge, same) in MANAGED.items():
        held = {same(v) for v in role[key]}
        added = plan.add if kind == "User" else plan.members_add.get(kind) or []
        removed = plan.remove if kind == "User" else plan.members_remove.get(kind) or []
        missing = [v for v in added if same(v) not in held] + [v for v in removed if same(v) in held]
        if missing:
            problems.append(f"{option}: the tenant does not show the change for {', '.join(missing)}")
    paths = {r["path"] for r in role["_rights"] or []}
    missing = [r["name"] or r["path"] for r in plan.rights_add if r["path"] not in paths]
    missing += [r["name"] or r["path"] for r in plan.rights_remove if r["path"] in paths]
    if missing:
        problems.append(f"administrative_rights: the tenant does not show the change for {', '.join(missing)}")
    if problems:
        raise TaskFailed(f"role {params['name']}: the writes were answered, but " + "; ".join(problems), changed=True, actions=actions,
                         role=shown(role))
    return role


def main() -> None:
    module = IdentityModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            description=dict(type="str"),
            state=dict(type="str", default="present", choices=["present", "absent"]),
            members=dict(type="list", elements="str"),
            purge_members=dict(type="bool", default=False),
            member_groups=dict(type="list", elements="str"),
            purge_member_groups=dict(type="bool", default=False),
            member_roles=dict(type="list", elements="str"),
            purge_member_roles=dict(type="bool", default=False),
            administrative_rights=dict(type="list", elements="str"),
            purge_administrative_rights=dict(type="bool", default=False),
        ),
        supports_check_mode=True,
    )
    module.execute(run, checks=input_errors)


if __name__ == "__main__":
    main()
