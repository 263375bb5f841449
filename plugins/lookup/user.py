# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: user
short_description: Read CyberArk Cloud Directory users by login name
version_added: 1.0.0
description:
  - Returns each user named, in the shape M(cyberark_community.identity.identity_user_info) returns, read on the
    controller with the same connection options (and C(CYBERARK_IDENTITY_*) environment variables) as the modules.
  - A login name that does not exist gives an empty mapping, so C(lookup(...) is falsy) tests for it.
author:
  - CyberArk Community Identity maintainers (@cyberark-community)
options:
  _terms:
    description: Login names (case-insensitive).
    type: list
    elements: str
    required: true
  with_roles:
    description: Whether each user's roles are read too.
    type: bool
    default: false
extends_documentation_fragment:
  - cyberark_community.identity.connection
  - cyberark_community.identity.connection.plugins
notes:
  - "Requests: one query for the names (in chunks of 100), one C(CDirectoryService/GetUser) per user found (8 at a time),
    and with O(with_roles) the smaller of one request per role of the tenant and one per user, as
    M(cyberark_community.identity.identity_user_info) reads them."
"""

EXAMPLES = r"""
- name: The manager's ID for a new user
  ansible.builtin.set_fact:
    manager_id: "{{ lookup('cyberark_community.identity.user', 'jane.doe@acme.com').id }}"

- name: Fail early when the service user is missing
  ansible.builtin.assert:
    that: lookup('cyberark_community.identity.user', 'ansible-svc@acme.com', tenant_url=identity_tenant_url) is truthy

- name: Several users with their roles
  ansible.builtin.debug:
    msg: "{{ query('cyberark_community.identity.user', 'jane.doe@acme.com', 'john.roe@acme.com', with_roles=true) }}"
"""

RETURN = r"""
_raw:
  description: One user per login name, as M(cyberark_community.identity.identity_user_info) returns it; an empty
    mapping for a login name that does not exist.
  type: list
  elements: dict
"""

import typing as t

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase

from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import IdentityError
from ansible_collections.cyberark_community.identity.plugins.module_utils.resources import _user_details, _users, _validate
from ansible_collections.cyberark_community.identity.plugins.plugin_utils._connection import client_for, failure


class LookupModule(LookupBase):
    def run(self, terms: list[t.Any], variables: dict[str, t.Any] | None = None, **kwargs: t.Any) -> list[dict[str, t.Any]]:
        self.set_options(var_options=variables, direct=kwargs)
        names = [str(term) for term in terms]
        for name in names:
            problem = _validate.control_error(name)
            if problem:
                raise AnsibleLookupError(f"login name {name[:40]!r} {problem}")
        try:
            with client_for(self) as client:
                rows = list(_users.rows_by_name(client, names).values())
                users = _user_details.describe(client, rows, self.get_option("with_roles"), concurrency=8)
                found = {str(user["name"]).lower(): user for user in users}
        except IdentityError as exc:
            raise failure(exc) from None
        return [found.get(name.lower(), {}) for name in names]
