#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: identity_login_suffix
short_description: Manage a CyberArk Identity login suffix
version_added: 0.1.0
description:
  - Makes sure a login suffix (the part of a login name after V(@)) exists on the tenant, or is absent.
  - Users, and imported users, can only be created with a suffix that exists already.
author:
  - CyberArk Community Identity maintainers (@cyberark-community)
options:
  name:
    description: The suffix, for example V(acme.com). Suffixes compare case-insensitively.
    type: str
    required: true
  state:
    description: Whether the suffix exists. A suffix that users still hold cannot be removed; the tenant's error says so.
    type: str
    choices: [present, absent]
    default: present
  directory:
    description:
      - Which users the suffix is for when it is created, V(cds) for CyberArk Cloud Directory users or V(ad_fds) for
        Active Directory and federated users. An existing suffix is not changed.
    type: str
    choices: [cds, ad_fds]
    default: cds
  domain:
    description: The domain the suffix maps to, when it is created. Defaults to O(name).
    type: str
extends_documentation_fragment:
  - cyberark_community.identity.connection
  - cyberark_community.identity.connection.modules
  - cyberark_community.identity.attributes
  - cyberark_community.identity.attributes.WRITER
"""

EXAMPLES = r"""
- name: A login suffix for Cloud Directory users
  cyberark_community.identity.identity_login_suffix:
    name: acme.com

- name: Remove a suffix nobody uses
  cyberark_community.identity.identity_login_suffix:
    name: old.acme.com
    state: absent
"""

RETURN = r"""
suffix:
  description: The suffix as the module leaves it; empty when absent.
  returned: always
  type: dict
  contains:
    name:
      description: The suffix.
      type: str
      sample: "acme.com"
    cds:
      description: Whether it is a Cloud Directory suffix.
      type: bool
      sample: true
suffixes:
  description: Every suffix of the tenant after the change (predicted in check mode).
  returned: always
  type: list
  sample: ["acme.com", "cyberark.cloud.3558"]
  elements: str
"""

import typing as t

from ansible_collections.cyberark_community.identity.plugins.module_utils.resources import _plans, _suffixes, _validate
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._client import IdentityClient
from ansible_collections.cyberark_community.identity.plugins.module_utils._module import IdentityModule


def input_errors(params: dict[str, t.Any]) -> list[str]:
    """Every problem of the options, at once, before any request."""
    name = params["name"].strip().lower()
    errors = []
    if "@" in name:
        errors.append(f"name: {params['name']!r} is not a suffix; give the part after @, for example acme.com")
    elif _validate.suffix_error(name):
        errors.append(f"name: {_validate.suffix_error(name)}")
    if params.get("domain") is not None and _validate.suffix_error(params["domain"]):
        errors.append(f"domain: {_validate.suffix_error(params['domain'])}")
    return errors


def run(module: IdentityModule, client: IdentityClient) -> dict[str, t.Any]:
    params = module.params
    name = params["name"].strip().lower()
    known = _suffixes.list_suffixes(client)
    current = _suffixes.find(known, name)
    names = [s["name"] for s in known]
    if params["state"] == "absent":
        plan = _plans.SuffixPlan(name=current["name"] if current else name, delete=current is not None)
        after: dict[str, t.Any] = {}
        listed = [n for n in names if n != plan.name] if plan.delete else names
    else:
        plan = _plans.SuffixPlan(name=name, create=current is None, cds=params["directory"] == "cds", domain=params.get("domain"))
        after = current or {"name": name, "cds": plan.cds}
        listed = names + [name] if plan.create else names
    if plan.actions() and not module.check_mode:
        plan.apply(client)
    return {"changed": bool(plan.actions()), "suffix": after, "suffixes": listed, "diff": {"before": current or {}, "after": after}}


def main() -> None:
    module = IdentityModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            state=dict(type="str", default="present", choices=["present", "absent"]),
            directory=dict(type="str", default="cds", choices=["cds", "ad_fds"]),
            domain=dict(type="str"),
        ),
        supports_check_mode=True,
    )
    module.execute(run, checks=input_errors)


if __name__ == "__main__":
    main()
